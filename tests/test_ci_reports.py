"""The CI outputs: SARIF (validated against the official 2.1.0 schema), JUnit, GitHub
workflow commands and GitLab Code Quality; several reports from one run; ``--root``;
``--fail-on``; ``--select``/``--ignore``; and errors that exit 2 in every format while
the machine-readable report stays valid and says what went wrong.

The schema in ``tests/schemas/`` is a copy of the OASIS SARIF 2.1.0 schema (errata 01),
kept with its licence file beside it, as the OASIS notice asks.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from rdspolicy import cli
from rdspolicy.findings import EnvironmentInfo, Finding, Report, Suppression
from rdspolicy.plugins import load_rules
from rdspolicy.report import render
from rdspolicy.report import sarif as sarif_module
from rdspolicy.report.common import find_root
from rdspolicy.report.github import command
from rdspolicy.rule import Rule, passed
from samples import EXTRAS  # what the rules from RDS008 on ask of a database, closing its block

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)

# RDS001 fails at line 5, column 3, in each environment; every other rule passes
UNENCRYPTED = """
resource "aws_db_instance" "db" {
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  storage_encrypted       = false
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 7
""" + EXTRAS

# only RDS002 (medium) fails: encrypted with the AWS-managed key
MEDIUM_ONLY = """
resource "aws_db_instance" "db" {
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  storage_encrypted       = true
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 7
""" + EXTRAS

BROKEN = 'resource "aws_db_instance" "db" {\n  engine = \n}\n'


def write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def rds(capsys, monkeypatch):
    for name in [n for n in os.environ if n.startswith("TF_VAR_")]:
        monkeypatch.delenv(name)

    def run(*args) -> Result:
        code = cli.run([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Result(code, captured.out, captured.err)

    return run


def valid_sarif(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return log


def rules_by_id() -> dict[str, Rule]:
    return {r.id: r for r in load_rules().rules}


# ---------------------------------------------------------------- SARIF


def test_sarif_of_pacs_is_valid_and_complete(rds, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = rds("check", "fixtures/pacs", "--format", "sarif", "--automation-id", "rdspolicy/pacs/")
    assert result.code == 1
    log = valid_sarif(result.out)
    findings = json.loads(rds("check", "fixtures/pacs", "--format", "json").out)["findings"]
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rdspolicy" and driver["version"] and driver["informationUri"]
    assert run["automationDetails"] == {"id": "rdspolicy/pacs/"}
    assert run["invocations"][0]["executionSuccessful"] is True
    notes = run["invocations"][0]["toolExecutionNotifications"]
    # the six undeclared variables, and four required variables without a value in each of three environments
    assert {n["level"] for n in notes} == {"warning"} and len(notes) == 6 + 4 * 3
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"

    known = rules_by_id()
    assert [r["id"] for r in driver["rules"]] == sorted(known)
    grades = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
    for descriptor in driver["rules"]:
        rule = known[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        first_words = " ".join(rule.rationale.split()[:6]).replace("``", "`")
        for text in (descriptor["help"]["text"], descriptor["help"]["markdown"]):
            assert first_words in text
            assert rule.compliant.strip().splitlines()[0] in text
        assert "```hcl\n" in descriptor["help"]["markdown"]
        level = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}[rule.severity]
        assert descriptor["defaultConfiguration"]["level"] == level
        props = descriptor["properties"]
        assert isinstance(props["security-severity"], str)
        low, high = grades[rule.severity]
        assert low <= float(props["security-severity"]) <= high
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert 0 < len(props["tags"]) <= 20

    results = run["results"]
    assert len(results) == len(findings) > 20
    prints = set()
    for res, finding in zip(results, findings):
        assert res["ruleId"] == finding["rule"]
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert finding["resource"] in res["message"]["text"]
        assert f"({finding['environment']})" in res["message"]["text"]
        levels = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
        assert res["level"] == ("note" if finding["status"] == "unknown" else levels[finding["severity"]])
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art == {"uri": finding["file"], "uriBaseId": "%SRCROOT%"}
        assert loc["physicalLocation"]["region"] == {
            "startLine": finding["line"], "startColumn": finding["column"],
            "endLine": finding["end_line"], "endColumn": finding["end_column"]}
        assert loc["logicalLocations"][0]["fullyQualifiedName"] == finding["resource"]
        assert res["properties"]["environment"] == finding["environment"]
        prints.add(res["partialFingerprints"]["rdspolicy/v1"])
    assert len(prints) == len(results), "every result has its own fingerprint"


def test_sarif_paths_are_the_same_from_any_folder(rds, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    from_root = rds("check", "fixtures/pacs", "--format", "sarif", "--root", ROOT)
    monkeypatch.chdir(tmp_path)
    from_elsewhere = rds("check", ROOT / "fixtures" / "pacs", "--format", "sarif", "--root", ROOT)
    assert from_root.code == from_elsewhere.code == 1
    assert valid_sarif(from_root.out) == valid_sarif(from_elsewhere.out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(from_elsewhere.out)["runs"][0]["results"]}
    assert uris and all(u.startswith("fixtures/pacs/") for u in uris)
    if (ROOT / ".git").exists():  # a checkout: the default root is its top level
        assert rds("check", ROOT / "fixtures" / "pacs", "--format", "sarif").out == from_root.out


def test_default_root_is_the_git_top_level_found_without_git(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo, {"infra/db/main.tf": UNENCRYPTED})
    assert find_root([str(repo / "infra" / "db")], cwd=str(tmp_path)) == str(repo)
    assert find_root(["infra/db/main.tf"], cwd=str(repo)) == str(repo)
    worktree = tmp_path / "worktree"
    write(worktree, {".git": "gitdir: /elsewhere\n", "db/main.tf": UNENCRYPTED})  # a worktree's .git file
    assert find_root([str(worktree / "db")], cwd=str(tmp_path)) == str(worktree)
    assert find_root([str(tmp_path / "missing")], cwd=str(tmp_path)) == str(tmp_path)


def test_fingerprints_do_not_change_when_lines_move(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED, "db/dev.tfvars": "", "db/prod.tfvars": ""})

    def results():
        run = valid_sarif(rds("check", "db", "--format", "sarif").out)["runs"][0]
        return [(r["partialFingerprints"]["rdspolicy/v1"], r["properties"]["environment"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]]

    before = results()
    main = tmp_path / "db" / "main.tf"
    main.write_text("# moved down\n\n\n" + main.read_text(encoding="utf-8"), encoding="utf-8")
    after = results()
    assert len(before) == 2 and before[0][0] != before[1][0]  # the environments differ
    assert [(p, e) for p, e, _ in before] == [(p, e) for p, e, _ in after]
    assert [line + 3 for _, _, line in before] == [line for _, _, line in after]


def finding(**changes) -> Finding:
    values = dict(rule="RDS001", name="storage-encrypted", severity="high", status="fail",
                  resource="aws_db_instance.db", environment="production", module="db", file="db/main.tf",
                  line=5, column=3, end_line=5, end_column=28, message="storage_encrypted = false")
    values.update(changes)
    return Finding(**values)


def report_of(*findings: Finding, diagnostics=()) -> Report:
    return Report(findings=list(findings), diagnostics=list(diagnostics), rules=sorted(rules_by_id()),
                  environments=[EnvironmentInfo(module="db", name="production", production=True,
                                                var_files=[], resources=1)])


def test_suppressed_and_unknown_findings_in_every_ci_format(tmp_path):
    report = report_of(
        finding(suppression=Suppression(kind="inSource", reason="replica of an encrypted source",
                                        file="db/main.tf", line=4)),
        finding(rule="RDS004", name="deletion-protection", resource="aws_db_instance.other", line=9,
                suppression=Suppression(kind="external", reason="in the baseline", until="2027-01-31")),
        finding(rule="RDS003", name="multi-az-production", status="unknown", line=12, end_line=12,
                message="multi_az is unknown: var.ha is not set"),
    )
    assert report.failed == [] and len(report.suppressed) == 2
    rules = load_rules().rules
    log = valid_sarif(render("sarif", report, rules=rules, root=str(tmp_path)))
    results = log["runs"][0]["results"]
    assert [r.get("suppressions", [{}])[0].get("kind") for r in results] == ["inSource", "external", None]
    assert results[0]["suppressions"][0]["justification"] == "replica of an encrypted source"
    assert results[0]["suppressions"][0]["location"]["physicalLocation"]["region"] == {"startLine": 4}
    assert results[1]["suppressions"][0]["properties"] == {"until": "2027-01-31"}
    assert results[2]["level"] == "note" and results[2]["properties"]["status"] == "unknown"
    assert results[2]["message"]["text"].startswith("aws_db_instance.db (production): unknown: ")

    github = render("github", report, rules=rules, root=str(tmp_path)).splitlines()
    assert [l.split(" ")[0] for l in github[:-1]] == ["::notice"]  # suppressed findings are left out
    gitlab = json.loads(render("gitlab", report, rules=rules, root=str(tmp_path)))
    assert [(i["check_name"], i["severity"]) for i in gitlab] == [("RDS003 multi-az-production", "info")]
    junit = ET.fromstring(render("junit", report, rules=rules, root=str(tmp_path)))
    skipped = [c.find("skipped").get("message") for c in junit.iter("testcase") if c.find("skipped") is not None]
    assert sorted(skipped) == ["suppressed (external): in the baseline",
                               "suppressed (inSource): replica of an encrypted source",
                               "unknown: multi_az is unknown: var.ha is not set"]
    assert junit.get("failures") == "0" and junit.get("skipped") == "3"


def test_sarif_stays_inside_githubs_limits(monkeypatch, tmp_path):
    monkeypatch.setattr(sarif_module, "MAX_RESULTS", 2)
    monkeypatch.setattr(sarif_module, "PRETTY_RESULTS", 1)  # and compact JSON past this
    report = report_of(finding(severity="medium", line=1), finding(severity="critical", line=2),
                       finding(severity="high", line=3, resource="aws_db_instance.x"))
    many_controls = Rule(
        id="ACME001", name="many-tags", severity="low", summary="A rule with many controls.",
        rationale="Because.", noncompliant="x = 1\n", compliant="x = 2\n", resource_types=("aws_db_instance",),
        check=lambda resource, ctx: [passed()], controls=tuple(f"CONTROL {i}" for i in range(30)),
    )
    text = render("sarif", report, rules=[*load_rules().rules, many_controls], root=str(tmp_path))
    assert text.count("\n") == 1
    log = valid_sarif(text)
    run = log["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [2, 3]
    note = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["descriptor"]["id"] == "results-truncated" and "1 of 3 results" in note["message"]["text"]
    assert all(len(r["properties"]["tags"]) <= 20 for r in run["tool"]["driver"]["rules"])
    assert sarif_module.MAX_TAGS == 20 and len(run["tool"]["driver"]["rules"][-1]["properties"]["tags"]) == 20


# ---------------------------------------------------------------- JUnit, GitHub, GitLab


def test_junit_has_one_testcase_per_rule_resource_and_environment(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED, "db/environments/dev.tfvars": "",
                     "db/environments/production.tfvars": ""})
    result = rds("check", "db", "--format", "junit")
    assert result.code == 1
    suites = ET.fromstring(result.out)
    assert suites.tag == "testsuites"
    by_name = {s.get("name"): s for s in suites.findall("testsuite")}
    encrypted = by_name["RDS001 storage-encrypted"]
    cases = encrypted.findall("testcase")
    assert [c.get("name") for c in cases] == ["aws_db_instance.db [dev]", "aws_db_instance.db [production]"]
    assert all(c.find("failure") is not None and c.get("file") == "db/main.tf" and c.get("line") == "5"
               for c in cases)
    assert encrypted.get("tests") == "2" and encrypted.get("failures") == "2"
    # the other rules passed (RDS003 and RDS004 judge production only)
    others = [c for name, s in by_name.items() if name != "RDS001 storage-encrypted" for c in s.iter("testcase")]
    assert others and all(len(c) == 0 for c in others)
    assert {c.get("name") for c in by_name["RDS003 multi-az-production"].iter("testcase")} == {
        "aws_db_instance.db [production]"}
    for s in suites.findall("testsuite"):
        assert int(s.get("tests")) == len(s.findall("testcase"))
    assert int(suites.get("tests")) == sum(int(s.get("tests")) for s in suites.findall("testsuite"))
    assert suites.get("failures") == "2" and suites.get("errors") == "0"


def test_junit_of_pacs_counts_failures_as_the_findings_do(rds, monkeypatch):
    monkeypatch.chdir(ROOT)
    suites = ET.fromstring(rds("check", "fixtures/pacs", "--format", "junit").out)
    findings = json.loads(rds("check", "fixtures/pacs", "--format", "json").out)["findings"]
    failing = {(f["rule"], f["resource"], f["environment"]) for f in findings if f["status"] == "fail"}
    failed_cases = {(c.get("classname").split(".")[1], *re.fullmatch(r"(.+) \[(.+)\]", c.get("name")).groups())
                    for c in suites.iter("testcase") if c.find("failure") is not None}
    assert failed_cases == failing
    assert int(suites.get("failures")) == len(failing)
    assert int(suites.get("tests")) == len(list(suites.iter("testcase"))) > len(failing)


def test_github_escaping_follows_the_runner():
    line = command("error", "100% sure\r\nnext: a, b", file="db/a,b:c.tf", line=3, col=5, title="RDS001 x: y, z")
    assert line == ("::error file=db/a%2Cb%3Ac.tf,line=3,col=5,title=RDS001 x%3A y%2C z"
                    "::100%25 sure%0D%0Anext: a, b")


GITHUB_LINE = re.compile(r"^::(error|warning|notice)( (\w+=[^,:]*)(,\w+=[^,:]*)*)?::[^\r\n]*$")


def test_github_annotations_of_pacs(rds, monkeypatch):
    monkeypatch.chdir(ROOT)
    # one annotation per environment (--no-group); grouped: tests/test_daily.py
    result = rds("check", "fixtures/pacs", "--format", "github", "--no-group")
    assert result.code == 1
    lines = result.out.splitlines()
    commands = [l for l in lines if l.startswith("::")]
    assert all(GITHUB_LINE.match(l) for l in commands), [l for l in commands if not GITHUB_LINE.match(l)]
    findings = json.loads(rds("check", "fixtures/pacs", "--format", "json").out)["findings"]
    errors = [l for l in commands if l.startswith("::error ")]
    assert len(errors) == sum(f["severity"] in ("critical", "high") and f["status"] == "fail" for f in findings)
    notices = [l for l in commands if l.startswith("::notice ")]
    assert len(notices) == sum(f["status"] == "unknown" for f in findings)
    first = findings[0]
    expected = (f"::warning file={first['file']},line={first['line']},col={first['column']},"
                f"endLine={first['end_line']},title={first['rule']} {first['name']} [{first['severity']}]"
                f"::{first['resource']} ({first['environment']}): ")
    assert any(l.startswith(expected) for l in commands)
    # the most severe come first: GitHub shows only the first 10 of each level per step
    finding_lines = [l for l in commands if "title=RDS" in l]
    order = ["error", "warning", "notice"]
    ranks = [order.index(l[2:].split(" ", 1)[0]) for l in finding_lines]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert lines[-1].startswith(f"rdspolicy: {sum(f['status'] == 'fail' for f in findings)} failing")


def test_gitlab_code_quality_of_pacs(rds, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = rds("check", "fixtures/pacs", "--format", "gitlab")
    assert result.code == 1
    issues = json.loads(result.out)
    findings = json.loads(rds("check", "fixtures/pacs", "--format", "json").out)["findings"]
    assert isinstance(issues, list) and len(issues) == len(findings)
    severity = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor"}
    for issue, f in zip(issues, findings):
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["check_name"] == f"{f['rule']} {f['name']}"
        assert issue["severity"] == ("info" if f["status"] == "unknown" else severity[f["severity"]])
        assert issue["location"]["path"] == f["file"] and not issue["location"]["path"].startswith(("/", "./"))
        assert issue["location"]["lines"]["begin"] == f["line"]
        assert f["resource"] in issue["description"] and f["environment"] in issue["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    sarif = json.loads(rds("check", "fixtures/pacs", "--format", "sarif").out)["runs"][0]["results"]
    assert [i["fingerprint"] for i in issues] == [r["partialFingerprints"]["rdspolicy/v1"] for r in sarif]


# ---------------------------------------------------------------- one run, several reports


def test_several_reports_from_one_run(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db", "--output-sarif", "r.sarif", "--output-junit", "r.xml",
                 "--output-gitlab", "gl.json", "--output-github", "gh.txt", "--output-json", "r.json")
    assert result.code == 1
    assert "db/main.tf:5:3: RDS001 [high]" in result.out  # text on stdout
    assert result.out.rstrip().splitlines()[-1].startswith("1 failing")
    assert len(valid_sarif((tmp_path / "r.sarif").read_text())["runs"][0]["results"]) == 1
    assert ET.parse(tmp_path / "r.xml").getroot().get("failures") == "1"
    assert json.loads((tmp_path / "gl.json").read_text())[0]["check_name"] == "RDS001 storage-encrypted"
    assert (tmp_path / "gh.txt").read_text().startswith("::error file=db/main.tf,line=5,col=3,")
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["fail"] == 1


def test_a_report_file_in_a_missing_folder_is_an_error(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db", "--output-sarif", "missing/r.sarif")
    assert result.code == 2 and "missing/r.sarif" in result.err


# ---------------------------------------------------------------- exit status


def test_fail_on_counts_only_findings_at_or_above_the_severity(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": MEDIUM_ONLY})
    assert [f["rule"] for f in json.loads(rds("check", "db", "--format", "json").out)["findings"]] == ["RDS002"]
    assert rds("check", "db").code == 1
    assert rds("check", "db", "--fail-on", "medium").code == 1
    assert rds("check", "db", "--fail-on", "low").code == 1
    assert rds("check", "db", "--fail-on", "high").code == 0
    assert rds("check", "db", "--fail-on", "critical").code == 0
    bad = rds("check", "db", "--fail-on", "severe")
    assert bad.code == 2 and "--fail-on" in bad.err


def test_select_and_ignore_take_ids_or_names(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED})
    assert rds("check", "db").code == 1
    assert rds("check", "db", "--ignore", "RDS001").code == 0
    assert rds("check", "db", "--ignore", "Storage-Encrypted").code == 0
    assert rds("check", "db", "--select", "RDS002", "--select", "multi-az-production").code == 0
    only = valid_sarif(rds("check", "db", "--select", "storage-encrypted", "--format", "sarif").out)["runs"][0]
    assert [r["id"] for r in only["tool"]["driver"]["rules"]] == ["RDS001"]
    assert [r["ruleId"] for r in only["results"]] == ["RDS001"]
    assert json.loads(rds("check", "db", "--select", "rds001", "--format", "json").out)["summary"]["rules"] == [
        "RDS001"]
    misspelt = rds("check", "db", "--ignore", "storage-encripted")
    assert misspelt.code == 2
    assert ("--ignore storage-encripted: no rule has this id or name; did you mean RDS001 (storage-encrypted)"
            in misspelt.out)


MISTAKES = {
    "parse error": (["db"], {"db/main.tf": UNENCRYPTED, "db/broken.tf": BROKEN}, "db/broken.tf", "parse-error"),
    "unknown rule": (["db", "--select", "RDS0001"], {"db/main.tf": UNENCRYPTED},
                     "did you mean RDS001 (storage-encrypted)", "unknown-rule"),
    "missing path": (["db", "nowhere"], {"db/main.tf": UNENCRYPTED}, "nowhere", "missing-path"),
}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gitlab"])
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_errors_exit_2_in_every_format_and_the_report_says_so(rds, tmp_path, monkeypatch, fmt, mistake):
    args, files, words, code = MISTAKES[mistake]
    monkeypatch.chdir(tmp_path)
    write(tmp_path, files)
    result = rds("check", *args, "--format", fmt)
    assert result.code == 2
    assert words in result.out  # the report itself names the problem
    if fmt != "text":
        assert words in result.err  # and so does standard error, for people reading the CI log
    if fmt == "json":
        assert code in {d["code"] for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"}
    elif fmt == "sarif":
        invocation = valid_sarif(result.out)["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        assert any(n["level"] == "error" and n["descriptor"]["id"] == code
                   for n in invocation["toolExecutionNotifications"])
    elif fmt == "junit":
        suites = ET.fromstring(result.out)
        assert int(suites.get("errors")) >= 1
        assert any(e.get("type") == code for e in suites.iter("error"))
    elif fmt == "github":
        assert any(l.startswith("::error") and f"title=rdspolicy {code}" in l for l in result.out.splitlines())
    elif fmt == "gitlab":
        issues = json.loads(result.out)
        assert any(i["check_name"] == f"rdspolicy/{code}" and i["severity"] == "blocker" for i in issues)


# ---------------------------------------------------------------- pre-commit's file lists


def test_changed_files_are_checked_as_whole_modules(rds, tmp_path, monkeypatch):
    """pre-commit passes changed file names: each module they belong to is checked once,
    whole; a var-file under environments/ belongs to the module above it."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "db/main.tf": UNENCRYPTED, "db/variables.tf": 'variable "x" {\n  default = 1\n}\n',
        "db/environments/production.tfvars": "x = 2\n",
        "other/main.tf": MEDIUM_ONLY,
    })
    result = rds("check", "db/variables.tf", "db/environments/production.tfvars", "other/main.tf",
                 "db/main.tf", "--format", "json")
    data = json.loads(result.out)
    assert sorted((e["module"], e["name"]) for e in data["environments"]) == [
        ("db", "production"), ("other", "default")]
    assert sorted((f["file"], f["rule"]) for f in data["findings"]) == [
        ("db/main.tf", "RDS001"), ("other/main.tf", "RDS002")]
    # the same files split across two processes, as pre-commit may do: the same verdicts
    first = rds("check", "db/environments/production.tfvars", "--format", "json")
    assert [f["rule"] for f in json.loads(first.out)["findings"]] == ["RDS001"]


def test_a_var_file_in_a_nested_environment_folder_belongs_to_the_module_above(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED, "db/envs/prod/terraform.tfvars": "",
                     "loose/prod/terraform.tfvars": ""})
    data = json.loads(rds("check", "db/envs/prod/terraform.tfvars", "--format", "json").out)
    assert [e["module"] for e in data["environments"]] == ["db"] and not data["diagnostics"], data
    # a var-file with no module above an environment folder is still an error
    assert rds("check", "loose/prod/terraform.tfvars").code == 2


def test_the_readme_ci_examples_run(rds, tmp_path, monkeypatch):
    """Every ``rdspolicy check`` command in the README's CI examples works as written,
    and its YAML parses; the files they upload are the files the commands write."""
    import shlex

    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", readme, re.S | re.M)
    uploaded = set()
    for block in blocks:
        text = yaml.safe_load(block)
        uploaded |= set(re.findall(r"(?:sarif_file|junit|codequality): (\S+)", block))
        assert text
    sh = re.findall(r"^```sh\n(.*?)^```", readme, re.S | re.M)
    commands = re.findall(r"(?:^|- run: |^\s+- )(rdspolicy check \. [^\n#]+)", "".join(blocks + sh), re.M)
    assert len(commands) >= 2, commands
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"db/main.tf": UNENCRYPTED})
    (tmp_path / ".git").mkdir()
    written = set()
    for line in commands:
        args = shlex.split(line)[1:]
        result = rds(*args)
        assert result.code == 1, (line, result.err)
        for option, path in zip(args, args[1:]):
            if option.startswith("--output-"):
                assert (tmp_path / path).stat().st_size > 0, line
                written.add(path)
    # the GitHub Action (action.yml; tests/test_action.py runs it) writes its sarif-file
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for block in blocks:
        for job in (yaml.safe_load(block).get("jobs") or {}).values():
            for step in job.get("steps", ()):
                if str(step.get("uses", "")).endswith("/rdspolicy@REF"):
                    inputs = step.get("with") or {}
                    assert set(inputs) <= set(action["inputs"]), inputs
                    written.add(inputs.get("sarif-file", action["inputs"]["sarif-file"]["default"]))
    assert uploaded == {"rdspolicy.sarif", "rdspolicy-junit.xml", "gl-code-quality.json"}
    assert uploaded <= written


def test_inline_and_baseline_suppressions_reach_sarif(rds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ignored = 'storage_encrypted       = false # rdspolicy:ignore RDS001 reason="test data"'
    write(tmp_path, {"db/main.tf": UNENCRYPTED.replace("storage_encrypted       = false", ignored)})
    run = valid_sarif(rds("check", "db", "--format", "sarif").out)["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "RDS001"
    assert result["suppressions"][0]["kind"] == "inSource"
    assert result["suppressions"][0]["justification"] == "test data"
    write(tmp_path, {"db/main.tf": UNENCRYPTED})
    assert rds("check", "db", "--write-baseline", "baseline.json").code == 0
    baselined = rds("check", "db", "--baseline", "baseline.json", "--format", "sarif")
    assert baselined.code == 0
    (result,) = valid_sarif(baselined.out)["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "external"


@pytest.mark.parametrize("data", [
    {},
    [],
    {"a": [], "b": {}, "c": [{}], "d": None, "e": True, "f": False, "g": 0, "h": -12345678901234567890},
    {"text": 'quote " backslash \\ new\nline tab\t nul \x00 del \x7f é ü 日本 \u2028 \U0001f600'},
    {"nested": {"list": [1, [2, [3, {"x": "y"}]], {"k": [None]}]}, "float": 1.5, "inf": float("inf")},
    {1: "int key", "s": (1, 2)},
    [{"rule": "RDS001", "suppression": None, "line": 3}, {"rule": "RDS002", "suppression": {"kind": "external"}}],
])
def test_our_json_writer_writes_what_the_standard_library_writes(data):
    from rdspolicy.report import dumps

    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_our_json_writer_on_a_whole_report(tmp_path):
    from rdspolicy import cli
    from rdspolicy.report import dumps

    out = tmp_path / "report.json"
    cli.run(["check", "--no-cache", "--format", "json", "-o", str(out), str(Path(__file__).parent.parent / "fixtures" / "pacs")])
    data = json.loads(out.read_text())
    assert data["findings"]
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_json_report_fields_are_the_models_dumps(tmp_path):
    """The JSON report reads the models' fields itself (report.json.fields) instead of
    model_dump, which builds pydantic's serializers: the same values."""
    from rdspolicy.baseline import apply
    from rdspolicy.report.json import fields
    from rdspolicy.testing import check

    rules = load_rules().rules
    fixtures = Path(__file__).parent.parent / "fixtures"
    made = []
    for folder in sorted(p for p in fixtures.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        report = check(folder, rules, allow_errors=True).report
        made += report.findings + report.environments
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"version": 1, "findings": [
        {"rule": "RDS001", "file": "gone.tf", "resource": "aws_db_instance.gone", "environment": "prod", "count": 2}]}))
    made += apply(made[:0], str(baseline))
    made += report_of(finding(suppression=Suppression(kind="external", reason="baseline", file="b.json"))).findings
    kinds = {type(m).__name__ for m in made}
    assert kinds == {"Finding", "EnvironmentInfo", "Fixed"}
    assert any(getattr(m, "suppression", None) is not None for m in made if type(m).__name__ == "Finding")
    for model in made:
        assert fields(model) == model.model_dump()
        assert list(fields(model)) == list(model.model_dump())
