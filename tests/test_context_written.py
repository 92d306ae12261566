"""Context.written: how an argument is written, read in the module instance that declares
the resource (root or called), with that module's own locals and variables."""

from __future__ import annotations

import textwrap

from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check
from rdspolicy.rule import InputVariable, Rule, Written

ROOT = """
variable "pw" {
  type      = string
  sensitive = true
}

variable "loose" {
  type    = string
  default = "root-default"
}

locals {
  joined = "${var.loose}-${var.pw}"
}

resource "aws_db_instance" "literal" {
  password = "root-literal"
}

resource "aws_db_instance" "joined" {
  password = local.joined
}

resource "aws_db_instance" "fallback" {
  password = coalesce(null, "constant")
}

resource "aws_db_instance" "other" {
  password = random_password.x.result
}

resource "aws_db_instance" "absent" {
}

module "child" {
  source = "./child"
  secret = var.pw
}
"""

CHILD = """
variable "secret" {
  type = string
}

locals {
  fixed = "child-${"literal"}"
}

resource "aws_db_instance" "literal" {
  password = var.secret
}

resource "aws_db_instance" "fixed" {
  password = local.fixed
}
"""


def _written_per_address(tmp_path) -> dict:
    (tmp_path / "main.tf").write_text(textwrap.dedent(ROOT), encoding="utf-8")
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(textwrap.dedent(CHILD), encoding="utf-8")
    seen: dict = {}

    def record(resource, ctx):
        seen[resource.address] = ctx.written(resource, "password")
        return iter(())

    rule = Rule(id="TST001", name="record-written", severity="low", summary="Records ctx.written.",
                rationale="test", noncompliant="x", compliant="y", resource_types=("aws_db_instance",),
                check=record)
    report = check(Options(paths=[str(tmp_path)], settings=Settings(env={}, root_dir=str(tmp_path)), cache=False),
                   [rule])
    assert not report.has_errors, report.diagnostics
    return seen


def test_written_in_the_root_and_in_a_called_module(tmp_path):
    sensitive_pw = InputVariable("pw", declared=True, has_default=False, sensitive=True)
    assert _written_per_address(tmp_path) == {
        "aws_db_instance.literal": Written(literal=True, variables=(), other=False),
        # through a local: both variables, sorted by name, each as the root declares it
        "aws_db_instance.joined": Written(literal=False, other=False, variables=(
            InputVariable("loose", declared=True, has_default=True, sensitive=False), sensitive_pw)),
        # a value that is one of the constant strings written in the expression
        "aws_db_instance.fallback": Written(literal=True, variables=(), other=False),
        "aws_db_instance.other": Written(literal=False, variables=(), other=True),
        "aws_db_instance.absent": None,
        # the called module's own declarations: its resource named like the root's is
        # read from its own block, its variable "secret" is not sensitive there
        "module.child.aws_db_instance.literal": Written(literal=False, other=False, variables=(
            InputVariable("secret", declared=True, has_default=False, sensitive=False),)),
        "module.child.aws_db_instance.fixed": Written(literal=True, variables=(), other=False),
    }
