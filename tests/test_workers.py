"""Root modules evaluated by forked workers give the report one process gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rdspolicy import cache, pipeline, workers
from rdspolicy.evaluate import Settings
from rdspolicy.findings import Finding, PassedCheck, Suppression
from rdspolicy.models import Location, construct
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules
from rdspolicy.report import render

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RULES = load_rules().rules
# a few folders with several roots between them (modules, var-files, instances)
SOME = [FIXTURES / "rds-fleet", FIXTURES / "module-patterns", FIXTURES / "storage-encrypted"]

pytestmark = pytest.mark.skipif(not workers.fork_available(), reason="this platform cannot fork worker processes")


def _check(paths: list[Path], jobs: int, **settings):
    return check(Options(paths=[str(p) for p in paths], settings=Settings(root_dir=str(ROOT), **settings),
                         jobs=jobs, cache=False), RULES)


@pytest.fixture
def forks(monkeypatch):
    """Counts the runs that used workers, and makes every scan of two roots or more use them."""
    calls = []
    real = workers.map_forked

    def counted(work, items, n):
        calls.append((len(items), n))
        return real(work, items, n)

    monkeypatch.setattr(pipeline, "map_forked", counted)
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_WEIGHT", 0)
    return calls


@pytest.fixture(scope="module")
def every_fixture() -> tuple:
    """All fixture folders in one scan, in one process and with workers: many roots,
    modules called from several roots, environments from var-files, parse errors and
    warnings (the hostile cases)."""
    serial = _check([FIXTURES], jobs=1)
    calls = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "MIN_PARALLEL_WEIGHT", 0)
        patch.setattr(pipeline, "map_forked", lambda w, items, n: calls.append((len(items), n)) or
                      workers.map_forked(w, items, n))
        parallel = _check([FIXTURES], jobs=2)
    return serial, parallel, calls


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text", "html"])
def test_every_fixture_at_once_gives_the_same_report(fmt, every_fixture):
    serial, parallel, calls = every_fixture
    assert calls and calls[0][0] > 2 and calls[0][1] == 2
    assert render(fmt, parallel, rules=RULES) == render(fmt, serial, rules=RULES)
    assert parallel.passed_checks == serial.passed_checks
    assert parallel.passed == serial.passed > 0 and len(parallel.findings) == len(serial.findings) > 100


def test_a_generated_corpus_gives_the_same_report(tmp_path, forks):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(tmp_path, 9)
    serial = _check([tmp_path], jobs=1)
    parallel = _check([tmp_path], jobs=3)
    assert forks == [(min(9, 3 * pipeline.CHUNKS_PER_WORKER), 3)]
    assert render("json", parallel, rules=RULES) == render("json", serial, rules=RULES)
    assert len(serial.environments) == 27


def test_with_var_files_given_the_same_report(forks):
    folder = FIXTURES / "rds-fleet"
    var_file = next(folder.rglob("*.tfvars"))
    serial = _check(SOME, jobs=1, var_files=[str(var_file)])
    parallel = _check(SOME, jobs=2, var_files=[str(var_file)])
    assert forks
    assert render("json", parallel, rules=RULES) == render("json", serial, rules=RULES)


def test_small_scans_stay_in_this_process(monkeypatch):
    calls = []
    monkeypatch.setattr(pipeline, "map_forked", lambda *a: calls.append(a))
    report = _check([FIXTURES / "pacs"], jobs=4)
    assert calls == [] and report.findings
    _check([FIXTURES / "storage-encrypted"], jobs=4)  # several roots, little work
    assert calls == []


def test_an_error_in_a_worker_reaches_the_caller(monkeypatch, forks):
    def broken(directory, *args, **kwargs):
        raise RuntimeError(f"evaluation failed in {Path(directory).name}")

    monkeypatch.setattr(pipeline, "evaluate_module", broken)
    with pytest.raises(RuntimeError, match="evaluation failed in") as caught:
        _check(SOME, jobs=2)
    assert forks
    assert any("raised in a worker process" in note and "in broken" in note for note in caught.value.__notes__)


def test_an_exception_that_cannot_be_pickled_still_reaches_the_caller(monkeypatch, forks):
    class Unpicklable(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a} and {b}")

    def broken(*args, **kwargs):
        raise Unpicklable("one", "two")

    monkeypatch.setattr(pipeline, "evaluate_module", broken)
    with pytest.raises(RuntimeError, match="Unpicklable: one and two"):
        _check(SOME, jobs=2)


_PARENT = os.getpid()
_real_parse_work = cache._work


def _parse_work_dying_in_workers(item):
    if os.getpid() != _PARENT:
        os._exit(9)
    return _real_parse_work(item)


def test_a_parse_worker_that_dies_is_replaced_by_this_process(monkeypatch):
    monkeypatch.setattr(cache, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(cache, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(cache, "_work", _parse_work_dying_in_workers)
    paths = [str(p) for p in sorted((FIXTURES / "pacs").rglob("*.tf"))]
    parser = cache.Parser(None, jobs=2)
    parser.prepare(paths)
    assert parser.parsed == len(paths) and parser.workers_used == 0
    assert all(parser.parse(p).body.blocks for p in paths)


class _Module:
    def __init__(self, name, files, envs):
        self.label, self.module, self.specs = name, self, ["e"] * envs
        self.path, self.tf_files = name, ["f"] * files


def test_roots_are_cut_into_contiguous_pieces_of_similar_weight():
    roots = [_Module(f"m{i}", 10, 3) for i in range(40)] + [_Module("big", 300, 3)]
    chunks = pipeline._chunks(roots, 2, Settings())
    assert [m for chunk in chunks for m in chunk] == roots  # in order, each once
    assert len(chunks) <= 2 * pipeline.CHUNKS_PER_WORKER and chunks[-1] == [roots[-1]]
    assert pipeline._chunks(roots, 1, Settings()) == [roots]
    assert pipeline._chunks(roots[:1], 4, Settings()) == [roots[:1]]
    small = [_Module(f"m{i}", 2, 1) for i in range(5)]
    assert pipeline._chunks(small, 4, Settings()) == [small]


def test_models_travel_by_value_unchanged():
    location = construct(Location, file="a.tf", line=1, column=2, end_line=3, end_column=4)
    finding = Finding(rule="RDS001", name="storage-encrypted", severity="high", status="fail",
                      resource="aws_db_instance.a", environment="prod", module="m", file="a.tf", line=1,
                      column=2, end_line=3, end_column=4, message="m")
    suppressed = finding.model_copy(update={"suppression": Suppression(kind="inSource", reason="r")})
    passed = PassedCheck(rule="RDS001", resource="r", environment="e", module="m", file="f", line=3)
    models = [finding, suppressed, passed, location, finding]
    back = workers.unpack(workers.pack(models))
    assert back == models
    assert [type(m) for m in back] == [type(m) for m in models]
    assert [m.model_fields_set for m in back] == [m.model_fields_set for m in models]
    assert back[1].suppression.reason == "r" and back[0] is not back[4]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this platform")
def test_the_default_number_of_workers_is_the_cores_this_process_may_use():
    code = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from rdspolicy.cache import Parser; print(Parser().jobs, Parser(jobs=3).jobs)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "3"]


def test_a_worker_that_dies_is_replaced_by_this_process(monkeypatch, forks, every_fixture):
    parent = os.getpid()
    real = pipeline.evaluate_module

    def dying(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(9)  # as if killed: no exception, no answer
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "evaluate_module", dying)
    survived = _check([FIXTURES], jobs=2)
    assert forks
    assert render("json", survived, rules=RULES) == render("json", every_fixture[0], rules=RULES)
