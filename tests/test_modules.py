"""Module calls: which folders are roots, addresses, outputs, inputs, cycles and
remote sources.  The realistic cases are fixtures (rds-fleet, module-patterns)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rdspolicy.evaluate import Settings
from rdspolicy.plugins import load_rules
from rdspolicy.testing import check

UNENCRYPTED_DB = '''
variable "name" {
  type = string
}
resource "aws_db_instance" "this" {
  identifier        = var.name
  engine            = "postgres"
  storage_encrypted = false
}
output "id" {
  value = aws_db_instance.this.id
}
'''


@pytest.fixture(scope="module")
def rules():
    return load_rules().rules


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, rules):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return check(".", rules, allow_errors=True).report
    finally:
        os.chdir(cwd)


def rds001(report) -> list[tuple[str, str, int, str]]:
    return sorted((f.resource, f.file, f.line, f.environment) for f in report.findings if f.rule == "RDS001")


def test_called_folder_is_checked_through_its_callers_only(tmp_path, rules):
    write(tmp_path, {
        "main.tf": 'module "db" {\n  source = "./modules/db"\n  name   = "orders"\n}\n',
        "modules/db/main.tf": UNENCRYPTED_DB,
    })
    report = run(tmp_path, rules)
    assert rds001(report) == [("module.db.aws_db_instance.this", os.path.join("modules", "db", "main.tf"), 8,
                               "default")]
    assert [e.module for e in report.environments] == ["."]
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_folder_nobody_calls_is_a_root(tmp_path, rules):
    write(tmp_path, {"modules/db/main.tf": UNENCRYPTED_DB.replace("type = string", 'default = "x"')})
    report = run(tmp_path, rules)
    assert rds001(report) == [("aws_db_instance.this", os.path.join("modules", "db", "main.tf"), 8, "default")]


def test_for_each_count_nesting_and_calls_twice(tmp_path, rules):
    write(tmp_path, {
        "main.tf": '''
module "dbs" {
  source   = "./modules/db"
  for_each = toset(["orders", "billing"])
  name     = each.key
}
module "copies" {
  source = "./modules/db"
  count  = 2
  name   = "copy-${count.index}"
}
module "stack" {
  source = "./modules/stack"
}
module "again" {
  source = "./modules/stack"
}
''',
        "modules/db/main.tf": UNENCRYPTED_DB,
        "modules/stack/main.tf": 'module "inner" {\n  source = "../db"\n  name   = "inner"\n}\n',
    })
    report = run(tmp_path, rules)
    assert [r[0] for r in rds001(report)] == [
        'module.again.module.inner.aws_db_instance.this',
        'module.copies[0].aws_db_instance.this',
        'module.copies[1].aws_db_instance.this',
        'module.dbs["billing"].aws_db_instance.this',
        'module.dbs["orders"].aws_db_instance.this',
        'module.stack.module.inner.aws_db_instance.this',
    ]


def test_outputs_reach_the_caller_with_their_references(tmp_path, rules):
    write(tmp_path, {
        "main.tf": '''
module "key" {
  source = "./modules/key"
}
module "dbs" {
  source   = "./modules/db"
  for_each = { a = 1 }
  key      = module.key.arn
}
resource "aws_db_instance" "root" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = module.key.arn
  identifier        = module.dbs["a"].identifier
}
''',
        "modules/key/main.tf": 'resource "aws_kms_key" "this" {}\noutput "arn" {\n  value = aws_kms_key.this.arn\n}\n',
        "modules/db/main.tf": '''
variable "key" {
  type = string
}
resource "aws_db_instance" "this" {
  identifier        = "db-${var.key == null ? "none" : "keyed"}"
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = var.key
}
output "identifier" {
  value = aws_db_instance.this.identifier
}
''',
    })
    report = run(tmp_path, rules)
    assert not [f for f in report.findings if f.rule in ("RDS001", "RDS002")]
    # the identifier is known through the module output: "db-keyed" (the key is certainly set)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        from rdspolicy.evaluate import evaluate_module
        from rdspolicy.evaluate.loader import ModuleLoader
        from rdspolicy.parse import parse_expression, parse_file
        result = evaluate_module(".", [parse_file("main.tf")], [], [], Settings(env={}), parse_file,
                                 parse_expression, ModuleLoader(parse_file))
    finally:
        os.chdir(cwd)
    root = [i for i in result.environments[0].instances if i.address == "aws_db_instance.root"][0]
    assert root.body.attrs["identifier"].value == "db-keyed"
    assert root.body.attrs["kms_key_id"].value.refs == {"module.key.aws_kms_key.this"}


def test_module_calling_itself_is_reported_not_followed(tmp_path, rules):
    write(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\nmodule "self" {\n  source = "./"\n}\n',
    })
    report = run(tmp_path, rules)
    cycles = sorted((d.file, d.line) for d in report.diagnostics if d.code == "module-cycle")
    assert cycles == [(os.path.join("b", "main.tf"), 1), (os.path.join("b", "main.tf"), 4)]


def test_folders_that_only_call_each_other_are_still_checked(tmp_path, rules):
    write(tmp_path, {
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n' + UNENCRYPTED_DB.replace("type = string", 'default = "x"'),
    })
    report = run(tmp_path, rules)
    assert [e.module for e in report.environments] == ["a"]
    assert [r[0] for r in rds001(report)] == ["module.b.aws_db_instance.this"]
    assert [d.code for d in report.diagnostics if d.code == "module-cycle"] == ["module-cycle"]


def test_remote_module_reported_once_or_read_from_terraform_init(tmp_path, rules):
    write(tmp_path, {
        "main.tf": 'variable "environment" {\n  type = string\n}\n'
                   'module "db" {\n  source  = "acme/db/aws"\n  version = "1.0.0"\n  name = "x"\n}\n',
        "environments/staging.tfvars": 'environment = "staging"\n',
        "environments/production.tfvars": 'environment = "production"\n',
    })
    report = run(tmp_path, rules)
    assert [d.code for d in report.diagnostics] == ["module-not-evaluated"]
    assert report.findings == []
    write(tmp_path, {
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "db", "Source": "registry.terraform.io/acme/db/aws", "Version": "1.0.0",
             "Dir": ".terraform/modules/db"}]}),
        ".terraform/modules/db/main.tf": UNENCRYPTED_DB,
    })
    report = run(tmp_path, rules)
    assert not report.diagnostics
    assert rds001(report) == [
        ("module.db.aws_db_instance.this", os.path.join(".terraform", "modules", "db", "main.tf"), 8, env)
        for env in ("production", "staging")]


def test_inputs_are_typed_validated_and_checked(tmp_path, rules):
    write(tmp_path, {
        "main.tf": '''
module "db" {
  source   = "./db"
  settings = { retention = 0 }
  colour   = "blue"
}
''',
        "db/main.tf": '''
variable "settings" {
  type = object({
    retention = number
    encrypted = optional(bool, false)
  })
  validation {
    condition     = var.settings.retention > 0
    error_message = "Retention must be positive."
  }
}
variable "name" {
  type = string
}
resource "aws_db_instance" "this" {
  engine            = "postgres"
  storage_encrypted = var.settings.encrypted
}
''',
    })
    report = run(tmp_path, rules)
    diags = sorted((d.code, d.line) for d in report.diagnostics)
    assert diags == [("missing-module-input", 2), ("unsupported-module-argument", 5), ("variable-validation", 4)]
    validation = [d for d in report.diagnostics if d.code == "variable-validation"][0]
    assert "Retention must be positive." in validation.message and validation.file == "main.tf"
    # optional(bool, false) filled the missing attribute: the database is unencrypted
    assert [r[0] for r in rds001(report)] == ["module.db.aws_db_instance.this"]


def test_references_to_expanded_resources(tmp_path):
    from rdspolicy.evaluate.declarations import declarations
    from rdspolicy.evaluate.functions import FunctionContext
    from rdspolicy.evaluate.module import ModuleEvaluation
    from rdspolicy.evaluate.values import Unknown
    from rdspolicy.parse import parse_file

    (tmp_path / "main.tf").write_text('''
variable "names" {
  default = ["orders", "billing"]
}
resource "aws_db_instance" "db" {
  for_each   = toset(var.names)
  identifier = each.key
}
resource "aws_rds_cluster_instance" "this" {
  count      = 2
  identifier = "i-${count.index}"
}
resource "aws_rds_cluster_instance" "maybe" {
  count = length(data.aws_db_instances.all.instance_identifiers)
}
data "aws_db_instances" "all" {}
locals {
  orders   = aws_db_instance.db["orders"].id
  name     = aws_db_instance.db["orders"].identifier
  ids      = aws_rds_cluster_instance.this[*].id
  maybe    = aws_rds_cluster_instance.maybe[*].id
  by_index = aws_rds_cluster_instance.this[1].identifier
}
''')
    file = parse_file(str(tmp_path / "main.tf"))
    ev = ModuleEvaluation(declarations(str(tmp_path), [file]), {}, FunctionContext(str(tmp_path), str(tmp_path)),
                          [])
    assert ev.local("orders", None).refs == {'aws_db_instance.db["orders"]'}
    assert ev.local("name", None) == "orders"
    assert [v.refs for v in ev.local("ids", None)] == [{"aws_rds_cluster_instance.this[0]"},
                                                        {"aws_rds_cluster_instance.this[1]"}]
    maybe = ev.local("maybe", None)
    assert isinstance(maybe, Unknown) and "data.aws_db_instances.all" in maybe.refs
    assert ev.local("by_index", None) == "i-1"
    addresses = [i.address for i in ev.instances()]
    assert addresses == ['aws_db_instance.db["billing"]', 'aws_db_instance.db["orders"]',
                         "aws_rds_cluster_instance.this[0]", "aws_rds_cluster_instance.this[1]",
                         "aws_rds_cluster_instance.maybe"]
    maybe_instance = ev.instances()[-1]
    assert "count is unknown" in maybe_instance.existence


def test_unused_inputs_are_validated_too(tmp_path, rules):
    write(tmp_path, {
        "main.tf": 'module "db" {\n  source = "./db"\n  tier   = "gold"\n}\n',
        "db/main.tf": 'variable "tier" {\n  type = string\n  validation {\n'
                      '    condition     = contains(["small", "large"], var.tier)\n'
                      '    error_message = "tier is small or large"\n  }\n}\n',
    })
    report = run(tmp_path, rules)
    assert [(d.code, d.file, d.line) for d in report.diagnostics] == [("variable-validation", "main.tf", 3)]


def test_a_very_deep_chain_of_modules_is_cut_and_reported(tmp_path, rules):
    depth = 60
    files = {"main.tf": 'module "m" {\n  source = "./m0"\n}\n'}
    path = ""
    for level in range(depth):
        path += f"m{level}/"
        files[path + "main.tf"] = f'module "m" {{\n  source = "./m{level + 1}"\n}}\n'
    files[path + "main.tf"] = UNENCRYPTED_DB.replace("type = string", 'default = "deep"')
    write(tmp_path, files)
    report = run(tmp_path, rules)
    assert [d.code for d in report.diagnostics] == ["module-too-deep"]
    assert report.findings == []


def test_a_relative_path_in_a_called_module_starts_at_the_root_modules_folder(tmp_path, rules):
    # Terraform runs in the root module's folder: file("flags/encrypted.txt") in a
    # called module reads the root's flags/, not the module's (path.module is for that)
    write(tmp_path, {
        "main.tf": 'module "db" {\n  source = "./modules/db"\n}\n',
        "flags/encrypted.txt": "no\n",
        "modules/db/flags/encrypted.txt": "yes\n",
        "modules/db/main.tf": '''
resource "aws_db_instance" "this" {
  identifier        = "orders"
  engine            = "postgres"
  storage_encrypted = trimspace(file("flags/encrypted.txt")) == "yes"
}
''',
    })
    found = rds001(run(tmp_path, rules))
    assert [(resource, file) for resource, file, _, _ in found] == [
        ("module.db.aws_db_instance.this", os.path.join("modules", "db", "main.tf"))]


def test_an_unknown_given_to_a_typed_module_variable_takes_the_declared_type(tmp_path):
    # what Terraform 1.11 plans for this configuration (checked by hand with terraform plan)
    write(tmp_path, {
        "main.tf": '''
resource "terraform_data" "n" { input = 5 }
module "c" {
  source = "./child"
  s      = terraform_data.n.output
  o      = { a = terraform_data.n.output }
  l      = [terraform_data.n.output]
}
output "r" { value = module.c.r }
''',
        "child/main.tf": '''
variable "s" { type = string }
variable "o" { type = object({ a = string, b = optional(number) }) }
variable "l" { type = set(number) }
output "r" {
  value = {
    s_eq_5    = var.s == 5
    o_a_eq_5  = var.o.a == 5
    o_len     = length(var.o)
    o_can_zzz = can(var.o.zzz)
    l_can_0   = can(var.l[0])
    l_len     = length(var.l)
  }
}
''',
    })
    from rdspolicy.evaluate import evaluate_module
    from rdspolicy.parse import parse_expression, parse_file

    files = [parse_file(str(tmp_path / "main.tf"))]
    result = evaluate_module(str(tmp_path), files, [], [], Settings(env={}), parse_file, parse_expression)
    (output,) = [b for b in files[0].body.blocks if b.type == "output"]
    value = result.environments[0].evaluation.eval_in(files[0].path, output.body.attributes["value"].expr)
    assert value == {"s_eq_5": False, "o_a_eq_5": False, "o_len": 2, "o_can_zzz": False, "l_can_0": False,
                     "l_len": 1}
