"""Start-up imports, the grammar cache, the parse cache and parallel parsing.

Performance itself is measured by ``bench/``, not here: these tests check what makes it
possible and that it changes nothing (the same findings with and without the cache,
in one process or several), and that a broken cache is never trusted.
"""

from __future__ import annotations

import json
import os
import subprocess
import shutil
import sys
from pathlib import Path

import pytest

from rdspolicy import cache as C
from rdspolicy import parse as P
from rdspolicy.fileio import read_text
from rdspolicy.parse import grammar as G
from rdspolicy import syntax as S
from rdspolicy.errors import SourceError
from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules
from rdspolicy.report import FORMATS, render

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FIXTURE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
RULES = load_rules().rules


def _terraform_files() -> list[str]:
    return sorted(str(p) for p in FIXTURES.rglob("*")
                  if p.name.endswith((".tf", ".tfvars", ".tf.json", ".tfvars.json")) and p.is_file())


def _parsed(parse, path: str) -> str:
    """The tree (positions included) or the error, as text to compare."""
    try:
        return repr(parse(path))
    except SourceError as exc:
        return repr(exc.diagnostic())


def _parse_with_var_refs(path: str) -> S.File:
    """A fresh parse, with the ``var.`` references the cache stores found by a walk."""
    file = P.parse_file(path)
    assert file.var_refs is None
    return file._replace(var_refs=S.var_references(file.body))


def _report(path: Path, cache: bool, jobs: int | None = None) -> str:
    report = check(Options(paths=[str(path)], settings=Settings(root_dir=str(ROOT)), cache=cache, jobs=jobs),
                   RULES)
    return render("json", report, rules=RULES)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("RDSPOLICY_CACHE_DIR", str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("parse-v*/*/*.bin"))


# ---------------------------------------------------------------- start-up

HEAVY = ("pydantic", "lark", "hcl2", "rdspolicy.models", "rdspolicy.parse", "rdspolicy.evaluate",
         "rdspolicy.pipeline")

_LIST_MODULES = """
import json, os, sys
def _exit(status):  # the console script leaves with os._exit: list the modules first
    raise SystemExit(status)
os._exit = _exit
sys.argv = ["rdspolicy", *json.loads(sys.argv[1])]
from rdspolicy.entry import console_main
try:
    console_main()
except SystemExit:
    pass
with open(OUT, "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def _modules_after(args: list[str], tmp_path: Path) -> set[str]:
    out = tmp_path / "modules.json"
    code = _LIST_MODULES.replace("OUT", repr(str(out)))
    subprocess.run([sys.executable, "-c", code, json.dumps(args)], check=True, capture_output=True)
    return set(json.loads(out.read_text()))


def _loaded(modules: set[str], prefixes) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_version_imports_neither_click_nor_the_checker(tmp_path):
    modules = _modules_after(["--version"], tmp_path)
    assert _loaded(modules, HEAVY + ("click", "pluggy", "rdspolicy_rules", "rdspolicy.cli")) == []


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_help_imports_no_parser_models_or_rules(args, tmp_path):
    modules = _modules_after(args, tmp_path)
    assert _loaded(modules, HEAVY + ("pluggy", "rdspolicy_rules", "rdspolicy.rule")) == []


def test_rules_command_imports_no_parser_or_pydantic(tmp_path):
    modules = _modules_after(["rules"], tmp_path)
    assert "rdspolicy_rules.storage_encrypted" in modules  # the rules are really loaded
    assert _loaded(modules, HEAVY) == []


def test_parsing_does_not_import_the_regex_module(tmp_path):
    """lark would import ``regex`` (python-hcl2 installs it); our parser uses ``re``."""
    pytest.importorskip("regex")
    modules = _modules_after(["check", "--no-cache", "-o", str(tmp_path / "out"), str(FIXTURES / "pacs")],
                             tmp_path)
    assert "lark" in modules and "rdspolicy_rules.storage_encrypted" in modules  # really parsed and checked
    assert "regex" not in modules


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_imports_only_what_the_run_needs(fmt, tmp_path, cache_dir):
    # a report of a folder of Terraform: no other reporter, no baseline, no plan reader,
    # no importlib.metadata (nothing is validated or dumped by pydantic; entry points are
    # read directly)
    modules = _modules_after(["check", str(FIXTURES / "pacs"), "--format", fmt, "-o", str(tmp_path / "report")],
                             tmp_path)
    assert FORMATS[fmt] in modules and "rdspolicy.models" in modules  # really checked
    others = [name for name in FORMATS.values() if name != FORMATS[fmt]]
    assert _loaded(modules, others + ["rdspolicy.baseline", "rdspolicy.plan",
                                      "importlib.metadata", "email", "pydantic.plugin._loader"]) == []


# ---------------------------------------------------------------- grammar cache


def _parse_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    # without the packaged grammar: the user's cache folder is what is tested
    code = ("import rdspolicy.parse.grammar as G; G.PACKAGED_GRAMMAR = None; "
            "from rdspolicy.parse import parse_hcl; parse_hcl('t.tf', 'x = 1'); print('ok')")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_grammar_cache_unwritable_folder_falls_back(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    env = {k: v for k, v in os.environ.items() if k not in ("RDSPOLICY_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(blocker)  # ~/.cache cannot be created: like a read-only home
    result = _parse_in_subprocess(env)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
    assert "Traceback" not in result.stderr


def _seed_grammar(folder: Path) -> Path:
    """A copy of this test run's compiled grammar in ``folder`` (compiling costs seconds)."""
    key = G.grammar_key()
    target = G.grammar_cache_path(key).name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / target
    target.write_bytes(G.grammar_entry(G.get_parser(), key))
    return target


def test_grammar_cache_truncated_is_rebuilt(tmp_path):
    # (garbage in the cache is tested in test_parse.py)
    cached = _seed_grammar(tmp_path / "cache")
    whole = cached.read_bytes()
    cached.write_bytes(whole[: len(whole) // 2])
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(tmp_path / "cache"))
    result = _parse_in_subprocess(env)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- parse cache


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda p: p.name)
def test_findings_are_identical_with_and_without_the_cache(folder, cache_dir):
    without = _report(folder, cache=False)
    cold = _report(folder, cache=True)
    assert _entries(cache_dir), "the cold run filled the cache"
    warm = _report(folder, cache=True)
    assert json.loads(without)["findings"], "a fixture without findings proves little"
    assert cold == without
    assert warm == without


def test_a_cached_tree_equals_a_fresh_parse_with_comments_and_positions(cache_dir):
    paths = _terraform_files()
    cold = C.Parser(C.ParseCache(cache_dir))
    cold.prepare(paths)
    warm = C.Parser(C.ParseCache(cache_dir))
    warm.prepare(paths)
    assert (cold.parsed, warm.parsed) == (len(set(map(_text_key, paths)) - {None}), 0)
    for path in paths:
        assert _parsed(warm.parse, path) == _parsed(_parse_with_var_refs, path)
        try:
            assert warm.parse(path).path == path
        except SourceError:
            pass


def _text_key(path: str) -> str | None:
    try:
        return C.key_of(path, read_text(path))
    except SourceError:  # not readable (hostile fixtures): never parsed, never cached
        return None


def test_the_same_text_under_another_name_is_a_hit_with_its_own_path(tmp_path, cache_dir):
    text = 'resource "aws_db_instance" "a" {\n  engine = "postgres" # pg\n}\n'
    (tmp_path / "one.tf").write_text(text)
    (tmp_path / "two.tf").write_text(text)
    parser = C.Parser(C.ParseCache(cache_dir))
    parser.prepare([str(tmp_path / "one.tf"), str(tmp_path / "two.tf")])
    assert parser.parsed == 1
    assert parser.parse(str(tmp_path / "two.tf")).path == str(tmp_path / "two.tf")


def test_parse_errors_are_cached_and_raised_with_the_right_path(tmp_path, cache_dir, monkeypatch):
    bad = tmp_path / "bad.tf"
    bad.write_text('resource "aws_db_instance" "a" {\n  engine = \n}\n')
    with pytest.raises(SourceError) as fresh:
        P.parse_file(str(bad))
    first = C.Parser(C.ParseCache(cache_dir))
    with pytest.raises(SourceError):
        first.parse(str(bad))
    monkeypatch.setattr(P, "parse_hcl", _no_parse)
    second = C.Parser(C.ParseCache(cache_dir))
    with pytest.raises(SourceError) as cached:
        second.parse(str(bad))
    assert second.parsed == 0
    assert cached.value.diagnostic() == fresh.value.diagnostic()


def _no_parse(path, text):
    raise AssertionError(f"{path} was parsed again")


def _corrupt(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[: len(data) - 7])
    elif how == "flipped":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 0x40]))
    elif how == "header":
        entry.write_bytes(b"X" + data[1:])
    elif how == "empty":
        entry.write_bytes(b"")
    else:  # a well-formed header around a payload that is not ours
        entry.write_bytes(C._encode(("ok", "not a tree"))[: C._HEADER.size] + b"\x80\x04N.")


@pytest.mark.parametrize("how", ["truncated", "flipped", "header", "empty", "foreign"])
def test_a_corrupt_entry_is_ignored_and_replaced(how, cache_dir):
    folder = FIXTURES / "pacs"
    expected = _report(folder, cache=False)
    assert _report(folder, cache=True) == expected
    entries = _entries(cache_dir)
    good = {e: e.read_bytes() for e in entries}
    for entry in entries:
        _corrupt(entry, how)
    # the stored results and file summaries would make the parse entries unneeded
    for stored in ("results-v1", "index-v1"):
        shutil.rmtree(cache_dir / stored)
    assert _report(folder, cache=True) == expected
    assert {e: e.read_bytes() for e in _entries(cache_dir)} == good  # replaced by whole entries


def test_an_unwritable_cache_folder_still_checks(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RDSPOLICY_CACHE_DIR", str(blocker / "cache"))
    folder = FIXTURES / "pacs"
    assert _report(folder, cache=True) == _report(folder, cache=False)


def test_an_entry_from_another_version_is_not_read(cache_dir, monkeypatch):
    folder = FIXTURES / "pacs"
    _report(folder, cache=True)
    monkeypatch.setattr(C, "_environment", b"\1" * 32)  # as if python-hcl2 or rdspolicy changed
    monkeypatch.setattr(P, "parse_hcl", _counting(P.parse_hcl))
    _report(folder, cache=True)
    assert P.parse_hcl.calls > 0


def _counting(function):
    def counted(*args, **kwargs):
        counted.calls += 1
        counted.paths.append(args[0])
        return function(*args, **kwargs)

    counted.calls = 0
    counted.paths = []
    return counted


def test_no_cache_writes_nothing(cache_dir):
    _report(FIXTURES / "pacs", cache=False)
    assert _entries(cache_dir) == []


def test_each_file_is_parsed_once_however_many_environments(monkeypatch):
    counted = _counting(P.parse_hcl)
    monkeypatch.setattr(P, "parse_hcl", counted)
    report = json.loads(_report(FIXTURES / "pacs", cache=False, jobs=1))
    assert len(report["environments"]) == 3
    assert counted.calls == len(set(counted.paths)) > 0


def test_concurrent_processes_share_the_cache(tmp_path):
    _seed_grammar(tmp_path / "cache")
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "rdspolicy", "check", "--format", "json", str(FIXTURES / "pacs")]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert all(not err for _, err in outputs), outputs
    assert len({out for out, _ in outputs}) == 1
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith((".tmp-", ".grammar-"))]
    assert leftovers == []


# ---------------------------------------------------------------- parallel parsing


def test_parallel_parsing_gives_the_same_trees(monkeypatch):
    monkeypatch.setattr(C, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(C, "MIN_PARALLEL_FILES", 1)
    paths = _terraform_files()
    parser = C.Parser(None, jobs=2)
    parser.prepare(paths)
    assert parser.workers_used == 2
    for path in paths:
        assert _parsed(parser.parse, path) == _parsed(_parse_with_var_refs, path)


def test_small_inputs_are_parsed_in_this_process():
    paths = [str(p) for p in (FIXTURES / "pacs").rglob("*.tf")]
    parser = C.Parser(None, jobs=4)
    parser.prepare(paths)
    assert parser.workers_used == 0 and parser.parsed == len(paths)


@pytest.mark.parametrize("folder", [FIXTURES / "pacs", FIXTURES / "security-group-scope"], ids=lambda p: p.name)
def test_findings_are_identical_in_parallel(folder, monkeypatch):
    serial = _report(folder, cache=False, jobs=1)
    monkeypatch.setattr(C, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(C, "MIN_PARALLEL_FILES", 1)
    assert _report(folder, cache=False, jobs=2) == serial


def test_jobs_must_be_positive():
    from rdspolicy.cli import run

    assert run(["check", "--jobs", "0", str(FIXTURES / "pacs")]) == 2
