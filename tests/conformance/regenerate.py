"""Record what Terraform computes for every conformance case.

The cases are the ``output`` blocks of ``tests/conformance/config/*.tf``.  Terraform
plans that configuration (it needs no provider download: its only resources are of the
built-in ``terraform_data`` type) and ``terraform show -json`` of the plan gives every
output's planned value, with the parts Terraform does not know yet marked in
``after_unknown``.  Those values are written to ``expected.json``, unknown parts as
``{"__unknown__": true}``::

    python tests/conformance/regenerate.py            # rewrite expected.json
    python tests/conformance/regenerate.py --check    # compare only; exit 1 on change

``terraform`` must be on the PATH (or given with ``--terraform``).  One plan covers all
cases, so this takes a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config"
EXPECTED = HERE / "expected.json"
UNKNOWN = {"__unknown__": True}


def _merge_unknown(after: Any, unknown: Any) -> Any:
    """A planned value with its unknown parts (``after_unknown``) replaced by UNKNOWN."""
    if unknown is True:
        return dict(UNKNOWN)
    if isinstance(unknown, list) and isinstance(after, list):
        return [_merge_unknown(a, u) for a, u in zip(after, unknown + [False] * (len(after) - len(unknown)))]
    if isinstance(unknown, dict) and isinstance(after, dict):
        out = {key: _merge_unknown(value, unknown.get(key, False)) for key, value in after.items()}
        for key, flag in unknown.items():
            if key not in out and flag is True:
                out[key] = dict(UNKNOWN)
        return dict(sorted(out.items()))
    return after


def terraform_version(terraform: str) -> str:
    out = subprocess.run([terraform, "version", "-json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["terraform_version"]


def terraform_results(terraform: str = "terraform") -> dict[str, Any]:
    """Plan the case configuration with ``terraform`` and return each output's value."""
    with tempfile.TemporaryDirectory(prefix="rdspolicy-conformance-") as tmp:
        work = Path(tmp) / "config"
        shutil.copytree(CONFIG, work)
        env = dict(os.environ, TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1",
                   TF_CLI_CONFIG_FILE=os.devnull)
        env.pop("TF_DATA_DIR", None)
        env = {k: v for k, v in env.items() if not k.startswith("TF_VAR_")}

        def run(*args: str) -> str:
            done = subprocess.run([terraform, *args], cwd=work, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"terraform {' '.join(args)} failed:\n{done.stderr or done.stdout}")
            return done.stdout

        run("init", "-input=false", "-no-color")
        run("plan", "-input=false", "-no-color", "-out=plan.bin")
        plan = json.loads(run("show", "-json", "plan.bin"))
    results = {}
    for name, change in plan.get("output_changes", {}).items():
        results[name] = _merge_unknown(change.get("after"), change.get("after_unknown", False))
    return dict(sorted(results.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terraform", default=shutil.which("terraform") or "terraform")
    parser.add_argument("--check", action="store_true", help="compare with expected.json; do not write")
    args = parser.parse_args(argv)
    recorded = {
        "terraform_version": terraform_version(args.terraform),
        "cases": terraform_results(args.terraform),
    }
    if args.check:
        old = json.loads(EXPECTED.read_text(encoding="utf-8"))
        changed = sorted(k for k in set(old["cases"]) | set(recorded["cases"])
                         if old["cases"].get(k, None) != recorded["cases"].get(k, None))
        for name in changed:
            print(f"{name}: recorded {json.dumps(old['cases'].get(name))}, "
                  f"terraform now {json.dumps(recorded['cases'].get(name))}")
        return 1 if changed else 0
    EXPECTED.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(recorded['cases'])} cases recorded with Terraform {recorded['terraform_version']} "
          f"in {EXPECTED.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
