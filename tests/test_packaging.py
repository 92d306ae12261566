"""Packaging: the wheel, installed into a fresh virtual environment, is a working
``rdspolicy`` that finds its built-in rules outside the source tree and keeps
python-hcl2's grammar cache out of site-packages.

This is the slow test of the suite (a wheel build and a venv install, about a minute
without pip's cache, seconds with it); dependencies come from the package index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rdspolicy import cli

pytestmark = pytest.mark.slow  # builds the wheel and installs it into a new virtual environment

ROOT = Path(__file__).resolve().parent.parent
PIP_QUIET = ["--disable-pip-version-check", "--no-input", "-q"]


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("timeout", 600)
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    return proc


def _checked(args, **kwargs) -> subprocess.CompletedProcess:
    proc = _run(args, **kwargs)
    assert proc.returncode == 0, f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TF_VAR_", "PYTHON", "RDSPOLICY_", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """Build the wheel from a copy of the sources and install it into a new venv."""
    base = tmp_path_factory.mktemp("packaging")
    source = base / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)

    wheels = base / "wheels"
    _checked([sys.executable, "-m", "pip", "wheel", *PIP_QUIET, "--no-deps", "-w", wheels, source],
             env=_clean_env())
    (wheel,) = wheels.glob("rdspolicy-*.whl")

    venv = base / "venv"
    _checked([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    _checked([python, "-m", "pip", "install", *PIP_QUIET, wheel], env=_clean_env())

    work = base / "work"  # outside the source tree
    shutil.copytree(ROOT / "fixtures" / "pacs", work / "pacs")
    hcl2_dir = Path(_checked([python, "-c", "import hcl2, os; print(os.path.dirname(hcl2.__file__))"],
                             cwd=work, env=_clean_env()).stdout.strip())
    return {"venv": venv, "python": python, "rdspolicy": venv / "bin" / "rdspolicy", "work": work,
            "wheel": wheel, "hcl2": hcl2_dir, "base": base}


def _lark_caches(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".lark_cache"))


def test_wheel_contents(installed):
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for module in ("rdspolicy/cli.py", "rdspolicy/evaluate/functions/registry.py", "rdspolicy/report/json.py",
                   "rdspolicy_rules/__init__.py", "rdspolicy_rules/storage_encrypted.py",
                   "rdspolicy_rules/postgres16_parameter_family.py"):
        assert module in names
    assert not [n for n in names if n.startswith(("tests/", "fixtures/"))]


def test_installed_package_is_the_one_that_runs(installed):
    proc = _checked([installed["python"], "-c",
                     "import rdspolicy, rdspolicy_rules; print(rdspolicy.__file__); print(rdspolicy_rules.__file__)"],
                    cwd=installed["work"], env=_clean_env())
    for path in proc.stdout.split():
        assert Path(path).is_relative_to(installed["venv"]), path


def test_installed_check_on_pacs_outside_the_source_tree(installed, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert _lark_caches(installed["hcl2"]) == []  # the wheel of python-hcl2 ships none
    proc = _run([installed["rdspolicy"], "check", "pacs", "--format", "json"], cwd=installed["work"],
                env=_clean_env(RDSPOLICY_CACHE_DIR=str(cache)))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)

    # the same findings as the source tree's run, which tests/test_pacs.py checks line by line
    monkeypatch.chdir(ROOT / "fixtures")
    for name in [n for n in os.environ if n.startswith("TF_VAR_")]:
        monkeypatch.delenv(name)
    report = tmp_path / "source.json"
    assert cli.run(["check", "pacs", "--format", "json", "--output", str(report)]) == 1
    expected = json.loads(report.read_text(encoding="utf-8"))

    def key(f):
        return (f["rule"], f["resource"], f["environment"], f["file"], f["line"], f["column"], f["status"])

    assert sorted(map(key, data["findings"])) == sorted(map(key, expected["findings"]))
    assert len(data["findings"]) > 0
    assert {f["rule"] for f in data["findings"]} >= {"RDS001", "RDS002", "RDS003", "RDS004", "RDS005", "RDS007"}
    assert sorted(e["name"] for e in data["environments"]) == ["development", "production", "staging"]
    global_rds007 = [f for f in data["findings"]
                     if f["rule"] == "RDS007" and f["resource"] == "aws_rds_global_cluster.pacs_global"]
    assert sorted(f["environment"] for f in global_rds007) == ["development", "production", "staging"]
    assert all(f["file"] == "pacs/rds-high-availability.tf" for f in global_rds007)

    # nothing was written into site-packages; the compiled grammar came with the wheel
    # (so none was compiled into the cache folder), the parse cache, the root's results
    # and the file summaries went to RDSPOLICY_CACHE_DIR, with the folder's usage count
    assert _lark_caches(installed["hcl2"]) == []
    cached = list(cache.iterdir())
    assert sorted(p.name.split("-")[0] for p in cached) == ["index", "parse", "results", "usage"], cached

    # a second run reads the cache and gives the same report
    again = _run([installed["rdspolicy"], "check", "pacs", "--format", "json"], cwd=installed["work"],
                 env=_clean_env(RDSPOLICY_CACHE_DIR=str(cache)))
    assert again.returncode == 1
    assert sorted(map(key, json.loads(again.stdout)["findings"])) == sorted(map(key, data["findings"]))
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in cached)
    assert _lark_caches(installed["hcl2"]) == []


def test_default_cache_is_the_user_cache_folder(installed, tmp_path):
    # (the grammar comes with the wheel: the user cache holds it only when the installed
    # python-hcl2 or lark differ from the build's, tests/test_parse.py)
    xdg = tmp_path / "xdg"
    proc = _run([installed["rdspolicy"], "check", "pacs"], cwd=installed["work"],
                env=_clean_env(XDG_CACHE_HOME=str(xdg)))
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name.split("-")[0] for p in (xdg / "rdspolicy").iterdir()) == ["index", "parse", "results",
                                                                                   "usage"]
    assert _lark_caches(installed["hcl2"]) == []


def test_unwritable_cache_still_works(installed, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    proc = _run([installed["rdspolicy"], "check", "pacs"], cwd=installed["work"],
                env=_clean_env(RDSPOLICY_CACHE_DIR=str(blocker / "cache")))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _lark_caches(installed["hcl2"]) == []


def test_installed_rules_and_version(installed):
    proc = _run([installed["rdspolicy"], "rules"], cwd=installed["work"], env=_clean_env())
    assert proc.returncode == 0, proc.stderr
    ids = [line.split()[0] for line in proc.stdout.splitlines()]
    assert ids == [f"RDS{i:03d}" for i in range(1, 22)]
    proc = _run([installed["rdspolicy"], "--version"], cwd=installed["work"], env=_clean_env())
    assert proc.returncode == 0
    from importlib.metadata import version

    assert proc.stdout == f"rdspolicy {version('rdspolicy')}\n"


def test_the_version_is_written_once():
    import tomllib

    import rdspolicy

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rdspolicy.__version__"}
    from importlib.metadata import version

    assert version("rdspolicy") == rdspolicy.__version__


@pytest.mark.slow
def test_python_m_build_and_twine_check(tmp_path):
    """The sdist and the wheel build from a copy of the sources as PyPI users would get
    them, and twine finds their metadata (the README as the long description) valid."""
    import rdspolicy

    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    # without isolation: the build requirements are in the test extra (no second download)
    _checked([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", dist, source],
             env=_clean_env())
    built = sorted(p.name for p in dist.iterdir())
    assert built == [f"rdspolicy-{rdspolicy.__version__}-py3-none-any.whl", f"rdspolicy-{rdspolicy.__version__}.tar.gz"]
    checked = _checked([sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir())])
    assert checked.stdout.count("PASSED") == 2, checked.stdout
