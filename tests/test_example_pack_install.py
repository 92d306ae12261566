"""The example rule pack, pip-installed into a fresh virtual environment next to
rdspolicy, is discovered through its ``rdspolicy`` entry point: its rules are listed by
``rdspolicy rules`` and report findings.  Slow (two installs into a new venv), like
test_packaging.py."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from test_packaging import PIP_QUIET, _checked, _clean_env, _run

pytestmark = pytest.mark.slow  # installs rdspolicy and the pack into a new virtual environment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "rdspolicy-example-pack"


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("example-pack")
    source = base / "rdspolicy"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc", "build")
    for name in ("src", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pack = base / "pack"
    shutil.copytree(EXAMPLE, pack, ignore=ignore)
    env = base / "venv"
    _checked([sys.executable, "-m", "venv", env])
    python = env / "bin" / "python"
    _checked([python, "-m", "pip", "install", *PIP_QUIET, source, pack], env=_clean_env())
    work = base / "work"
    shutil.copytree(ROOT / "fixtures" / "pacs", work / "pacs")
    return {"rdspolicy": env / "bin" / "rdspolicy", "work": work, "xdg": base / "xdg"}


def test_pack_rules_are_listed(venv):
    proc = _run([venv["rdspolicy"], "rules", "--format", "json"], cwd=venv["work"],
                env=_clean_env(XDG_CONFIG_HOME=str(venv["xdg"])))
    assert proc.returncode == 0, proc.stderr
    packs = {r["id"]: r["pack"] for r in json.loads(proc.stdout)}
    assert packs["EXM001"] == packs["EXM002"] == "example"
    assert packs["RDS001"] == "rdspolicy_rules"


def test_pack_rules_report_findings(venv):
    proc = _run([venv["rdspolicy"], "check", "pacs", "--format", "json"], cwd=venv["work"],
                env=_clean_env(XDG_CONFIG_HOME=str(venv["xdg"])))
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    # the reference guide's databases carry Project and Environment tags, not Purpose
    tags = [f for f in findings if f["rule"] == "EXM001"]
    assert tags and all("missing required tag(s): Purpose" == f["message"] for f in tags)
    # pacs_encrypted uses aws_kms_key.rds, which does not set enable_key_rotation: in production only
    rotation = sorted((f["resource"], f["environment"], f["status"]) for f in findings if f["rule"] == "EXM002")
    assert rotation == [("aws_db_instance.pacs_encrypted", "production", "fail")]
