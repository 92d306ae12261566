"""Loading rule packs: the built-in pack and every pack in the ``rdspolicy``
entry-point group, on one plugin manager, each loaded on its own so that a broken
pack is named in a diagnostic and the others still run."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import pluggy

from . import hookspecs
from .rule import Rule

BUILTIN_PACK = "rdspolicy_rules"
ENTRY_POINT_GROUP = "rdspolicy"


class PackError(Exception):
    pass


@dataclass
class LoadedRules:
    rules: list[Rule]
    packs: dict[str, str] = field(default_factory=dict)  # rule id -> pack name
    errors: list[str] = field(default_factory=list)


def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("rdspolicy")
    pm.add_hookspecs(hookspecs)
    return pm


def load_rules(extra_modules: list[str] = (), entry_points: bool = True) -> LoadedRules:
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
        from importlib.metadata import entry_points as eps

        for ep in eps(group=ENTRY_POINT_GROUP):
            if ep.value.split(":")[0] == BUILTIN_PACK:
                continue
            register(ep.name, ep.load)
    for module in extra_modules:
        register(module, lambda m=module: importlib.import_module(m))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        errors.append(f"a rule pack implements an unknown hook: {exc}")

    rules: list[Rule] = []
    packs: dict[str, str] = {}
    names: dict[str, str] = {}
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
                other = packs.get(rule.id) or names.get(rule.name)
                errors.append(f"rule {rule.id} ({rule.name}) from pack {pack!r} clashes with one from {other!r}")
                continue
            packs[rule.id] = pack
            names[rule.name] = pack
            rules.append(rule)
    rules.sort(key=lambda r: r.id)
    return LoadedRules(rules, packs, errors)
