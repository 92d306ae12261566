"""Every rule documents itself, and its documentation is true: the noncompliant
example fails the rule, the compliant one does not.  Rule ids and names are part of
the interface and are pinned here."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from rdspolicy.plugins import BUILTIN_PACK, load_rules
from rdspolicy.rule import SEVERITIES
from rdspolicy.testing import check

CONTRACT = {
    "RDS001": "storage-encrypted",
    "RDS002": "customer-managed-key",
    "RDS003": "multi-az-production",
    "RDS004": "deletion-protection",
    "RDS005": "backup-retention",
    "RDS006": "security-group-scope",
    "RDS007": "postgres16-parameter-family",
    "RDS008": "not-publicly-accessible",
    "RDS009": "ssl-connections-required",
    "RDS010": "no-phi-in-statement-logs",
    "RDS011": "connection-auditing",
    "RDS012": "log-export-cloudwatch",
    "RDS013": "iam-database-authentication",
    "RDS014": "performance-insights-customer-key",
    "RDS015": "enhanced-monitoring-production",
    "RDS016": "final-snapshot-production",
    "RDS017": "kms-key-rotation",
    "RDS018": "snapshot-not-public",
    "RDS019": "master-password-not-in-code",
    "RDS020": "engine-version-supported",
    "RDS021": "egress-not-open",
}

LOADED = load_rules()
RULES = LOADED.rules


def test_rules_load_without_errors() -> None:
    assert LOADED.errors == []


def test_ids_and_names_are_the_contract() -> None:
    builtin = {r.id: r.name for r in RULES if LOADED.packs.get(r.id) == BUILTIN_PACK}
    assert builtin == CONTRACT


def _module(rule):
    return sys.modules[rule.check.__module__]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule) -> None:
    assert re.fullmatch(r"[A-Z][A-Z0-9]*[0-9]{3}", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.severity in SEVERITIES
    assert rule.summary.strip() and "\n" not in rule.summary.strip()
    assert rule.rationale.strip()
    doc = _module(rule).__doc__ or ""
    assert re.search(r"^\s*Why\s*$", doc, re.MULTILINE), f"{rule.id}: the module docstring has no 'Why' section"
    why = doc.split("Why", 1)[1].strip()
    assert len(why) > 40, f"{rule.id}: the 'Why' section is empty"
    assert rule.resource_types


@pytest.mark.parametrize("rule", [r for r in RULES if LOADED.packs.get(r.id) == BUILTIN_PACK],
                         ids=lambda r: r.id)
def test_builtin_module_is_named_after_the_rule(rule) -> None:
    module = _module(rule)
    assert Path(module.__file__).stem == rule.name.replace("-", "_")
    assert module.__name__ == f"{BUILTIN_PACK}.{rule.name.replace('-', '_')}"
    assert module.RULE is rule


# "HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3", "CIS 2.3.1" (see docs/controls.md)
_CONTROL = re.compile(r"^(HIPAA 164\.(308|310|312|314|316)(\([A-Za-z0-9]+\))+|FSBP [A-Za-z0-9]+\.[0-9]+|CIS [0-9]+(\.[0-9]+)+)$")


@pytest.mark.parametrize("rule", [r for r in RULES if LOADED.packs.get(r.id) == BUILTIN_PACK],
                         ids=lambda r: r.id)
def test_builtin_rule_maps_controls_and_cites_them(rule) -> None:
    assert rule.controls, f"{rule.id} lists no controls"
    assert len(set(rule.controls)) == len(rule.controls)
    why = " ".join(rule.rationale.split())
    for control in rule.controls:
        assert _CONTROL.match(control), f"{rule.id}: {control!r} is not in the documented format"
        framework, ident = control.split(" ", 1)
        # cited in the rule's documentation: HIPAA sections by number, FSBP and CIS ids by id
        assert ident in why, (
            f"{rule.id}: control {control} is not cited in its rationale")


def _check_example(tmp_path: Path, text: str):
    folder = tmp_path / "example"
    folder.mkdir()
    (folder / "main.tf").write_text(text, encoding="utf-8")
    report = check(folder, RULES, allow_errors=True).report
    problems = [f"{d.location()}: {d.severity}: {d.message}" for d in report.diagnostics]
    assert not problems, "the example is not clean Terraform:\n" + "\n".join(problems)
    return report


def _show(findings) -> str:
    return "\n".join(f"  {f.line}: {f.rule} {f.status} [{f.environment}] {f.resource}: {f.message}"
                     for f in findings) or "  (none)"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_noncompliant_example_fails(rule, tmp_path: Path) -> None:
    report = _check_example(tmp_path, rule.noncompliant)
    failing = [f for f in report.findings if f.rule == rule.id and f.status == "fail"]
    assert failing, (f"{rule.id}'s noncompliant example gives no failing finding of {rule.id}; "
                     f"its findings:\n{_show(report.findings)}")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_compliant_example_passes(rule, tmp_path: Path) -> None:
    report = _check_example(tmp_path, rule.compliant)
    own = [f for f in report.findings if f.rule == rule.id]
    assert not own, f"{rule.id}'s compliant example gives findings of {rule.id}:\n{_show(own)}"
    assert report.passed > 0


def test_controls_doc_lists_every_rules_controls() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "controls.md").read_text(encoding="utf-8")
    for rule in RULES:
        if LOADED.packs.get(rule.id) != BUILTIN_PACK:
            continue
        row = re.search(rf"^\| {rule.id} \| {rule.name} \| {rule.severity} \|(.*)\|$", doc, re.M)
        assert row, f"docs/controls.md has no row for {rule.id}"
        cells = [c.strip() for c in row.group(1).split("|")]
        listed = {c for cell in cells for c in cell.split(", ") if c}
        assert listed == set(rule.controls), (rule.id, listed, rule.controls)
        for control in rule.controls:
            framework, ident = control.split(" ", 1)
            if framework in ("FSBP", "CIS"):
                assert re.search(rf"^- {re.escape(ident)} ", doc, re.M), f"{control} is not explained"
