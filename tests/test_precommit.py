"""The pre-commit hooks, run by the real ``pre-commit`` with ``try-repo``.

A copy of this repository (its tracked and new files, as they are in the working tree)
is committed into a temporary git repository, and ``pre-commit try-repo COPY --ref SHA``
is run in another temporary git repository holding Terraform modules.  pre-commit
installs the hook into its own environment with pip, which needs the package index:
when the index cannot be reached, the test is skipped and says so.  try-repo keeps no
environment between runs, so each of the two runs installs the hook again (tens of
seconds each): the test runs pre-commit only twice, once failing, once fixed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
from samples import EXTRAS, KEY_ARN  # EXTRAS: what the rules from RDS008 on ask, closing the block

MODULE = f"""
variable "multi_az" {{
  type    = bool
  default = true
}}

resource "aws_db_instance" "db" {{
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  storage_encrypted       = false
  kms_key_id              = "{KEY_ARN}"
  multi_az                = var.multi_az
  deletion_protection     = true
  backup_retention_period = 7
{EXTRAS}"""

# what pip prints when the package index cannot be reached
OFFLINE = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
           "Could not find a version that satisfies", "No matching distribution found", "ConnectTimeout",
           "ProxyError", "Max retries exceeded")


def git_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "TF_VAR_"))}
    env.update(GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="test@example.com", GIT_COMMITTER_NAME="test",
               GIT_COMMITTER_EMAIL="test@example.com", GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=os.devnull, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    return env


def git(cwd: Path, env: dict, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def project_copy(dest: Path, env: dict) -> str:
    """This repository's files as they are now, committed in ``dest``; the commit's sha."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, env=env, capture_output=True)
    if listed.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout: pre-commit installs hooks from a git repository")
    for rel in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    git(dest, env, "init", "-q")
    git(dest, env, "add", "-A")
    git(dest, env, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "rdspolicy under test")
    return git(dest, env, "rev-parse", "HEAD").strip()


@pytest.mark.slow  # pre-commit installs the hook into an environment of its own, twice
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_fails_on_a_finding_and_passes_after_the_fix(tmp_path):
    env = git_env(tmp_path / "pre-commit-home")
    project = tmp_path / "rdspolicy"
    project.mkdir()
    sha = project_copy(project, env)
    # two modules, committed clean: db (with environments/) and app
    repo = tmp_path / "infra"
    clean = textwrap.dedent(MODULE).lstrip().replace("storage_encrypted       = false",
                                                     "storage_encrypted       = true")
    files = {
        "db/main.tf": clean,
        "db/variables.tf": 'variable "environment" {\n  default = "dev"\n}\n',
        "db/environments/dev.tfvars": "",
        "db/environments/production.tfvars": 'environment = "production"\n',
        "app/main.tf": clean,
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, env, "init", "-q")
    git(repo, env, "add", "-A")
    git(repo, env, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "clean")

    def try_repo() -> subprocess.CompletedProcess:
        # no hook id: every hook runs, rdspolicy (changed files), rdspolicy-all and rdspolicy-fix
        done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(project), "--ref", sha],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        output = done.stdout + done.stderr
        if done.returncode not in (0, 1) and any(sign in output for sign in OFFLINE):
            pytest.skip("pre-commit could not install the hook: the package index is not reachable\n"
                        + output[-2000:])
        assert "Traceback" not in done.stdout, output
        return done

    # a finding in app/main.tf, and one that only a changed var-file of db brings
    app, production = repo / "app" / "main.tf", repo / "db" / "environments" / "production.tfvars"
    app.write_text(textwrap.dedent(MODULE).lstrip(), encoding="utf-8")
    production.write_text('environment = "production"\nmulti_az = false\n', encoding="utf-8")
    git(repo, env, "add", "-A")
    failed = try_repo()
    out = failed.stdout
    assert failed.returncode == 1, out + failed.stderr
    hooks = out.split("- hook id: ")
    assert [h.split("\n", 1)[0] for h in hooks[1:]] == ["rdspolicy", "rdspolicy-all", "rdspolicy-fix"], out
    for hook in hooks[1:3]:
        assert "app/main.tf:10:3: RDS001 [high] aws_db_instance.db [default]" in hook
        assert "db/main.tf:12:3: RDS003 [high] aws_db_instance.db [production]" in hook
    # rdspolicy-fix wrote the safe fix (in production's var-file) and reports the unsafe one it left
    fix_hook = hooks[3]
    assert "files were modified by this hook" in fix_hook and "1 finding fixed in 1 file" in fix_hook
    assert "RDS001 aws_db_instance.db (default): the fix is unsafe" in fix_hook
    assert "RDS003" not in fix_hook
    # the value edited where it is written; its attribute group aligned as terraform fmt does
    assert production.read_text(encoding="utf-8") == 'environment = "production"\nmulti_az    = true\n'

    # fixed: every hook passes
    app.write_text(clean, encoding="utf-8")
    production.write_text('environment = "production"\nmulti_az = true\n', encoding="utf-8")
    git(repo, env, "add", "-A")
    fixed = try_repo()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout.count("Passed") == 3 and "RDS0" not in fixed.stdout
