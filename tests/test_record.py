"""The small classes made without @dataclass (rdspolicy.record.Record, for start-up
time) show, compare and hash as the dataclasses they replace."""

from __future__ import annotations

import dataclasses

import pytest

from rdspolicy.config import Config, RawFile, Setting
from rdspolicy.discover import ModuleDir
from rdspolicy.evaluate import Environment, ModuleResult, Settings
from rdspolicy.pipeline import Options, _Results
from rdspolicy.plugins import LoadedRules
from rdspolicy.record import Record
from rdspolicy.rule import Context
from rdspolicy.suppress import Directive
from rdspolicy_rules._rds import Origin
from rdspolicy_rules._rds import ParameterSetting

MADE = [
    ModuleDir("db"), ModuleDir("db", ["db/main.tf"], ["db/terraform.tfvars"], ["db/envs/prod.tfvars"]),
    Directive("main.tf", 3, 1, ["RDS001"]), Directive("main.tf", 3, 1, ["RDS001"], "why", "2030-01-01", ["p"], [(3, 4)]),
    LoadedRules([]), LoadedRules([], {"RDS001": "builtin"}, ["broken"]),
    Setting(["prod"], "default"), Setting(["x"], ".rdspolicy.hcl:2", "/repo"),
    RawFile(".rdspolicy.hcl", True), Config({}, {}), Config({}, {}, [], True, {"RDS001": {}}),
    Settings(env={}), Settings(["a.tfvars"], ["x=1"], [("var", "x=1")], "prod", {"A": "1"}, "/r", frozenset(), ()),
    Environment("prod", [], [], None), ModuleResult("db", [], []),
    Context("prod", True, [], {"postgres_major": 16}),
    Origin("own"), ParameterSetting("set", "1", None, "aws_db_parameter_group.pg"),
    Options(["db"], Settings(env={})), Options(["db"], Settings(env={}), True, None, ("envs",), True, False, 2,
                                              "2026-12-01"),
    _Results(),
]


def _twin(made: Record):
    """The dataclass ``made`` replaces, with its values."""
    shown = made._fields if made._repr_fields is None else made._repr_fields
    cls = dataclasses.make_dataclass(type(made).__qualname__, [
        (name, object, dataclasses.field(repr=name in shown)) for name in made._fields])
    return cls(*(getattr(made, name) for name in made._fields))


@pytest.mark.parametrize("made", MADE, ids=lambda m: type(m).__qualname__)
def test_records_show_and_compare_as_dataclasses(made):
    twin = _twin(made)
    assert repr(made) == repr(twin)
    same = type(made).__new__(type(made))
    same.__dict__.update(made.__dict__)
    assert made == same and not made != same
    assert made != twin and made != 1  # another class is never equal
    with pytest.raises(TypeError):
        hash(made)


def test_defaults_are_new_objects_each_time():
    assert ModuleDir("a").tf_files is not ModuleDir("a").tf_files
    assert Settings().env is not Settings().env
    assert ModuleDir("a") != ModuleDir("b")


def test_a_record_holding_itself_shows_as_a_dataclass_does():
    loaded = LoadedRules([])
    loaded.errors.append(loaded)
    assert repr(loaded) == "LoadedRules(rules=[], packs={}, errors=[...])"
