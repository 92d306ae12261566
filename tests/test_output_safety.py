"""No secret and no injected markup or control sequence reaches any report.

Every test here runs over every format in ``report.FORMATS``, so a format added later
is covered by the checks that apply to all (no raw control or bidi characters, no
forged line that starts a workflow command, parseable JSON/XML where the format is
JSON/XML, no live HTML in HTML and markdown) as soon as it is registered.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest

from rdspolicy import cli
from rdspolicy.errors import Diagnostic
from rdspolicy.findings import EnvironmentInfo, Finding, Report
from rdspolicy.report import FORMATS, printable, render

FORMAT_NAMES = sorted(FORMATS)
JSON_FORMATS = {"json", "sarif", "gitlab"}
XML_FORMATS = {"junit"}
HTML_FORMATS = {"html"}
MARKDOWN_FORMATS = {"markdown", "md"}

# ---------------------------------------------------------------- secrets

SECRETS = {
    "tfvars": "TfvarsSecret-9a8b7c",
    "default": "DefaultSecret-1q2w3e",
    "literal": "LiteralMasterPw-4r5t",
    "badtype": "NotANumberSecret-6y7u",
    "cli": "CliVarSecret-8i9o0p",
    "env": "EnvVarSecret-5g6h7j",
}

SECRET_MODULE = f"""
variable "db_password" {{
  type      = string
  sensitive = true
}}

variable "admin_pw" {{
  type      = string
  sensitive = true
  default   = "{SECRETS["default"]}"
}}

variable "pin" {{
  type      = number
  sensitive = true
}}

variable "api_token" {{
  type    = string
  default = ""
}}

resource "aws_db_instance" "db" {{
  engine            = "postgres"
  engine_version    = var.db_password
  password          = var.db_password
  storage_encrypted = var.admin_pw
  multi_az          = var.pin
  kms_key_id        = var.api_token
}}

resource "aws_rds_cluster" "c" {{
  engine          = "aurora-postgresql"
  engine_version  = var.admin_pw
  master_password = "{SECRETS["literal"]}"
  backup_retention_period = "{SECRETS["literal"]}"
}}
"""


@pytest.fixture
def secret_module(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(SECRET_MODULE)
    (tmp_path / "terraform.tfvars").write_text(
        f'db_password = "{SECRETS["tfvars"]}"\npin = "{SECRETS["badtype"]}"\n')
    for key in list(os.environ):
        if key.startswith("TF_VAR_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("TF_VAR_api_token", SECRETS["env"])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check_output(capsys, *args) -> tuple[int, str]:
    """The exit status and standard output followed by standard error."""
    status, out, err = _check_streams(capsys, *args)
    return status, out + err


def _check_streams(capsys, *args) -> tuple[int, str, str]:
    status = cli.run(["check", ".", "--no-color", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_no_secret_reaches_any_format(secret_module, capsys, fmt):
    status, out = _check_output(capsys, "--format", fmt, "--var", f"pin={SECRETS['cli']}")
    assert status == 2  # the sensitive values that do not match their types are errors
    for where, secret in SECRETS.items():
        assert secret not in out, f"the {where} secret leaked into --format {fmt}"


def test_messages_name_the_attribute_instead(secret_module, capsys):
    _, out = _check_output(capsys)
    assert 'invalid value for variable "pin": it does not match the variable\'s type ' \
           '(the value is sensitive and not shown)' in out
    assert "engine_version = (sensitive value)" in out


def test_a_password_that_is_a_word_is_redacted_where_printed_not_in_the_wording(tmp_path, monkeypatch, capsys):
    # issue 14, item 12: password = "password" made "only long-lived database
    # (sensitive value)s can sign in" of RDS013's message
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  engine_version = "16.3"\n'
        '  password = "password"\n  identifier = "password"\n}\n')
    monkeypatch.chdir(tmp_path)
    _, out = _check_output(capsys)
    assert "only long-lived database passwords can sign in" in out
    assert "(sensitive value)s" not in out
    assert '"password"' not in out


def test_the_value_of_an_ordinary_variable_is_still_shown(tmp_path, monkeypatch, capsys):
    (tmp_path / "main.tf").write_text('variable "v" {\n  default = "banana"\n}\n'
                                      'resource "aws_db_instance" "db" {\n  engine = "postgres"\n'
                                      '  engine_version = var.v\n}\n')
    monkeypatch.chdir(tmp_path)
    _, out = _check_output(capsys)
    assert '"banana"' in out


# ---------------------------------------------------------------- injection

ESC_TITLE = "\x1b]0;pwned\x07"
PAYLOAD = (
    "\x1b[2J\x1b[31mred" + ESC_TITLE + "\r\n::error file=x.tf::INJECTED\n"
    "</script><script>alert(1)</script><img src=x onerror=alert(2)> | **bold** "
    "[link](javascript:alert(3)) \u202eevil\x9b31m\x08\x00end"
)
FILE_PAYLOAD = "evil\x1b[31m\n::warning::FILE</script>.tf"

CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_report() -> Report:
    finding = Finding(
        rule="RDS001", name="storage-encrypted", severity="high", status="fail",
        resource=f'aws_db_instance.db["{PAYLOAD}"]', environment="prod" + PAYLOAD, module="m" + PAYLOAD,
        file=FILE_PAYLOAD, line=3, column=3, end_line=3, end_column=30, message="storage " + PAYLOAD,
    )
    unknown = finding.model_copy(update={"status": "unknown", "rule": "RDS002", "name": "customer-managed-key",
                                         "severity": "medium"})
    return Report(
        findings=[finding, unknown],
        environments=[EnvironmentInfo(module="m" + PAYLOAD, name="prod" + PAYLOAD, production=True,
                                      var_files=[FILE_PAYLOAD], resources=1)],
        diagnostics=[Diagnostic("error", FILE_PAYLOAD, 1, 2, "parse " + PAYLOAD, "parse-error"),
                     Diagnostic("warning", FILE_PAYLOAD, 0, 0, "warn " + PAYLOAD, "undeclared-variable")],
        rules=["RDS001", "RDS002"], passed=1,
    )


def _rules():
    from rdspolicy.plugins import load_rules

    return load_rules().rules


def assert_safe(fmt: str, out: str, err: str = "") -> None:
    """The checks every format must pass, and those of its kind (``out`` is the report,
    ``err`` what went to standard error)."""
    for stream in (out, err):
        bad = UNSAFE.search(stream)
        assert bad is None, f"--format {fmt} prints a raw control character {bad.group()!r}"
    for line in (out + "\n" + err).splitlines():
        stripped = line.lstrip()
        assert not stripped.startswith(("::error file=x.tf::INJECTED", "::warning::FILE")), \
            f"--format {fmt}: a value forged a line of its own: {line!r}"
        assert not stripped.startswith("INJECTED"), f"--format {fmt}: {line!r}"
    if fmt in JSON_FORMATS:
        json.loads(out)
    if fmt in XML_FORMATS:
        ET.fromstring(out.encode("utf-8"))
    if fmt in HTML_FORMATS or out.lstrip().lower().startswith(("<!doctype", "<html")):
        assert "<script>alert(1)" not in out and "<img src=x" not in out
        assert "</script><script>" not in out
    if fmt in MARKDOWN_FORMATS:
        prose = CODE_SPAN.sub("", out)  # markup inside a code span is shown, not interpreted
        # a backslash-escaped character is text, not markup
        assert not re.search(r"(?<!\\)<(script|img)", prose)
        assert not re.search(r"(?<!\\)\]\(javascript:", prose)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_hostile_names_and_values_are_escaped(fmt):
    out = render(fmt, _hostile_report(), color=False, rules=_rules())
    assert_safe(fmt, out)
    assert "INJECTED" in out  # escaped, not dropped


def test_text_shows_control_characters_as_escapes():
    out = render("text", _hostile_report(), color=False)
    assert "\\x1b[2J" in out and "\\n::error" in out and "\\u202e" in out
    # the summary, one line per diagnostic and finding, a blank line, the hint and the summary
    assert len(out.splitlines()) == 1 + 2 + 2 + 3


def test_json_keeps_the_data_exactly():
    data = json.loads(render("json", _hostile_report()))
    assert data["findings"][0]["message"] == "storage " + PAYLOAD
    assert data["findings"][0]["file"] == FILE_PAYLOAD
    assert data["diagnostics"][0]["message"] == "parse " + PAYLOAD


def test_printable_escapes_what_a_terminal_would_obey():
    assert printable("a\x1b[31mb\r\nc\u202ed\x9be\x7f") == "a\\x1b[31mb\\r\\nc\\u202ed\\x9be\\x7f"
    assert printable("plain text, é and 日本") == "plain text, é and 日本"


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_a_hostile_module_end_to_end(tmp_path, monkeypatch, capsys, fmt):
    # a file name with an escape sequence and a for_each key and value with markup
    name = "db\x1b[31m\n::warning::FILE<img src=x onerror=alert(2)>.tf"
    (tmp_path / name).write_text(textwrap.dedent("""\
        resource "aws_db_instance" "db" {
          for_each          = toset(["a\\u001b[2J</script><script>alert(1)</script>\\n::error::INJECTED"])
          engine            = "postgres"
          engine_version    = "<img src=x onerror=alert(2)>\\u001b]0;t\\u0007"
          storage_encrypted = false
        }
        """))
    (tmp_path / "broken.tf").write_text('locals {\n  x = "\x1b[2J\n}\n')
    monkeypatch.chdir(tmp_path)
    status, out, err = _check_streams(capsys, "--format", fmt)
    assert status == 2
    assert_safe(fmt, out, err)
