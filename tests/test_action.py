"""The GitHub Action (action.yml): a composite action whose steps are run here as the
runner would run them (bash, with a fake ``GITHUB_*`` environment: the workspace, the
files for outputs and PATH additions, the action's path), installing rdspolicy from this
checkout into a new virtual environment (slow: tens of seconds with pip's cache)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_is_composite_with_its_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"paths", "args", "sarif-file"}
    assert ACTION["inputs"]["paths"]["default"] == "."
    assert all(step["shell"] == "bash" for step in ACTION["runs"]["steps"])
    # installs from the action's own checkout, not from a package index
    install = ACTION["runs"]["steps"][0]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}" and '"$ACTION_PATH"' in install["run"]


def expand(text: str, inputs: dict[str, str], action_path: Path) -> str:
    """GitHub's ``${{ ... }}`` expressions, the few the action uses."""

    def value(match) -> str:
        expression = match.group(1).strip()
        if expression == "github.action_path":
            return str(action_path)
        if expression.startswith("inputs."):
            name = expression[len("inputs."):]
            return inputs.get(name, ACTION["inputs"][name].get("default", ""))
        raise AssertionError(f"an expression this test does not know: {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


class Runner:
    """A fake runner: one workspace, the files for outputs and PATH additions."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir(exist_ok=True)
        (tmp_path / "runner-temp").mkdir()
        self.github_path, self.github_output = tmp_path / "github_path", tmp_path / "github_output"
        self.github_path.touch()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TF_VAR_", "PYTHON", "RDSPOLICY_", "VIRTUAL_ENV", "PIP_REQUIRE"))}
        # the runner's PATH, without this test's virtual environment
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                      if not (Path(p) / "rdspolicy").exists())
        env.update(GITHUB_WORKSPACE=str(self.workspace), GITHUB_PATH=str(self.github_path),
                   GITHUB_OUTPUT=str(self.github_output), GITHUB_ACTION_PATH=str(ROOT),
                   RUNNER_TEMP=str(tmp_path / "runner-temp"), GITHUB_ACTIONS="true", CI="true")
        self.env = env

    def run(self, step: dict, inputs: dict[str, str]) -> subprocess.CompletedProcess:
        """One step, as the runner runs a ``shell: bash`` step."""
        self.github_output.write_text("")
        env = dict(self.env)
        added = [line for line in self.github_path.read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
        env.update({k: expand(str(v), inputs, ROOT) for k, v in (step.get("env") or {}).items()})
        script = self.tmp / "step.sh"
        script.write_text(expand(step["run"], inputs, ROOT), encoding="utf-8")
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=self.workspace, env=env, capture_output=True, text=True, timeout=900)

    def outputs(self) -> dict[str, str]:
        return dict(line.split("=", 1) for line in self.github_output.read_text().splitlines() if "=" in line)


@pytest.mark.slow
def test_the_action_checks_and_writes_annotations_and_sarif(tmp_path):
    runner = Runner(tmp_path)
    shutil.copytree(ROOT / "fixtures" / "pacs", runner.workspace / "infra")
    install, check = ACTION["runs"]["steps"]
    installed = runner.run(install, {})
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (tmp_path / "runner-temp" / "rdspolicy-venv" / "bin" / "rdspolicy").exists()
    inputs = {"paths": "infra", "args": "--environment production", "sarif-file": "out/rdspolicy.sarif"}
    checked = runner.run(check, inputs)
    # the findings fail the step, as rdspolicy exits
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert runner.outputs() == {"sarif-file": "out/rdspolicy.sarif", "exit-code": "1"}
    annotations = [l for l in checked.stdout.splitlines() if l.startswith("::") and "title=RDS" in l]
    assert annotations and all(re.match(r"::(error|warning|notice) file=infra/", l) for l in annotations)
    assert any("aws_db_instance.main (production)" in l for l in annotations)
    sarif = json.loads((runner.workspace / "out" / "rdspolicy.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert results and {r["properties"]["environment"] for r in results} == {"production"}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[0]
            for r in results} == {"infra"}
    # the args input reaches rdspolicy; the defaults check the workspace into rdspolicy.sarif
    passed = runner.run(check, {"args": "--exit-zero"})
    assert passed.returncode == 0, passed.stderr
    assert runner.outputs() == {"sarif-file": "rdspolicy.sarif", "exit-code": "0"}
    assert (runner.workspace / "rdspolicy.sarif").exists()
