r"""``--format markdown``: the compliance summary for a pull-request comment
(GitHub-flavoured Markdown): the counts and a table of them per environment, then one
collapsed ``<details>`` per rule with its findings (a problem found in several
environments is one row naming them, see :mod:`.grouping`), then per environment the
matrix of the controls that have findings by databases (see :mod:`._matrix`).

Text from the input (resource and file names, messages) goes into table cells: a
``|`` is escaped, a newline becomes a space, names are code spans with a fence longer
than any backtick run inside them, and in prose the characters that start markup
(``\ ` * _ [ ] < > & | ~``) are backslash-escaped, so nothing from the input becomes a
link, an image, HTML, an entity or emphasis.  GitHub limits a comment to 65,536
characters: what does not fit in 60,000 (findings, whole rules, matrices) is left out,
and a last line says how much and how to get the whole report.
"""

from __future__ import annotations

import html
import re

from .. import __version__
from . import _matrix, printable

LIMIT = 60_000  # characters; GitHub takes up to 65,536 in a comment
FOOTER_ROOM = " " * 300  # kept for the closing tag and the note of what was left out
ICONS = {"fail": "❌ fail", "unknown": "❔ unknown", "suppressed": "🔕 suppressed", "pass": "✅ pass",
         "none": "–"}
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~])")
_SPACE = re.compile(r"\s+")


def text(value) -> str:
    """Prose in a table cell: one line, with every character that could start Markdown
    or HTML markup (emphasis, code, links and images, tags, entities, cells) escaped."""
    return _MARKUP.sub(r"\\\1", printable(_SPACE.sub(" ", str(value)).strip()))


def code(value, cell: bool = True) -> str:
    """A code span: one line, a fence longer than any backtick run inside, and in a
    table cell ``|`` escaped (GFM splits cells before it reads code spans)."""
    body = printable(_SPACE.sub(" ", str(value)).strip())  # control characters as escapes
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body else ""
    span = f"{fence}{pad}{body}{pad}{fence}"
    return span.replace("|", "\\|") if cell else span


def _counts(counts: dict[str, int]) -> str:
    return (f"**{counts['fail']}** failing · **{counts['unknown']}** unknown · "
            f"**{counts['suppressed']}** suppressed · **{counts['pass']}** passed")


def _column(column: str, matrix) -> str:
    if column == _matrix.OTHER:
        return f"other resources ({len(matrix.other_resources)})"
    return code(column)


def _matrix_table(matrix, shown_rows=None) -> list[str]:
    if not matrix.columns:
        return ["No database or other resource was checked in this environment."]
    lines = ["| Control | " + " | ".join(_column(c, matrix) for c in matrix.columns) + " |",
             "|---|" + "---|" * len(matrix.columns)]
    for index, row in enumerate(matrix.rows):
        if shown_rows is not None and index not in shown_rows:
            continue
        label = text(row.control) + (f" ({text(', '.join(row.rules))})" if row.framework else "")
        cells = []
        for column in matrix.columns:
            cell = matrix.cell(index, column)
            count = cell.counts.get(cell.status, 0)
            cells.append(ICONS[cell.status] + (f" ×{count}" if count > 1 else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if matrix.other_resources:
        lines += ["", "Other resources checked: " + ", ".join(code(a, cell=False) for a in matrix.other_resources)]
    return lines


def _finding_row(g) -> str:
    result = _matrix.outcome(g)
    message = text(g.message)
    if g.suppression is not None:
        message += " (suppressed: " + text(g.suppression.reason) + ")"
    return (f"| {ICONS[result]} | {code(g.resource)} | {text(', '.join(g.environments))} | "
            f"{code(f'{g.file}:{g.line}:{g.column}')} | {message} |")


_ENTITIES = {c: f"&#{ord(c)};" for c in "[]()*_`~|\\!"}


def _summary(value) -> str:
    """Text inside ``<summary>``: HTML-escaped, and the characters that start Markdown
    written as entities too, so that no renderer makes a link or emphasis of them."""
    text = html.escape(printable(_SPACE.sub(" ", str(value)).strip()), quote=True)
    return "".join(_ENTITIES.get(c, c) for c in text)


def _by_rule(groups, rules) -> list[tuple[str, list]]:
    """The groups of each rule, most severe rule first, then the most frequent."""
    from .common import SEVERITY_RANK

    order: dict[str, list] = {}
    for g in groups:
        order.setdefault(g.rule, []).append(g)
    worst = {rule: max(SEVERITY_RANK[g.severity] for g in items) for rule, items in order.items()}
    return sorted(order.items(), key=lambda item: (-worst[item[0]], -len(item[1]), item[0]))


def render(report, *, color: bool = False, rules=(), group: bool = True) -> str:
    from .grouping import group as group_findings

    matrices = _matrix.build(report, rules)
    total = _matrix.totals(report)
    errors = len(report.errors)
    warnings = len(report.diagnostics) - errors
    groups = group_findings(report.findings, group)
    out = [
        "## rdspolicy compliance report",
        "",
        f"{_counts(total)} — {len(groups)} distinct finding(s) in {len(matrices)} environment(s), "
        f"{errors} error(s), {warnings} warning(s) (rdspolicy {text(__version__)})",
    ]
    size = sum(len(line) + 1 for line in out)

    def add(lines: list[str]) -> bool:
        """Append the lines if the comment still has room for them."""
        nonlocal size
        more = sum(len(line) + 1 for line in lines)
        if size + more + len(FOOTER_ROOM) > LIMIT:
            return False
        out.extend(lines)
        size += more
        return True

    left_envs = 0
    if matrices and add(["", "| environment | module | failing | unknown | suppressed | passed |", "|---" * 6 + "|"]):
        for k, m in enumerate(matrices):
            c = m.counts
            production = " (production)" if m.production and m.name != "production" else ""
            if not add([f"| {text(m.name)}{production} | {code(m.module)} | {c['fail']} | {c['unknown']} | "
                        f"{c['suppressed']} | {c['pass']} |"]):
                left_envs = len(matrices) - k
                break
    if errors:
        add(["", "Errors:", ""])
        for d in report.diagnostics:
            if d.severity == "error" and not add([f"- {code(d.location(), cell=False)}: {text(d.message)}"]):
                break
    left_findings = left_rules = left_matrices = 0
    names = {r.id: r.name for r in rules}
    for rule_id, items in _by_rule(groups, rules):
        first = items[0]
        name = names.get(rule_id, first.name)
        counts = {k: sum(1 for g in items if _matrix.outcome(g) == k) for k in ("fail", "unknown", "suppressed")}
        what = ", ".join(f"{n} {label}" for n, label in ((counts["fail"], "failing"), (counts["unknown"], "unknown"),
                                                        (counts["suppressed"], "suppressed")) if n)
        worst = next(k for k in ("fail", "unknown", "suppressed") if counts[k])
        head = ["", f"<details><summary>{ICONS[worst].split()[0]} <b>{_summary(rule_id)} {_summary(name)}</b> "
                    f"({_summary(first.severity)}): {what}</summary>", "",
                "| | resource | environments | location | message |", "|---" * 5 + "|"]
        if not add(head):
            left_rules += 1
            left_findings += len(items)
            continue
        for k, g in enumerate(items):
            if not add([_finding_row(g)]):
                left_findings += len(items) - k
                break
        out += ["", "</details>"]
        size += len("\n\n</details>\n")
    for m in matrices:
        shown_rows = m.rows_with_findings()
        if not shown_rows:
            continue
        head = ["", f"<details><summary>Controls with findings in {_summary(m.name)} ({len(shown_rows)} of "
                    f"{len(m.rows)})</summary>", "", f"Module {code(m.module, cell=False)}: {_counts(m.counts)}", ""]
        if not add(head + _matrix_table(m, shown_rows) + ["", "</details>"]):
            left_matrices += 1
    if left_envs or left_findings or left_rules or left_matrices:
        what = [f"{n} {one if n == 1 else many}" for n, one, many in (
            (left_envs, "environment", "environments"), (left_rules, "rule", "rules"),
            (left_findings, "finding", "findings"), (left_matrices, "matrix", "matrices")) if n]
        out += ["", f"Left out to fit a comment: {', '.join(what)}; the whole report: `rdspolicy check` "
                    f"(or `--format html`)."]
    return "\n".join(out) + "\n"
