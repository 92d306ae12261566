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


def test_matrix_and_findings_tables():
    report, rules = small_report()
    text = render("markdown", report, rules=rules)
    matrix, found = tables(text)
    assert cells(matrix[0])[1:] == [" `aws_db_instance.a` ", " `aws_rds_cluster.b` ", " other resources (1) "]
    rows = {cells(r)[0].strip(): [c.strip() for c in cells(r)[1:]] for r in matrix[2:]}
    assert rows["HIPAA 164.312(a)(2)(iv) (RDS001, RDS002)"] == ["❌ fail", "❔ unknown", "–"]
    assert rows["FSBP RDS.11 (RDS003)"] == ["🔕 suppressed", "–", "❌ fail"]
    assert rows["RDS004 four"] == ["✅ pass", "–", "–"]
    assert len(found) == 2 + len(report.findings)
    assert "**2** failing · **1** unknown · **1** suppressed · **3** passed" in text


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
    assert [l for l in text.splitlines() if l.startswith("### ")] == ["### development", "### production",
                                                                      "### staging"]
    assert f"**{data['summary']['fail']}** failing" in text
    finding_rows = [l for l in text.splitlines() if l.startswith(("| ❌", "| ❔"))]
    assert len(finding_rows) == len(data["findings"])


def test_a_pipe_is_escaped_only_in_table_cells():
    report, rules = small_report()
    report.environments[0].module = "a|b"
    for f in report.findings:
        f.module = "a|b"
    for c in report.passed_checks:
        c.module = "a|b"
    text = render("markdown", report, rules=rules)
    assert "Module `a|b`:" in text


def test_a_matrix_too_wide_for_a_comment_is_left_out():
    findings = [finding("RDS001", f"aws_db_instance.database_with_a_long_name_{n}", environment=f"e{n % 2}")
                for n in range(4000)]
    report = Report(findings=findings, diagnostics=[], rules=["RDS001"], passed_checks=[],
                    environments=[EnvironmentInfo(module="m", name=f"e{i}", production=False, var_files=[],
                                                  resources=2000) for i in range(2)])
    text = render("markdown", report, rules=[make_rule("RDS001", "one")])
    assert len(text) < 65_536
    assert "The matrix (2000 columns) is left out to fit a comment." in text
    # the first environment's findings fill the comment; the second is left out whole
    shown = sum(1 for line in text.splitlines() if line.startswith("| ❌"))
    assert shown > 0 and "### e1" not in text
    assert f"Left out to fit a comment: 1 environment, 1 matrix, {4000 - shown} findings;" in text
