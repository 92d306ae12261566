"""The README says what the tool does: its commands are the ones CI runs, its sample
output is what the tool prints, its rule table is the rules, and its rule-pack example
works when installed through the ``rdspolicy`` entry-point group."""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import pytest

from rdspolicy import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, re.S | re.M)


def test_the_two_commands_and_ci():
    commands = [b.strip() for b in code_blocks("sh")]
    main, tests = commands[:2]
    assert main == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/rdspolicy check fixtures/pacs"
    assert tests == "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in ci
    assert tests in ci.splitlines()
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run must be executable"


def run_pacs(capsys, monkeypatch, *args: str) -> list[str]:
    monkeypatch.chdir(ROOT)
    for name in [n for n in os.environ if n.startswith("TF_VAR_")]:
        monkeypatch.delenv(name)
    assert cli.run(["check", "fixtures/pacs", *args]) == 1
    return capsys.readouterr().out.splitlines()


def mask(line: str) -> str:  # the number of passing checks is not the README's point
    return re.sub(r"\b\d+ passed\b", "N passed", line)


FINDING = re.compile(r"^\S+:\d+:\d+: [A-Z]+\d{3} \[")


def test_sample_output_is_what_the_tool_prints(capsys, monkeypatch):
    sample = next(b for b in code_blocks("text") if "fixtures/pacs/" in b)
    actual = run_pacs(capsys, monkeypatch)
    actual_masked = [mask(l) for l in actual]
    lines = sample.splitlines()
    missing = [l for l in lines if l and mask(l) not in actual_masked]
    assert not missing, "README sample lines the tool no longer prints (regenerate the sample):\n" + "\n".join(missing)
    # in the tool's order: the sample is a subsequence of the output, summary first and last
    position = 0
    for line in lines:
        position = actual_masked.index(mask(line), position) + 1
    assert mask(lines[0]) == actual_masked[0] and mask(lines[-1]) == actual_masked[-1]
    # the trim note counts what was left out
    findings = [l for l in actual if FINDING.match(l)]
    warnings = [l for l in actual if ": warning: " in l]
    shown_findings = [l for l in lines if FINDING.match(l)]
    shown_warnings = [l for l in lines if ": warning: " in l]
    note = (f"{len(warnings) - len(shown_warnings)} of the {len(warnings)} warnings and "
            f"{len(findings) - len(shown_findings)} of the {len(findings)} findings are left out")
    assert note in " ".join(README.split())


@pytest.mark.parametrize("option", ["--statistics", "--output-format full"])
def test_statistics_and_full_output_samples_are_real(capsys, monkeypatch, option):
    """The README shows `rdspolicy check fixtures/pacs OPTION...` with its real output."""
    block = next(b for b in code_blocks("text") if b.startswith(f"$ rdspolicy check fixtures/pacs {option}"))
    command, *shown = block.splitlines()
    actual = [mask(l) for l in run_pacs(capsys, monkeypatch, *command.split()[4:])]
    position = 0
    for line in shown:
        if line == "...":
            continue
        position = actual.index(mask(line), position) + 1


def test_rule_table_matches_the_rules(capsys):
    rows = re.findall(r"^\| (RDS\d{3}) \| ([a-z0-9-]+) \| (critical|high|medium|low) \|", README, re.M)
    assert cli.run(["rules"]) == 0
    listed = [tuple(line.split()[:3]) for line in capsys.readouterr().out.splitlines()]
    assert rows == listed
    assert len(rows) == 21


def test_rule_pack_example_loads_through_the_entry_point_group(tmp_path, monkeypatch, capsys):
    (example,) = [b for b in code_blocks("python") if "def rdspolicy_rules" in b]
    (toml,) = [b for b in code_blocks("toml") if "entry-points.rdspolicy" in b]
    package = re.search(r'^(\w+) = "(\w+)"$', toml, re.M)
    assert package, toml
    name, module = package.groups()
    # an installed distribution, as pip would leave it: the module and its dist-info
    (tmp_path / module).mkdir()
    (tmp_path / module / "__init__.py").write_text(example, encoding="utf-8")
    dist = tmp_path / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[rdspolicy]\n{name} = {module}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)

    assert cli.run(["rules"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 22
    assert re.search(r"^ACME001\s+publicly-accessible\s+high\s+", out, re.M)

    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_db_instance" "db" {
          engine              = "postgres"
          engine_version      = "16.3"
          storage_encrypted   = true
          kms_key_id          = "arn:aws:kms:eu-west-1:111122223333:key/abcd"
          publicly_accessible = true
        }
        """), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.run(["check", "db"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^db/main\.tf:6:3: ACME001 \[high\] aws_db_instance\.db \[default\]: "
                     r"publicly_accessible = true", out, re.M), out


@pytest.mark.parametrize("path", ["fixtures/README.md", "docs/rules.md", "docs/configuration.md", "docs/plugins.md",
                                  "docs/controls.md", "examples/rdspolicy-example-pack"])
def test_linked_files_exist(path):
    assert f"]({path})" in README
    assert (ROOT / path).exists(), f"{path} is linked from the README but does not exist (yet)"


def test_pre_commit_hook_entry():
    import yaml  # pre-commit's own dependency, in the test extra

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"rdspolicy", "rdspolicy-all", "rdspolicy-fix"}
    hook = hooks["rdspolicy"]
    assert hook["entry"] == "rdspolicy check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["files"] == r"\.(tf|tfvars)(\.json)?$"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("main.tf", "envs/prod.tfvars", "main.tf.json", "prod.tfvars.json"):
        assert files.search(name) and not exclude.search(name), name
    for name in ("terraform.tfstate", "main.tf.bak", "notes.txt"):
        assert not files.search(name), name
    for name in (".terraform/modules/db/main.tf", "infra/.terraform/providers/x.tf"):
        assert exclude.search(name), name
    whole = hooks["rdspolicy-all"]
    assert whole["entry"] == "rdspolicy check ." and whole["language"] == "python"
    assert whole["pass_filenames"] is False and whole["always_run"] is True

def test_install_instructions_name_what_exists():
    """Issue 16: the README said `pip install rdspolicy` (not on any index) and
    `rev: v0.1.0` (no such tag): every install is from a checkout or a Git URL, and a
    pre-commit rev is a placeholder the user fills in, or a tag the repository has."""
    installs = re.findall(r"pip install\s+([^\n`#]+)", README)
    assert installs
    for target in installs:
        target = target.strip()
        assert target.startswith((".", "'.[", '"rdspolicy @ git+')), target
    import subprocess

    tags = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for rev in re.findall(r"^\s*rev: (\S+)", README, re.M):
        assert rev == "REF" or rev in tags, rev
    assert "pre-commit try-repo" in README
