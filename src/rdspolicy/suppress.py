"""Suppression stage, between the rules and the reporters: inline ``rdspolicy:ignore``
comments in the Terraform itself.

    # rdspolicy:ignore RDS003 reason="single-AZ accepted for the reporting replica" until=2027-03-31

A directive names one or more rules (ids or names, separated by commas or spaces), a
``reason`` (required) and optionally ``until`` (an ISO date, the last day it applies).
It covers, where people write it (Checkov users put ``#checkov:skip`` inside the block):

- a whole block when it is on the line above the block (other comment lines may come
  between, so several directives can be stacked), on the block's first line (after
  the ``{``) or last line, or on a line of its own anywhere inside the block (the
  innermost block around it);
- only that line when it follows an argument (a trailing comment): that argument's
  findings;
- outside any block, the next line of code below it.

A finding it covers gets a :class:`~rdspolicy.findings.Suppression` of kind
``inSource`` and no longer counts.  A directive without a reason, with a date that is
not a date, or with an unknown rule does not suppress and is reported (a rule that
exists but does not run, by ``--select``, ``--ignore`` or ``--framework``, is not
unknown); an expired one
stops suppressing and says so; with ``--report-unused-ignores`` one that suppresses
nothing is reported as unused.  All are warnings: the findings they fail to suppress
decide the exit status.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from . import syntax as S
from .errors import Diagnostic
from .findings import Finding, Suppression
from .record import Record
from .selection import rules_by_key, suggest

MARKER = "rdspolicy:ignore"
_TOKEN = re.compile(
    r'\s*(?:(?P<key>[A-Za-z_]+)\s*=\s*(?P<value>"(?:[^"\\]|\\.)*"|[^\s,]+)'
    r'|(?P<rule>[A-Za-z0-9_-]+)|(?P<comma>,)|(?P<rest>#.*)|(?P<bad>\S+))'
)


class Directive(Record):
    _fields = ("file", "line", "column", "rules", "reason", "until", "problems", "ranges")

    def __init__(self, file: str, line: int, column: int, rules: list[str], reason: str | None = None,
                 until: str | None = None, problems: list[str] | None = None,
                 ranges: list[tuple[int, int]] | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.rules = rules  # as written
        self.reason = reason
        self.until = until
        self.problems = [] if problems is None else problems
        self.ranges = [] if ranges is None else ranges  # covered lines, inclusive

    def shown(self) -> str:
        return f"{MARKER} {', '.join(self.rules)}"


def parse_directive(text: str) -> tuple[list[str], dict[str, str], list[str]] | None:
    """(rules, key=values, problems) of a comment's text, or None when it is not a directive."""
    body = text.strip()
    if not body.startswith(MARKER):
        return None
    body = body[len(MARKER):]
    if body and not body[0].isspace():
        return None  # rdspolicy:ignored-something
    rules: list[str] = []
    values: dict[str, str] = {}
    problems: list[str] = []
    for m in _TOKEN.finditer(body):
        if m.group("rest") is not None:
            break
        if m.group("key") is not None:
            key, value = m.group("key"), m.group("value")
            if value.startswith('"'):
                value = re.sub(r'\\(.)', r'\1', value[1:-1])
            if key not in ("reason", "until"):
                problems.append(f"unknown setting {key}= (only reason= and until=)")
            values[key] = value
        elif m.group("rule") is not None:
            if values:
                problems.append(f"{m.group('rule')!r} after reason/until: rules come first")
            else:
                rules.append(m.group("rule"))
        elif m.group("bad") is not None:
            problems.append(f"cannot read {m.group('bad')!r}")
    return rules, values, problems


def _is_comment_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("#", "//", "/*", "*"))


def _blocks(body: S.Body, out: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first line, last line) of every block, outer blocks before the blocks inside them."""
    for block in body.blocks:
        out.append((block.pos.line, block.pos.end_line))
        _blocks(block.body, out)
    return out


def _innermost(blocks: list[tuple[int, int]], line: int, where=lambda first, last, line: first <= line <= last):
    """The smallest block that ``where`` accepts for ``line``, or None."""
    found = [(last - first, first, last) for first, last in blocks if where(first, last, line)]
    return (min(found)[1], min(found)[2]) if found else None


def _covers(line: int, trailing: bool, lines: list[str], blocks: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The lines a directive on ``line`` covers (see the module's documentation)."""
    if trailing:
        opened_or_closed = _innermost(blocks, line, lambda first, last, n: n in (first, last) and last > first)
        return opened_or_closed or (line, line)
    target = line + 1
    while target <= len(lines) and _is_comment_line(lines[target - 1]):
        target += 1
    code_follows = target <= len(lines) and lines[target - 1].strip()
    if code_follows:
        opened = [(first, last) for first, last in blocks if first == target]
        if opened:
            return opened[0]  # the outermost block opening there
    inside = _innermost(blocks, line, lambda first, last, n: first < n < last)
    if inside:
        return inside
    return (target, target) if code_follows else None


def collect(files: list[S.File]) -> list[Directive]:
    """The directives written in the parsed files."""
    from .fileio import read_text

    out: list[Directive] = []
    for parsed in files:
        found = [(c, parse_directive(c.text)) for c in parsed.comments if MARKER in c.text]
        found = [(c, d) for c, d in found if d is not None]
        if not found:
            continue
        try:
            lines = read_text(parsed.path).splitlines()
        except Exception:  # the file was parsed a moment ago; if it vanished, cover own lines only
            lines = []
        blocks = _blocks(parsed.body, [])
        for comment, (rules, values, problems) in found:
            directive = Directive(parsed.path, comment.line, comment.column, rules, values.get("reason"),
                                  values.get("until"), problems)
            before = lines[comment.line - 1][: comment.column - 1] if comment.line <= len(lines) else ""
            covered = _covers(comment.line, bool(before.strip()), lines, blocks)
            if covered is not None:
                directive.ranges.append(covered)
            out.append(directive)
    return out


def apply(findings: list[Finding], directives: list[Directive], rules, report_unused: bool = False,
          today: dt.date | None = None, known=None) -> list[Diagnostic]:
    """Mark the findings the directives cover; diagnostics about the directives.
    ``rules`` ran; ``known`` (default: the same) are all the rules there are."""
    today = today or dt.date.today()
    # findings by file, in line order: a directive looks up only the lines it covers
    by_file: dict[str, tuple[list[int], list[Finding]]] = {}
    for finding in sorted(findings, key=lambda f: (f.file, f.line)):
        lines, items = by_file.setdefault(finding.file, ([], []))
        lines.append(finding.line)
        items.append(finding)
    by_key = rules_by_key(rules if known is None else known)  # id or name, case-insensitive
    running = {r.id for r in rules}
    diagnostics: list[Diagnostic] = []

    def warn(d: Directive, message: str, code: str) -> None:
        diagnostics.append(Diagnostic("warning", d.file, d.line, d.column, message, code))

    for d in directives:
        for problem in d.problems:
            warn(d, f"{d.shown()}: {problem}", "ignore-invalid")
        ids = []
        for written in d.rules:
            rule = by_key.get(written.lower())
            if rule is None:
                hint = suggest(written, list(known if known is not None else rules)) or "see `rdspolicy rules`"
                warn(d, f"{MARKER}: unknown rule {written!r} ({hint})", "ignore-unknown-rule")
            elif rule.id in running:  # a rule filtered out of this run has nothing to suppress
                ids.append(rule.id)
        if not d.rules:
            warn(d, f"{MARKER} names no rule: write the rule ids or names, e.g. {MARKER} RDS003 reason=\"...\"",
                 "ignore-invalid")
            continue
        if not (d.reason or "").strip():
            warn(d, f'{d.shown()} has no reason, so it does not suppress: add reason="why this is accepted"',
                 "ignore-without-reason")
            continue
        if d.until is not None:
            try:
                until = dt.date.fromisoformat(d.until)
            except ValueError:
                warn(d, f"{d.shown()}: until={d.until} is not a date (YYYY-MM-DD), so it does not suppress",
                     "ignore-invalid")
                continue
            if until < today:
                warn(d, f"{d.shown()} expired on {until.isoformat()} and no longer suppresses: "
                        f"fix the finding or renew the suppression with a reason", "ignore-expired")
                continue
        used: set[str] = set()
        suppression = Suppression(kind="inSource", reason=d.reason.strip(), until=d.until, file=d.file, line=d.line)
        lines, items = by_file.get(d.file, ([], []))
        for first, last in d.ranges:
            for finding in items[bisect.bisect_left(lines, first):bisect.bisect_right(lines, last)]:
                if finding.suppression is None and finding.rule in ids:
                    finding.suppression = suppression
                    used.add(finding.rule)
        if report_unused:
            for rid in ids:
                if rid not in used:
                    warn(d, f"{MARKER} {rid} is unused: no {rid} finding on the line or block it covers",
                         "ignore-unused")
    return diagnostics
