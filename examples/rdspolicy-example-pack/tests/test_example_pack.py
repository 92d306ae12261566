"""The example pack's rules, run through rdspolicy's own pipeline."""

from __future__ import annotations

import textwrap

import pytest

from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check

import rdspolicy_example_pack
from rdspolicy_example_pack.kms_rotation import RULE as KMS_ROTATION
from rdspolicy_example_pack.required_tags import RULE as REQUIRED_TAGS

KEY = """
resource "aws_kms_key" "db" {
  description = "database key"
  %s
}
"""

DB = """
variable "environment" {
  default = "%s"
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = %s
  tags = {
    %s
  }
}
"""

ALL_TAGS = 'Project = "pacs"\n    Environment = "x"\n    Purpose = "archive"'


def run(tmp_path, text: str, rules, params=None):
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    options = Options(paths=[str(tmp_path)], settings=Settings(env={}, root_dir=str(tmp_path)))
    if params:  # as the configuration sets them: rule "EXM001" { required_tags = [...] }
        rules = [rule.configured(params=params) for rule in rules]
    report = check(options, rules)
    assert not report.has_errors, report.diagnostics
    return [(f.rule, f.status, f.message) for f in report.findings]


def test_the_hook_returns_both_rules():
    assert [r.id for r in rdspolicy_example_pack.rdspolicy_rules()] == ["EXM001", "EXM002"]


def test_missing_tags_are_named(tmp_path):
    found = run(tmp_path, DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', 'Project = "pacs"'),
                [REQUIRED_TAGS])
    assert found == [("EXM001", "fail", "missing required tag(s): Environment, Purpose")]


def test_all_tags_pass_and_the_list_is_a_parameter(tmp_path):
    text = DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', ALL_TAGS)
    assert run(tmp_path, text, [REQUIRED_TAGS]) == []
    found = run(tmp_path, text, [REQUIRED_TAGS], {"required_tags": ["CostCentre"]})
    assert found == [("EXM001", "fail", "missing required tag(s): CostCentre")]


@pytest.mark.parametrize("rotation, env, expected", [
    ("", "production", [("EXM002", "fail")]),
    ("enable_key_rotation = false", "production", [("EXM002", "fail")]),
    ("enable_key_rotation = true", "production", []),
    ("", "development", []),  # production databases only
])
def test_rotation_follows_kms_key_id_to_the_key(tmp_path, rotation, env, expected):
    found = run(tmp_path, KEY % rotation + DB % (env, "aws_kms_key.db.arn", ALL_TAGS), [KMS_ROTATION])
    assert [(r, s) for r, s, _ in found] == expected
    if expected:
        assert "aws_kms_key.db does not rotate" in found[0][2]


def test_a_key_outside_the_module_is_unknown(tmp_path):
    found = run(tmp_path, DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', ALL_TAGS), [KMS_ROTATION])
    assert [(r, s) for r, s, _ in found] == [("EXM002", "unknown")]


@pytest.mark.parametrize("rule", [REQUIRED_TAGS, KMS_ROTATION], ids=lambda r: r.id)
def test_documented_examples_are_true(tmp_path, rule):
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    assert run(tmp_path / "bad", rule.noncompliant, [rule])
    assert run(tmp_path / "good", rule.compliant, [rule]) == []
