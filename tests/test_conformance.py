"""Conformance with Terraform itself.

Every ``output`` of ``tests/conformance/config/*.tf`` is a case: rdspolicy evaluates its
value and compares it with what Terraform 1.11 planned for it, recorded in
``tests/conformance/expected.json`` by ``tests/conformance/regenerate.py``.

Agreement means the same value.  Where Terraform's plan leaves a value (or part of it)
unknown, rdspolicy agrees by leaving it unknown too, or by knowing it, when the case
says what the value is whatever the unknown turns out to be: a comment
``# rdspolicy knows: <JSON>`` on the line above the case.  rdspolicy may know more than
Terraform's plan, never less and never something different.

The cases where rdspolicy and Terraform disagree are listed, with the reason, in
``tests/conformance/DISAGREEMENTS.md``, and the README states the figure: both are
checked here.  When a ``terraform`` binary is on the PATH, one more test plans the
cases with it and checks the recording is still what Terraform computes.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from rdspolicy.errors import SourceError
from rdspolicy.evaluate.declarations import declarations
from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.module import ModuleEvaluation
from rdspolicy.evaluate.values import Unknown
from rdspolicy.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "conformance"
CONFIG = HERE / "config"
sys.path.insert(0, str(HERE))
import regenerate  # noqa: E402

UNKNOWN = regenerate.UNKNOWN
# The target: at least 99% of the cases agree (what is left: DISAGREEMENTS.md).
MINIMUM_AGREEMENT = 0.99
KNOWS = re.compile(r'^# rdspolicy knows: (.*)\noutput "([^"]+)"', re.M)
LISTED = re.compile(r"^\| `([a-z]+_\d+)` \|", re.M)


def _plain(value: Any) -> Any:
    """An rdspolicy value in the recording's form (unknowns as UNKNOWN)."""
    if isinstance(value, Unknown):
        return dict(UNKNOWN)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=1)
def rdspolicy_results() -> dict[str, Any]:
    files, results = [], {}
    for path in sorted(CONFIG.glob("*.tf")):
        try:
            files.append(parse_file(str(path)))
        except SourceError as exc:  # every case of the file disagrees
            for name in re.findall(r'^output "([^"]+)"', path.read_text(encoding="utf-8"), re.M):
                results[name] = f"rdspolicy cannot parse {path.name}: {exc}"
    decls = declarations(".", files)
    diagnostics: list = []
    ev = ModuleEvaluation(decls, {}, FunctionContext(str(CONFIG), str(CONFIG)), diagnostics)
    for file in files:
        for block in file.body.blocks:
            if block.type == "output":
                results[block.labels[0]] = _plain(ev.eval_in(file.path, block.body.attributes["value"].expr))
    return results


def reasoned() -> dict[str, Any]:
    """The ``# rdspolicy knows:`` values of the cases Terraform's plan leaves unknown."""
    out = {}
    for path in CONFIG.glob("*.tf"):
        for text, name in KNOWS.findall(path.read_text(encoding="utf-8")):
            out[name] = json.loads(text)
    return out


def _is_unknown(value: Any) -> bool:
    return value == UNKNOWN


def same(expected: Any, actual: Any) -> bool:
    """Terraform's recorded value and rdspolicy's are the same value (unknown parts
    included: an unknown part matches only an unknown part)."""
    if _is_unknown(expected) or _is_unknown(actual):
        return _is_unknown(expected) and _is_unknown(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    return type(expected) is type(actual) and expected == actual


def _has_unknown(value: Any) -> bool:
    if _is_unknown(value):
        return True
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    return False


def agrees(expected: Any, actual: Any, knows: Any = None) -> bool:
    """rdspolicy agrees with Terraform on one case."""
    if same(expected, actual):
        return True
    # rdspolicy knows (part of) what Terraform's plan leaves unknown: only the reasoned
    # value of the case counts, and it must fit Terraform's known parts
    return knows is not None and _has_unknown(expected) and same(knows, actual) and _fits(expected, knows)


def _fits(expected: Any, knows: Any) -> bool:
    if _is_unknown(expected):
        return True
    if isinstance(expected, list) and isinstance(knows, list):
        return len(expected) == len(knows) and all(_fits(e, k) for e, k in zip(expected, knows))
    if isinstance(expected, dict) and isinstance(knows, dict):
        return expected.keys() == knows.keys() and all(_fits(expected[k], knows[k]) for k in expected)
    return same(expected, knows)


def compare(expected_cases: dict[str, Any]) -> tuple[int, dict[str, tuple[Any, Any]]]:
    actual = rdspolicy_results()
    knows = reasoned()
    assert actual.keys() == expected_cases.keys(), "the recording does not have the cases of config/ (regenerate)"
    disagreements = {
        name: (expected_cases[name], actual[name])
        for name in sorted(expected_cases)
        if not agrees(expected_cases[name], actual[name], knows.get(name))
    }
    return len(expected_cases), disagreements


def recorded() -> dict[str, Any]:
    return json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["cases"]


def test_the_comparison_is_strict():
    assert agrees([1, UNKNOWN], [1, UNKNOWN])
    assert not agrees(1, "1") and not agrees(True, 1) and not agrees([1], [1, 2])
    assert not agrees(UNKNOWN, "x")  # knowing more needs a reasoned value
    assert agrees(UNKNOWN, "x", "x") and not agrees(UNKNOWN, "y", "x")
    assert not agrees("x", UNKNOWN)  # knowing less is a disagreement
    assert not agrees({"a": 1, "b": UNKNOWN}, {"a": 2, "b": 1}, {"a": 2, "b": 1})  # must fit the known part


def test_there_are_hundreds_of_cases_across_the_forms():
    cases = recorded()
    assert len(cases) >= 500
    families = {name.rsplit("_", 1)[0] for name in cases}
    assert {"op", "ex", "for", "tpl", "heredoc", "null", "unk", "str", "re", "coll", "num", "type",
            "enc", "cidr", "file"} <= families
    assert sum(1 for v in cases.values() if _has_unknown(v)) >= 50


def test_rdspolicy_agrees_with_the_recorded_terraform_results():
    total, disagreements = compare(recorded())
    listed = set(LISTED.findall((HERE / "DISAGREEMENTS.md").read_text(encoding="utf-8")))
    unlisted = {k: v for k, v in disagreements.items() if k not in listed}
    assert not unlisted, "disagreements not listed in tests/conformance/DISAGREEMENTS.md:\n" + "\n".join(
        f"{k}: terraform {json.dumps(e)}, rdspolicy {json.dumps(a)}" for k, (e, a) in unlisted.items())
    stale = listed - set(disagreements)
    assert not stale, f"DISAGREEMENTS.md lists cases that now agree: {sorted(stale)}"
    assert (total - len(disagreements)) / total >= MINIMUM_AGREEMENT


def test_the_readme_states_the_conformance_figure():
    total, disagreements = compare(recorded())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figure = re.search(r"agrees\s+with\s+Terraform\s+1\.11\s+on\s+(\d+)\s+of\s+(\d+)\s+conformance\s+cases", readme)
    assert figure, "the README must state the conformance figure"
    assert (int(figure.group(1)), int(figure.group(2))) == (total - len(disagreements), total)


@pytest.mark.skipif(shutil.which("terraform") is None,
                    reason="no terraform binary on the PATH: the recorded results are used instead")
def test_terraform_still_computes_the_recorded_results():
    fresh = regenerate.terraform_results(shutil.which("terraform"))
    old = recorded()
    changed = sorted(k for k in set(fresh) | set(old) if fresh.get(k) != old.get(k))
    assert not changed, f"Terraform now computes other values for {changed}: run tests/conformance/regenerate.py"
    total, disagreements = compare(fresh)
    assert (total - len(disagreements)) / total >= MINIMUM_AGREEMENT
