"""Parse errors at the right place (issue 16): a string, template or heredoc left open
is reported where it was opened, and a block without its '}' at the block's first line,
as Terraform does; each case is compared with the line ``terraform fmt`` names (skipped
when terraform is not on the PATH)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from rdspolicy.parse.unclosed import find

from samples import write

TERRAFORM = shutil.which("terraform")

# (kind, the text, our line, column and message start, Terraform's error summary)
CASES = {
    # the case: the quote left open on line 2 was reported on line 3 at a '.'
    "string": ('resource "aws_db_instance" "db" {\n  identifier = "pacs-${var.environment}\n'
               '  tags = { Name = "a.b" }\n}\n', 2, 16, "unterminated string", "Unterminated template string"),
    "string-next-line-quoted": ('resource "aws_db_instance" "db" {\n  engine = "postgres\n  identifier = "x"\n'
                                '  port = var.a.b\n}\n', 2, 12, "unterminated string", "Unterminated template string"),
    "template": ('locals {\n  name = "${var.project}-x\n  other = "y"\n}\n', 2, 10, "unterminated string",
                 "Unterminated template string"),
    "heredoc": ('locals {\n  policy = <<EOT\n  hello\n}\n', 2, 12, "unterminated heredoc",
                "Unterminated template string"),
    "missing-equals": ('resource "aws_db_instance" "db" {\n  engine "postgres"\n  identifier = "x"\n}\n', 2, 3,
                       "this line is incomplete", "Invalid block definition"),
    "missing-brace": ('resource "aws_db_instance" "db" {\n  engine = "postgres"\n\n  tags = {\n    a = "b"\n  }\n',
                      1, 1, "unclosed block", "Unclosed configuration block"),
}


def terraform_errors(tmp_path, text: str) -> dict[str, int]:
    """Each error ``terraform fmt`` reports (its summary) and its line."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(text, encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "NO_COLOR": "1"}
    done = subprocess.run([TERRAFORM, "fmt", "-no-color", "-check", "main.tf"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=60)
    found = re.findall(r"Error: (.+?)\n.*?on main\.tf line (\d+)", done.stderr, re.S)
    assert found, done.stderr
    return {summary.strip(): int(line) for summary, line in reversed(found)}


@pytest.mark.parametrize("kind", list(CASES))
def test_reported_where_it_was_opened(work, rds, kind):
    text, line, column, message, _ = CASES[kind]
    write(work, {"db/main.tf": text})
    result = rds("check", "db", "--format", "json")
    assert result.code == 2
    (error,) = [d for d in result.json()["diagnostics"] if d["severity"] == "error"]
    assert (error["line"], error["column"]) == (line, column), error
    assert error["message"].startswith(message), error


@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not on the PATH")
@pytest.mark.parametrize("kind", list(CASES))
def test_the_same_line_as_terraform(tmp_path, kind):
    text, line, _, _, summary = CASES[kind]
    errors = terraform_errors(tmp_path, text)
    assert summary in errors, errors
    terraform_line = errors[summary]
    if kind == "heredoc":
        # Terraform names the end of the file, where it stopped looking for the marker;
        # the '<<EOT' that needs it is more use to whoever fixes it
        assert terraform_line == text.count("\n") + 1 and line == 2
    else:
        assert terraform_line == line


def test_the_scanner_finds_nothing_in_valid_terraform():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "fixtures"
    broken = {"unclosed-string", "unclosed-brace", "unclosed-block", "bad-heredoc"}
    for path in root.rglob("*.tf"):
        if path.parent.name in broken:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert find(text) is None, path


@pytest.mark.parametrize("text", [
    'a = "$${not a template"\n',  # an escaped sequence is text
    'a = "${x}}"\n',  # a '}' after the sequence is text
    'a = "${f("}")}"\n',  # a string inside a sequence
    'a = "${f(\n  1)}"\n',  # a sequence may go over lines
    'a = <<-EOT\n  "unclosed quotes in a heredoc are text\n  EOT\n',
    '# "a comment\n/* "a\n comment */\nb = {}\n',
])
def test_what_is_closed(text):
    assert find(text) is None
