"""Baselines: --write-baseline records today's findings by rule, file, resource and
environment; --baseline reports only new ones and the ones that are gone as fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from samples import CLEAN, UNENCRYPTED, write

ROOT = Path(__file__).resolve().parent.parent


def test_pacs_baseline_then_one_new_unencrypted_instance(work, rds):
    shutil.copytree(ROOT / "fixtures" / "pacs", work / "pacs")
    total = len(rds("check", "pacs", "--format", "json").findings())
    assert total > 0
    first = rds("check", "pacs", "--write-baseline", ".rdspolicy-baseline.json")
    # a CI step that creates the baseline succeeds and says what it did in one line
    assert first.code == 0, first
    data = json.loads((work / ".rdspolicy-baseline.json").read_text())
    assert sum(e["count"] for e in data["findings"]) == total
    assert first.out == (f"rdspolicy: recorded {total} findings in .rdspolicy-baseline.json "
                         f"({len(data['findings'])} entries)\n")

    again = rds("check", "pacs", "--baseline", ".rdspolicy-baseline.json")
    assert again.code == 0, again.out
    assert again.out.strip().splitlines()[-1].startswith(f"0 failing, 0 unknown, {total} suppressed,")

    # compliant in every other way
    new_instance = CLEAN.replace('"db"', '"scratch"').replace("storage_encrypted       = true",
                                                             "storage_encrypted       = false")
    write(work, {"pacs/new.tf": new_instance})
    # lines move (a file is edited above the findings): still not new
    security = work / "pacs" / "rds-security.tf"
    security.write_text("\n\n\n" + security.read_text(encoding="utf-8"), encoding="utf-8")
    result = rds("check", "pacs", "--baseline", ".rdspolicy-baseline.json", "--format", "json")
    assert result.code == 1
    new = [f for f in result.findings() if f["suppression"] is None]
    # one per environment: the tfvars of pacs make three
    assert {(f["rule"], f["resource"], f["file"]) for f in new} == {
        ("RDS001", "aws_db_instance.scratch", "pacs/new.tf")}
    assert len(new) == 3 and {f["environment"] for f in new} == {"development", "staging", "production"}
    assert all(f["suppression"] == {"kind": "external", "reason": "baseline", "until": None,
                                    "file": ".rdspolicy-baseline.json", "line": None}
               for f in result.findings() if f["suppression"])
    assert result.json()["fixed"] == []


def test_fixed_findings_are_reported(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    rds("check", "db", "--write-baseline", "base.json")
    write(work, {"db/main.tf": CLEAN})
    result = rds("check", "db", "--baseline", "base.json")
    assert result.code == 0
    assert "db/main.tf: fixed: RDS001 aws_db_instance.db (default) is in the baseline but no longer found" in result.out
    assert ", 1 fixed," in result.out
    data = rds("check", "db", "--baseline", "base.json", "--format", "json").json()
    assert data["fixed"] == [{"rule": "RDS001", "file": "db/main.tf", "resource": "aws_db_instance.db",
                              "environment": "default", "count": 1}]


def test_the_file_is_stable_sorted_json_relative_to_itself(work, rds, monkeypatch):
    write(work, {"b/main.tf": UNENCRYPTED, "a/main.tf": UNENCRYPTED})
    (work / "out").mkdir()
    rds("check", "b", "a", "--write-baseline", "out/base.json")
    text = (work / "out" / "base.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert [e["file"] for e in data["findings"]] == ["../a/main.tf", "../b/main.tf"]
    assert set(data["findings"][0]) == {"rule", "name", "file", "resource", "environment", "count"}
    # the same from another folder
    monkeypatch.chdir(work / "out")
    rds("check", "../a", "../b", "--write-baseline", "again.json")
    assert (work / "out" / "again.json").read_text() == text
    assert rds("check", "../a", "../b", "--baseline", "base.json").code == 0


def test_a_bad_baseline_is_a_usage_error(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED, "bad.json": "{", "other.json": '{"findings": 3}'})
    for name in ("bad.json", "other.json", "missing.json"):
        result = rds("check", "db", "--baseline", name)
        assert result.code == 2 and name in result.err, result
