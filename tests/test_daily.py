"""Daily use (issue 16): one finding once, triage views, CLI conventions, shell
completion, ``rdspolicy init``.  Each test names the stumble it guards against."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import termios
from collections import Counter
from pathlib import Path

import pytest
import yaml

from rdspolicy import cli

from samples import CLEAN, SINGLE_AZ, UNENCRYPTED, write
from test_cli import console_script

ROOT = Path(__file__).resolve().parent.parent
FINDING_LINE = re.compile(r"^(?P<where>\S+:\d+:\d+): (?P<rule>[A-Z]+\d{3}) \[(?P<severity>\w+)\] (?P<resource>\S+) "
                          r"\[(?P<envs>[^\]]*)\]:")
# RDS013 (medium) only: IAM authentication off
MEDIUM_ONLY = CLEAN.replace("iam_database_authentication_enabled = true", "iam_database_authentication_enabled = false")


def pacs_json(tmp_path) -> dict:
    out = tmp_path / "pacs.json"
    assert cli.run(["check", "fixtures/pacs", "--format", "json", "-o", str(out)]) == 1
    return json.loads(out.read_text(encoding="utf-8"))


def distinct(findings: list[dict]) -> dict[tuple, list[str]]:
    """Findings identical but for the environment (its name taken out of the message as
    a word), with their environments: what the reports for people show once."""
    out: dict[tuple, list[str]] = {}
    for f in findings:
        message = re.sub(rf"(?<![\w.-]){re.escape(f['environment'])}(?![\w-])", "ENV", f["message"])
        key = (f["rule"], f["severity"], f["status"], f["resource"], f["file"], f["line"], f["column"], message)
        out.setdefault(key, []).append(f["environment"])
    return out


@pytest.fixture(scope="module")
def pacs(tmp_path_factory):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return pacs_json(tmp_path_factory.mktemp("pacs"))
    finally:
        os.chdir(cwd)


def run_in(capsys, *args) -> tuple[int, str, str]:
    code = cli.run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- one finding once ------------------------------------------------------------------


def test_pacs_shows_each_problem_once_with_its_environments(pacs, capsys, monkeypatch):
    # stumble: 122 findings printed, 65 of them distinct, once per environment
    monkeypatch.chdir(ROOT)
    code, out, _ = run_in(capsys, "check", "fixtures/pacs")
    assert code == 1
    lines = [m for m in map(FINDING_LINE.match, out.splitlines()) if m]
    groups = distinct(pacs["findings"])
    assert len(lines) == len(groups) < len(pacs["findings"])
    # every record is in one line, with its environment listed there
    shown = Counter((m["rule"], m["resource"], m["where"], env) for m in lines for env in m["envs"].split(", "))
    records = Counter((f["rule"], f["resource"], f"{f['file']}:{f['line']}:{f['column']}", f["environment"])
                      for f in pacs["findings"])
    assert shown == records
    assert any(m["envs"] == "development, production, staging" for m in lines)
    # --no-group: one line per environment, as before
    code, out, _ = run_in(capsys, "check", "fixtures/pacs", "--no-group")
    assert len([l for l in out.splitlines() if FINDING_LINE.match(l)]) == len(pacs["findings"])


def test_summary_first_and_last_warnings_after_the_findings_and_a_hint(pacs, capsys, monkeypatch):
    # stumble: the warnings came first and scrolled the findings off
    monkeypatch.chdir(ROOT)
    _, out, _ = run_in(capsys, "check", "fixtures/pacs")
    lines = out.splitlines()
    assert lines[0] == lines[-1] and lines[0].startswith(f"{pacs['summary']['fail']} failing, ")
    per_severity = Counter(key[1] for key in distinct(pacs["findings"]))
    assert ", ".join(f"{per_severity[s]} {s}" for s in ("critical", "high", "medium", "low") if per_severity[s]) \
        in lines[0]
    finding_at = [i for i, l in enumerate(lines) if FINDING_LINE.match(l)]
    warning_at = [i for i, l in enumerate(lines) if ": warning: " in l]
    assert len(warning_at) == pacs["summary"]["warnings"] > 0
    assert max(finding_at) < min(warning_at)
    # the hint names the most frequent rule
    top = Counter(key[0] for key in distinct(pacs["findings"])).most_common(1)[0][0]
    assert lines[-2].startswith("hint: ") and f"rdspolicy explain {top}" in lines[-2]


def test_no_line_wraps_on_a_200_column_terminal():
    # stumble: every line wrapped twice on a 160-column terminal
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([console_script(), "check", "fixtures/pacs", "--no-color"], cwd=ROOT, env=env,
                            stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 1
    lines = data.decode("utf-8").replace("\r\n", "\n").splitlines()
    assert len([l for l in lines if FINDING_LINE.match(l)]) > 50
    assert max(len(l) for l in lines) <= 200, max(lines, key=len)
    # cut lines end with an ellipsis; a pipe gets them whole
    assert any(l.endswith("…") for l in lines)


def test_pipes_get_whole_lines(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = run_in(capsys, "check", "fixtures/pacs")
    assert "…" not in out and max(len(l) for l in out.splitlines()) > 200


def test_sarif_results_list_the_environments_of_their_problem(pacs, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = run_in(capsys, "check", "fixtures/pacs", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert len(results) == len(pacs["findings"])  # one result per environment, as before
    envs_of = {}
    for key, envs in distinct(pacs["findings"]).items():
        envs_of[key] = envs
    for result, f in zip(results, pacs["findings"]):
        key = next(k for k, envs in envs_of.items() if k[0] == f["rule"] and k[3] == f["resource"]
                   and k[5] == f["line"] and k[6] == f["column"] and f["environment"] in envs
                   and result["properties"]["environment"] == f["environment"])
        assert result["properties"]["environments"] == envs_of[key]
        assert f["environment"] in result["properties"]["environments"]


def test_github_annotations_once_per_problem(pacs, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, out, _ = run_in(capsys, "check", "fixtures/pacs", "--format", "github")
    annotations = [l for l in out.splitlines() if l.startswith(("::error", "::warning", "::notice"))
                   and "title=RDS" in l]
    assert len(annotations) == len(distinct(pacs["findings"]))
    assert any("(development, production, staging): " in a for a in annotations)


# -- triage views ------------------------------------------------------------------------


def test_statistics_count_per_rule_severity_and_status(pacs, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run_in(capsys, "check", "fixtures/pacs", "--statistics")
    assert code == 1
    rows = [l.split() for l in out.splitlines() if re.match(r"^\s*\d+\s+RDS\d{3}\s", l)]
    expected = Counter((k[0], k[1], k[2]) for k in distinct(pacs["findings"]))
    assert {(r[1], r[3], r[4]): int(r[0]) for r in rows} == dict(expected)
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    assert not [l for l in out.splitlines() if FINDING_LINE.match(l)]  # instead of the findings


def test_severity_shows_only_findings_at_or_above_and_the_exit_status_follows_fail_on(work, rds):
    write(work, {"db/main.tf": MEDIUM_ONLY})
    shown = rds("check", "db", "--severity", "high")
    assert shown.code == 1, shown  # the medium finding still fails the run (--fail-on low)
    assert not [l for l in shown.out.splitlines() if FINDING_LINE.match(l)]
    assert "(1 below high not shown)" in shown.out
    assert rds("check", "db", "--severity", "high", "--fail-on", "high").code == 0
    every = rds("check", "db", "--severity", "medium")
    assert [FINDING_LINE.match(l)["rule"] for l in every.out.splitlines() if FINDING_LINE.match(l)] == ["RDS013"]
    assert len(rds("check", "db", "--severity", "high", "--format", "json").findings()) == 0


def test_full_output_has_a_code_frame_and_the_fix(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db", "--output-format", "full")
    lines = result.out.splitlines()
    head = lines.index(next(l for l in lines if l.startswith("db/main.tf:4:3: RDS001 storage-encrypted [high]")))
    assert lines[head + 1].strip().startswith("storage_encrypted = false")
    frame = lines[head + 2:head + 5]
    assert frame[1] == "  4 |   storage_encrypted = false"
    # the caret under column 3, the argument's whole length marked
    assert frame[2] == "    |   ^" + "~" * (len("storage_encrypted = false") - 1)
    assert lines[head + 5].startswith("  fix: Database storage must be encrypted at rest")
    concise = rds("check", "db").out  # the default: one line per finding
    assert len([l for l in concise.splitlines() if "RDS001" in l and "|" not in l]) == 2  # the finding, the hint


def test_quiet_prints_findings_and_errors_only(work, rds):
    # stumble: --quiet got "Did you mean '--set'?"
    write(work, {"db/main.tf": UNENCRYPTED,
                 "broken/main.tf": 'resource "aws_db_instance" "x" {\n  engine = "postgres\n}\n',
                 "warn/main.tf": UNENCRYPTED.replace('"postgres"', "var.missing")})
    for flag in ("-q", "--quiet"):
        result = rds("check", "db", "broken", "warn", flag)
        assert result.code == 2
        lines = result.out.splitlines()
        assert [l for l in lines if ": error: " in l] and [l for l in lines if FINDING_LINE.match(l)]
        assert not [l for l in lines if ": warning: " in l or " passed; " in l or l.startswith("hint:")]
        assert len(lines) == len([l for l in lines if ": error: " in l or FINDING_LINE.match(l)])


def test_exit_zero(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    assert rds("check", "db").code == 1
    assert rds("check", "db", "--exit-zero").code == 0
    write(work, {"broken/main.tf": 'resource "x" "y" {\n'})
    assert rds("check", "db", "broken", "--exit-zero").code == 2  # an error is still an error


def test_paths_default_to_the_current_folder(work, rds):
    # stumble: `rdspolicy check` without a path was a usage error
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check")
    assert result.code == 1 and "db/main.tf:4:3: RDS001" in result.out


# -- suppressions and baselines -----------------------------------------------------------


def test_a_directive_for_a_rule_that_did_not_run_is_not_unknown(work, rds):
    # stumble: `warning: rdspolicy:ignore: unknown rule 'RDS003'` under --select
    text = SINGLE_AZ.replace('"db" {', '"db" {\n  # rdspolicy:ignore RDS003 reason="reporting replica"', 1)
    write(work, {"db/main.tf": text})
    for args in (["--select", "RDS001"], ["--ignore", "RDS003"], ["--framework", "cis"]):
        result = rds("check", "db", "--environment", "production", "--format", "json",
                     "--report-unused-ignores", *args)
        assert [d["code"] for d in result.json()["diagnostics"]] == [], (args, result.json()["diagnostics"])
    # a rule that does not exist still is unknown, with the near miss named
    write(work, {"db/main.tf": text.replace("RDS003", "RDS03")})
    result = rds("check", "db", "--environment", "production")
    assert "unknown rule 'RDS03' (did you mean " in result.out and "RDS003 (multi-az-production)" in result.out


def test_the_blocks_first_line_covers_the_block(work, rds):
    # stumble: `# rdspolicy:ignore RDS003 reason="..."` as the block's first line did nothing
    text = SINGLE_AZ.replace('"db" {', '"db" {\n  # rdspolicy:ignore RDS003 reason="reporting replica"', 1)
    write(work, {"db/main.tf": text})
    result = rds("check", "db", "--environment", "production", "--format", "json")
    assert result.code == 0, result.findings()
    assert [(f["rule"], f["suppression"]["reason"]) for f in result.findings()] == [("RDS003", "reporting replica")]


def test_write_baseline_records_says_so_in_one_line_and_exits_0(work, rds):
    # stumble: --write-baseline exited 1 and printed the whole report
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db", "--write-baseline", "base.json")
    assert result.code == 0
    assert result.out == "rdspolicy: recorded 1 finding in base.json (1 entry)\n"
    assert json.loads((work / "base.json").read_text())["findings"][0]["rule"] == "RDS001"


# -- rule ids everywhere -------------------------------------------------------------------


def test_comma_separated_rule_lists(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    assert rds("check", "db", "--select", "RDS001,RDS003", "--format", "json").json()["summary"]["rules"] == [
        "RDS001", "RDS003"]
    ran = rds("check", "db", "--ignore", "RDS001,storage-encrypted,RDS002", "--format", "json").json()
    assert "RDS001" not in ran["summary"]["rules"] and "RDS002" not in ran["summary"]["rules"]
    bad = rds("check", "db", "--select", "RDS001,RDS0019")
    assert bad.code == 2 and "did you mean RDS019" in bad.out + bad.err


def test_explain_suggests_near_misses_and_prints_plain_text(work, rds):
    # stumbles: `explain RDS19` gave no suggestion; explain printed ``reStructuredText``
    result = rds("explain", "RDS19")
    assert result.code == 2 and "did you mean RDS019 (master-password-not-in-code)" in result.err
    text = rds("explain", "RDS001").out
    assert "``" not in text and "storage_encrypted" in text
    both = rds("explain", "RDS001,RDS003").out
    assert both.count("\nWhy\n") == 2


def test_a_misspelt_rule_in_the_configuration_gets_a_suggestion(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db", "--set", "RDS05.severity=high")
    assert result.code == 2 and "did you mean" in result.err and "RDS005 (backup-retention)" in result.err


def complete(monkeypatch, capsys, words: str, shell: str = "bash") -> list[str]:
    """What the shell completion offers for the last of ``words`` (click's protocol)."""
    monkeypatch.setenv("_RDSPOLICY_COMPLETE", f"{shell}_complete")
    parts = words.split(" ")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(parts) - 1))
    cli.run(parts[1:])
    out = capsys.readouterr().out
    monkeypatch.delenv("_RDSPOLICY_COMPLETE")
    return [line.split(",", 1)[1] for line in out.splitlines() if "," in line]


def test_shell_completion_of_rule_ids_and_formats(monkeypatch, capsys):
    offered = complete(monkeypatch, capsys, "rdspolicy check --select RDS01")
    assert offered == [f"RDS01{n}" for n in range(10)]
    assert "RDS001,RDS002" in complete(monkeypatch, capsys, "rdspolicy check --select RDS001,RDS00")
    assert "storage-encrypted" in complete(monkeypatch, capsys, "rdspolicy explain stor")
    assert complete(monkeypatch, capsys, "rdspolicy check --format sa") == ["sarif"]
    assert complete(monkeypatch, capsys, "rdspolicy check --output-format f") == ["full"]
    for shell in ("bash", "zsh", "fish"):
        monkeypatch.setenv("_RDSPOLICY_COMPLETE", f"{shell}_source")
        cli.run([])
        assert "_RDSPOLICY_COMPLETE" in capsys.readouterr().out, shell
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in ('eval "$(_RDSPOLICY_COMPLETE=bash_source rdspolicy)"',
                 'eval "$(_RDSPOLICY_COMPLETE=zsh_source rdspolicy)"',
                 "_RDSPOLICY_COMPLETE=fish_source rdspolicy | source"):
        assert line in readme


# -- rdspolicy init -------------------------------------------------------------------------


def test_init_writes_a_commented_configuration_and_prints_the_hooks(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("init")
    assert result.code == 0, result
    written = (work / ".rdspolicy.hcl").read_text(encoding="utf-8")
    # every setting in force, commented out: the file changes nothing until edited
    assert all(not line or line.startswith("#") for line in written.splitlines())
    assert '# production_environments = ["production", "prod", "prd"]' in written
    assert '# rule "RDS005" {' in written and "#   severity = " in written
    assert rds("config").code == 0
    assert rds("check").code == 1  # the folder the file is in (outside a repository, only there)
    # uncommented, a setting takes effect
    lines = written.splitlines()
    start = lines.index('# rule "RDS001" {  # storage-encrypted')
    end = lines.index("# }", start)
    lines[start:end + 1] = [line[2:].replace("enabled = true", "enabled = false") for line in lines[start:end + 1]]
    (work / ".rdspolicy.hcl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rds("check").code == 0
    # the snippets printed are YAML a user can paste
    out = result.out
    precommit = yaml.safe_load(out.split("(.pre-commit-config.yaml):\n", 1)[1].split("\nA GitHub", 1)[0])
    assert precommit["repos"][0]["hooks"][0]["id"] == "rdspolicy"
    job = yaml.safe_load(out.split("(.github/workflows/rdspolicy.yml):\n", 1)[1])
    steps = job["jobs"]["rdspolicy"]["steps"]
    assert any("sarif-file" in (s.get("with") or {}) for s in steps)


def test_init_does_not_overwrite(work, rds):
    (work / ".rdspolicy.hcl").write_text("exclude = []\n", encoding="utf-8")
    result = rds("init")
    assert result.code == 2 and "does not overwrite" in result.err
    assert (work / ".rdspolicy.hcl").read_text(encoding="utf-8") == "exclude = []\n"
