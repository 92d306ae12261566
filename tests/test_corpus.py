"""Acceptance on real code (issue 14): every example of the shared corpus (public
terraform-aws-modules rds and rds-aurora examples, ../shared/corpus), laid out as after
``terraform init`` and as before it, is checked; the test asserts

(a) no crash: no rule error, no internal error;
(b) every unknown verdict's reason is one ``terraform plan`` shares: a kind in
    :data:`PLAN_UNKNOWNS` (a short, explicit list);
(c) the verdicts per example (fail / unknown / pass) are those recorded in
    ``docs/corpus-verdicts.md``, so that any change of verdict on real code is seen in
    review.  After an intended change, rewrite the table with
    ``RDSPOLICY_UPDATE_CORPUS_TABLE=1 pytest tests/test_corpus.py``.

Checking the corpus takes tens of seconds (the init layout evaluates the registry
modules, vpc and security-group among them, in every example; parsed once each, through
the test session's parse cache), so the test is marked ``slow``: ``pytest -m 'not slow'``
leaves it out.  The corpus folder is ``$RDSPOLICY_CORPUS``, else ``../shared/corpus`` beside the checkout;
without it the test is skipped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rdspolicy.evaluate import Settings
from rdspolicy.pipeline import Options, check
from rdspolicy.plugins import load_rules
from samples import CORPUS

TABLE = Path(__file__).resolve().parent.parent / "docs" / "corpus-verdicts.md"
AS_OF = "2026-11-27"  # RDS020 judges support on a fixed date
LAYOUTS = ("init", "no-init")

# The kinds of reason an unknown verdict may give: what `terraform plan`, run in the
# example's folder, cannot know either before a provider answers.  A reason of any
# other kind is a value plan knows and rdspolicy does not: a bug.
PLAN_UNKNOWNS = {
    # a data source: read from AWS while planning
    "data source": re.compile(r"data\.[\w-]+\.[\w-]+(\[[^\]]*\])? is read from AWS during plan"),
    # a registry module terraform init has not fetched (the layout before init)
    "module not fetched": re.compile(r'module\.[\w-]+ is not evaluated: its source "[^"]+" is not fetched'),
}

def classify(message: str) -> str | None:
    for kind, pattern in PLAN_UNKNOWNS.items():
        if pattern.search(message):
            return kind
    return None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    if not (CORPUS / "materialise.py").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set RDSPOLICY_CORPUS)")
    out = {}
    for layout in LAYOUTS:
        dest = tmp_path_factory.mktemp(f"corpus-{layout}")
        args = [sys.executable, str(CORPUS / "materialise.py"), str(dest)] + (["--no-init"] if layout == "no-init" else [])
        subprocess.run(args, check=True)
        out[layout] = dest
    return out


def examples() -> list[str]:
    return sorted(json.loads((CORPUS / "roots.json").read_text())) if (CORPUS / "roots.json").is_file() else []


def run_corpus(corpus: dict[str, Path]) -> tuple[dict, list[str]]:
    """({(layout, example): (fail, unknown, pass)}, problems)."""
    rules = [rule for rule in load_rules().rules if rule.enabled]  # what `rdspolicy check` runs
    counts, problems = {}, []
    for layout, root in corpus.items():
        for example in examples():
            folder = root / example
            report = check(Options(paths=[str(folder)], settings=Settings(env={}), cache=True, jobs=1,
                                   as_of=AS_OF), rules)
            for diag in report.diagnostics:
                if diag.severity == "error":
                    problems.append(f"{layout} {example}: {diag.code}: {diag.message}")
            statuses = [f.status for f in report.findings]
            counts[(layout, example)] = (statuses.count("fail"), statuses.count("unknown"), report.passed)
            for finding in report.findings:
                if finding.status == "unknown" and classify(finding.message) is None:
                    problems.append(f"{layout} {example}: {finding.rule} {finding.resource}: unknown for a reason "
                                    f"terraform plan does not share: {finding.message}")
    return counts, problems


def render(counts: dict) -> str:
    lines = [
        "| example | after init: fail | unknown | pass | before init: fail | unknown | pass |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for example in examples():
        cells = [str(n) for layout in LAYOUTS for n in counts[(layout, example)]]
        lines.append(f"| {example} | " + " | ".join(cells) + " |")
    totals = [str(sum(counts[(layout, e)][k] for e in examples())) for layout in LAYOUTS for k in range(3)]
    lines.append("| **total** | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def recorded_table() -> str:
    text = TABLE.read_text()
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return "\n".join(rows)


@pytest.mark.slow
def test_corpus_verdicts_are_known_as_plan_knows_them_and_recorded(corpus):
    counts, problems = run_corpus(corpus)
    assert not problems, "\n".join(problems)
    table = render(counts)
    if os.environ.get("RDSPOLICY_UPDATE_CORPUS_TABLE"):
        text = TABLE.read_text()
        start = text.index("| example |")
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
        TABLE.write_text(text[:start] + table + text[end:])
    assert recorded_table() == table, (
        f"the verdicts on the corpus changed; if intended, rewrite {TABLE.name} "
        "(RDSPOLICY_UPDATE_CORPUS_TABLE=1 pytest tests/test_corpus.py) and say why in the commit\n"
        f"now:\n{table}"
    )


@pytest.mark.parametrize("message, kind", [
    ("engine_version is unknown: data.aws_rds_engine_version.postgresql is read from AWS during plan", "data source"),
    ('admits port 5432 from CIDRs that are unknown: module.vpc is not evaluated: its source '
     '"terraform-aws-modules/vpc/aws" is not fetched', "module not fetched"),
    ("whether rds.force_ssl is on is unknown: parameter_group_name is unknown: "
     "aws_db_parameter_group.pg.id is known only after apply", None),
    ("path.cwd depends on where Terraform runs", None),
])
def test_reasons_are_classified(message, kind):
    assert classify(message) == kind
