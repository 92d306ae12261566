"""``rdspolicy fix``: the fixtures under fixtures/fix/ (expected diffs and summaries, then
written: no environment that passed a rule fails it, no other verdict changes, a second
run changes nothing, ``terraform fmt`` finds nothing new), the pacs acceptance run, the
text edits (alignment, CRLF, JSON), --add-ignore, check --fix, and a third-party fix."""

from __future__ import annotations

import collections
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from rdspolicy import cli
from rdspolicy.evaluate import Settings
from rdspolicy.fix.text import JsonFile, TextFile, align
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules

ROOT = Path(__file__).resolve().parent.parent
FIX_FIXTURES = ROOT / "fixtures" / "fix"
CASES = sorted(p.name for p in FIX_FIXTURES.iterdir() if (p / "fix.args").is_file())
RULES = load_rules().rules


@pytest.fixture
def rds(capsys, monkeypatch):
    for name in list(os.environ):
        if name.startswith("TF_VAR_"):
            monkeypatch.delenv(name)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.run([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return code, captured.out, captured.err

    return run


def _args(case: Path) -> list[str]:
    return shlex.split((case / "fix.args").read_text())


def verdicts(folder: Path, only: set[str] | None = None) -> tuple[collections.Counter, collections.Counter]:
    """(passing verdicts, findings not suppressed) of every rule (or those ``only``), as counters."""
    rules = [r for r in RULES if only is None or r.id in only]
    report = check(Options([str(folder)], settings=Settings(root_dir=str(folder)), cache=False), rules)
    passes = collections.Counter((p.rule, p.resource, p.environment) for p in report.passed_checks)
    findings = collections.Counter((f.rule, f.resource, f.environment, f.status, f.message)
                                   for f in report.findings if f.suppression is None)
    return passes, findings


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fmt_differences(folder: Path, path: str) -> collections.Counter:
    """The lines ``terraform fmt`` would change in a file (as a multiset)."""
    result = subprocess.run(["terraform", "fmt", "-diff", "-write=false", "-no-color", path], cwd=folder,
                            capture_output=True, text=True, check=False)
    return collections.Counter(line for line in result.stdout.splitlines()
                               if line.startswith("-") and not line.startswith("---"))


def assert_safe_write(original: Path, work: Path, rds, args: list[str], only: set[str] | None = None
                      ) -> tuple[int, str, str]:
    """``fix --write`` in ``work`` (a copy of ``original``): passing verdicts kept, no new
    or changed finding (of every rule, or of those ``only``), idempotent, no new
    ``terraform fmt`` difference."""
    passes_before, findings_before = verdicts(work, only)
    os.chdir(work)
    result = rds("fix", ".", "--write", "--no-cache", *args)
    passes_after, findings_after = verdicts(work, only)
    assert not passes_before - passes_after, "a verdict that passed no longer passes"
    assert not findings_after - findings_before, "a finding appeared or changed"
    written = snapshot(work)
    rds("fix", ".", "--write", "--no-cache", *args)
    assert snapshot(work) == written, "a second fix --write changed something"
    if shutil.which("terraform"):
        for path in written:
            if path.endswith((".tf", ".tfvars")) and ".terraform" not in path:
                new = fmt_differences(work, path) - fmt_differences(original, path)
                assert not new, f"{path}: terraform fmt would change {sorted(new)}"
    return result


# ---------------------------------------------------------------- fixtures/fix


@pytest.mark.parametrize("name", CASES)
def test_fixture_diff(name, rds, monkeypatch):
    case = FIX_FIXTURES / name
    monkeypatch.chdir(case)
    before = snapshot(case)
    code, out, err = rds("fix", ".", "--no-cache", *_args(case))
    assert out == (case / "expected.diff").read_text()
    assert err == (case / "expected.summary").read_text()
    assert code == (1 if out else 0)
    assert snapshot(case) == before, "fix without --write wrote something"
    unsafe = case / "expected-unsafe.diff"
    if unsafe.exists():
        code, out, _ = rds("fix", ".", "--no-cache", "--unsafe-fixes", *_args(case))
        assert out == unsafe.read_text()


@pytest.mark.parametrize("name", CASES)
def test_fixture_write(name, rds, tmp_path, monkeypatch):
    case = FIX_FIXTURES / name
    work = tmp_path / name
    shutil.copytree(case, work)
    monkeypatch.chdir(work)
    code, _, err = assert_safe_write(case, work, rds, _args(case))
    held = (case / "expected-unsafe.diff").exists()
    assert code == (1 if held else 0), err
    # what was fixed is gone: only the findings the summary lists as left remain
    left = [line for line in err.splitlines() if line.startswith("  ")]
    assert all("no automatic fix" in line or "the fix is unsafe" in line for line in left), err


def test_unsafe_fixes_written_with_the_option(rds, tmp_path, monkeypatch):
    case = FIX_FIXTURES / "unsafe"
    work = tmp_path / "unsafe"
    shutil.copytree(case, work)
    monkeypatch.chdir(work)
    # storage now encrypted with AWS's key: RDS002 has something to say that it had not
    selected = {a for a in _args(case) if a.startswith("RDS")}
    code, _, err = assert_safe_write(case, work, rds, _args(case) + ["--unsafe-fixes"], only=selected)
    assert code == 0 and "none left" in err, err
    text = (work / "main.tf").read_text()
    assert "storage_encrypted           = true" in text and "  password" not in text


def test_fix_shows_no_secret(rds, monkeypatch):
    monkeypatch.chdir(FIX_FIXTURES / "unsafe")
    _, out, _ = rds("fix", ".", "--no-cache", "--unsafe-fixes", "--select", "RDS019")
    assert "-  password" in out and "change-me-please" not in out


# ---------------------------------------------------------------- pacs acceptance


def test_pacs_acceptance(rds, tmp_path, monkeypatch):
    """On a copy of fixtures/pacs: fix --write, then check leaves only findings without an
    automatic fix (each listed with its reason); verdicts that passed still pass; no other
    verdict changes; a second fix --write changes nothing; terraform fmt finds nothing new."""
    original = ROOT / "fixtures" / "pacs"
    work = tmp_path / "pacs"
    shutil.copytree(original, work)
    monkeypatch.chdir(work)
    code, out, err = assert_safe_write(original, work, rds, ["--unsafe-fixes"])
    assert code == 0, err
    left = [line for line in err.splitlines() if line.startswith("  ")]
    _, findings_after = verdicts(work)
    failing = sum(n for key, n in findings_after.items() if key[3] == "fail")
    assert failing == len(left) > 0
    assert all(": no automatic fix: " in line for line in left), err
    # the check agrees
    code, out, _ = rds("check", ".", "--no-cache")
    assert code == 1 and f"{failing} failing" in out.splitlines()[-1]


def test_pacs_safe_fixes_leave_the_unsafe_ones_with_why(rds, tmp_path, monkeypatch):
    work = tmp_path / "pacs"
    shutil.copytree(ROOT / "fixtures" / "pacs", work)
    monkeypatch.chdir(work)
    code, _, err = assert_safe_write(ROOT / "fixtures" / "pacs", work, rds, [])
    assert code == 1  # unsafe fixes held back
    left = [line for line in err.splitlines() if line.startswith("  ")]
    unsafe = [line for line in left if "the fix is unsafe" in line]
    assert unsafe and all("apply it with --unsafe-fixes" in line for line in unsafe)
    assert all(": no automatic fix: " in line for line in left if line not in unsafe)


# ---------------------------------------------------------------- text edits


def _edited(tmp_path, text: str, edit, name: str = "main.tf", data: bytes | None = None) -> bytes:
    path = tmp_path / name
    path.write_bytes(data if data is not None else text.encode())
    file = TextFile(str(path), path.read_bytes())
    edit(file)
    return file.result()


def test_align_as_terraform_fmt():
    lines = ['  a = 1', '  bbbb = "x" # note', '  cc = [1, 2]', '  tags = {', '    k = 1', '  }', '  d = 2']
    align(lines, {1})
    assert lines[:3] == ['  a    = 1', '  bbbb = "x" # note', '  cc   = [1, 2]']
    assert lines[3:] == ['  tags = {', '    k = 1', '  }', '  d = 2']  # another group: untouched


def test_added_attribute_aligned_with_its_group(tmp_path):
    text = 'resource "x" "y" {\n  a  = 1 # one\n  bb = 2 # two\n\n  block {\n  }\n}\n'

    def edit(file):
        block = file.tree.body.blocks[0]
        file.add_attribute(block, "longer", "true")

    out = _edited(tmp_path, text, edit).decode()
    assert out == ('resource "x" "y" {\n  a      = 1 # one\n  bb     = 2 # two\n  longer = true\n\n'
                   '  block {\n  }\n}\n')


def test_attribute_added_to_an_empty_block(tmp_path):
    def edit(file):
        file.add_attribute(file.tree.body.blocks[0], "a", "1")

    assert _edited(tmp_path, 'resource "x" "y" {}\n', edit).decode() == 'resource "x" "y" {\n  a = 1\n}\n'
    assert _edited(tmp_path, 'resource "x" "y" {\n}\n', edit).decode() == 'resource "x" "y" {\n  a = 1\n}\n'


def test_crlf_bom_and_missing_final_newline_kept(tmp_path):
    data = b'\xef\xbb\xbfresource "x" "y" {\r\n  a = false # c\r\n}'

    def edit(file):
        attr = file.tree.body.blocks[0].body.attributes["a"]
        file.replace_expr(attr.expr, "true")

    assert _edited(tmp_path, "", edit, data=data) == b'\xef\xbb\xbfresource "x" "y" {\r\n  a = true # c\r\n}'


def test_nothing_to_change_gives_the_same_bytes(tmp_path):
    data = b'resource "x" "y" {\r\n  a = 1\r\n}\r\n'
    assert _edited(tmp_path, "", lambda file: None, data=data) == data


def test_list_items_added_and_removed(tmp_path):
    text = 'x = ["a", "b"]\ny = [\n  "a",\n  "all",\n]\n'

    def edit(file):
        attrs = file.tree.body.attributes
        file.append_item(attrs["x"].expr, '"c"')
        file.remove_item(attrs["y"].expr, 1)

    assert _edited(tmp_path, text, edit, "t.tfvars").decode() == 'x = ["a", "b", "c"]\ny = [\n  "a",\n]\n'


def test_json_edited_with_its_indentation(tmp_path):
    path = tmp_path / "v.tfvars.json"
    path.write_bytes(b'{\n    "a": false,\n    "b": [1]\n}\n')
    file = JsonFile(str(path), path.read_bytes())
    file.set(["a"], True)
    assert file.result() == b'{\n    "a": true,\n    "b": [\n        1\n    ]\n}\n'
    unchanged = JsonFile(str(path), path.read_bytes())
    unchanged.set(["a"], False)
    assert unchanged.result() == path.read_bytes()


def test_written_only_when_changed(rds, tmp_path, monkeypatch):
    work = tmp_path / "clean"
    shutil.copytree(FIX_FIXTURES / "computed", work)
    monkeypatch.chdir(work)
    stamps = {p: p.stat().st_mtime_ns for p in work.rglob("*") if p.is_file()}
    os.utime(work / "main.tf", ns=(1, 1))
    stamps[work / "main.tf"] = 1
    code, out, err = rds("fix", ".", "--write", "--no-cache", *_args(FIX_FIXTURES / "computed"))
    assert code == 0 and out == "" and "0 findings fixed in 0 files" in err
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


# ---------------------------------------------------------------- commands


def test_fix_exit_statuses(rds, tmp_path, monkeypatch):
    work = tmp_path / "w"
    shutil.copytree(FIX_FIXTURES / "var-file", work)
    monkeypatch.chdir(work)
    args = _args(FIX_FIXTURES / "var-file")
    assert rds("fix", ".", "--no-cache", *args)[0] == 1  # something to fix
    code, out, err = rds("fix", ".", "--no-cache", "--write", "--diff", *args)
    assert code == 0 and out.startswith("# RDS") and "+multi_az    = true # TODO" in out
    assert rds("fix", ".", "--no-cache", *args)[:2] == (0, "")  # nothing left to fix
    assert rds("fix", "missing-folder", "--no-cache")[0] == 2


def test_check_fix_repairs_then_reports(rds, tmp_path, monkeypatch):
    work = tmp_path / "w"
    shutil.copytree(FIX_FIXTURES / "default", work)
    monkeypatch.chdir(work)
    code, out, err = rds("check", ".", "--fix", "--no-cache", *_args(FIX_FIXTURES / "default"))
    assert code == 0, out + err
    assert "3 findings fixed in 2 files" in err
    assert out.splitlines()[-1].startswith("0 failing")
    assert "  default     = true" in (work / "variables.tf").read_text()


def test_add_ignore_needs_a_reason(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = rds("fix", ".", "--add-ignore")
    assert code == 2 and "--reason" in err
    code, _, err = rds("fix", ".", "--add-ignore", "--reason", "  ")
    assert code == 2


def test_add_ignore_writes_directives_above_the_failing_blocks(rds, tmp_path, monkeypatch):
    work = tmp_path / "w"
    shutil.copytree(FIX_FIXTURES / "computed", work)
    monkeypatch.chdir(work)
    args = _args(FIX_FIXTURES / "computed")
    code, _, err = rds("fix", ".", "--no-cache", "--write", "--add-ignore", "--reason", 'ticket "DB-7"', *args)
    assert "wrote 3 rdspolicy:ignore comments" in err, err
    text = (work / "main.tf").read_text()
    assert ('# rdspolicy:ignore RDS003 reason="ticket \\"DB-7\\""\n'
            '# rdspolicy:ignore RDS004 reason="ticket \\"DB-7\\""\n'
            '# rdspolicy:ignore RDS013 reason="ticket \\"DB-7\\""\n'
            'resource "aws_db_instance" "main" {') in text
    code, out, _ = rds("check", ".", "--no-cache", *args)
    assert code == 0 and out.splitlines()[-1].startswith("0 failing"), out
    rds("fix", ".", "--no-cache", "--write", "--add-ignore", "--reason", "again", *args)
    assert (work / "main.tf").read_text() == text


def test_a_third_party_pack_provides_a_fix(rds, tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "tags.py").write_text('''
from rdspolicy.rule import Rule, fail, passed, set_argument


def check(resource, ctx):
    attr = resource.attr("copy_tags_to_snapshot")
    if attr.known and attr.value is True:
        yield passed(at=attr)
    else:
        yield fail("copy_tags_to_snapshot is not true", attr)


RULE = Rule(id="ACME001", name="copy-tags", severity="low", summary="Tags on snapshots.", rationale="r",
            noncompliant="x", compliant="y", resource_types=("aws_db_instance",), check=check,
            fix=lambda resource, ctx, verdict: set_argument("set copy_tags_to_snapshot = true",
                                                            "copy_tags_to_snapshot", True))
''')
    work = tmp_path / "w"
    work.mkdir()
    (work / "main.tf").write_text('resource "aws_db_instance" "a" {\n  engine = "postgres"\n}\n')
    monkeypatch.chdir(work)
    code, out, err = rds("fix", ".", "--no-cache", "--rules-dir", str(pack), "--select", "ACME001")
    assert code == 1, err
    assert "+  engine                = \"postgres\"" in out and "+  copy_tags_to_snapshot = true" in out


def test_readme_fix_samples_are_what_the_tool_prints(rds, monkeypatch):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    samples = re.findall(r"^```diff\n\$ rdspolicy (.*?)\n(.*?)^```", readme, re.S | re.M)
    assert len(samples) == 2
    monkeypatch.chdir(ROOT)
    for command, shown in samples:
        code, out, _ = rds(*shlex.split(command), "--no-cache")
        assert code == 1 and out == shown, command


def test_pre_commit_fix_hook():
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["rdspolicy-fix"]
    assert hook["entry"] == "rdspolicy check --fix" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    assert hook["files"] == hooks["rdspolicy"]["files"] and hook["exclude"] == hooks["rdspolicy"]["exclude"]


def test_roots_with_the_same_addresses_are_fixed_each(rds, tmp_path, monkeypatch):
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "main.tf").write_text(
            'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  iam_database_authentication_enabled = false\n}\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = rds("fix", ".", "--no-cache", "--select", "RDS013")
    assert code == 1 and "2 findings can be fixed in 2 files" in err, err
    assert out.count("+  iam_database_authentication_enabled = true") == 2


def test_several_production_names_give_one_condition(rds, tmp_path, monkeypatch):
    shutil.copytree(FIX_FIXTURES / "environment-condition", tmp_path / "w")
    (tmp_path / "w" / "environments" / "production.tfvars").write_text('environment = "production"\n')
    monkeypatch.chdir(tmp_path / "w")
    code, out, _ = rds("fix", ".", "--no-cache", "--select", "RDS003")
    assert code == 1
    assert '+  multi_az            = contains(["prod", "production"], var.environment)' in out


def test_master_password_variable_marked_sensitive(rds, tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(
        'variable "db_password" {\n  type = string\n}\n\n'
        'resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  username = "app"\n'
        '  password = var.db_password\n}\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = rds("fix", ".", "--no-cache", "--select", "RDS019")
    assert code == 1, err
    assert ' variable "db_password" {\n-  type = string\n+  type      = string\n+  sensitive = true\n }' in out
