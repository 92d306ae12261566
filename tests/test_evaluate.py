"""The evaluate stage: Terraform's semantics for values, unknowns, variables,
locals, resources, count/for_each and environments."""

from __future__ import annotations

import textwrap

import pytest

from rdspolicy.evaluate import Settings, evaluate_module
from rdspolicy.evaluate.declarations import declarations
from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.module import ModuleEvaluation
from rdspolicy.evaluate.values import Unknown
from rdspolicy.parse import parse_expression, parse_file, parse_hcl


def module(text: str, inputs: dict | None = None):
    file = parse_hcl("main.tf", textwrap.dedent(text))
    decls = declarations(".", [file])
    diagnostics: list = []
    return ModuleEvaluation(decls, inputs or {}, FunctionContext(".", "."), diagnostics), diagnostics


def value(expr: str, prelude: str = "", inputs: dict | None = None):
    ev, _ = module(prelude + f"\nlocals {{\n  result = {expr}\n}}\n", inputs)
    return ev.local("result", None)


UNKNOWN_VAR = 'variable "u" {}\n'  # declared, no default, no value: unknown


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("10 / 4", 2.5),
        ('"5" == 5', False),
        ("true == 1", False),
        ('"16.1" + 0', 16.1),
        ('"16" * 2', 32),
        ("1 < 2 && 2 <= 2", True),
        ("!true || false", False),
        ('[1, "a"] == [1, "a"]', True),
        ("{ a = 1 } == { a = 1 }", True),
        ('"${1 + 1}"', 2),  # a lone interpolation keeps its type
        ('"n=${1 + 1}"', "n=2"),
        ('"%{ if true }yes%{ else }no%{ endif }"', "yes"),
        ('"%{ for x in [1, 2] }${x};%{ endfor }"', "1;2;"),
        ('[for x in [1, 2, 3] : x * 2 if x != 2]', [2, 6]),
        ('{for k, v in { a = 1, b = 2 } : v => k}', {"1": "a", "2": "b"}),
        ('{for x in ["a", "b", "a"] : x => x...}', {"a": ["a", "a"], "b": ["b"]}),
        ('[{ id = 1 }, { id = 2 }][*].id', [1, 2]),
        ('{ a = { b = [10, 20] } }.a.b[1]', 20),
        ('[[1, 2]][0].1', 2),
        ("null", None),
        ('true ? "y" : "n"', "y"),
        ("try(nonexistent_local_map.x, 5)", 5),
    ],
)
def test_known_values(expr, expected):
    result = value(expr, 'locals {\n nonexistent_local_map = {}\n}\n')
    assert result == expected
    assert type(result) is type(expected) or all(isinstance(v, list) for v in (result, expected)) or all(
        isinstance(v, dict) for v in (result, expected))


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("true || var.u", True),
        ("var.u || true", True),
        ("false && var.u", False),
        ("var.u ? 1 : 1", 1),  # the same whatever the condition is
        ("length([var.u, 2])", 2),
        ("[var.u, 1] == [1]", False),  # lengths differ
        ("aws_kms_key.k.arn == null", False),  # an ARN is never null
        ("aws_kms_key.k.arn != null", True),
        ("can(var.u)", None),
    ],
)
def test_unknowns_are_sound(expr, expected):
    prelude = UNKNOWN_VAR + 'resource "aws_kms_key" "k" {}\n'
    result = value(expr, prelude)
    if expected is None:
        assert isinstance(result, Unknown)
    else:
        assert result == expected


@pytest.mark.parametrize(
    "expr",
    ["var.u == 1", "var.u + 1", "var.u ? 1 : 2", '"a-${var.u}"', "[for x in var.u : x]", "!var.u",
     "{ (var.u) = 1 }", "[1, 2][var.u]", "var.u.x", "true && var.u", "try(var.u, 1)"],
)
def test_unknown_propagates_with_its_reason(expr):
    result = value(expr, UNKNOWN_VAR)
    assert isinstance(result, Unknown)
    assert "var.u" in result.reason


def test_undeclared_variable_is_unknown_and_reported_once(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "a" {\n  multi_az = var.nope\n  port = var.nope\n}\n')
    env_dir = tmp_path / "environments"
    env_dir.mkdir()
    for name in ("dev", "prod"):
        (env_dir / f"{name}.tfvars").write_text("")
    result = run(tmp_path)
    diags = [d for d in result.diagnostics if d.code == "undeclared-variable"]
    assert [(d.line, d.column) for d in diags] == [(2, 14), (3, 10)]
    for env in result.environments:
        (instance,) = env.instances
        multi_az = instance.body.attrs["multi_az"].value
        assert isinstance(multi_az, Unknown) and "not declared" in multi_az.reason


def test_locals_use_locals_and_cycles_are_reported():
    ev, diags = module(
        """
        locals {
          a = "x"
          b = "${local.a}-y"
          c = local.d
          d = local.c
        }
        """
    )
    assert ev.local("b", None) == "x-y"
    assert isinstance(ev.local("c", None), Unknown)
    assert any("refers to itself" in d.message for d in diags)


def test_resource_references_keep_their_source():
    ev, _ = module(
        """
        resource "aws_kms_key" "rds" {}
        resource "aws_db_parameter_group" "pg" {
          name   = "pacs-params"
          family = "postgres16"
        }
        locals {
          key   = aws_kms_key.rds.arn
          group = aws_db_parameter_group.pg.name
          ids   = [aws_kms_key.rds.id]
        }
        """
    )
    key = ev.local("key", None)
    assert isinstance(key, Unknown) and key.refs == {"aws_kms_key.rds"} and key.nonnull
    assert ev.local("group", None) == "pacs-params"
    ids = ev.local("ids", None)
    assert len(ids) == 1 and ids[0].refs == {"aws_kms_key.rds"}


def test_count_and_for_each_expand_instances():
    ev, _ = module(
        """
        variable "environment" { default = "production" }
        variable "u" {}
        resource "aws_db_instance" "replica" {
          count = var.environment == "production" ? 2 : 0
          identifier = "r-${count.index}"
        }
        resource "aws_db_instance" "none" {
          count = 0
        }
        resource "aws_db_instance" "maybe" {
          count = var.u ? 1 : 0
          identifier = "m-${count.index}"
        }
        resource "aws_db_instance" "each" {
          for_each   = { a = "x", b = "y" }
          identifier = "${each.key}-${each.value}"
        }
        locals {
          ids = aws_db_instance.replica[*].identifier
          n   = length(aws_db_instance.replica)
          keys = keys(aws_db_instance.each)
        }
        """
    )
    by_address = {i.address: i for i in ev.instances()}
    assert sorted(by_address) == [
        'aws_db_instance.each["a"]', 'aws_db_instance.each["b"]', "aws_db_instance.maybe",
        "aws_db_instance.replica[0]", "aws_db_instance.replica[1]",
    ]
    assert by_address["aws_db_instance.replica[1]"].body.attrs["identifier"].value == "r-1"
    assert by_address['aws_db_instance.each["b"]'].body.attrs["identifier"].value == "b-y"
    maybe = by_address["aws_db_instance.maybe"]
    assert maybe.existence and "var.u" in maybe.existence
    assert isinstance(maybe.body.attrs["identifier"].value, Unknown)
    assert ev.local("ids", None) == ["r-0", "r-1"]
    assert ev.local("n", None) == 2
    assert ev.local("keys", None) == ["a", "b"]


def test_dynamic_blocks_expand():
    ev, _ = module(
        """
        variable "cidrs" { default = ["10.0.0.0/16", "10.1.0.0/16"] }
        resource "aws_security_group" "db" {
          dynamic "ingress" {
            for_each = var.cidrs
            iterator = c
            content {
              from_port   = 5432
              to_port     = 5432
              protocol    = "tcp"
              cidr_blocks = [c.value]
            }
          }
        }
        """
    )
    (sg,) = ev.instances()
    blocks = sg.body.blocks_of("ingress")
    assert [b.attrs["cidr_blocks"].value for b in blocks] == [["10.0.0.0/16"], ["10.1.0.0/16"]]


def test_invalid_expression_is_a_diagnostic_and_unknown():
    ev, diags = module('resource "aws_db_instance" "a" {\n  port = [1, 2][5]\n}\n')
    (instance,) = ev.instances()
    assert isinstance(instance.body.attrs["port"].value, Unknown)
    assert diags and "out of range" in diags[0].message and diags[0].line == 2


def run(folder, **settings) -> object:
    from rdspolicy.discover import load_module_dir

    mod = load_module_dir(str(folder))
    files = [parse_file(p) for p in mod.tf_files]
    return evaluate_module(mod.path, files, mod.auto_var_files, mod.env_var_files,
                           Settings(env=settings.pop("env", {}), **settings), parse_file, parse_expression)


def test_variable_precedence(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "a" { default = "default" }\n'
        'variable "b" { default = "default" }\n'
        'variable "c" { default = "default" }\n'
        'variable "d" { default = "default" }\n'
        'variable "n" { type = number }\n'
        'variable "l" { type = list(string) }\n'
        'locals { all = [var.a, var.b, var.c, var.d, var.n, var.l] }\n'
    )
    (tmp_path / "terraform.tfvars").write_text('b = "tfvars"\nc = "tfvars"\nd = "tfvars"\n')
    (tmp_path / "x.auto.tfvars").write_text('c = "auto"\nd = "auto"\n')
    (tmp_path / "prod.tfvars").write_text('d = "var-file"\n')
    env = {"TF_VAR_a": "env", "TF_VAR_b": "env", "TF_VAR_n": "16.5", "TF_VAR_l": '["x", "y"]'}
    result = run(tmp_path, env=env)
    (environment,) = result.environments
    assert environment.name == "prod"
    assert environment.evaluation.local("all", None) == ["env", "tfvars", "auto", "var-file", 16.5, ["x", "y"]]
    result = run(tmp_path, env=env, cli_vars=["d=cli"], var_files=[str(tmp_path / "prod.tfvars")])
    assert result.environments[0].evaluation.local("all", None)[3] == "cli"


def test_environment_names(tmp_path):
    (tmp_path / "main.tf").write_text('variable "stage" { default = "dev" }\n')
    envs = tmp_path / "envs"
    envs.mkdir()
    (envs / "a.tfvars").write_text('stage = "prod"\n')
    (envs / "b.tfvars.json").write_text('{"stage": "staging"}')
    result = run(tmp_path)
    assert [(e.name, e.is_production) for e in result.environments] == [("prod", True), ("staging", False)]
    # with several environments, --environment selects one of them by name
    result = run(tmp_path, environment="staging")
    assert [e.name for e in result.environments] == ["staging"]
    result = run(tmp_path, environment="qa")
    assert result.environments == []
    assert any(d.code == "unknown-environment" and "prod, staging" in d.message for d in result.diagnostics)
    # with one environment, it names it
    result = run(tmp_path, environment="qa", var_files=[str(envs / "a.tfvars")])
    assert [e.name for e in result.environments] == ["qa"]


def test_environments_that_share_a_name_stay_apart(tmp_path):
    (tmp_path / "main.tf").write_text('variable "environment" { default = "dev" }\n')
    (tmp_path / "a.tfvars").write_text("")
    (tmp_path / "b.tfvars").write_text("")
    result = run(tmp_path, cli_vars=["environment=production"])
    assert [e.name for e in result.environments] == ["production (a.tfvars)", "production (b.tfvars)"]
    assert all(e.is_production for e in result.environments)


def test_environment_name_falls_back_to_file_name_then_default(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_kms_key" "k" {}\n')
    assert [e.name for e in run(tmp_path).environments] == ["default"]
    (tmp_path / "prd.tfvars").write_text("")
    result = run(tmp_path)
    assert [(e.name, e.is_production) for e in result.environments] == [("prd", True)]


def test_too_deep_a_chain_of_references_is_reported_not_a_crash():
    chain = "\n".join(f"  a{i} = local.a{i + 1}" for i in range(3000))
    ev, diags = module(f"locals {{\n{chain}\n  a3000 = true\n}}\n"
                       'resource "aws_db_instance" "z" {\n  storage_encrypted = local.a0\n}\n')
    (instance,) = ev.instances()
    assert isinstance(instance.body.attrs["storage_encrypted"].value, Unknown)
    assert [d.code for d in diags] == ["too-deep"]


def test_object_variables_fill_optional_defaults(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "db" {\n'
        '  type = object({ name = string, multi_az = optional(bool, true), port = optional(number) })\n'
        '}\n'
        'locals { db = var.db }\n'
    )
    (tmp_path / "prod.tfvars").write_text('db = { name = "pacs", port = "5433", extra = 1 }\n')
    (env,) = run(tmp_path).environments
    # the attribute the type does not declare is dropped, as Terraform does
    assert env.evaluation.local("db", None) == {"name": "pacs", "multi_az": True, "port": 5433}


def test_defaults_convert_to_the_declared_type_and_nullable_false_keeps_them():
    prelude = (
        'variable "n" {\n  type = number\n  default = "7"\n}\n'
        'variable "keep" {\n  default = "d"\n  nullable = false\n}\n'
        'variable "bad" {\n  type = number\n  default = "x"\n}\n'
    )
    assert value("var.n + 1", prelude) == 8
    assert value("var.keep", prelude, inputs={"keep": None}) == "d"
    assert isinstance(value("var.bad", prelude), Unknown)


def test_variables_hold_the_collection_type_they_are_declared_with(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "zones" {\n  type = set(string)\n}\n'
        'variable "cidrs" {\n  type = list(string)\n}\n'
        'variable "tags" {\n  type = map(string)\n}\n'
        'locals {\n'
        '  zones       = var.zones\n'
        '  indexable   = can(var.zones[0])\n'
        '  list_is_not_tuple = var.cidrs == ["10.0.0.0/16"]\n'
        '  same_list   = var.cidrs == tolist(["10.0.0.0/16"])\n'
        '  map_is_not_object = var.tags == { env = "prod" }\n'
        '}\n'
    )
    (tmp_path / "prod.tfvars").write_text(
        'zones = ["b", "a", "b"]\ncidrs = ["10.0.0.0/16"]\ntags = { env = "prod" }\n')
    (env,) = run(tmp_path).environments
    local = lambda name: env.evaluation.local(name, None)  # noqa: E731
    assert local("zones") == ["a", "b"]  # a set: unique, in Terraform's order
    # a set has no index, and a list or map is never equal to a tuple or object literal,
    # as in Terraform
    assert local("indexable") is False
    assert local("list_is_not_tuple") is False and local("same_list") is True
    assert local("map_is_not_object") is False


def test_a_template_for_over_an_unknown_collection_is_unknown():
    # found by tests/test_fuzz.py: it was an internal error
    from rdspolicy.evaluate.expressions import ExprEvaluator, Scope
    from rdspolicy.evaluate.functions import FunctionContext
    from rdspolicy.evaluate.values import Unknown
    from rdspolicy.parse import parse_expression

    expr = parse_expression('"%{for x in v}${x},%{endfor}"')
    value = ExprEvaluator(FunctionContext(".", ".")).eval(expr, Scope(lambda name, pos: Unknown("v is unknown")))
    assert value == Unknown("v is unknown", nonnull=True)  # a template's result is a string, never null


def test_a_template_for_whose_body_is_unknown_is_unknown():
    # found by tests/test_fuzz.py: it was an internal error ("no attribute e_Unknown")
    from rdspolicy.evaluate.expressions import ExprEvaluator, Scope
    from rdspolicy.evaluate.functions import FunctionContext
    from rdspolicy.evaluate.values import Unknown
    from rdspolicy.parse import parse_expression

    expr = parse_expression('"a-%{for x in [v]}${x},%{endfor}"')
    value = ExprEvaluator(FunctionContext(".", ".")).eval(expr, Scope(lambda name, pos: Unknown("v is unknown")))
    assert value == Unknown("v is unknown", nonnull=True)  # a template's result is a string, never null


# ---------------------------------------------------------------- issue 14: as known as terraform plan

UNKNOWN_RESOURCE = 'resource "terraform_data" "p" {}\n'


@pytest.mark.parametrize(
    "expr, expected",
    [
        # measured with Terraform 1.11 (terraform console): a known object or tuple holding
        # an unknown is not null
        ('{ name = terraform_data.p.id, family = "f" } != null', True),
        ('{ name = terraform_data.p.id } == null', False),
        ("[terraform_data.p.id] != null", True),
        ("null == [terraform_data.p.id]", False),
        ('length({ for k, v in { a = terraform_data.p.id } : k => v if { a = terraform_data.p.id } != null })', 1),
    ],
)
def test_a_known_collection_holding_unknowns_is_not_null(expr, expected):
    assert value(expr, UNKNOWN_RESOURCE) == expected


def test_a_template_with_unknown_parts_keeps_its_known_text_and_is_not_null():
    result = value('"/aws/rds/instance/${terraform_data.p.id}/postgresql"', UNKNOWN_RESOURCE)
    assert isinstance(result, Unknown) and result.nonnull and result.refs == {"terraform_data.p"}
    assert result.text == ("/aws/rds/instance/", None, "/postgresql")
    # nested templates join their known text; a directive has no fixed shape
    nested = value('"a-${"b-${terraform_data.p.id}"}-${1 + 1}"', UNKNOWN_RESOURCE)
    assert nested.text == ("a-b-", None, "-2")
    directive = value('"a-%{if terraform_data.p.id == ""}x%{endif}"', UNKNOWN_RESOURCE)
    assert isinstance(directive, Unknown) and directive.text is None


def test_path_values_are_those_terraform_plan_gives_in_the_root_folder(tmp_path):
    # issue 14, item 2 (measured with Terraform 1.11: path.root is ".", path.module the
    # module's folder from the root's, path.cwd the root's folder in full)
    (tmp_path / "modules" / "child").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(
        'module "child" {\n  source = "./modules/child"\n}\n'
        'resource "terraform_data" "root" {\n  input = [path.root, path.module, path.cwd, basename(path.cwd)]\n}\n')
    (tmp_path / "modules" / "child" / "main.tf").write_text(
        'resource "terraform_data" "child" {\n  input = [path.root, path.module, path.cwd]\n}\n')
    result = run(tmp_path)
    inputs = {i.name: i.body.attrs["input"].value for i in result.environments[0].instances}
    cwd = str(tmp_path).replace("\\", "/")
    assert inputs["root"] == [".", ".", cwd, tmp_path.name]
    assert inputs["child"] == [".", "modules/child", cwd]


def test_for_each_over_a_list_is_an_error_at_the_argument_and_the_rest_is_checked(tmp_path):
    # issue 14, item 12: Terraform refuses it ("Invalid for_each argument")
    (tmp_path / "main.tf").write_text(
        'resource "terraform_data" "listed" {\n  for_each = ["a", "b"]\n}\n'
        'resource "terraform_data" "set" {\n  for_each = toset(["a", "b"])\n}\n')
    result = run(tmp_path)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.code, d.line, d.column) for d in errors] == [("invalid-for-each", 2, 14)]
    assert "set of strings" in errors[0].message
    addresses = [i.address for i in result.environments[0].instances]
    assert addresses == ["terraform_data.listed", 'terraform_data.set["a"]', 'terraform_data.set["b"]']


def test_sort_of_an_unknown_list_is_unknown_without_a_warning():
    ev, diagnostics = module('data "aws_availability_zones" "x" {}\n'
                             'locals {\n  zones = sort(data.aws_availability_zones.x.names)\n}\n')
    assert isinstance(ev.local("zones", None), Unknown)
    assert diagnostics == []
