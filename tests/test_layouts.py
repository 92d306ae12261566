"""Environments the way teams lay them out: folders, workspaces, Terragrunt, OpenTofu,
override files (the marked fixtures fixtures/layout-* prove the verdicts; these tests the
edges: where names come from, what is reported when something cannot be evaluated)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rdspolicy import cli
from rdspolicy.discover import discover, load_module_dir
from rdspolicy.evaluate import Settings
from rdspolicy.layout import environment_specs, folder_environment, workspaces
from rdspolicy.parse import parse_file
from rdspolicy.terragrunt import is_remote, load_units, merge, split_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

DB = '''resource "aws_db_instance" "main" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.m6g.large"
  storage_encrypted = true
  multi_az          = MULTI_AZ
}
'''


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.delenv("TF_WORKSPACE", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.run([str(a) for a in args] + ["--no-cache", "--no-color"])
        out = capsys.readouterr()
        assert "Traceback" not in out.out + out.err
        return code, out.out, out.err

    return run


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def report(run, *args) -> dict:
    code, out, _ = run("check", *args, "--format", "json")
    data = json.loads(out)
    data["code"] = code
    return data


# ------------------------------------------------------------------ directory per environment

def test_folder_names_the_environment_nearest_first(tmp_path):
    names = frozenset({"prod", "dev"})
    (tmp_path / "live" / "prod" / "dev-tools" / "db").mkdir(parents=True)
    assert folder_environment(str(tmp_path / "live" / "prod" / "dev-tools" / "db"), str(tmp_path), names) == "prod"
    (tmp_path / "live" / "Prod" / "dev" / "db").mkdir(parents=True)
    assert folder_environment(str(tmp_path / "live" / "Prod" / "dev" / "db"), str(tmp_path), names) == "dev"
    assert folder_environment(str(tmp_path / "live" / "Prod"), str(tmp_path), names) == "Prod"  # as written
    assert folder_environment(str(tmp_path / "live"), str(tmp_path), names) is None


def test_folder_search_stops_at_the_scanned_path_or_below_the_repository_root(tmp_path):
    names = frozenset({"prod"})
    inner = tmp_path / "prod" / "infra" / "db"
    inner.mkdir(parents=True)
    # no repository: up to the scanned path only
    assert folder_environment(str(inner), str(tmp_path / "prod" / "infra"), names) is None
    assert folder_environment(str(inner), str(tmp_path / "prod"), names) == "prod"
    # in a repository: up to its root, whatever was scanned, and not the root itself
    (tmp_path / "prod" / ".git").mkdir()
    assert folder_environment(str(inner), str(inner), names) is None
    (tmp_path / "prod" / "infra" / ".git").mkdir()
    (tmp_path / "prod" / ".git").rmdir()
    assert folder_environment(str(inner), str(inner), names) is None


def test_directory_per_environment_tree(run, tmp_path):
    write(tmp_path, {"live/prod/main.tf": DB.replace("MULTI_AZ", "false"),
                     "live/dev/main.tf": DB.replace("MULTI_AZ", "false"),
                     "live/shared/main.tf": DB.replace("MULTI_AZ", "false")})
    data = report(run, tmp_path, "--select", "RDS003")
    envs = {(e["module"].split(os.sep)[-1], e["name"], e["source"].split(":")[0]) for e in data["environments"]}
    assert envs == {("prod", "prod", "folder"), ("dev", "dev", "folder"), ("shared", "default", "defaults")}
    assert [(f["environment"], f["status"]) for f in data["findings"]] == [("prod", "fail")]
    assert data["code"] == 1


def test_configured_environment_names(run, tmp_path):
    write(tmp_path, {"live/perf/main.tf": DB.replace("MULTI_AZ", "false"),
                     ".rdspolicy.hcl": 'environment_names = ["perf"]\nproduction_environments = ["perf"]\n'})
    data = report(run, tmp_path, "--select", "RDS003")
    assert [e["name"] for e in data["environments"]] == ["perf"]
    assert [f["environment"] for f in data["findings"]] == ["perf"]


def test_a_variable_naming_the_environment_wins_over_the_folder(run, tmp_path):
    write(tmp_path, {"prod/main.tf": 'variable "environment" {\n  default = "production"\n}\n' + DB.replace(
        "MULTI_AZ", "false")})
    data = report(run, tmp_path, "--select", "RDS003")
    assert [(e["name"], e["source"]) for e in data["environments"]] == [("production", f"folder: {tmp_path / 'prod'}")]
    assert report(run, tmp_path, "--select", "RDS003", "--environment", "x")["environments"][0]["name"] == "x"


# ------------------------------------------------------------------ var-files in folders

def test_env_folder_groups_and_their_order(tmp_path):
    write(tmp_path, {"main.tf": "", "envs/prod/z.tfvars": "", "envs/prod/terraform.tfvars": "",
                     "envs/prod/a.tfvars.json": "{}", "envs/dev/terraform.tfvars.json": "{}",
                     "vars/qa.tfvars": "", "prod.tfvars": "", "envs/empty/README.md": ""})
    module = load_module_dir(str(tmp_path))
    groups = [(name, [os.path.relpath(f, tmp_path) for f in files]) for name, files in module.env_groups]
    assert groups == [
        (None, ["prod.tfvars"]),
        ("dev", ["envs/dev/terraform.tfvars.json"]),
        ("prod", ["envs/prod/terraform.tfvars", "envs/prod/a.tfvars.json", "envs/prod/z.tfvars"]),
        (None, ["vars/qa.tfvars"]),
    ]
    specs = environment_specs(module, Settings(env={}), str(tmp_path))
    assert [s.name for s in specs] == [None, "dev", "prod", None]
    assert specs[2].source == "var-file: " + ", ".join(str(tmp_path / "envs" / "prod" / n) for n in (
        "terraform.tfvars", "a.tfvars.json", "z.tfvars"))


# ------------------------------------------------------------------ workspaces

def test_workspaces_come_from_the_first_source_that_names_some(tmp_path):
    (tmp_path / "terraform.tfstate.d" / "prod").mkdir(parents=True)
    (tmp_path / "terraform.tfstate.d" / "staging").mkdir(parents=True)
    folder = str(tmp_path)
    assert workspaces(folder, Settings(env={})) == (["prod", "staging"], "terraform.tfstate.d")
    (tmp_path / "terraform.tfstate").write_text("{}")  # the default workspace is in use too
    assert workspaces(folder, Settings(env={}))[0] == ["default", "prod", "staging"]
    assert workspaces(folder, Settings(env={}, configured_workspaces=["qa"])) == (["qa"], ".rdspolicy.hcl")
    assert workspaces(folder, Settings(env={"TF_WORKSPACE": "uat"}, configured_workspaces=["qa"])) == (
        ["uat"], "TF_WORKSPACE")
    assert workspaces(folder, Settings(env={"TF_WORKSPACE": "uat"}, workspaces=["a", "b", "a"])) == (
        ["a", "b"], "--workspace")
    assert workspaces(str(tmp_path / "terraform.tfstate.d"), Settings(env={})) == ([], "")


WORKSPACE_MODULE = '''locals {
  multi_az = { prod = false, dev = true }[terraform.workspace]
}
''' + DB.replace("MULTI_AZ", "local.multi_az")


def test_workspace_option_and_its_var_file(run, tmp_path, monkeypatch):
    write(tmp_path, {"main.tf": WORKSPACE_MODULE + 'variable "size" {\n  default = "a"\n}\n',
                     "environments/prod.tfvars": 'size = "b"\n', "environments/other.tfvars": ""})
    data = report(run, tmp_path, "--select", "RDS003", "--workspace", "prod", "--workspace", "dev")
    assert [(e["name"], e["var_files"] != []) for e in data["environments"]] == [("prod", True), ("dev", False)]
    assert data["environments"][0]["source"].startswith("workspace: prod (--workspace) with var-file: ")
    assert [(f["environment"], f["status"]) for f in data["findings"]] == [("prod", "fail")]
    monkeypatch.setenv("TF_WORKSPACE", "dev")
    data = report(run, tmp_path, "--select", "RDS003")
    assert [(e["name"], e["source"]) for e in data["environments"]] == [("dev", "workspace: dev (TF_WORKSPACE)")]


def test_without_workspaces_terraform_workspace_is_default(run, tmp_path):
    write(tmp_path, {"main.tf": 'locals {\n  multi_az = { default = false }[terraform.workspace]\n}\n'
                     + DB.replace("MULTI_AZ", "local.multi_az")})
    data = report(run, tmp_path, "--select", "RDS003", "--environment", "production")
    assert [f["status"] for f in data["findings"]] == ["fail"]


# ------------------------------------------------------------------ Terragrunt

def test_source_forms():
    assert split_source("../modules//db?ref=v1") == ("../modules", "db")
    assert split_source("git::https://x.example/m.git//rds/pg?ref=v1") == ("git::https://x.example/m.git", "rds/pg")
    assert split_source("/abs/module") == ("/abs/module", "")
    assert not is_remote("../modules//db") and not is_remote("/abs") and not is_remote("./m")
    for remote in ("git::https://x/m.git", "github.com/org/repo//m", "tfr:///terraform-aws-modules/rds/aws?version=6",
                   "git@github.com:org/repo.git//m", "terraform-aws-modules/rds/aws", "s3::https://b/m.zip"):
        assert is_remote(remote), remote


def test_merge_strategies():
    parent = {"inputs": {"a": 1, "tags": {"x": "1"}, "list": [1]}, "terraform": {"source": "p"}}
    child = {"inputs": {"tags": {"y": "2"}, "list": [2]}}
    assert merge(parent, child, "shallow")["inputs"] == {"a": 1, "tags": {"y": "2"}, "list": [2]}
    assert merge(parent, child, "deep")["inputs"] == {"a": 1, "tags": {"x": "1", "y": "2"}, "list": [1, 2]}
    assert merge(parent, child, "deep_map_only")["inputs"]["list"] == [2]
    assert merge(parent, child, "no_merge") == child
    assert merge(parent, child, "shallow")["terraform"] == {"source": "p"}


def units_of(root: Path, env: dict | None = None):
    diagnostics: list = []
    found: list[str] = []
    discover([str(root)], terragrunt=found)
    units = load_units(found, parse_file, str, str(root), env or {}, diagnostics)
    return {os.path.relpath(u.directory, root): u for u in units}, diagnostics


def test_terragrunt_functions_and_includes(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, {
        "common.hcl": 'locals {\n  region = "eu-west-1"\n  here = get_terragrunt_dir()\n}\n'
                      'inputs = {\n  region = local.region\n  rel = path_relative_to_include()\n'
                      '  parent = get_parent_terragrunt_dir()\n  tags = { a = "1" }\n}\n',
        "live/prod/env.hcl": 'locals {\n  name = "prod"\n  dir = get_terragrunt_dir()\n}\n',
        "live/prod/db/terragrunt.hcl":
            'include {\n  path = find_in_parent_folders("common.hcl")\n  expose = true\n'
            '  merge_strategy = "deep"\n}\n'
            'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n'
            '  missing = find_in_parent_folders("nowhere.hcl", "fallback")\n}\n'
            'terraform {\n  source = "${get_repo_root()}/modules//db"\n}\n'
            'inputs = {\n  environment = local.env.locals.name\n  env_dir = local.env.locals.dir\n'
            '  missing = local.missing\n  from_env = get_env("DB_SIZE", "small")\n  set_env = get_env("DB_TIER")\n'
            '  included = include.locals.region\n  repo_path = get_path_from_repo_root()\n'
            '  tags = { b = "2" }\n  account = get_aws_account_id()\n}\n',
        "modules/db/main.tf": "",
    })
    units, diagnostics = units_of(tmp_path, {"DB_TIER": "gold"})
    assert not diagnostics
    assert list(units) == [os.path.join("live", "prod", "db")]
    unit = units[os.path.join("live", "prod", "db")]
    assert unit.module_dir == str(tmp_path / "modules" / "db")
    inputs = {k: v[0] for k, v in unit.inputs.items()}
    assert inputs["environment"] == "prod"
    assert inputs["env_dir"] == str(tmp_path / "live" / "prod")  # the read file's own folder
    assert inputs["region"] == inputs["included"] == "eu-west-1"
    assert inputs["rel"] == "live/prod/db" and inputs["parent"] == str(tmp_path)
    assert inputs["missing"] == "fallback" and inputs["from_env"] == "small" and inputs["set_env"] == "gold"
    assert inputs["repo_path"] == "live/prod/db"
    assert inputs["tags"] == {"a": "1", "b": "2"}  # deep merge
    assert type(inputs["account"]).__name__ == "Unknown"
    # each input is located where it is written
    assert unit.inputs["environment"][1:] == (str(tmp_path / "live/prod/db/terragrunt.hcl"), 14, 3)
    assert unit.inputs["region"][1].endswith("common.hcl")


def test_included_configuration_is_not_a_unit_and_errors_are_located(tmp_path):
    write(tmp_path, {
        "terragrunt.hcl": 'inputs = {\n  a = 1\n}\n',
        "app/terragrunt.hcl": 'include {\n  path = find_in_parent_folders()\n}\n'
                              'terraform {\n  source = "../mod"\n}\nlocals {\n  x = local.x\n}\n'
                              'inputs = {\n  b = local.x\n}\n',
        "mod/main.tf": "",
    })
    units, diagnostics = units_of(tmp_path)
    assert list(units) == ["app"]
    assert {k: v[0] for k, v in units["app"].inputs.items()}["a"] == 1
    assert [(os.path.basename(d.file), d.line, d.code) for d in diagnostics] == [
        ("terragrunt.hcl", 8, "terragrunt-invalid")]
    assert "refers to itself" in diagnostics[0].message


def test_remote_terragrunt_source_is_never_a_silent_green(run, tmp_path):
    write(tmp_path, {"prod/db/terragrunt.hcl":
                     'terraform {\n  source = "tfr:///terraform-aws-modules/rds/aws?version=6.10.0"\n}\n'})
    code, out, _ = run("check", tmp_path)
    assert code == 0
    assert "prod/db/terragrunt.hcl:2:3: warning: this Terragrunt unit runs" in out.replace(str(tmp_path) + "/", "")
    code, _, _ = run("check", tmp_path, "--unknown", "fail")
    assert code == 1
    # once `terragrunt init` has downloaded it, the copy in .terragrunt-cache is checked
    write(tmp_path, {"prod/db/.terragrunt-cache/h1/h2/main.tf": DB.replace("MULTI_AZ", "false")})
    data = report(run, tmp_path, "--select", "RDS003", "--unknown", "fail")
    assert [(e["name"], e["source"].split(":")[0]) for e in data["environments"]] == [("prod", "terragrunt")]
    assert [f["status"] for f in data["findings"]] == ["fail"]
    assert ".terragrunt-cache" in data["findings"][0]["file"]
    assert not data["diagnostics"]


def test_terragrunt_unit_without_source_runs_its_own_folder(run, tmp_path):
    write(tmp_path, {"prod/terragrunt.hcl": 'inputs = {\n  multi_az = false\n  unused = 1\n}\n',
                     "prod/main.tf": 'variable "multi_az" {\n  type = bool\n}\n' + DB.replace("MULTI_AZ", "var.multi_az")})
    data = report(run, tmp_path, "--select", "RDS003")
    assert [e["source"] for e in data["environments"]] == [f"terragrunt: {tmp_path / 'prod' / 'terragrunt.hcl'}"]
    assert [f["status"] for f in data["findings"]] == ["fail"]
    assert data["diagnostics"] == []  # an input the module does not declare is ignored, as Terraform does


# ------------------------------------------------------------------ what is not read

def test_folder_of_files_not_read_is_reported(run, tmp_path):
    write(tmp_path, {"stacks/main.tfstack.hcl": "", "stacks/prod.tfdeploy.hcl": "", "ok/main.tf": ""})
    code, out, _ = run("check", tmp_path)
    assert code == 0 and "files-not-read" not in out
    assert "holds only files rdspolicy does not read (Terraform Stacks configuration; Terraform Stacks " \
           "deployment configuration)" in out
    assert run("check", tmp_path, "--unknown", "fail")[0] == 1


def test_opentofu_file_replaces_terraform_file(tmp_path):
    write(tmp_path, {"main.tf": "", "main.tofu": "", "db.tf.json": "{}", "db.tofu.json": "{}", "other.tf": "",
                     "x.tofu": ""})
    names = sorted(os.path.basename(f) for f in load_module_dir(str(tmp_path)).tf_files)
    assert names == ["db.tofu.json", "main.tofu", "other.tf", "x.tofu"]


# ------------------------------------------------------------------ required variables

def test_required_variable_without_value_is_one_warning_per_environment(run, tmp_path):
    write(tmp_path, {"main.tf": 'variable "vpc_id" {}\nvariable "subnets" {\n  default = []\n}\n',
                     "environments/prod.tfvars": "", "environments/dev.tfvars": 'vpc_id = "vpc-1"\n'})
    data = report(run, tmp_path)
    warnings = [(d["line"], d["code"], d["message"]) for d in data["diagnostics"]]
    assert len(warnings) == 1 and warnings[0][:2] == (1, "required-variable")
    assert 'variable "vpc_id" has no value in environment prod' in warnings[0][2]
    code, out, _ = run("check", tmp_path, "--var", "vpc_id=vpc-2")
    assert "required-variable" not in out and "has no value" not in out


# ------------------------------------------------------------------ override files

def test_override_without_base_is_an_error(run, tmp_path):
    write(tmp_path, {"main.tf": 'locals {\n  a = 1\n}\n', "x_override.tf": 'resource "aws_db_instance" "nope" {\n'
                     '  multi_az = true\n}\nlocals {\n  b = 2\n}\n'})
    code, out, _ = run("check", tmp_path)
    assert code == 2
    assert 'x_override.tf:1:1: error: resource "aws_db_instance" "nope" is overridden here' in out
    assert 'x_override.tf:5:3: error: local value "b" is overridden here' in out


# ------------------------------------------------------------------ reports

def test_text_summary_names_each_environment_source(run):
    code, out, _ = run("check", FIXTURES / "layout-terragrunt", "--select", "RDS003")
    assert "3 environment(s) (terragrunt: dev, prod, staging) in 3 module(s)" in out.splitlines()[-1]
    code, out, _ = run("check", FIXTURES / "layout-folders", FIXTURES / "multi-az-production", "--select", "RDS003")
    assert "(folder: dev, prod, sandbox; var-file: development, production)" in out.splitlines()[-1]


def test_override_files_of_a_called_module_and_where_findings_point(run, tmp_path):
    write(tmp_path, {"main.tf": 'module "db" {\n  source = "./db"\n}\n',
                     "db/main.tf": DB.replace("MULTI_AZ", "true") + 'locals {\n  x = 1\n}\n',
                     "db/override.tf": 'resource "aws_db_instance" "main" {\n  multi_az = false\n\n'
                                       '  lifecycle {\n    prevent_destroy = true\n  }\n}\n'})
    data = report(run, tmp_path, "--select", "RDS003", "--environment", "production")
    assert [(os.path.basename(f["file"]), f["line"], f["column"]) for f in data["findings"]] == [("override.tf", 2, 3)]
    assert not data["diagnostics"]


def test_fix_edits_neither_terragrunt_inputs_nor_downloaded_modules(capsys, tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "layout-terragrunt", tmp_path / "tree")
    (tmp_path / "tree" / ".git").mkdir()
    assert cli.run(["fix", str(tmp_path / "tree"), "--no-cache"]) == 1
    edited = [line for line in capsys.readouterr().out.splitlines() if line.startswith("+++ ")]
    assert edited and all("terragrunt" not in line for line in edited), edited
