"""Environments from the way a repository is laid out.

A root module's environments, in this order of choice:

1. ``--var-file`` given: one environment of those files (one per workspace, when there
   are workspaces).
2. Workspaces: ``--workspace NAME`` (repeatable), else ``TF_WORKSPACE``, else the
   configuration's ``workspaces``, else the local backend's ``terraform.tfstate.d/<name>/``
   folders beside the module (and ``default`` when a ``terraform.tfstate`` is there too).
   Each is an environment named after it, with the var-file group named after it when
   there is one (``environments/prod.tfvars``, ``envs/prod/``).
3. Var-files beside the module or in its environment folders: each file one environment,
   each ``envs/<name>/`` folder one environment ``<name>`` of all its var-files.
4. Directory per environment: the nearest folder, from the module's own up to (not
   including) the repository root (the folder holding ``.git``), else up to and including
   the scanned path, whose name is an environment name (``live/prod/db``: ``prod``).
5. Otherwise one environment from the defaults.
"""

from __future__ import annotations

import os
from typing import Callable

from .discover import ModuleDir, display_path, repo_root
from .evaluate import EnvSpec, Settings

TFSTATE_FOLDER = "terraform.tfstate.d"


def folder_environment(directory: str, stop: str, names: frozenset[str]) -> str | None:
    """The nearest folder at or above ``directory`` whose name (case-insensitively) is an
    environment name, as written; looking up to the repository root (not included), else
    up to ``stop`` (included)."""
    current = os.path.abspath(directory)
    repo = repo_root(current)
    stop = os.path.abspath(stop)
    while True:
        if repo is not None and current == repo:
            return None
        name = os.path.basename(current)
        if name.lower() in names:
            return name
        if repo is None and current == stop:
            return None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def workspaces(directory: str, settings: Settings) -> tuple[list[str], str]:
    """The module's workspaces and where they come from (empty: none)."""
    if settings.workspaces:
        return list(dict.fromkeys(settings.workspaces)), "--workspace"
    selected = settings.env.get("TF_WORKSPACE")
    if selected:
        return [selected], "TF_WORKSPACE"
    if settings.configured_workspaces:
        return list(dict.fromkeys(settings.configured_workspaces)), ".rdspolicy.hcl"
    state = os.path.join(directory, TFSTATE_FOLDER)
    try:
        found = sorted(n for n in os.listdir(state)
                       if not n.startswith(".") and os.path.isdir(os.path.join(state, n)))
    except OSError:
        return [], ""
    if found and os.path.isfile(os.path.join(directory, "terraform.tfstate")) and "default" not in found:
        found.insert(0, "default")
    return found, TFSTATE_FOLDER


def _group_name(name: str | None, files: list[str]) -> str:
    if name is not None:
        return name
    base = os.path.basename(files[-1])
    for suffix in (".tfvars.json", ".tfvars"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def _var_file_source(files: list[str]) -> str:
    return "var-file: " + ", ".join(files)


def environment_specs(module: ModuleDir, settings: Settings, stop: "str | Callable[[], str]") -> list[EnvSpec]:
    """The environments of a root module (see the module's description); ``stop`` is the
    scanned path the module lies in (or what computes it, when it is needed)."""
    found, origin = workspaces(module.path, settings)
    if settings.var_files:
        source = "--var-file: " + ", ".join(settings.var_files)
        if found:
            return [EnvSpec(list(settings.var_files), ws, f"workspace: {ws} ({origin}); {source}", ws)
                    for ws in found]
        return [EnvSpec(list(settings.var_files), source=source)]
    if found:
        by_name = {_group_name(name, files): files for name, files in module.env_groups}
        specs = []
        for ws in found:
            files = by_name.get(ws, [])
            source = f"workspace: {ws} ({origin})"
            if files:
                source += f" with {_var_file_source(files)}"
            specs.append(EnvSpec(list(files), ws, source, ws))
        return specs
    if module.env_groups:
        return [EnvSpec(list(files), name, _var_file_source(files)) for name, files in module.env_groups]
    name = folder_environment(module.path, stop if isinstance(stop, str) else stop(), settings.environment_names)
    if name is not None:
        return [EnvSpec([], name, f"folder: {_shown_folder(module.path, name)}")]
    return [EnvSpec()]


def _shown_folder(directory: str, name: str) -> str:
    """``live/prod`` for ``live/prod/db`` and the name ``prod``: the folder that named it."""
    current = os.path.abspath(directory)
    while os.path.basename(current) != name:
        parent = os.path.dirname(current)
        if parent == current:
            return directory
        current = parent
    return display_path(current)
