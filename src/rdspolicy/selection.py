"""Which rules run: ``--select`` and ``--ignore`` (ids like ``RDS001`` or names like
``storage-encrypted``, case-insensitive).  Every source of rule choices (options now,
a configuration file later) goes through :func:`select_rules`, so a misspelt rule is
an error wherever it is written, with the near matches named."""

from __future__ import annotations

from .rule import Rule


def rules_by_key(rules: list[Rule]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        table[rule.id.lower()] = rule
        table[rule.name.lower()] = rule
    return table


def suggest(name: str, rules: list[Rule]) -> str | None:
    """"did you mean RDS019 (master-password-not-in-code)?" for a near miss, else None."""
    import difflib  # only for a misspelt rule

    table = rules_by_key(rules)
    close = difflib.get_close_matches(name.strip().lower(), list(table), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(f"{table[c].id} ({table[c].name})" for c in close))
    return "did you mean " + " or ".join(suggestions) + "?" if suggestions else None


def unknown_rule_message(where: str, name: str, rules: list[Rule]) -> str:
    hint = suggest(name, rules)
    if hint is None:
        hint = "the rules are " + ", ".join(r.id for r in rules) + " (rdspolicy rules lists them)"
    return f"{where} {name}: no rule has this id or name; {hint}"


def select_rules(rules: list[Rule], select=(), ignore=(), *, where=("--select", "--ignore")
                 ) -> tuple[list[Rule], list[str]]:
    """The rules to run: those named in ``select`` (all when it is empty) less those in
    ``ignore``; and one message per name that matches no rule.  A name may be a
    comma-separated list (``--select RDS001,RDS003``, as ruff takes them)."""
    table = rules_by_key(rules)
    errors: list[str] = []

    def resolve(names, option) -> set[str]:
        ids = set()
        for name in [part for written in names for part in written.split(",") if part.strip()]:
            rule = table.get(name.strip().lower())
            if rule is None:
                errors.append(unknown_rule_message(option, name, rules))
            else:
                ids.add(rule.id)
        return ids

    chosen = resolve(select, where[0])
    dropped = resolve(ignore, where[1])
    kept = [r for r in rules if (not select or r.id in chosen) and r.id not in dropped]
    return kept, errors
