"""--framework runs the rules mapped to a framework's controls; --as-of fixes the date
engine support is judged on; the master password never appears in any output."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from rdspolicy import cli
from rdspolicy.plugins import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules().rules


def _json(args, tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    monkeypatch.chdir(ROOT)
    code = cli.run(["check", *args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("framework, prefix", [("hipaa", "HIPAA "), ("fsbp", "FSBP "), ("cis", "CIS ")])
def test_framework_selects_the_rules_mapped_to_it(framework, prefix, tmp_path, monkeypatch):
    code, data = _json(["fixtures/pacs", "--framework", framework, "--as-of", "2026-11-27"], tmp_path, monkeypatch)
    assert code == 1
    expected = sorted(r.id for r in RULES if any(c.startswith(prefix) for c in r.controls))
    assert data["summary"]["rules"] == expected
    assert 0 < len(expected) <= len(RULES)
    assert {f["rule"] for f in data["findings"]} <= set(expected)


def test_cis_is_a_strict_subset():
    cis = {r.id for r in RULES if r.in_framework("cis")}
    assert cis == {"RDS001", "RDS008", "RDS017", "RDS020"}
    assert all(r.in_framework("hipaa") for r in RULES)  # every built-in rule supports a HIPAA control


def test_unknown_framework_is_a_usage_error(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.run(["check", "fixtures/pacs", "--framework", "sox"]) == 2


def _write(tmp_path, text):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.mark.parametrize("as_of, failing", [("2026-02-28", False), ("2026-03-01", True)])
def test_as_of_decides_the_end_of_standard_support(as_of, failing, tmp_path, monkeypatch, capsys):
    folder = _write(tmp_path, """\
        resource "aws_db_instance" "db" {
          engine         = "postgres"
          engine_version = "13.15"
          instance_class = "db.t4g.micro"
        }
        """)
    monkeypatch.chdir(tmp_path)
    cli.run(["check", str(folder.name), "--as-of", as_of])
    out = capsys.readouterr().out
    assert ("RDS020" in out) is failing, out
    if failing:
        assert "ended on 2026-02-28 (checked as of 2026-03-01)" in out


def test_bad_as_of_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli.run(["check", "fixtures/pacs", "--as-of", "next tuesday"]) == 2
    assert "--as-of" in capsys.readouterr().err


SECRET = "Pacs-Super-Secret-41"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_password_is_never_printed(fmt, tmp_path, monkeypatch, capsys):
    folder = _write(tmp_path, f"""\
        variable "db_password" {{
          type    = string
          default = "{SECRET}"
        }}

        locals {{
          cluster_password = "{SECRET}-cluster"
        }}

        resource "aws_db_instance" "literal" {{
          engine         = "postgres"
          engine_version = "16.3"
          instance_class = "db.t4g.micro"
          password       = "{SECRET}"
        }}

        resource "aws_db_instance" "from_variable" {{
          engine         = "postgres"
          engine_version = "16.3"
          instance_class = "db.t4g.micro"
          password       = var.db_password
        }}

        resource "aws_rds_cluster" "aurora" {{
          engine          = "aurora-postgresql"
          engine_version  = "16.4"
          master_password = local.cluster_password
        }}
        """)
    monkeypatch.chdir(tmp_path)
    assert cli.run(["check", folder.name, "--format", fmt]) == 1
    captured = capsys.readouterr()
    assert "RDS019" in captured.out
    assert SECRET not in captured.out + captured.err


def test_rules_json_lists_each_rules_controls(capsys):
    assert cli.run(["rules", "--format", "json"]) == 0
    listed = {r["id"]: r["controls"] for r in json.loads(capsys.readouterr().out)}
    assert listed == {r.id: list(r.controls) for r in RULES}
    assert listed["RDS001"] == ["HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3", "FSBP RDS.27", "CIS 2.3.1"]


@pytest.mark.parametrize("framework, prefix", [("hipaa", "HIPAA "), ("cis", "CIS ")])
def test_framework_limits_the_matrix_rows_to_its_controls(framework, prefix, tmp_path, monkeypatch):
    out = tmp_path / "report.md"
    monkeypatch.chdir(ROOT)
    code = cli.run(["check", "fixtures/pacs", "--framework", framework, "--as-of", "2026-11-27",
                    "--format", "markdown", "--output", str(out)])
    assert code == 1
    text = out.read_text(encoding="utf-8")
    controls = {c for r in RULES for c in r.controls}
    shown = {c for c in controls if f"| {c} |" in text or f"| `{c}` |" in text or f"| {c} " in text}
    assert shown and all(c.startswith(prefix) for c in shown), sorted(shown)
