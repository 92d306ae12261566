"""Text for people, in the order one reads it on a terminal: the summary line, the
findings (one line each, a problem found in several environments once with the
environments listed: see :mod:`.grouping`), the warnings, findings of the baseline that
no longer occur, a hint, and the summary again.  Suppressed findings (inline or by the
baseline) are not listed, only counted.

``output_format``: ``concise`` (the default) is one line per finding, cut to ``width``
columns when the width of the terminal is known, so that nothing wraps; ``full`` adds
the whole message, the offending lines with a caret under the column, and the rule's
one-line fix.  ``statistics`` prints a count per rule instead of the findings;
``quiet`` prints only the findings and the errors.
"""

from __future__ import annotations

from collections import Counter

from ..rule import SEVERITIES
from .grouping import group as group_findings

_SEVERITY_COLORS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan"}
OUTPUT_FORMATS = ("concise", "full")
FRAME_LINES = 3  # at most this many lines of a finding in a code frame


def fit(plain: str, styled: str, width: int | None) -> str:
    """``styled`` (``plain`` with colours), cut to ``width`` columns with an ellipsis."""
    if width is None or len(plain) <= width:
        return styled
    return plain[: max(width - 1, 0)] + "…"


def _frame(finding, sources, p) -> list[str]:
    """The offending lines with a caret under the column (ruff's code frame)."""
    from ._source import redact

    lines = sources.lines(finding.file) if sources is not None else None
    if not lines or not 1 <= finding.line <= len(lines):
        return []
    end = max(finding.line, finding.end_line or finding.line)
    # an argument's lines, or a block's first line (its argument is absent)
    last = min(end if end - finding.line < FRAME_LINES else finding.line, len(lines))
    gutter = len(str(last))
    out = [f"  {'':>{gutter}} |"]
    for number in range(finding.line, last + 1):
        out.append(f"  {number:>{gutter}} | {p(redact(lines[number - 1].expandtabs(4)))}")
        if number == finding.line:
            column = max(finding.column, 1)
            span = 1
            if finding.end_line == finding.line and finding.end_column > finding.column:
                span = finding.end_column - finding.column
            out.append(f"  {'':>{gutter}} | {' ' * (column - 1)}^{'~' * (span - 1)}")
    return out


def summary_line(report, shown: list, hidden: int = 0, severity: str | None = None) -> str:
    from . import printable as p

    envs = report.environments
    modules = len({e.module for e in envs})
    env_text = environments_by_source(envs, p) or "none"
    errors = len(report.errors)
    warnings = len(report.diagnostics) - errors
    extra = "".join(f", {n} {what}" for n, what in ((len(report.suppressed), "suppressed"),
                                                     (sum(x.count for x in report.fixed), "fixed"))
                    if n)
    per = Counter(g.severity for g in shown)
    by_severity = ", ".join(f"{per[s]} {s}" for s in SEVERITIES if per[s])
    distinct = f"{len(shown)} distinct" + (f": {by_severity}" if by_severity else "")
    if hidden:
        distinct += f" ({hidden} below {severity} not shown)"
    return (
        f"{len(report.failed)} failing, {len(report.unknown)} unknown{extra}, {report.passed} passed; "
        f"{distinct}; {len(envs)} environment(s) ({env_text}) in {modules} module(s); "
        f"{errors} error(s), {warnings} warning(s)"
    )


def statistics(shown: list) -> list[str]:
    """A count per rule, severity and status, most frequent first (ruff's --statistics)."""
    counts = Counter((g.rule, g.name, g.severity, g.status) for g in shown)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    name_width = max((len(name) for (_, name, _, _), _ in rows), default=4)
    return [f"{n:>{width}}  {rule}  {name:<{name_width}}  {severity:<8}  {status}"
            for (rule, name, severity, status), n in rows]


def render(report, *, color: bool = False, rules=(), group: bool = True, output_format: str = "concise",
           statistics_only: bool = False, quiet: bool = False, width: int | None = None, hidden: int = 0,
           severity: str | None = None) -> str:
    import click

    from . import printable as p

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    full = output_format == "full"
    line_width = None if full else width
    by_id = {r.id: r for r in rules}
    sources = None
    if full:
        from ._source import Sources

        sources = Sources(getattr(report, "scrub", None))
    shown = group_findings([f for f in report.findings if f.suppression is None], group)

    lines: list[str] = []
    errors = [d for d in report.diagnostics if d.severity == "error"]
    warnings = [d for d in report.diagnostics if d.severity != "error"]

    def diagnostic(diag) -> None:
        kind = diag.severity
        head = f"{p(diag.location())}: "
        plain = f"{head}{kind}: {p(diag.message)}"
        styled = f"{head}{style(kind, fg='red' if kind == 'error' else 'yellow', bold=True)}: {p(diag.message)}"
        lines.append(fit(plain, styled, line_width))

    summary = summary_line(report, shown, hidden, severity)
    for diag in errors:  # why the exit status is 2: first
        diagnostic(diag)
    if statistics_only:
        lines += statistics(shown)
    else:
        for g in shown:
            envs = "[" + ", ".join(p(e) for e in g.environments) + "]"
            sev = style(g.severity, fg=_SEVERITY_COLORS.get(g.severity), bold=g.severity in ("critical", "high"))
            unknown = g.status == "unknown"
            where = f"{p(g.file)}:{g.line}:{g.column}: "
            name = f" {p(g.name)}" if full else ""
            plain = f"{where}{p(g.rule)}{name} [{g.severity}] {p(g.resource)} {envs}:{' unknown:' if unknown else ''}"
            styled = (f"{where}{style(p(g.rule), bold=True)}{name} [{sev}] {p(g.resource)} {envs}:"
                      f"{' ' + style('unknown', fg='blue') + ':' if unknown else ''}")
            if full:
                lines.append(styled.rstrip(":"))
                lines.append(f"  {p(g.message)}")
                lines += _frame(g, sources, p)
                rule = by_id.get(g.rule)
                if rule is not None:
                    lines.append(f"  fix: {p(rule.summary)} (rdspolicy explain {p(g.rule)})")
                lines.append("")
            else:
                message = p(g.message)
                lines.append(fit(f"{plain} {message}", f"{styled} {message}", line_width))
    if quiet:
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n" if lines else ""
    for diag in warnings:
        diagnostic(diag)
    for fx in report.fixed:
        times = f" ({fx.count} times)" if fx.count > 1 else ""
        text = (f"{p(fx.file)}: fixed: {p(fx.rule)} {p(fx.resource)} ({p(fx.environment)}) is in the baseline "
                f"but no longer found{times}")
        lines.append(fit(text, text, line_width))
    while lines and lines[-1] == "":
        lines.pop()
    top = fit(summary, style(summary, bold=True), width)
    if not lines:
        return top + "\n"
    lines = [top, *lines, ""]
    if shown and not statistics_only:
        rule, count = Counter(g.rule for g in shown).most_common(1)[0]
        name = next(g.name for g in shown if g.rule == rule)
        more = "" if full else "; --output-format full shows the code and the fix"
        hint = f"hint: most frequent: {p(rule)} {p(name)} ({count}): rdspolicy explain {p(rule)}{more}"
        lines.append(fit(hint, hint, width))
    lines.append(top)
    return "\n".join(lines) + "\n"


def environments_by_source(envs, p=str) -> str:
    """The environments' names grouped by the kind of source they come from:
    ``var-file: development, production; folder: prod``."""
    kinds: dict[str, set[str]] = {}
    for env in envs:
        kind = env.source.split(":", 1)[0] if ":" in env.source else env.source
        kinds.setdefault(kind, set()).add(p(env.name))
    return "; ".join(f"{kind}: {', '.join(sorted(names))}" for kind, names in kinds.items())
