"""``--format gitlab``: a GitLab Code Quality report (artifacts:reports:codequality).

A JSON array with one object per failing or unknown finding: ``description`` (resource,
environment and message), ``check_name`` (``RDS001 storage-encrypted``),
``fingerprint`` (the same as SARIF's: rule, file, resource, environment; unchanged when
lines move), ``severity`` and ``location`` (``path`` relative to ``--root``,
``lines.begin``).  Severities: critical -> blocker, high -> critical, medium -> major,
low -> minor, and unknown verdicts -> info.  Suppressed findings are left out.  Errors
(a parse error, a missing path, a misspelt rule) are ``blocker`` entries whose
``check_name`` is ``rdspolicy/CODE``, so the report is valid and says what went wrong.
"""

from __future__ import annotations

import hashlib

from . import dumps, json_safe
from .common import Paths, describe, fingerprints

SEVERITIES = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor"}


def render(report, *, color: bool = False, rules=(), root: str | None = None) -> str:
    paths = Paths(root)
    issues = []
    for d in report.diagnostics:
        if d.severity != "error":
            continue
        where = paths.show(d.file)
        digest = hashlib.sha256("\0".join([d.code, where, str(d.line), d.message]).encode("utf-8")).hexdigest()
        issues.append({
            "description": f"error: {d.message}",
            "check_name": f"rdspolicy/{d.code or 'error'}",
            "fingerprint": digest,
            "severity": "blocker",
            "location": {"path": where, "lines": {"begin": max(d.line, 1)}},
        })
    for f, fingerprint in zip(report.findings, fingerprints(report.findings, paths)):
        if f.suppression is not None:
            continue
        issues.append({
            "description": describe(f),
            "check_name": f"{f.rule} {f.name}",
            "fingerprint": fingerprint,
            "severity": "info" if f.status == "unknown" else SEVERITIES[f.severity],
            "location": {"path": paths.show(f.file), "lines": {"begin": f.line, "end": max(f.end_line, f.line)}},
        })
    return json_safe(dumps(issues)) + "\n"
