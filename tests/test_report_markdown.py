"""``--format markdown``: the summary for a pull-request comment.  Tables keep their
columns whatever the input's names hold, and nothing from the input becomes markup."""

from __future__ import annotations

import re
from pathlib import Path

from rdspolicy import cli
from rdspolicy.findings import EnvironmentInfo, Report
from rdspolicy.report import markdown, render

from test_report_html import HOSTILE, finding, json_of_pacs, make_rule, small_report

ROOT = Path(__file__).resolve().parent.parent


def cells(line: str) -> list[str]:
    """The cells of a GFM table row: split on | not escaped by a backslash."""
    assert line.startswith("|") and line.endswith("|"), line
    return re.split(r"(?<!\\)\|", line[1:-1])


def tables(text: str) -> list[list[str]]:
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    return out + ([current] if current else [])


def test_summary_table_then_one_collapsed_section_per_rule_then_the_matrix():
    report, rules = small_report()
    text = render("markdown", report, rules=rules)
    envs, *per_rule, matrix = tables(text)
    assert [c.strip() for c in cells(envs[2])] == ["prod (production)", "`m`", "2", "1", "1", "3"]
    # one <details> per rule with findings, most severe and most frequent first, its rows inside
    assert re.findall(r"<details><summary>.*?<b>(RDS\d+) ", text) == ["RDS003", "RDS001", "RDS002"]
    assert text.count("<details>") == text.count("</details>") == 4
    assert sum(len(t) - 2 for t in per_rule) == len(report.findings)
    # the matrix shows the controls with findings only, and says how many there are
    rows = {cells(r)[0].strip(): [c.strip() for c in cells(r)[1:]] for r in matrix[2:]}
    assert cells(matrix[0])[1:] == [" `aws_db_instance.a` ", " `aws_rds_cluster.b` ", " other resources (1) "]
    assert rows["HIPAA 164.312(a)(2)(iv) (RDS001, RDS002)"] == ["❌ fail", "❔ unknown", "–"]
    assert rows["FSBP RDS.11 (RDS003)"] == ["🔕 suppressed", "–", "❌ fail"]
    assert "RDS004 four" not in rows and "Controls with findings in prod (3 of 4)" in text
    assert "**2** failing · **1** unknown · **1** suppressed · **3** passed" in text


def test_a_problem_in_several_environments_is_one_row():
    findings = [finding("RDS001", "aws_db_instance.a", environment=e, message=f"the {e} database")
                for e in ("dev", "prod", "staging")]
    report = Report(findings=findings, diagnostics=[], rules=["RDS001"], passed_checks=[],
                    environments=[EnvironmentInfo(module="m", name=e, production=e == "prod", var_files=[],
                                                  resources=1) for e in ("dev", "prod", "staging")])
    text = render("markdown", report, rules=[make_rule("RDS001", "one")])
    (row,) = [l for l in text.splitlines() if l.startswith("| ❌")]
    assert [c.strip() for c in cells(row)][1:3] == ["`aws_db_instance.a`", "dev, prod, staging"]
    assert "the dev/prod/staging database" in row
    ungrouped = render("markdown", report, rules=[make_rule("RDS001", "one")], group=False)
    assert len([l for l in ungrouped.splitlines() if l.startswith("| ❌")]) == 3


def test_hostile_names_keep_the_table_and_stay_text():
    address = f'aws_db_instance.a["{HOSTILE}\n``` |"]'
    report = Report(
        findings=[finding("RDS001", address, message=HOSTILE + "\nnext line [link](http://x) *em* _u_ ~s~",
                          environment=HOSTILE, file=f"{HOSTILE}.tf")],
        environments=[EnvironmentInfo(module=HOSTILE, name=HOSTILE, production=False, var_files=[], resources=1)],
        diagnostics=[], rules=["RDS001"], passed_checks=[],
    )
    text = render("markdown", report, rules=[make_rule("RDS001", "one", [HOSTILE])])
    for table in tables(text):
        widths = {len(cells(row)) for row in table}
        assert len(widths) == 1, table  # every row has the header's number of cells
    # no raw HTML, no link syntax, no emphasis: each is escaped or inside a code span
    outside_code = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)
    outside_code = re.sub(r"</?(details|summary|b)>", "", outside_code)  # the report's own tags
    assert "<" not in outside_code.replace("\\<", "")
    assert "](" not in outside_code.replace("\\](", "")
    assert not re.search(r"(?<!\\)[*_~]\w", outside_code.replace("**", ""))
    # a code span holding backticks gets a longer fence
    assert "````" in text
    assert "\n" not in "".join(l for l in text.splitlines() if l.startswith("|"))


def test_code_spans_and_text_escaping():
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("`x") == "`` `x ``"
    assert markdown.code("a|b") == "`a\\|b`"
    assert markdown.text("a|b <i>\nc") == "a\\|b \\<i\\> c"


def test_long_reports_are_cut_to_fit_a_comment():
    findings = [finding("RDS001", f"aws_db_instance.db{n}", message="x" * 500) for n in range(300)]
    report = Report(findings=findings, environments=[EnvironmentInfo(module="m", name="prod", production=True,
                                                                     var_files=[], resources=300)],
                    diagnostics=[], rules=["RDS001"], passed_checks=[])
    text = render("markdown", report, rules=[make_rule("RDS001", "one")])
    assert len(text) < 65_536
    left = int(re.search(r"Left out to fit a comment: (\d+) findings", text).group(1))
    shown = sum(1 for line in text.splitlines() if line.startswith("| ❌"))
    assert shown + left == 300 and left > 0


def test_cli_markdown_on_pacs(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    data = json_of_pacs(tmp_path)
    assert cli.run(["check", "fixtures/pacs", "--format", "markdown"]) == 1
    text = capsys.readouterr().out
    assert text.startswith("## rdspolicy compliance report\n")
    assert f"**{data['summary']['fail']}** failing" in text
    # a summary table first: one row per environment
    first = tables(text)[0]
    assert [cells(r)[0].strip() for r in first[2:]] == ["development", "production", "staging"]
    # then one collapsed section per rule with findings
    assert text.count("<details><summary>❌") + text.count("<details><summary>❔") == len(
        {f["rule"] for f in data["findings"]})
    # each problem once, its environments listed: fewer rows than records, none lost
    finding_rows = [l for l in text.splitlines() if l.startswith(("| ❌", "| ❔"))]
    assert len(finding_rows) < len(data["findings"])
    assert sum(len(cells(r)[2].split(",")) for r in finding_rows) == len(data["findings"])
    # well within a pull-request comment (GitHub refuses more than 65,536 characters)
    assert len(text) <= markdown.LIMIT and "Left out" not in text


def test_a_pipe_is_escaped_only_in_table_cells():
    report, rules = small_report()
    report.environments[0].module = "a|b"
    for f in report.findings:
        f.module = "a|b"
    for c in report.passed_checks:
        c.module = "a|b"
    text = render("markdown", report, rules=rules)
    assert "Module `a|b`:" in text and "| `a\\|b` |" in text


def test_a_matrix_too_wide_for_a_comment_is_left_out():
    findings = [finding("RDS001", f"aws_db_instance.database_with_a_long_name_{n}", environment=f"e{n % 2}")
                for n in range(4000)]
    report = Report(findings=findings, diagnostics=[], rules=["RDS001"], passed_checks=[],
                    environments=[EnvironmentInfo(module="m", name=f"e{i}", production=False, var_files=[],
                                                  resources=2000) for i in range(2)])
    text = render("markdown", report, rules=[make_rule("RDS001", "one")])
    assert len(text) <= markdown.LIMIT
    shown = sum(1 for line in text.splitlines() if line.startswith("| ❌"))
    assert shown > 0
    assert (f"Left out to fit a comment: {4000 - shown} findings, 2 matrices; the whole report: "
            "`rdspolicy check` (or `--format html`).") in text
    assert text.count("<details>") == text.count("</details>")


def test_never_more_than_the_limit_whatever_the_names():
    big = "x" * 5000
    findings = [finding(f"RDS{n:03d}", f"aws_db_instance.{big}{n}", environment=f"{big}{n % 50}", message=big)
                for n in range(200)]
    report = Report(findings=findings, diagnostics=[], rules=[], passed_checks=[],
                    environments=[EnvironmentInfo(module=big, name=f"{big}{i}", production=False, var_files=[],
                                                  resources=1) for i in range(50)])
    text = render("markdown", report, rules=[])
    assert len(text) <= markdown.LIMIT and "Left out to fit a comment:" in text
    assert text.count("<details>") == text.count("</details>")
