"""Baselines: accept today's findings, report only new ones.

``rdspolicy check --write-baseline .rdspolicy-baseline.json`` records the findings that
count (failing and unknown, not already suppressed inline), each keyed by rule, file,
resource address and environment: not by line, so that editing a file above a finding
does not make it new.  Files are written relative to the baseline's folder with ``/``,
so the baseline works from any current folder and on any system.  The file is sorted,
indented JSON ending in a newline: it diffs well in review.

``--baseline FILE`` then marks every finding recorded there as suppressed (kind
``external``, reason ``baseline``); a key recorded ``count`` times covers that many
findings, more are new.  A recorded finding that no longer occurs is reported as fixed,
so that the baseline can be rewritten smaller.
"""

from __future__ import annotations

import json
import os

from .discover import display_path
from .findings import Finding, Fixed, Suppression

VERSION = 1


class BaselineError(Exception):
    pass


def _relative(file: str, baseline: str) -> str:
    folder = os.path.dirname(os.path.abspath(baseline))
    return os.path.relpath(os.path.abspath(file), folder).replace(os.sep, "/")


def _key(finding: Finding, baseline: str) -> tuple[str, str, str, str]:
    return (finding.rule, _relative(finding.file, baseline), finding.resource, finding.environment)


def _entries(findings: list[Finding], path: str) -> list[dict]:
    counts: dict[tuple, int] = {}
    names: dict[str, str] = {}
    for f in findings:
        if f.suppression is not None:
            continue
        key = _key(f, path)
        counts[key] = counts.get(key, 0) + 1
        names[f.rule] = f.name
    entries = [
        {"rule": rule, "name": names[rule], "file": file, "resource": resource, "environment": env, "count": n}
        for (rule, file, resource, env), n in sorted(counts.items())
    ]
    return entries


def write(findings: list[Finding], path: str) -> int:
    """Write the baseline of ``findings`` to ``path``; the number of entries."""
    entries = _entries(findings, path)
    data = {"version": VERSION, "tool": "rdspolicy", "findings": entries}
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return len(entries)


def read(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as src:
            data = json.load(src)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an rdspolicy baseline (version {VERSION} with a findings list)")
    entries = []
    for i, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                                  for k in ("rule", "file", "resource", "environment")):
            raise BaselineError(f"{path}: finding {i + 1} needs rule, file, resource and environment")
        entries.append(entry)
    return entries


def apply(findings: list[Finding], path: str) -> list[Fixed]:
    """Suppress the findings recorded in the baseline; the recorded ones that are gone."""
    remaining: dict[tuple, int] = {}
    for e in read(path):
        key = (e["rule"], e["file"], e["resource"], e["environment"])
        count = e.get("count", 1)
        remaining[key] = remaining.get(key, 0) + (count if isinstance(count, int) and count > 0 else 1)
    suppression = Suppression(kind="external", reason="baseline", file=path)
    for f in findings:
        if f.suppression is not None:
            continue
        key = _key(f, path)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            f.suppression = suppression
    fixed = []
    for key, left in sorted(remaining.items()):
        if left > 0:
            rule, file, resource, env = key
            shown = display_path(os.path.join(os.path.dirname(os.path.abspath(path)), file))
            fixed.append(Fixed(rule=rule, file=shown, resource=resource, environment=env, count=left))
    return fixed
