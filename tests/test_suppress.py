"""Inline suppressions: `# rdspolicy:ignore RULE reason="..." until=DATE` on the line, the
line above, or above a block; reasons required, expiry, unused ones; the text summary
and the JSON keep them."""

from __future__ import annotations

import pytest

from samples import EXTRAS, KEY_ARN, write

DB = """
resource "aws_db_instance" "db" {{
  engine                  = "postgres"
  engine_version          = "16.3"
  storage_encrypted       = true
  kms_key_id              = "{key}"
  deletion_protection     = true
  backup_retention_period = 7
  {multi_az}
""" + EXTRAS.replace("{", "{{").replace("}", "}}")  # what the rules from RDS008 on ask


def single_az(directive_line: str = "", above_block: str = "") -> str:
    """An instance that fails RDS003 (multi_az = false, line 8, or line 9 with a
    directive above the block) in production only."""
    text = (above_block + "\n" if above_block else "") + DB.format(key=KEY_ARN, multi_az="multi_az = false" +
                                                                     (f"  {directive_line}" if directive_line else ""))
    return text


def check(rds, *args):
    return rds("check", "db", "--environment", "production", *args)


def summary(result) -> str:
    return result.out.strip().splitlines()[-1]


def test_trailing_directive_suppresses_with_its_reason(work, rds):
    write(work, {"db/main.tf": single_az('# rdspolicy:ignore RDS003 reason="reporting replica, single-AZ accepted"')})
    result = check(rds)
    assert result.code == 0, result
    assert summary(result).startswith("0 failing, 0 unknown, 1 suppressed,"), result.out
    assert "RDS003" not in result.out.replace("suppressed", "")
    data = check(rds, "--format", "json").json()
    (finding,) = data["findings"]
    assert finding["rule"] == "RDS003"
    assert finding["suppression"] == {"kind": "inSource", "reason": "reporting replica, single-AZ accepted",
                                      "until": None, "file": "db/main.tf", "line": 8}
    assert data["summary"]["suppressed"] == 1 and data["summary"]["fail"] == 0


def test_without_the_directive_it_fails(work, rds):
    write(work, {"db/main.tf": single_az()})
    result = check(rds)
    assert result.code == 1 and "suppressed" not in summary(result), result


@pytest.mark.parametrize("text", [
    # the line above
    DB.format(key=KEY_ARN, multi_az='# rdspolicy:ignore RDS003 reason="accepted"\n  multi_az = false'),
    # stacked with another directive
    DB.format(key=KEY_ARN, multi_az='# rdspolicy:ignore RDS004 reason="x"\n  # rdspolicy:ignore RDS003 reason="ok"\n  multi_az = false'),
    # above the resource block: covers the whole block; the rule's name works as its id
    '# rdspolicy:ignore multi-az-production reason="accepted until the migration"\n' + DB.format(key=KEY_ARN, multi_az="multi_az = false").lstrip(),
    # several rules
    DB.format(key=KEY_ARN, multi_az='multi_az = false # rdspolicy:ignore RDS001, RDS003 reason="accepted"'),
    # a future expiry date
    DB.format(key=KEY_ARN, multi_az='multi_az = false # rdspolicy:ignore RDS003 reason="accepted" until=2999-03-31'),
    # on a line of its own inside the block, with a blank line before the code: the whole block
    DB.format(key=KEY_ARN, multi_az='# rdspolicy:ignore RDS003 reason="accepted"\n\n  multi_az = false'),
    # on a line of its own inside the block, below the finding's line: the whole block
    DB.format(key=KEY_ARN, multi_az='multi_az = false\n  # rdspolicy:ignore RDS003 reason="accepted"'),
    # the block's first line, where Checkov users write #checkov:skip
    DB.format(key=KEY_ARN, multi_az="multi_az = false").replace(
        '"db" {\n', '"db" {\n  # rdspolicy:ignore RDS003 reason="accepted"\n', 1),
    # after the block's opening brace
    DB.format(key=KEY_ARN, multi_az="multi_az = false").replace(
        '"db" {\n', '"db" { # rdspolicy:ignore RDS003 reason="accepted"\n', 1),
])
def test_where_a_directive_applies(work, rds, text):
    write(work, {"db/main.tf": text})
    result = check(rds, "--format", "json")
    assert result.code == 0, result
    assert [f["suppression"]["kind"] for f in result.findings()] == ["inSource"]


@pytest.mark.parametrize("text", [
    # a blank line between the directive and the block, outside it
    '# rdspolicy:ignore RDS003 reason="accepted"\n\n' + DB.format(key=KEY_ARN, multi_az="multi_az = false").lstrip(),
    # another rule
    DB.format(key=KEY_ARN, multi_az='multi_az = false # rdspolicy:ignore RDS004 reason="accepted"'),
    # after another argument: that argument's findings only
    DB.format(key=KEY_ARN, multi_az="multi_az = false").replace(
        'engine                  = "postgres"', 'engine = "postgres" # rdspolicy:ignore RDS003 reason="accepted"'),
    # inside another block
    'resource "aws_db_parameter_group" "pg" {\n  # rdspolicy:ignore RDS003 reason="accepted"\n  family = "postgres16"\n}\n'
    + DB.format(key=KEY_ARN, multi_az="multi_az = false"),
])
def test_where_a_directive_does_not_apply(work, rds, text):
    write(work, {"db/main.tf": text})
    result = check(rds, "--format", "json")
    assert result.code == 1
    (multi_az,) = [f for f in result.findings() if f["rule"] == "RDS003"]
    assert multi_az["suppression"] is None


def test_missing_reason_is_reported_and_does_not_suppress(work, rds):
    write(work, {"db/main.tf": single_az("# rdspolicy:ignore RDS003")})
    result = check(rds)
    assert result.code == 1, result
    assert "db/main.tf:8:21: warning: rdspolicy:ignore RDS003 has no reason, so it does not suppress" in result.out
    data = check(rds, "--format", "json").json()
    assert [d["code"] for d in data["diagnostics"]] == ["ignore-without-reason"]
    assert data["findings"][0]["suppression"] is None


def test_expired_stops_suppressing_and_says_so(work, rds):
    write(work, {"db/main.tf": single_az('# rdspolicy:ignore RDS003 reason="accepted" until=2020-01-31')})
    result = check(rds)
    assert result.code == 1, result
    assert "rdspolicy:ignore RDS003 expired on 2020-01-31 and no longer suppresses" in result.out
    assert "RDS003 multi-az-production" in result.out


def test_unused_is_reported_when_asked(work, rds):
    text = DB.format(key=KEY_ARN, multi_az='multi_az = true # rdspolicy:ignore RDS003 reason="accepted"')
    write(work, {"db/main.tf": text})
    assert "unused" not in check(rds).out
    result = check(rds, "--report-unused-ignores", "--format", "json")
    assert result.code == 0  # a warning
    assert [(d["code"], d["line"]) for d in result.json()["diagnostics"]] == [("ignore-unused", 8)]


def test_unknown_rule_and_bad_date_are_reported(work, rds):
    write(work, {"db/main.tf": single_az('# rdspolicy:ignore RDS999, RDS003 reason="x" until=soon')})
    result = check(rds, "--format", "json")
    assert result.code == 1
    assert sorted(d["code"] for d in result.json()["diagnostics"]) == ["ignore-invalid", "ignore-unknown-rule"]
