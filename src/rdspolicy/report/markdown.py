r"""``--format markdown``: the compliance summary for a pull-request comment
(GitHub-flavoured Markdown): the counts, per environment the matrix of controls by
databases (see :mod:`._matrix`) and a table of its findings.

Text from the input (resource and file names, messages) goes into table cells: a
``|`` is escaped, a newline becomes a space, names are code spans with a fence longer
than any backtick run inside them, and in prose the characters that start markup
(``\ ` * _ [ ] < > & | ~``) are backslash-escaped, so nothing from the input becomes a
link, an image, HTML, an entity or emphasis.  GitHub limits a comment to 65,536
characters: what does not fit in 60,000 (findings, then a too-wide matrix, then whole
environments) is left out, and a last line says how much.
"""

from __future__ import annotations

import re

from .. import __version__
from . import _matrix, printable

LIMIT = 60_000  # characters; GitHub takes up to 65,536 in a comment
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


def _matrix_table(matrix) -> list[str]:
    if not matrix.columns:
        return ["No database or other resource was checked in this environment."]
    lines = ["| Control | " + " | ".join(_column(c, matrix) for c in matrix.columns) + " |",
             "|---|" + "---|" * len(matrix.columns)]
    for index, row in enumerate(matrix.rows):
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


def _finding_row(f) -> str:
    result = _matrix.outcome(f)
    message = text(f.message)
    if f.suppression is not None:
        message += " (suppressed: " + text(f.suppression.reason) + ")"
    return (f"| {ICONS[result]} | {text(f.severity)} | {code(f.rule + ' ' + f.name)} | {code(f.resource)} | "
            f"{code(f'{f.file}:{f.line}:{f.column}')} | {message} |")


def render(report, *, color: bool = False, rules=()) -> str:
    matrices = _matrix.build(report, rules)
    total = _matrix.totals(report)
    errors = len(report.errors)
    warnings = len(report.diagnostics) - errors
    out = [
        "## rdspolicy compliance report",
        "",
        f"{_counts(total)} — {len(matrices)} environment(s), {errors} error(s), {warnings} warning(s) "
        f"(rdspolicy {text(__version__)})",
    ]
    size = sum(len(line) + 1 for line in out)

    def add(lines: list[str]) -> bool:
        """Append the lines if the comment still has room for them."""
        nonlocal size
        more = sum(len(line) + 1 for line in lines)
        if size + more > LIMIT:
            return False
        out.extend(lines)
        size += more
        return True

    if errors:
        add(["", "Errors:", ""])
        for d in report.diagnostics:
            if d.severity == "error" and not add([f"- {code(d.location(), cell=False)}: {text(d.message)}"]):
                break
    left_findings = left_matrices = left_envs = 0
    for m in matrices:
        production = " (production)" if m.production and m.name != "production" else ""
        head = ["", f"### {text(m.name)}{production}", "",
                f"Module {code(m.module, cell=False)}: {_counts(m.counts)}", ""]
        if not add(head + _matrix_table(m)):
            if not add(head + [f"The matrix ({len(m.columns)} columns) is left out to fit a comment."]):
                left_envs += 1
                left_findings += len(m.findings)
                continue
            left_matrices += 1
        if m.findings and add(["", "| | severity | rule | resource | location | message |", "|---" * 6 + "|"]):
            for k, f in enumerate(m.findings):
                if not add([_finding_row(f)]):
                    left_findings += len(m.findings) - k
                    break
        else:
            left_findings += len(m.findings)
    if left_findings or left_matrices or left_envs:
        what = [f"{n} {one if n == 1 else many}" for n, one, many in (
            (left_envs, "environment", "environments"), (left_matrices, "matrix", "matrices"),
            (left_findings, "finding", "findings")) if n]
        out += ["", f"Left out to fit a comment: {', '.join(what)}; run `rdspolicy check` for the whole report."]
    return "\n".join(out) + "\n"
