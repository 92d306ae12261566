"""The example pack's rules, run through rdspolicy's own pipeline with
rdspolicy.testing (see docs/plugins.md, "Testing a pack")."""

from __future__ import annotations

import textwrap

import pytest

from rdspolicy.testing import check_hcl

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


def run(text: str, rules, config=None):
    """(rule, status, message) of each finding."""
    result = check_hcl(textwrap.dedent(text), rules, config=config)
    return [(v.rule, v.status, v.message) for v in result.findings]


def test_the_hook_returns_both_rules():
    assert [r.id for r in rdspolicy_example_pack.rdspolicy_rules()] == ["EXM001", "EXM002"]


def test_missing_tags_are_named():
    found = run(DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', 'Project = "pacs"'),
                [REQUIRED_TAGS])
    assert found == [("EXM001", "fail", "missing required tag(s): Environment, Purpose")]


def test_all_tags_pass_and_the_list_is_a_parameter():
    text = DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', ALL_TAGS)
    assert run(text, [REQUIRED_TAGS]) == []
    found = run(text, [REQUIRED_TAGS], {"EXM001": {"required_tags": ["CostCentre"]}})
    assert found == [("EXM001", "fail", "missing required tag(s): CostCentre")]


@pytest.mark.parametrize("rotation, env, expected", [
    ("", "production", [("EXM002", "fail")]),
    ("enable_key_rotation = false", "production", [("EXM002", "fail")]),
    ("enable_key_rotation = true", "production", []),
    ("", "development", []),  # production databases only
])
def test_rotation_follows_kms_key_id_to_the_key(rotation, env, expected):
    found = run(KEY % rotation + DB % (env, "aws_kms_key.db.arn", ALL_TAGS), [KMS_ROTATION])
    assert [(r, s) for r, s, _ in found] == expected
    if expected:
        assert "aws_kms_key.db does not rotate" in found[0][2]


def test_a_key_outside_the_module_is_unknown():
    found = run(DB % ("production", '"arn:aws:kms:eu-west-1:1:key/x"', ALL_TAGS), [KMS_ROTATION])
    assert [(r, s) for r, s, _ in found] == [("EXM002", "unknown")]


@pytest.mark.parametrize("rule", [REQUIRED_TAGS, KMS_ROTATION], ids=lambda r: r.id)
def test_documented_examples_are_true(rule):
    assert run(rule.noncompliant, [rule])
    assert run(rule.compliant, [rule]) == []


def test_the_list_of_tags_is_a_parameter():  # the example in docs/plugins.md, "Testing a pack"
    text = 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  tags = { Project = "pacs" }\n}\n'
    result = check_hcl(text, REQUIRED_TAGS, config={"EXM001": {"required_tags": ["CostCentre"]}})
    assert [(v.rule, v.status, v.line, v.message) for v in result.findings] == [
        ("EXM001", "fail", 3, "missing required tag(s): CostCentre")]
