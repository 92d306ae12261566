"""Incremental results: a warm run, a run after an edit, --jobs 1 and --no-cache give
the report a cold run gives, byte for byte; what changed is evaluated again, what did
not is reused; runs at once never damage the shared cache folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rdspolicy import cache as C
from rdspolicy import pipeline
from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules
from rdspolicy.report import FORMATS, render

import samples

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = samples.CORPUS / "projects"
RULES = load_rules().rules


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("RDSPOLICY_CACHE_DIR", str(folder))
    monkeypatch.delenv(C.MAX_SIZE_VARIABLE, raising=False)
    return folder


@pytest.fixture
def evaluations(monkeypatch):
    """The root modules evaluated (not reused) by each run, in order."""
    seen: list[str] = []
    real = pipeline.evaluate_module

    def counted(directory, *args, **kwargs):
        seen.append(directory)
        return real(directory, *args, **kwargs)

    monkeypatch.setattr(pipeline, "evaluate_module", counted)
    return seen


def _reports(paths: list[Path], cache: bool = True, jobs: int | None = None, rules=None,
             **options) -> dict[str, str]:
    """The report in every format."""
    rules = RULES if rules is None else rules
    report = check(Options(paths=[str(p) for p in paths], settings=Settings(root_dir=str(paths[0].parent)),
                           cache=cache, jobs=jobs, as_of="2026-12-01", **options), rules)
    return {fmt: render(fmt, report, rules=rules) for fmt in FORMATS}


@pytest.fixture(scope="module")
def fixtures_copy(tmp_path_factory) -> Path:
    """Every fixture, copied (the tests edit files)."""
    folder = tmp_path_factory.mktemp("fixtures") / "fixtures"
    shutil.copytree(FIXTURES, folder, symlinks=True)
    return folder


def _edit(path: Path, text: str = "\n# an edit\n") -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_every_fixture_and_format_cold_warm_edited_jobs_and_no_cache(fixtures_copy, cache_dir, evaluations):
    paths = [fixtures_copy]
    cold = _reports(paths)
    evaluated_cold = len(evaluations)
    assert evaluated_cold > 20  # every fixture's roots
    evaluations.clear()
    assert _reports(paths) == cold  # warm
    assert evaluations == []  # nothing evaluated again
    assert _reports(paths, jobs=1) == cold
    assert _reports(paths, cache=False) == cold
    assert len(evaluations) == evaluated_cold  # --no-cache reuses nothing
    # one comment in one file: only the roots that read it are evaluated again
    edited = fixtures_copy / "pacs" / "rds-basic.tf"
    _edit(edited)
    evaluations.clear()
    warm_after_edit = _reports(paths)
    assert evaluations == [str(fixtures_copy / "pacs")]
    assert warm_after_edit == _reports(paths, cache=False)


def test_the_stored_results_are_those_of_a_cold_run_with_workers(fixtures_copy, cache_dir, monkeypatch):
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_WEIGHT", 0)
    with_workers = _reports([fixtures_copy], jobs=2)  # stored by forked workers
    assert _reports([fixtures_copy], jobs=1) == with_workers  # read back
    assert _reports([fixtures_copy], cache=False, jobs=1) == with_workers


def _module_project(tmp_path: Path) -> Path:
    """A root calling a module outside the scanned folder that reads a file, with
    var-files: every kind of input the key must cover."""
    shared = tmp_path / "shared" / "db"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(
        'variable "retention" {}\nvariable "family" { default = "postgres16" }\n'
        'locals { tags = jsondecode(file("${path.module}/tags.json")) }\n'
        'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  backup_retention_period = var.retention\n'
        '  storage_encrypted = local.tags.encrypted\n  tags = local.tags\n}\n')
    (shared / "tags.json").write_text('{"encrypted": true}')
    root = tmp_path / "live"
    root.mkdir()
    (root / "main.tf").write_text('variable "retention" { default = 7 }\n'
                                  'module "db" {\n  source = "../shared/db"\n  retention = var.retention\n}\n')
    (root / "environments").mkdir()
    (root / "environments" / "production.tfvars").write_text('retention = 7\n')
    return root


@pytest.mark.parametrize("change", [
    "module file", "file() target", "var-file", "new var-file", "new module file", "root file removed",
    "TF_VAR_", "rule parameter", "file() target becomes a link out of the tree",
])
def test_each_input_of_a_root_invalidates_its_results(change, tmp_path, cache_dir, evaluations, monkeypatch):
    root = _module_project(tmp_path)
    shared = tmp_path / "shared" / "db"
    (root / "extra.tf").write_text("# nothing\n")
    options: dict = {}
    before = _reports([root])
    assert evaluations == [str(root)]
    evaluations.clear()
    assert _reports([root]) == before and evaluations == []
    if change == "module file":
        (shared / "main.tf").write_text((shared / "main.tf").read_text().replace('"postgres"', '"mysql"'))
    elif change == "file() target":
        (shared / "tags.json").write_text('{"encrypted": false}')
    elif change == "var-file":
        (root / "environments" / "production.tfvars").write_text('retention = 1\n')
    elif change == "new var-file":
        (root / "environments" / "staging.tfvars").write_text('retention = 0\n')
    elif change == "new module file":
        (shared / "more.tf").write_text('resource "aws_db_instance" "other" {\n  engine = "postgres"\n}\n')
    elif change == "root file removed":
        (root / "extra.tf").unlink()
    elif change == "TF_VAR_":
        monkeypatch.setenv("TF_VAR_retention", "0")
        (root / "environments" / "production.tfvars").unlink()
    elif change == "file() target becomes a link out of the tree":  # the same bytes, refused now
        outside = tmp_path.parent / f"{tmp_path.name}-outside.json"
        outside.write_text((shared / "tags.json").read_text())
        (shared / "tags.json").unlink()
        (shared / "tags.json").symlink_to(outside)
    elif change == "rule parameter":
        options["rules"] = [r.configured(params={"backup_retention_minimum": {"production": 30, "default": 30}})
                            if r.id == "RDS005" else r for r in RULES]
    after = _reports([root], **options)
    assert evaluations == [str(root)]  # evaluated again
    assert after == _reports([root], cache=False, **options)
    if change not in ("root file removed",):
        assert after != before  # (the change shows in the report: the test can fail)


def test_an_unrelated_environment_variable_keeps_the_results(tmp_path, cache_dir, evaluations, monkeypatch):
    root = _module_project(tmp_path)
    _reports([root])
    evaluations.clear()
    monkeypatch.setenv("SOMETHING_ELSE", "1")
    _reports([root])
    assert evaluations == []


def test_damaged_result_and_index_entries_are_misses(fixtures_copy, cache_dir, evaluations):
    paths = [fixtures_copy / "pacs", fixtures_copy / "rds-fleet"]
    cold = _reports(paths)
    stored = sorted(cache_dir.glob("results-v*/*/*.bin")) + sorted(cache_dir.glob("index-v*/*/*.bin"))
    assert stored
    for entry in stored:
        data = entry.read_bytes()
        entry.write_bytes(data[:-3])
    evaluations.clear()
    assert _reports(paths) == cold
    assert evaluations  # evaluated again, not read from the damaged entries
    evaluations.clear()
    assert _reports(paths) == cold and evaluations == []  # and stored whole again


# ---------------------------------------------------------------- the real corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the public corpus is not at {CORPUS}")
def test_the_corpus_databases_cold_warm_edited_and_no_cache(tmp_path, cache_dir, evaluations):
    """terraform-aws-modules' rds and rds-aurora projects (modules, submodules,
    examples calling them): the same report every way; an edit in the shared module
    re-evaluates every example that calls it, and only those."""
    paths = []
    for name in ("tam-rds", "tam-aurora"):
        shutil.copytree(CORPUS / name, tmp_path / name)
        paths.append(tmp_path / name)
    cold = _reports(paths)
    roots = list(evaluations)
    evaluations.clear()
    assert _reports(paths) == cold and evaluations == []
    assert _reports(paths, jobs=1) == cold
    # a comment in the cluster submodule of tam-rds: the examples calling it (through
    # the main module) are evaluated again; tam-aurora is not
    _edit(tmp_path / "tam-rds" / "modules" / "db_instance" / "main.tf")
    evaluations.clear()
    edited = _reports(paths)
    assert evaluations and set(evaluations) < set(roots)
    assert not any("tam-aurora" in e for e in evaluations)
    assert edited == _reports(paths, cache=False)


# ---------------------------------------------------------------- the cache folder


def _cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rdspolicy", *args], capture_output=True, text=True,
                          env=env, cwd=cwd)


def test_runs_at_once_on_one_cache_folder(tmp_path, fixtures_copy):
    """Several processes, started together on an empty cache folder with a bound so
    small that they prune while the others read and write: every report is the
    no-cache report, and the folder holds only whole entries afterwards."""
    cache = tmp_path / "shared-cache"
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(cache))
    env.pop(C.MAX_SIZE_VARIABLE, None)
    target = [str(fixtures_copy / "pacs"), str(fixtures_copy / "rds-fleet"), str(fixtures_copy / "module-patterns")]
    command = [sys.executable, "-m", "rdspolicy", "check", "--format", "json", *target]
    expected = subprocess.run(command + ["--no-cache"], capture_output=True, text=True, env=env).stdout
    assert '"findings"' in expected
    for bound in (None, "40KB"):
        if bound:
            env[C.MAX_SIZE_VARIABLE] = bound
        runs = [subprocess.Popen(command + (["--jobs", "1"] if i % 2 else []), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env) for i in range(6)]
        outputs = [run.communicate() for run in runs]
        for out, err in outputs:
            assert out == expected, err
    env.pop(C.MAX_SIZE_VARIABLE)
    # every entry left is whole (its checksum holds) and a warm run reads them
    for entry in cache.glob("parse-v*/*/*.bin"):
        assert C._decode(entry.read_bytes()) is not None, entry
    assert not list(cache.glob("**/.tmp-*"))
    assert subprocess.run(command, capture_output=True, text=True, env=env).stdout == expected


def test_cache_info_and_clear(tmp_path):
    cache = tmp_path / "c"
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(cache))
    env.pop(C.MAX_SIZE_VARIABLE, None)
    empty = _cli("cache", "info", "--format", "json", env=env)
    assert empty.returncode == 0, empty.stderr
    assert '"entries": 0' in empty.stdout and '"max_bytes": 209715200' in empty.stdout
    _cli("check", str(FIXTURES / "pacs"), env=env)
    info = _cli("cache", "info", env=env, cwd=tmp_path)
    assert info.returncode == 0
    assert f"folder:   {cache}" in info.stdout
    assert "of at most 200.0 MB" in info.stdout
    assert "1 root modules' results" in info.stdout and "13 parsed files" in info.stdout
    (cache / "not-ours.txt").write_text("kept")
    cleared = _cli("cache", "clear", env=env)
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed ")
    assert [p.name for p in cache.iterdir()] == ["not-ours.txt"]
    assert '"entries": 1' in _cli("cache", "info", "--format", "json", env=env).stdout  # (the stranger)


def test_the_size_bound_from_the_environment_and_the_configuration(tmp_path):
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(tmp_path / "c"))
    env.pop(C.MAX_SIZE_VARIABLE, None)
    (tmp_path / ".rdspolicy.hcl").write_text('cache_max_size = "1GB"\n')
    assert '"max_bytes": 1073741824' in _cli("cache", "info", "--format", "json", env=env, cwd=tmp_path).stdout
    env[C.MAX_SIZE_VARIABLE] = "5MB"
    assert '"max_bytes": 5242880' in _cli("cache", "info", "--format", "json", env=env, cwd=tmp_path).stdout
    env[C.MAX_SIZE_VARIABLE] = "lots"
    bad = _cli("cache", "info", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "RDSPOLICY_CACHE_MAX_SIZE: 'lots' is not a size" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_parse_size():
    assert C.parse_size("200MB") == 200 * 1024 ** 2
    assert C.parse_size("1.5 GiB") == int(1.5 * 1024 ** 3)
    assert C.parse_size("500k") == 500 * 1024
    assert C.parse_size("4096") == 4096
    with pytest.raises(ValueError):
        C.parse_size("-1MB")


def test_pruning_removes_the_least_recently_used_first(tmp_path):
    folder = tmp_path / "c"
    now = time.time()
    for i in range(10):
        entry = folder / "parse-v2" / f"{i:02d}" / f"{i:02d}x.bin"
        entry.parent.mkdir(parents=True)
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (now - 1000 + i, now - 1000 + i))  # 00 used longest ago
    old_temp = folder / "parse-v2" / "00" / ".tmp-dead.bin"
    old_temp.write_bytes(b"x" * 10)
    os.utime(old_temp, (now - 2 * C._TEMP_AGE, now - 2 * C._TEMP_AGE))
    freed = C.prune(folder, 5000)
    left = sorted(p.name for p in folder.glob("parse-v2/*/*.bin"))
    assert left == [f"{i:02d}x.bin" for i in range(6, 10)]  # down to 80% of the bound
    assert freed == 6 * 1000 + 10
    assert int((folder / "usage").read_text()) == 4000
    assert C.prune(folder, 5000) == 0  # below the bound: nothing more


def test_a_run_prunes_when_the_bound_is_passed(tmp_path, cache_dir, monkeypatch):
    _reports([FIXTURES / "pacs"], cache_max_bytes=10 ** 9)
    full = C.info(cache_dir, 0).bytes
    assert full > 0
    shutil.rmtree(cache_dir / "results-v1")  # so the next run writes something
    _reports([FIXTURES / "pacs"], cache_max_bytes=full // 2)
    assert C.info(cache_dir, 0).bytes <= full // 2


@pytest.mark.parametrize("edit", ["unit inputs", "included configuration", "env.hcl"])
def test_terragrunt_configurations_are_inputs_of_their_units(edit, tmp_path, cache_dir, evaluations):
    """A Terragrunt unit's configuration (and what it includes) makes its environment's
    inputs: editing it re-evaluates the unit, and the report is a cold run's."""
    tree = tmp_path / "layout-terragrunt"
    shutil.copytree(FIXTURES / "layout-terragrunt", tree, symlinks=True)
    before = _reports([tree])
    evaluations.clear()
    assert _reports([tree]) == before and evaluations == []
    if edit == "unit inputs":
        unit = tree / "live" / "dev" / "db" / "terragrunt.hcl"
        unit.write_text(unit.read_text().replace("multi_az = false", "multi_az = true"))
    elif edit == "included configuration":
        root = tree / "root.hcl"
        root.write_text(root.read_text() + "\ninputs = { extra_unused = 1 }\n")
    else:
        env = tree / "live" / "prod" / "env.hcl"
        env.write_text(env.read_text() + "\n# edited\n")
    evaluations.clear()
    after = _reports([tree])
    if edit == "unit inputs":
        assert evaluations  # the unit evaluated again, with its new inputs
    evaluations.clear()
    assert after == _reports([tree], cache=False)
