"""Discovery stage: which Terraform modules to check, and their files.

A folder holding ``.tf`` / ``.tf.json`` files (or OpenTofu's ``.tofu`` / ``.tofu.json``;
where ``x.tofu`` and ``x.tf`` both exist, OpenTofu reads only ``x.tofu``, and so does
rdspolicy) is a module.  A folder holding ``terragrunt.hcl`` is a Terragrunt unit
(see :mod:`rdspolicy.terragrunt`).  Folders are searched
recursively; ``.terraform`` and hidden folders are skipped, and symbolic links to
folders are not followed (a link loop cannot hang the scan).  Files given directly
are grouped by folder and their whole folder is loaded: variables, locals and
resources live in sibling files.
"""

from __future__ import annotations

import os
from .errors import Diagnostic
from .record import Record

TF_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
VARS_SUFFIXES = (".tfvars", ".tfvars.json")
ENV_FOLDERS = ("environments", "envs", "env", "tfvars", "vars")
TERRAGRUNT_FILE = "terragrunt.hcl"

# Files that look like infrastructure code of a kind rdspolicy does not read: a folder
# holding only these is reported (never a silent green), name ending -> what it is
SKIPPED_KINDS = (
    (".tfstack.hcl", "Terraform Stacks configuration"),
    (".tfcomponent.hcl", "Terraform Stacks configuration"),
    (".tfdeploy.hcl", "Terraform Stacks deployment configuration"),
    ("terragrunt.stack.hcl", "a Terragrunt stack"),
    ("terragrunt.hcl.json", "Terragrunt configuration in JSON"),
    (".tf.tmpl", "a template that renders to Terraform"),
    (".tf.tpl", "a template that renders to Terraform"),
    (".tf.j2", "a template that renders to Terraform"),
    (".tf.jinja", "a template that renders to Terraform"),
    (".tf.jinja2", "a template that renders to Terraform"),
    (".tf.erb", "a template that renders to Terraform"),
    (".tf.gotmpl", "a template that renders to Terraform"),
    ("cdktf.json", "a CDK for Terraform program (rdspolicy reads what `cdktf synth` writes to cdktf.out/)"),
)


class ModuleDir(Record):
    _fields = ("path", "tf_files", "auto_var_files", "env_var_files", "env_groups")

    def __init__(self, path: str, tf_files: list[str] | None = None, auto_var_files: list[str] | None = None,
                 env_var_files: list[str] | None = None,
                 env_groups: list[tuple[str | None, list[str]]] | None = None) -> None:
        self.path = path  # as the user will see it: relative to the current folder when under it
        self.tf_files = [] if tf_files is None else tf_files
        # terraform.tfvars, *.auto.tfvars, in load order
        self.auto_var_files = [] if auto_var_files is None else auto_var_files
        self.env_var_files = [] if env_var_files is None else env_var_files  # every environment's var-files
        # one environment each: (the folder's name for envs/<name>/, else None; its var-files in load order)
        self.env_groups = [(None, [f]) for f in self.env_var_files] if env_groups is None else env_groups


def repo_root(directory: str) -> str | None:
    """The folder holding ``.git`` at or above ``directory`` (absolute), else None."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def is_plan_path(path: str) -> bool:
    """A ``.json`` file that is not Terraform configuration or a variables file."""
    return path.endswith(".json") and not path.endswith((".tf.json", ".tfvars.json"))


def display_path(path: str) -> str:
    """Relative to the current folder when under it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute


def _join(folder: str, *names: str) -> str:
    """``main.tf`` rather than ``./main.tf`` for the current folder."""
    return os.path.join(*names) if folder == "." else os.path.join(folder, *names)


def _skip_dir(name: str) -> bool:
    return name.startswith(".")  # .terraform, .git and other hidden folders


def _is_tf(name: str) -> bool:
    return name.endswith(TF_SUFFIXES)


def _tofu_wins(names: list[str]) -> list[str]:
    """Without the ``x.tf`` (``x.tf.json``) files that an ``x.tofu`` (``x.tofu.json``)
    replaces, as OpenTofu reads a folder."""
    present = set(names)
    return [n for n in names
            if not (n.endswith(".tf") and n[:-3] + ".tofu" in present)
            and not (n.endswith(".tf.json") and n[:-8] + ".tofu.json" in present)]


def skipped_kind(name: str) -> str | None:
    """What a file is when it is of a kind rdspolicy does not read, else None."""
    for suffix, what in SKIPPED_KINDS:
        if name == suffix or name.endswith(suffix if suffix.startswith(".") else "/" + suffix):
            return what
    return None


def _auto_vars_order(names: list[str]) -> list[str]:
    """terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) lexically."""
    first = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    auto = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return first + auto


def _is_env_file(name: str) -> bool:
    return (
        name.endswith(VARS_SUFFIXES)
        and name not in ("terraform.tfvars", "terraform.tfvars.json")
        and not name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )


_real_cwd: tuple[str, str] = ("", "")  # the current folder, and where it really is


def _tree_root(directory: str) -> str:
    """The folder a module's files must stay inside: the current folder when the module
    is under it, else the module's own folder (as for file() and friends)."""
    global _real_cwd
    cwd = os.getcwd()
    if _real_cwd[0] != cwd:
        _real_cwd = (cwd, os.path.realpath(cwd))
    root = _real_cwd[1]
    real = os.path.realpath(directory)
    return root if os.path.commonpath([root, real]) == root else real


def _unreadable_link(directory: str, name: str, root: str) -> str | None:
    """Why the symbolic link ``name`` is not read, or None when it is not a link or
    leads to a file inside ``root``."""
    full = os.path.join(directory, name)
    if not os.path.islink(full):
        return None
    real = os.path.realpath(full)
    if not os.path.exists(real):
        return "a symbolic link that leads nowhere (its target is missing, or the links form a loop)"
    if os.path.commonpath([root, real]) != root:
        return "a symbolic link to a file outside the folder being checked; rdspolicy does not read it"
    return None


def load_module_dir(directory: str, env_folders: tuple[str, ...] = ENV_FOLDERS,
                    diagnostics: list[Diagnostic] | None = None) -> ModuleDir:
    module = ModuleDir(display_path(directory))
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        if diagnostics is not None:
            diagnostics.append(Diagnostic("error", module.path, 0, 0,
                                          f"cannot read this folder: {exc.strerror or exc}", "unreadable"))
        return module
    root = _tree_root(directory)
    kept = []
    for n in names:
        if not (_is_tf(n) or n.endswith(VARS_SUFFIXES)):
            kept.append(n)
            continue
        why = _unreadable_link(directory, n, root)
        if why is None:
            kept.append(n)
        elif diagnostics is not None:
            diagnostics.append(Diagnostic("error", _join(module.path, n), 0, 0, why, "unreadable"))
    names = kept
    module.tf_files = [_join(module.path, n) for n in _tofu_wins(names)
                       if _is_tf(n) and os.path.isfile(os.path.join(directory, n))]
    module.auto_var_files = [_join(module.path, n) for n in _auto_vars_order(names)]
    groups: list[tuple[str | None, list[str]]] = [(None, [_join(module.path, n)]) for n in names if _is_env_file(n)]

    def readable(folder: str, name: str, shown: str) -> bool:
        why = _unreadable_link(folder, name, root)
        if why is not None:
            if diagnostics is not None:
                diagnostics.append(Diagnostic("error", shown, 0, 0, why, "unreadable"))
            return False
        return os.path.isfile(os.path.join(folder, name))

    for sub in env_folders:
        sub_dir = os.path.join(directory, sub)
        if not os.path.isdir(sub_dir):
            continue
        try:
            sub_names = sorted(os.listdir(sub_dir))
        except OSError:
            continue
        nested = []
        for n in sub_names:
            if _is_env_file(n):
                if readable(sub_dir, n, _join(module.path, sub, n)):
                    groups.append((None, [_join(module.path, sub, n)]))
            elif not _skip_dir(n) and os.path.isdir(os.path.join(sub_dir, n)) and not os.path.islink(
                    os.path.join(sub_dir, n)):
                nested.append(n)
        # one more level: every var-file in envs/<name>/ belongs to environment <name>
        for env_name in nested:
            env_dir = os.path.join(sub_dir, env_name)
            try:
                env_names = sorted(os.listdir(env_dir))
            except OSError:
                continue
            files = [n for n in _group_order(env_names) if readable(env_dir, n, _join(module.path, sub, env_name, n))]
            if files:
                groups.append((env_name, [_join(module.path, sub, env_name, n) for n in files]))
    module.env_groups = groups
    module.env_var_files = [path for _, files in groups for path in files]
    return module


def _group_order(names: list[str]) -> list[str]:
    """The var-files of one environment folder in the order they are applied:
    ``terraform.tfvars`` (and its JSON form) first, then the others by name."""
    first = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    return first + [n for n in names if n.endswith(VARS_SUFFIXES) and n not in first]


def _has_tf(folder: str) -> bool:
    try:
        return any(_is_tf(n) for n in os.listdir(folder))
    except OSError:
        return False


def _module_of_var_file(folder: str, env_folders: tuple[str, ...]) -> str:
    """The module a var-file given on its own belongs to (pre-commit passes changed files):
    its own folder when that holds .tf files, else the folder above an environment folder
    on its path (``environments/prod.tfvars``, ``envs/prod/terraform.tfvars``)."""
    if _has_tf(folder):
        return folder
    current = folder
    for _ in range(4):  # environments/<env>/<region>/x.tfvars at most
        parent, name = os.path.split(current)
        if not name:
            break
        if name in env_folders and _has_tf(parent):
            return parent
        current = parent
    return folder


def discover(paths: list[str], exclude=None, env_folders: tuple[str, ...] = ENV_FOLDERS,
             terragrunt: list[str] | None = None) -> tuple[list[ModuleDir], list[Diagnostic]]:
    """The modules under ``paths``, in a stable order, and problems with the paths.
    The folders holding ``terragrunt.hcl`` are added to ``terragrunt`` when given."""
    diagnostics: list[Diagnostic] = []
    folders: dict[str, None] = {}
    units: dict[str, None] = {}
    for path in paths:
        if not os.path.exists(path):
            diagnostics.append(Diagnostic("error", path, 0, 0, "no such file or folder", "missing-path"))
            continue
        if os.path.isfile(path):
            if terragrunt is not None and os.path.basename(path) == TERRAGRUNT_FILE:
                units[os.path.realpath(os.path.dirname(os.path.abspath(path)))] = None
                continue
            if not (_is_tf(path) or path.endswith(VARS_SUFFIXES)):
                diagnostics.append(Diagnostic(
                    "error", path, 0, 0,
                    "not a Terraform file (expected .tf, .tf.json, .tofu, .tofu.json, .tfvars, .tfvars.json or "
                    "terragrunt.hcl)",
                    "not-terraform",
                ))
                continue
            folder = os.path.dirname(os.path.abspath(path))
            if path.endswith(VARS_SUFFIXES):
                folder = _module_of_var_file(folder, env_folders)
            folders[os.path.realpath(folder)] = None
            continue
        found = False
        def unreadable(exc: OSError) -> None:
            diagnostics.append(Diagnostic(
                "error", display_path(exc.filename or path), 0, 0,
                f"cannot read this folder: {exc.strerror or exc}", "unreadable"))

        for root, dirs, files in os.walk(path, followlinks=False, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not _skip_dir(d))
            if terragrunt is not None and TERRAGRUNT_FILE in files:
                units[os.path.realpath(root)] = None
                found = True
            if any(_is_tf(f) for f in files):
                folders[os.path.realpath(root)] = None
                found = True
            elif TERRAGRUNT_FILE not in files:
                skipped = sorted((f, what) for f in files if (what := skipped_kind(f)) is not None)
                if skipped and not (exclude and exclude(os.path.realpath(root))):
                    found = True
                    kinds = "; ".join(dict.fromkeys(what for _, what in skipped))
                    diagnostics.append(Diagnostic(
                        "warning", display_path(os.path.join(root, skipped[0][0])), 0, 0,
                        f"this folder holds only files rdspolicy does not read ({kinds}): nothing in "
                        f"{display_path(root)} is checked", "files-not-read",
                    ))
        if not found:  # a mistyped path must not pass the gate unnoticed
            diagnostics.append(Diagnostic(
                "warning", display_path(path), 0, 0,
                "no Terraform files (.tf, .tf.json, .tofu, .tofu.json or terragrunt.hcl) in this folder "
                "or below it (hidden and .terraform folders are skipped)",
                "no-terraform",
            ))
    if terragrunt is not None:
        terragrunt += [display_path(u) for u in units if not (exclude and exclude(u))]
    modules = []
    for folder in folders:
        if exclude and exclude(folder):
            continue
        module = load_module_dir(folder, env_folders, diagnostics)
        if module.tf_files:
            modules.append(module)
        elif any(p for p in paths if os.path.isfile(p)):
            diagnostics.append(Diagnostic(
                "error", display_path(folder), 0, 0, "no .tf files in this folder", "no-terraform"))
    return modules, diagnostics
