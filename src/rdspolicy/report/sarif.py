"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run.  ``tool.driver`` describes rdspolicy and every rule that ran (help with the
rationale and a compliant example, ``security-severity``, tags, precision).  Each
finding is a result at the offending argument, with a URI relative to ``%SRCROOT%``
(the ``--root`` folder, given in ``originalUriBaseIds``), the resource address as a
logical location, and a fingerprint that does not change when lines move.  Each
finding in each environment is a result; ``properties.environments`` lists every
environment where the same problem was found (the reports for people show it once).

Levels: critical and high findings are ``error``, medium ``warning``, low ``note``.
A verdict that depends on a value unknown before apply is ``note`` whatever the rule's
severity (``properties.status`` is ``unknown``): it asks for review, it is not a
finding.  Suppressed findings stay in the run with ``suppressions`` (``inSource`` for
an inline comment, ``external`` for a baseline), as SARIF viewers expect.

Parse errors and other diagnostics are ``toolExecutionNotifications`` of the one
invocation, whose ``executionSuccessful`` is false when any of them is an error.

GitHub's limits (docs.github.com, "SARIF results exceed limit"): at most 20 runs per
file, 25,000 results and 25,000 rules per run, 1,000 locations per result and 20 tags
per rule are accepted (and only the top 5,000 results, 100 locations and 10 tags are
shown).  rdspolicy writes one run and one location per result; past 25,000 results the
most severe are kept and a notification says how many were left out; tags are cut at 20
(the ones GitHub shows first: security, terraform, aws-rds, postgresql, then the
rule's controls).  Up to 2,000 results the JSON is indented, above that it is compact
(smaller, and much faster to write).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from . import dumps, json_safe
from .common import Paths, by_severity, describe, fingerprints
from .grouping import group

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000  # GitHub: results per run
MAX_TAGS = 20  # GitHub: tags per rule
PRETTY_RESULTS = 2_000  # indented up to this many results, compact above
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "rdspolicy/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub grades security-severity: 9.0 and over critical, 7.0-8.9 high, 4.0-6.9 medium,
# 0.1-3.9 low
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
PRECISION = "high"  # values are evaluated, not guessed; unknown verdicts are notes
TAGS = ("security", "terraform", "aws-rds", "postgresql")


def information_uri() -> str:
    """The project's home page from the installed package's metadata; a URN naming
    the tool when the package declares none."""
    try:
        from importlib.metadata import metadata

        meta = metadata("rdspolicy")
        urls = [u.split(",", 1)[1].strip() for u in meta.get_all("Project-URL") or () if "," in u]
        if meta.get("Home-page"):
            urls.insert(0, meta["Home-page"])
        if urls:
            return urls[0]
    except Exception:  # not installed: run from a source tree
        pass
    return "urn:rdspolicy"


def _paragraphs(text: str) -> str:
    """A docstring's text with its line breaks and indentation undone (and its
    reStructuredText ``code`` marks made single, as Markdown has them)."""
    text = text.replace("``", "`")
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def _artifact(file: str, paths: Paths) -> dict:
    rel = paths.relative(file)
    if rel is None:
        return {"uri": Path(file).resolve().as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}


def _region(line: int, column: int, end_line: int = 0, end_column: int = 0) -> dict | None:
    if line < 1:
        return None
    region = {"startLine": line}
    if column >= 1:
        region["startColumn"] = column
    if end_line >= line:
        region["endLine"] = end_line
        if end_column >= 1 and (end_line > line or end_column > column):
            region["endColumn"] = end_column
    return region


def _location(file: str, paths: Paths, region: dict | None) -> dict:
    physical = {"artifactLocation": _artifact(file, paths)}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _rule(rule) -> dict:
    rationale = _paragraphs(rule.rationale)
    compliant = rule.compliant.strip("\n")
    text = f"{rule.summary}\n\n{rationale}\n\nCompliant example:\n\n{compliant}\n"
    markdown = (f"{rule.summary}\n\n{rationale}\n\n**Compliant example**\n\n```hcl\n{compliant}\n```\n")
    if rule.references:
        text += "\nReferences:\n" + "".join(f"- {r}\n" for r in rule.references)
        markdown += "\n**References**\n\n" + "".join(f"- <{r}>\n" for r in rule.references)
    tags = list(dict.fromkeys([*TAGS, *rule.controls]))[:MAX_TAGS]
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rationale or rule.summary},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": bool(rule.enabled)},
        "properties": {
            "tags": tags,
            "precision": PRECISION,
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    return descriptor


def _result(finding, fingerprint: str, rule_index: dict[str, int], paths: Paths, environments: list[str]) -> dict:
    result = {
        "ruleId": finding.rule,
        "level": "note" if finding.status == "unknown" else LEVELS[finding.severity],
        "message": {"text": describe(finding)},
        "locations": [{
            **_location(finding.file, paths, _region(finding.line, finding.column, finding.end_line,
                                                    finding.end_column)),
            "logicalLocations": [{"name": finding.resource, "fullyQualifiedName": finding.resource,
                                  "kind": "resource"}],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "environment": finding.environment,
            "environments": environments,
            "module": paths.show(finding.module),
            "status": finding.status,
            "severity": finding.severity,
            "security-severity": SECURITY_SEVERITY[finding.severity],
        },
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    s = finding.suppression
    if s is not None:
        suppression = {"kind": s.kind, "status": "accepted", "justification": s.reason}
        if s.file:
            suppression["location"] = _location(s.file, paths, _region(s.line or 0, 0))
        if s.until:
            suppression["properties"] = {"until": s.until}
        result["suppressions"] = [suppression]
    return result


def _notification(diag, paths: Paths) -> dict:
    note = {
        "level": "error" if diag.severity == "error" else "warning",
        "message": {"text": diag.message},
        "descriptor": {"id": diag.code or "diagnostic"},
    }
    if diag.file and not diag.file.startswith("<"):
        note["locations"] = [_location(diag.file, paths, _region(diag.line, diag.column))]
    return note


def render(report, *, color: bool = False, rules=(), root: str | None = None,
           automation_id: str | None = None) -> str:
    paths = Paths(root)
    ran = list(rules)
    rule_index = {r.id: i for i, r in enumerate(ran)}
    prints = dict(zip(map(id, report.findings), fingerprints(report.findings, paths)))
    findings = report.findings
    # the environments where the same problem was found (the text report's one line)
    environments = {id(f): g.environments for g in group(findings) for f in g.findings}
    notifications = [_notification(d, paths) for d in report.diagnostics]
    if len(findings) > MAX_RESULTS:
        kept = by_severity(findings)[:MAX_RESULTS]
        left_out = len(findings) - MAX_RESULTS
        keep = set(map(id, kept))
        findings = [f for f in findings if id(f) in keep]
        notifications.append({
            "level": "warning",
            "message": {"text": f"{left_out} of {len(report.findings)} results were left out: GitHub code "
                                f"scanning accepts at most {MAX_RESULTS} results per run (the most severe "
                                "are kept); see the text or JSON output for all of them"},
            "descriptor": {"id": "results-truncated"},
        })
    invocation = {
        "executionSuccessful": not report.has_errors,
        "toolExecutionNotifications": notifications,
    }
    run = {
        "tool": {"driver": {
            "name": "rdspolicy",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": information_uri(),
            "rules": [_rule(r) for r in ran],
        }},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(paths.root).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, prints[id(f)], rule_index, paths, environments[id(f)]) for f in findings],
        "properties": {
            "environments": [
                {"module": paths.show(e.module), "name": e.name,
                 "production": e.production}
                for e in report.environments
            ],
        },
    }
    if automation_id:
        run["automationDetails"] = {"id": automation_id}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    if len(findings) > PRETTY_RESULTS:  # Python's fast JSON encoder does not indent
        return json_safe(json.dumps(log, ensure_ascii=False, separators=(",", ":"))) + "\n"
    return json_safe(dumps(log)) + "\n"

