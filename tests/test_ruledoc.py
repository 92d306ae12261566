"""Rule documentation: docs/rules.md is what `rdspolicy rules --format markdown` writes
(regenerate it with that command), and `rdspolicy explain` prints a rule's whole story
with the parameter values in force."""

from __future__ import annotations

from pathlib import Path

from rdspolicy.plugins import load_rules
from rdspolicy.ruledoc import markdown
from samples import write

ROOT = Path(__file__).resolve().parent.parent


def test_committed_rule_reference_is_up_to_date():
    loaded = load_rules(entry_points=False)  # the built-in rules only, whatever else is installed
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(loaded.rules, loaded.packs), \
        "docs/rules.md is stale: run `rdspolicy rules --format markdown > docs/rules.md`"


def test_readme_links_to_the_reference():
    assert "(docs/rules.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_rules_markdown_command(work, rds):
    result = rds("rules", "--format", "markdown")
    assert result.code == 0
    assert result.out.startswith("# Rule reference\n")
    for rule in load_rules().rules:
        assert f"## {rule.id} {rule.name}\n" in result.out


def test_explain_shows_everything_with_configured_values(work, rds):
    result = rds("explain", "RDS005")
    assert result.code == 0, result
    rule = next(r for r in load_rules().rules if r.id == "RDS005")
    for part in ("RDS005 backup-retention", "Why", rule.rationale.split()[0], "What it checks",
                 "aws_db_instance", "Parameters", "backup_retention_minimum = { production = 7, default = 1 }  (default)",
                 "Noncompliant", "Compliant", 'backup_retention_period = var.environment == "production" ? 30 : 1',
                 "Controls"):
        assert part in result.out, part
    write(work, {".rdspolicy.hcl": 'rule "RDS005" {\n  backup_retention_minimum = { production = 30 }\n  severity = "high"\n}\n'})
    result = rds("explain", "backup-retention")
    assert "backup_retention_minimum = { production = 30 }  (.rdspolicy.hcl:2)" in result.out
    assert "Severity: high (from .rdspolicy.hcl:3; default medium)" in result.out


def test_explain_unknown_rule(work, rds):
    result = rds("explain", "RDS999")
    assert result.code == 2 and "explain RDS999: no rule has this id or name" in result.err
