"""Configuration: ``.rdspolicy.hcl``, the user's own configuration, and the command line.

Where settings come from, lowest precedence first:

1. the built-in defaults (and each rule's own parameter defaults);
2. the user's configuration, ``$XDG_CONFIG_HOME/rdspolicy/config.hcl`` (by default
   ``~/.config/rdspolicy/config.hcl``);
3. the project's configuration: the file given with ``--config``, else the first
   ``.rdspolicy.hcl`` found in the scanned folder or its parents, up to the repository
   root (the folder holding ``.git``); outside a repository, only the scanned folder;
4. the command line (``--set KEY=VALUE``, ``--rules-dir``, ``--exclude``), which
   replaces the value of the same key in the files.

The file is HCL with literal values only (strings, numbers, booleans, lists, objects):
it is parsed with rdspolicy's own parser and validated; an unknown key, an unknown rule,
an unknown rule parameter or a value of the wrong type is an error naming the file, the
line and the key (exit 2).

Trust: a configuration found inside the scanned tree comes from the repository being
checked, which may be a stranger's pull request.  Its rule packs (``rules_dirs``) are
Python code and are not imported unless ``--trust-repo-config`` is given; naming them
there without it is an error.  A file given with ``--config`` and the user's own
configuration are trusted.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Any, Literal

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

from . import syntax as S
from .discover import repo_root
from .errors import SourceError
from .record import Record

CONFIG_NAME = ".rdspolicy.hcl"
SEVERITY = Literal["critical", "high", "medium", "low"]

#: top-level key -> (default, description)
DEFAULTS: dict[str, tuple[Any, str]] = {
    "production_environments": (
        ["production", "prod", "prd"],
        "environment names (case-insensitive) that are production",
    ),
    "environment_variables": (
        ["environment", "env", "stage"],
        "input variables whose value names the environment, the first set one wins",
    ),
    "environment_folders": (
        ["environments", "envs", "env", "tfvars", "vars"],
        "folders beside a module whose *.tfvars files are one environment each (and each folder "
        "<name>/ in them one environment <name>)",
    ),
    "environment_names": (
        [],
        "folder names that name an environment, besides production, prod, prd, staging, stage, stg, "
        "development, dev, qa, test, uat, sandbox and preprod (directory per environment)",
    ),
    "workspaces": ([], "Terraform workspaces to check each root module in (one environment each)"),
    "exclude": ([], "glob patterns of folders not to check, relative to the configuration file"),
    "rules_dirs": ([], "folders of Python rule files to load, relative to the configuration file"),
    "cache_max_size": ("200MB", "the cache folder's size bound (e.g. 200MB, 1GB); the least recently "
                       "used entries beyond it are removed (RDSPOLICY_CACHE_MAX_SIZE overrides it)"),
}


class ConfigError(Exception):
    """A configuration that cannot be used: the run stops with exit status 2."""

    def __init__(self, file: str, line: int, key: str, message: str, column: int = 0):
        where = f"{file}:{line}" if line else file
        where += f":{column}" if line and column else ""
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


# pydantic is imported only when there is a value to validate: listing the rules
# (`rdspolicy rules`) with no configuration does not pay for it
def _pydantic():
    import pydantic

    return pydantic


@cache
def _schemas():
    from pydantic import BaseModel, ConfigDict

    class _TopLevel(BaseModel):
        """The keys a configuration file may set (rule blocks aside)."""

        model_config = ConfigDict(extra="forbid", strict=True)

        production_environments: list[str] | None = None
        environment_variables: list[str] | None = None
        environment_folders: list[str] | None = None
        environment_names: list[str] | None = None
        workspaces: list[str] | None = None
        exclude: list[str] | None = None
        rules_dirs: list[str] | None = None
        cache_max_size: str | int | None = None


    class _RuleBlock(BaseModel):
        """``enabled`` and ``severity``; other keys are the rule's parameters."""

        model_config = ConfigDict(extra="allow", strict=True)

        enabled: bool | None = None
        severity: SEVERITY | None = None

    return _TopLevel, _RuleBlock


def _top_level():
    return _schemas()[0]


def _rule_block():
    return _schemas()[1]


class Setting(Record):
    _fields = ("value", "source", "base")

    def __init__(self, value: Any, source: str, base: str = "") -> None:
        self.value = value
        self.source = source  # "default", "FILE:LINE" or "command line (--set)"
        self.base = base  # the folder relative paths in ``value`` are relative to


class RawFile(Record):
    """One configuration file, parsed and validated except for the rule names."""

    _fields = ("path", "trusted", "settings", "rules", "rule_lines")

    def __init__(self, path: str, trusted: bool, settings: dict[str, Setting] | None = None,
                 rules: dict[str, dict[str, Setting]] | None = None, rule_lines: dict[str, int] | None = None) -> None:
        self.path = path
        self.trusted = trusted
        self.settings = {} if settings is None else settings
        self.rules = {} if rules is None else rules  # id or name as written
        self.rule_lines = {} if rule_lines is None else rule_lines


class Config(Record):
    """The effective configuration: the policy, read from the files and the command line.
    It makes what each stage takes, and nothing else carries it: the rules as configured
    (:meth:`effective_rules`, for the rules stage and every reporter), the evaluate
    stage's naming of environments (``production_environments``, ``environment_variables``
    in :class:`rdspolicy.evaluate.Settings`) and the pipeline's folders to check and skip
    (:class:`rdspolicy.pipeline.Options`)."""

    _fields = ("settings", "rules", "files", "trust_repo_config", "cli_rules")

    def __init__(self, settings: dict[str, Setting], rules: dict[str, dict[str, Setting]],
                 files: list[RawFile] | None = None, trust_repo_config: bool = False,
                 cli_rules: dict[str, dict[str, Setting]] | None = None) -> None:
        self.settings = settings
        self.rules = rules  # rule id -> key -> setting (only what is configured)
        self.files = [] if files is None else files
        self.trust_repo_config = trust_repo_config
        self.cli_rules = {} if cli_rules is None else cli_rules  # from --set RULE.KEY=VALUE

    def value(self, key: str) -> Any:
        return self.settings[key].value

    def source(self, rule_id: str, key: str) -> str:
        """Where the value of a rule's setting comes from: ``default`` when unset (the
        value itself is on the effective rule: :meth:`effective_rules`)."""
        found = self.rules.get(rule_id, {}).get(key)
        return "default" if found is None else found.source

    # ---------------------------------------------------------------- derived settings

    def rules_dirs(self) -> list[tuple[str, Setting]]:
        """(absolute folder, where it was set) of every rule folder to load."""
        setting = self.settings["rules_dirs"]
        return [(os.path.normpath(os.path.join(setting.base, d)), setting) for d in setting.value]

    def untrusted_packs(self) -> list[str]:
        """Messages for rule folders named by a configuration that may not import code."""
        setting = self.settings["rules_dirs"]
        for raw in self.files:
            if raw.trusted or self.trust_repo_config:
                continue
            own = raw.settings.get("rules_dirs")
            if own is not None and own is setting and own.value:
                return [f"{own.source}: rules_dirs: rule packs named in a configuration inside the scanned "
                        f"repository are not loaded (it could run a stranger's code); give the folders with "
                        f"--rules-dir, or pass --trust-repo-config if you trust this repository"]
        return []

    def excluder(self):
        """A function telling whether a module folder (absolute) is excluded, or None."""
        setting = self.settings["exclude"]
        patterns = [p.strip("/") for p in setting.value]
        if not patterns:
            return None
        base = os.path.realpath(setting.base or os.getcwd())

        def excluded(folder: str) -> bool:
            rel = os.path.relpath(os.path.realpath(folder), base).replace(os.sep, "/")
            parts = rel.split("/")
            candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            return any(fnmatch.fnmatchcase(c, p) for p in patterns for c in candidates)

        return excluded

    def effective_rules(self, rules) -> list:
        """Every rule as configured (:meth:`rdspolicy.rule.Rule.configured`): its
        ``enabled``, ``severity`` and parameters resolved, once, for every stage and
        reporter (the checks, SARIF's rule entries, ``rules``, ``explain``).  Call
        :func:`resolve_rules` first: it checks the rule blocks and fills ``rules``."""
        out = []
        for rule in rules:
            configured = self.rules.get(rule.id)
            if not configured:
                out.append(rule)
                continue
            values = {key: setting.value for key, setting in configured.items()}
            enabled, severity = values.pop("enabled", None), values.pop("severity", None)
            out.append(rule.configured(enabled=enabled, severity=severity, params=values))
        return out


# ---------------------------------------------------------------- finding the files


def user_config_path() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "rdspolicy", "config.hcl")


def find_project_config(paths: list[str]) -> str | None:
    """The first ``.rdspolicy.hcl`` in the scanned folder or above it, up to the
    repository root; outside a repository, only in the scanned folder."""
    if not paths:
        paths = ["."]
    existing = [os.path.abspath(p) for p in paths if os.path.exists(p)]
    if not existing:
        return None
    start = os.path.commonpath([p if os.path.isdir(p) else os.path.dirname(p) for p in existing])
    top = repo_root(start)
    chain = [start]  # not in a repository: do not wander up the file system
    while top is not None and chain[-1] != top:
        chain.append(os.path.dirname(chain[-1]))
    for folder in chain:
        candidate = os.path.join(folder, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
    return None


# ---------------------------------------------------------------- reading a file


def literal(expr: S.Expr, file: str, key: str) -> Any:
    """The value of a literal expression; anything computed is an error."""
    if isinstance(expr, S.Literal):
        return expr.value
    if isinstance(expr, S.Paren):
        return literal(expr.expr, file, key)
    if isinstance(expr, S.UnaryOp) and expr.op == "-" and isinstance(expr.operand, S.Literal) \
            and isinstance(expr.operand.value, (int, float)) and not isinstance(expr.operand.value, bool):
        return -expr.operand.value
    if isinstance(expr, S.Template) and all(isinstance(p, str) for p in expr.parts):
        return "".join(expr.parts)
    if isinstance(expr, S.TupleExpr):
        return [literal(item, file, key) for item in expr.items]
    if isinstance(expr, S.ObjectExpr):
        out = {}
        for k, v in expr.items:
            name = k.name if isinstance(k, S.Name) else literal(k, file, key)
            if not isinstance(name, str):
                raise ConfigError(file, k.pos.line, key, "object keys must be names or strings")
            out[name] = literal(v, file, key)
        return out
    raise ConfigError(file, expr.pos.line, key,
                      "only literal values are allowed (strings, numbers, booleans, lists, objects), "
                      "not variables, functions or expressions")


def _pydantic_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    text = first.get("msg", str(exc))
    return f"{text} (at {where})" if where and where != "value" else text


def read_file(path: str, trusted: bool, text: str | None = None) -> RawFile:
    from .fileio import read_text
    from .parse import parse_hcl

    shown = _shown(path)
    try:
        parsed = parse_hcl(shown, read_text(path) if text is None else text)
    except SourceError as exc:
        raise ConfigError(shown, exc.line, "", exc.message, exc.column) from None
    except OSError as exc:
        raise ConfigError(shown, 0, "", f"cannot be read: {exc.strerror or exc}") from None
    raw = RawFile(shown, trusted)
    base = os.path.dirname(os.path.abspath(path))
    values: dict[str, Any] = {}
    for name, attr in parsed.body.attributes.items():
        if name not in _top_level().model_fields:
            raise ConfigError(shown, attr.pos.line, name,
                              f"unknown key (the keys are: {', '.join(sorted(_top_level().model_fields))}, "
                              f'and rule "ID" {{ ... }} blocks)')
        values[name] = literal(attr.expr, shown, name)
        try:
            _top_level().model_validate({name: values[name]})
        except _pydantic().ValidationError as exc:
            raise ConfigError(shown, attr.pos.line, name, _pydantic_message(exc)) from None
        raw.settings[name] = Setting(values[name], f"{shown}:{attr.pos.line}", base)
    for block in parsed.body.blocks:
        if block.type != "rule" or len(block.labels) != 1:
            raise ConfigError(shown, block.pos.line, block.type,
                              'unknown block (the only block is rule "ID" { ... })' if block.type != "rule"
                              else 'a rule block has one label, the rule id or name: rule "RDS005" { ... }')
        rid = block.labels[0]
        if rid in raw.rules:
            raise ConfigError(shown, block.pos.line, f'rule "{rid}"',
                              f"configured twice (first on line {raw.rule_lines[rid]})")
        if block.body.blocks:
            inner = block.body.blocks[0]
            raise ConfigError(shown, inner.pos.line, f'rule "{rid}".{inner.type}',
                              "a rule block holds only key = value settings")
        settings: dict[str, Setting] = {}
        for name, attr in block.body.attributes.items():
            value = literal(attr.expr, shown, f'rule "{rid}".{name}')
            if name in _rule_block().model_fields:
                try:
                    _rule_block().model_validate({name: value})
                except _pydantic().ValidationError as exc:
                    raise ConfigError(shown, attr.pos.line, f'rule "{rid}".{name}',
                                      _pydantic_message(exc)) from None
            settings[name] = Setting(value, f"{shown}:{attr.pos.line}", base)
        raw.rules[rid] = settings
        raw.rule_lines[rid] = block.pos.line
    return raw


def _shown(path: str) -> str:
    from .discover import display_path

    return display_path(path)


# ---------------------------------------------------------------- the effective configuration


def load(paths: list[str], *, config_file: str | None = None, use_user_config: bool = True,
         trust_repo_config: bool = False) -> Config:
    """Read the user's and the project's configuration (not yet checked against the
    rules: see :func:`resolve_rules`)."""
    files: list[RawFile] = []
    user = user_config_path()
    if use_user_config and os.path.isfile(user):
        files.append(read_file(user, trusted=True))
    if config_file is not None:
        if not os.path.isfile(config_file):
            raise ConfigError(config_file, 0, "--config", "no such file")
        files.append(read_file(config_file, trusted=True))
    else:
        found = find_project_config(paths)
        if found is not None:
            files.append(read_file(found, trusted=False))
    settings = {key: Setting(default, "default", os.getcwd()) for key, (default, _) in DEFAULTS.items()}
    for raw in files:
        settings.update(raw.settings)
    return Config(settings, {}, files, trust_repo_config)


def apply_command_line(config: Config, *, sets: list[str] = (), rules_dirs: list[str] = (),
                       exclude: list[str] = ()) -> None:
    """Command-line values replace the files' values of the same key."""
    cwd = os.getcwd()
    if rules_dirs:
        config.settings["rules_dirs"] = Setting(list(rules_dirs), "command line (--rules-dir)", cwd)
    if exclude:
        config.settings["exclude"] = Setting(list(exclude), "command line (--exclude)", cwd)
    for text in sets:
        key, value = _parse_set(text)
        if "." in key:
            rid, name = key.split(".", 1)
            config.cli_rules.setdefault(rid, {})[name] = Setting(value, "command line (--set)", cwd)
        else:
            if key not in _top_level().model_fields:
                raise ConfigError("--set", 0, key, f"unknown key (the keys are: {', '.join(sorted(_top_level().model_fields))}, "
                                  "or RULE.PARAMETER)")
            try:
                _top_level().model_validate({key: value})
            except _pydantic().ValidationError as exc:
                raise ConfigError("--set", 0, key, _pydantic_message(exc)) from None
            config.settings[key] = Setting(value, "command line (--set)", cwd)


def _parse_set(text: str) -> tuple[str, Any]:
    from .parse import parse_expression

    key, sep, value_text = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError("--set", 0, text, "expected KEY=VALUE, e.g. --set RDS005.severity=high")
    try:
        expr = parse_expression(value_text, "--set")
    except SourceError:
        return key, value_text  # a bare word: a string
    if isinstance(expr, S.Name):
        return key, expr.name
    try:
        return key, literal(expr, "--set", key)
    except ConfigError:
        return key, value_text


def resolve_rules(config: Config, rules, unknown_ids_ok: bool = False) -> None:
    """Check every rule block against the loaded rules (ids or names, parameters and
    their types) and fill ``config.rules`` keyed by rule id.  ``unknown_ids_ok`` when a
    rule pack was not loaded (its rules' blocks cannot be checked, and are skipped)."""
    by_key = {}
    for rule in rules:
        by_key[rule.id] = rule
        by_key[rule.name] = rule
    layers: list[tuple[str, dict[str, dict[str, Setting]], dict[str, int]]] = [
        (raw.path, raw.rules, raw.rule_lines) for raw in config.files
    ]
    if config.cli_rules:
        layers.append(("--set", config.cli_rules, {}))
    resolved: dict[str, dict[str, Setting]] = {}
    for file, blocks, lines in layers:
        for written, settings in blocks.items():
            rule = by_key.get(written) or by_key.get(written.upper())
            line = lines.get(written, 0)
            if rule is None:
                if unknown_ids_ok:
                    continue
                from .selection import suggest

                hint = suggest(written, list(rules))
                raise ConfigError(file, line, f'rule "{written}"', "no such rule" + (
                    f"; {hint}" if hint else " (see `rdspolicy rules` for the ids and names)"))
            params = {p.name: p for p in rule.parameters}
            for name, setting in settings.items():
                where_line = _line_of(setting, line)
                key = f'rule "{written}".{name}'
                if name in _rule_block().model_fields:
                    try:
                        _rule_block().model_validate({name: setting.value})
                    except _pydantic().ValidationError as exc:
                        raise ConfigError(file, where_line, key, _pydantic_message(exc)) from None
                elif name in params:
                    kind = params[name].type or type(params[name].default)
                    try:
                        setting.value = _pydantic().TypeAdapter(kind).validate_python(setting.value, strict=True)
                    except _pydantic().ValidationError as exc:
                        raise ConfigError(file, where_line, key, _pydantic_message(exc)) from None
                else:
                    known = ["enabled", "severity", *params]
                    raise ConfigError(file, where_line, key,
                                      f"unknown setting for {rule.id} (it takes: {', '.join(known)})")
                resolved.setdefault(rule.id, {})[name] = setting
    config.rules = resolved


def _line_of(setting: Setting, fallback: int) -> int:
    _, _, line = setting.source.rpartition(":")
    return int(line) if line.isdigit() else fallback


# ---------------------------------------------------------------- printing


def hcl_text(value: Any) -> str:
    import json

    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {hcl_text(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_text(v) for v in value) + "]"
    return json.dumps(value)


def _rule_keys(rule) -> list[tuple[str, Any]]:
    """(key, value) of every setting a rule block may hold, as the (effective) rule has it."""
    return [("enabled", rule.enabled), ("severity", rule.severity), *rule.params.items()]


def describe(config: Config, rules) -> str:
    """The effective configuration as HCL, each value with where it came from."""
    lines = []
    if config.files:
        for raw in config.files:
            trust = "trusted" if raw.trusted else (
                "inside the scanned repository, trusted (--trust-repo-config)" if config.trust_repo_config
                else "inside the scanned repository: its rule packs are not loaded without --trust-repo-config")
            lines.append(f"# configuration file: {raw.path} ({trust})")
    else:
        lines.append("# no configuration file (defaults)")
    lines.append("")
    for key in DEFAULTS:
        s = config.settings[key]
        lines.append(f"{key} = {hcl_text(s.value)}  # {s.source}")
    for rule in rules:
        lines.append("")
        lines.append(f'rule "{rule.id}" {{  # {rule.name}')
        for name, value in _rule_keys(rule):
            lines.append(f"  {name} = {hcl_text(value)}  # {config.source(rule.id, name)}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def as_json(config: Config, rules) -> dict:
    out = {
        "files": [{"path": r.path, "trusted": r.trusted or config.trust_repo_config} for r in config.files],
        "settings": {k: {"value": s.value, "source": s.source} for k, s in config.settings.items()},
        "rules": {},
    }
    for rule in rules:
        entry = {}
        for name, value in _rule_keys(rule):
            entry[name] = {"value": value, "source": config.source(rule.id, name)}
        out["rules"][rule.id] = entry
    return out
