"""Loading rule packs: the built-in pack, every pack in the ``rdspolicy`` entry-point
group, and folders of rule files (``--rules-dir``), on one plugin manager, each loaded
on its own so that a broken pack is named in a diagnostic and the others still run.

A rule folder holds Python files (names starting with ``_`` are helpers, not loaded
as packs; the folder is on ``sys.path`` while they load).  Each file either implements
the ``rdspolicy_rules`` hook or defines ``RULE`` (a :class:`~rdspolicy.rule.Rule`) or
``RULES`` (a list of them).  A folder that does not exist or provides no rule is an
error, never silence.  See docs/plugins.md."""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import os
import re
import sys
from typing import Any, Callable

import pluggy

from . import hookimpl as hookspecs_impl
from . import hookspecs
from .record import Record
from .rule import Rule

BUILTIN_PACK = "rdspolicy_rules"
ENTRY_POINT_GROUP = "rdspolicy"


class PackError(Exception):
    pass


class LoadedRules(Record):
    _fields = ("rules", "packs", "errors")

    def __init__(self, rules: list[Rule], packs: dict[str, str] | None = None, errors: list[str] | None = None) -> None:
        self.rules = rules
        self.packs = {} if packs is None else packs  # rule id -> pack name
        self.errors = [] if errors is None else errors


def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("rdspolicy")
    pm.add_hookspecs(hookspecs)
    return pm


class _RuleList:
    """A rule file without the hook: its ``RULE`` / ``RULES`` as a plugin."""

    def __init__(self, rules):
        self._rules = list(rules)

    @hookspecs_impl
    def rdspolicy_rules(self):
        return self._rules


def _import_file(path: str):
    digest = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:12]
    stem = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(f"rdspolicy_rules_dir_{digest}_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    if hasattr(module, "rdspolicy_rules"):
        return module
    listed = getattr(module, "RULES", None) or ([module.RULE] if hasattr(module, "RULE") else [])
    return _RuleList(listed)


def _folder_files(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        raise PackError(f"rule folder {folder}: no such folder")
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))
            if n.endswith(".py") and not n.startswith(("_", "."))]


def _entry_points(group: str) -> list[tuple[str, str, Callable[[], Any]]]:
    """(name, value, loader) of each entry point in ``group``, those
    ``importlib.metadata.entry_points(group=group)`` gives, in its order.

    Where distributions can only be on ``sys.path`` (no other finder on ``sys.meta_path``
    offers any) and every entry of it is a folder, they are read here as it reads them:
    the ``*.dist-info`` and ``*.egg-info`` folders of each path entry, the first of each
    normalized name only, each one's ``entry_points.txt``.  Importing importlib.metadata
    (with the email package it imports) and its scan took 15-30 ms of a small check; it
    is still used for anything else (a zip file or an egg on the path, another finder)."""
    found = _entry_points_on_path(group)
    if found is None:
        from importlib.metadata import entry_points

        return [(ep.name, ep.value, ep.load) for ep in entry_points(group=group)]
    return [(name, value, lambda v=value: _load(v)) for name, value in found]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _entry_points_on_path(group: str) -> list[tuple[str, str]] | None:
    if any(getattr(finder, "find_distributions", None) and finder is not importlib.machinery.PathFinder
           for finder in sys.meta_path):
        return None
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for entry in sys.path:
        if not isinstance(entry, str) or os.path.basename(entry).lower().endswith(".egg"):
            return None
        try:
            children = os.listdir(entry or ".")
        except OSError:
            if os.path.isfile(entry):  # a zip file
                return None
            continue
        by_name: dict[str, list[str]] = {}  # grouped by name, in the order first listed
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                by_name.setdefault(_normalized(low.rpartition(".")[0].partition("-")[0]), []).append(child)
        for name, folders in by_name.items():
            for folder in folders:
                if not folder.endswith((".dist-info", ".egg-info")):
                    return None  # its name would be read from its metadata
                if name in seen:
                    continue
                seen.add(name)
                try:
                    with open(os.path.join(entry, folder, "entry_points.txt"), encoding="utf-8") as src:
                        text = src.read()
                except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
                    continue
                section = None
                for line in text.splitlines():
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    if line.startswith("[") and line.endswith("]"):
                        section = line.strip("[]")
                    elif section is not None:
                        key, value = line.split("=", 1)  # a line without "=" fails as there
                        if section == group:
                            found.append((key.strip(), value.strip()))
    return found


def _load(value: str) -> Any:
    """What ``EntryPoint.load`` gives for ``module`` or ``module:attr.attr``."""
    if not re.fullmatch(r"[\w.]+(:[\w.]+)?", value):  # spaces, extras, a malformed value
        from importlib.metadata import EntryPoint

        return EntryPoint("", value, "").load()
    module, _, attrs = value.partition(":")
    found = importlib.import_module(module)
    for attr in filter(None, attrs.split(".")):
        found = getattr(found, attr)
    return found


def load_rules(extra_modules: list[str] = (), entry_points: bool = True,
               rules_dirs: list[str] = ()) -> LoadedRules:
    pm = plugin_manager()
    errors: list[str] = []

    def register(name: str, loader) -> None:
        try:
            plugin = loader()
            if pm.is_registered(plugin) or pm.get_plugin(name) is not None:
                return
            pm.register(plugin, name=name)
        except Exception as exc:  # a broken pack must not stop the others
            errors.append(f"rule pack {name!r} could not be loaded: {type(exc).__name__}: {exc}")

    register(BUILTIN_PACK, lambda: importlib.import_module(BUILTIN_PACK))
    if entry_points:
        for name, value, load in _entry_points(ENTRY_POINT_GROUP):
            if value.split(":")[0] == BUILTIN_PACK:
                continue
            register(name, load)
    for module in extra_modules:
        register(module, lambda m=module: importlib.import_module(m))
    folder_packs: dict[str, list[str]] = {}  # folder -> pack names of its files
    for folder in rules_dirs:
        try:
            files = _folder_files(folder)
        except PackError as exc:
            errors.append(str(exc))
            continue
        folder_packs[folder] = files
        sys.path.insert(0, folder)  # a rule file may import its helpers
        try:
            for path in files:
                register(path, lambda p=path: _import_file(p))
        finally:
            sys.path.remove(folder)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        errors.append(f"a rule pack implements an unknown hook: {exc}")

    rules: list[Rule] = []
    packs: dict[str, str] = {}
    names: set[str] = set()
    for impl in pm.hook.rdspolicy_rules.get_hookimpls():
        pack = pm.get_name(impl.plugin) or "?"
        try:
            provided = impl.function()
        except Exception as exc:
            errors.append(f"rule pack {pack!r} failed to list its rules: {type(exc).__name__}: {exc}")
            continue
        for rule in provided or ():
            if not isinstance(rule, Rule):
                errors.append(f"rule pack {pack!r} returned {rule!r}, which is not a rdspolicy.rule.Rule")
                continue
            if rule.id in packs or rule.name in names:
                clash = next(r for r in rules if r.id == rule.id or r.name == rule.name)
                other = packs[clash.id]
                kind = "the built-in rule" if other == BUILTIN_PACK else f"rule from pack {other!r}:"
                what = "id" if clash.id == rule.id else "name"
                errors.append(f"rule {rule.id} ({rule.name}) from pack {pack!r} is not loaded: its {what} "
                              f"is already used by {kind} {clash.id} ({clash.name}); give it another {what}")
                continue
            packs[rule.id] = pack
            names.add(rule.name)
            rules.append(rule)
    for folder, names_in in folder_packs.items():
        if not any(p in names_in for p in packs.values()):
            errors.append(f"rule folder {folder}: no rule found (a rule file implements the rdspolicy_rules "
                          f"hook or defines RULE or RULES; see docs/plugins.md)")
    rules.sort(key=lambda r: r.id)
    return LoadedRules(rules, packs, errors)
