"""Every built-in rule declares the resource types it reads (``resource_types`` and
``reads``): run over every fixture, no check looks at a resource of another type
through its context.  (Reading only what the rules read depends on it.)"""

from __future__ import annotations

import collections
import dataclasses
from pathlib import Path

import pytest

from rdspolicy import rule as R
from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules

ROOT = Path(__file__).resolve().parent.parent
_LOOK_UPS = ("of_type", "in_order", "named", "get", "referenced", "with_value", "referring_to")


def _observed(monkeypatch) -> tuple[list[R.Rule], dict[str, set[str]]]:
    """The rules, wrapped so that every resource their checks get back from the
    context is noted under the rule's id."""
    seen: dict[str, set[str]] = collections.defaultdict(set)
    running: list[str] = []
    depth = [0]  # what a look-up asks of the others inside it is not what the check gets

    def noting(name):
        real = getattr(R.Context, name)

        def look_up(self, *args, **kwargs):
            depth[0] += 1
            try:
                found = real(self, *args, **kwargs)
            finally:
                depth[0] -= 1
            if depth[0] == 0:
                for resource in (found if isinstance(found, list) else [found] if found is not None else []):
                    seen[running[-1]].add(resource.type)
            return found
        return look_up

    for name in _LOOK_UPS:
        monkeypatch.setattr(R.Context, name, noting(name))

    def wrapped(rule: R.Rule) -> R.Rule:
        def checked(resource, ctx):
            running.append(rule.id)
            try:
                return list(rule.check(resource, ctx))
            finally:
                running.pop()
        return dataclasses.replace(rule, check=checked)

    return [wrapped(r) for r in load_rules().rules], seen


def test_every_rule_reads_only_the_types_it_declares(monkeypatch):
    rules, seen = _observed(monkeypatch)
    check(Options(paths=[str(ROOT / "fixtures")], settings=Settings(root_dir=str(ROOT)), cache=False, jobs=1),
          rules)
    assert len(seen) >= 5  # the look-ups were seen (the test can fail)
    undeclared = {rule.id: sorted(seen[rule.id] - set(rule.types_read)) for rule in rules
                  if seen[rule.id] - set(rule.types_read)}
    assert undeclared == {}


def test_types_read_joins_both_declarations_once():
    rule = next(r for r in load_rules().rules if r.id == "RDS006")
    assert rule.types_read[:len(rule.resource_types)] == rule.resource_types
    assert set(rule.types_read) == set(rule.resource_types) | set(rule.reads)
    assert len(rule.types_read) == len(set(rule.types_read))


def test_reads_must_be_type_names():
    rule = load_rules().rules[0]
    with pytest.raises(ValueError, match="reads must be a tuple of resource type names"):
        dataclasses.replace(rule, reads="aws_db_instance")
