"""``--format html``: a compliance report for people, one self-contained page.

Per environment: a matrix of controls (``Rule.controls``; a rule without controls is
its own row) by databases, each cell coloured pass, fail, unknown or suppressed (see
:mod:`._matrix`); only the controls with findings are shown until a checkbox shows
them all (CSS, no script).  Then the findings by resource: the lines of code they point
at, once per resource, and one collapsed card per finding (a problem found in several
environments is one card naming them, see :mod:`.grouping`).  Last, each rule with
findings, its rationale and compliant example, once.  Printed (A4), cards stay
collapsed: ``fixtures/pacs`` prints to a few pages.  The page loads nothing: the CSS is
inline, there is no script, no font and no image, and a Content-Security-Policy forbids
them anyway.
Everything that comes from the input or from rule packs (file and resource names,
messages, source lines, rule texts) is HTML-escaped, in text and in attributes alike.
"""

from __future__ import annotations

import html
import re

from .. import __version__
from . import _matrix, printable
from ._source import Sources, redact

EXCERPT_BEFORE = 2  # lines shown before a finding's line
EXCERPT_AFTER = 2  # and after its last line
EXCERPT_SPAN = 5  # at most this many lines of the finding itself
MAX_LINE = 240  # longer source lines are cut
_SURROGATE = re.compile("[\ud800-\udfff]")

CSS = """
:root { --fail: #f4b6b6; --fail-ink: #8a1111; --unknown: #fbe3a0; --unknown-ink: #6b4b00;
  --suppressed: #cfd4dc; --suppressed-ink: #39424e; --pass: #b7e4c2; --pass-ink: #145c2a;
  --none: #ffffff; --none-ink: #8c959f; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1f2328; margin: 0 auto; padding: 1.5rem 2rem 4rem; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .25rem; padding-top: .75rem; border-top: 3px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; }
.meta { color: #59636e; margin: 0 0 .5rem; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 1em; font-size: 12px; font-weight: 600;
  background: #eaeef2; color: #39424e; vertical-align: middle; }
.badge.production { background: #1f2328; color: #fff; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.counts li { padding: .25rem .7rem; border-radius: 6px; font-weight: 600; }
.counts .n { font-size: 1.15rem; }
.fail { background: var(--fail); color: var(--fail-ink); }
.unknown { background: var(--unknown); color: var(--unknown-ink); }
.suppressed { background: var(--suppressed); color: var(--suppressed-ink); }
.pass { background: var(--pass); color: var(--pass-ink); }
.none { background: var(--none); color: var(--none-ink); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: .3rem .5rem; }
table.matrix thead th { background: #f6f8fa; font-weight: 600; text-align: center; vertical-align: bottom;
  max-width: 14rem; overflow-wrap: break-word; font-size: 12.5px; }
table.matrix thead th .type { display: block; font-weight: 400; color: #59636e; font-size: 11.5px;
  white-space: nowrap; }
table.matrix tbody th { text-align: left; font-weight: 600; white-space: nowrap; background: #f6f8fa; }
table.matrix tbody th .rules { display: block; font-weight: 400; color: #59636e; font-size: 11.5px; }
table.matrix td { text-align: center; font-weight: 600; min-width: 6rem; }
table.matrix td a { color: inherit; }
table.matrix td .n { font-weight: 400; font-size: 11.5px; }
.legend { display: flex; gap: .5rem; flex-wrap: wrap; margin: .5rem 0 0; padding: 0; list-style: none;
  font-size: 12.5px; }
.legend li { padding: .1rem .6rem; border-radius: 4px; border: 1px solid var(--line); }
.others { font-size: 12.5px; color: #59636e; }
table.envs th, table.envs td { border-bottom: 1px solid var(--line); padding: .25rem .75rem .25rem 0;
  text-align: left; }
table.envs td.num { text-align: right; }
.resource { margin: 0 0 1.25rem; }
.resource h3 { margin: 1rem 0 .35rem; overflow-wrap: anywhere; }
.resource h3 .meta { font-weight: 400; font-size: 12.5px; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 6px;
  padding: .3rem .75rem; margin: 0 0 .35rem; break-inside: avoid; }
.finding.fail { border-left-color: #d1242f; background: #fff; color: inherit; }
.finding.unknown { border-left-color: #d4a72c; background: #fff; color: inherit; }
.finding.suppressed { border-left-color: #818b98; background: #fff; color: inherit; }
.finding summary { font-weight: 400; }
.finding summary .envs, .finding summary .line { color: #59636e; font-size: 12.5px; }
.finding summary .message { display: block; margin: .1rem 0 0 1rem; overflow-wrap: anywhere; }
.finding .where { color: #59636e; margin: .35rem 0; overflow-wrap: anywhere; }
.finding[open] summary .message { font-weight: 600; }
input.all-controls { margin: 0 .35rem .5rem 0; vertical-align: middle; }
label.all-controls { font-size: 12.5px; color: #59636e; cursor: pointer; }
table.matrix tr.clean { display: none; }
input.all-controls:checked ~ .scroll table.matrix tr.clean { display: table-row; }
details.rule { border-top: 1px solid var(--line); padding: .35rem 0; }
.sev { text-transform: uppercase; font-size: 11px; letter-spacing: .04em; padding: .05rem .4rem; border-radius: 4px;
  color: #fff; background: #59636e; vertical-align: middle; }
.sev.critical { background: #8250df; } .sev.high { background: #cf222e; }
.sev.medium { background: #9a6700; } .sev.low { background: #0969da; }
.status { font-size: 12px; font-weight: 600; padding: .05rem .4rem; border-radius: 4px; vertical-align: middle; }
pre.code { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 0;
  overflow-x: auto; margin: .5rem 0; }
pre.code span.l { display: block; padding: 0 .75rem; white-space: pre; }
pre.code span.l.hit { background: #fff1c2; }
pre.code span.ln { display: inline-block; min-width: 3.5em; color: #8c959f; user-select: none; }
pre.example { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem;
  overflow-x: auto; }
details { margin: .35rem 0; }
summary { cursor: pointer; font-weight: 600; }
.diagnostics li { overflow-wrap: anywhere; }
.nofindings { color: #59636e; }
@page { size: A4; margin: 12mm; }
@media print { body { padding: 0; max-width: none; font-size: 11px; } input.all-controls, label.all-controls { display: none; }
  h2 { break-before: auto; } .scroll { overflow: visible; } }
"""


_LINES = "\n\t"  # what esc() keeps in a multi-line example


def esc(value, keep: str = "\t") -> str:
    """Text safe in HTML content and in double-quoted attributes; a lone surrogate
    (possible in a string from the input) becomes U+FFFD rather than an encoding error."""
    # control characters (a new line too, unless kept) written as escapes: text from the
    # input cannot forge a line or hide in the page source
    text = printable(_SURROGATE.sub("\ufffd", str(value)), keep=keep)
    return html.escape(text, quote=True)


def _excerpt(findings, sources: Sources) -> str:
    """The lines of a resource its findings point at, once: around each finding's
    line a little context, the finding's own lines marked; gaps between them elided."""
    first = findings[0]
    lines = sources.lines(first.file)
    if not lines or not all(1 <= f.line <= len(lines) for f in findings):
        return '<p class="meta">(source lines not available)</p>'
    shown: set[int] = set()
    marked: set[int] = set()
    block_end = 0
    for f in findings:
        end = max(f.line, f.end_line or f.line)
        last = min(end, f.line + EXCERPT_SPAN - 1)
        # a short span (an argument) is marked whole; a long one (a block) by its first line
        marked.update(range(f.line, (end if end - f.line < 3 else f.line) + 1))
        shown.update(range(max(1, f.line - EXCERPT_BEFORE), min(len(lines), last + EXCERPT_AFTER) + 1))
        block_end = max(block_end, end)
    out = []
    previous = None
    for number in sorted(shown):
        if previous is not None and number > previous + 1:
            out.append('<span class="l gap"><span class="ln">…</span></span>')
        text = redact(lines[number - 1].expandtabs(4))
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE] + " …"
        hit = " hit" if number in marked else ""
        out.append(f'<span class="l{hit}"><span class="ln">{number}</span>{esc(text)}</span>')
        previous = number
    if block_end > previous:
        out.append(f'<span class="l"><span class="ln">…</span>(the block goes on to line {int(block_end)})</span>')
    return '<pre class="code"><code>' + "".join(out) + "</code></pre>"


def _prose(text: str) -> str:
    """A rule's rationale: paragraphs (blank-line separated) with ``code`` spans."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        para = " ".join(para.split())
        if para:
            body = re.sub(r"``(.+?)``", r"<code>\1</code>", esc(para))
            out.append(f"<p>{body}</p>")
    return "".join(out)


def _counts(counts: dict[str, int]) -> str:
    items = [("fail", "failing"), ("unknown", "unknown"), ("suppressed", "suppressed"), ("pass", "passed")]
    return '<ul class="counts">' + "".join(
        f'<li class="{key}" data-count="{key}"><span class="n">{counts[key]}</span> {label}</li>'
        for key, label in items
    ) + "</ul>"


def _breakable(name: str) -> str:
    """A resource name that may wrap after ``_``, ``-``, ``.`` or ``[`` (escaped first)."""
    return re.sub(r"([_.\-]|\[)", r"\1<wbr>", esc(name))


def _column_header(column: str, matrix) -> str:
    if column == _matrix.OTHER:
        title = esc(", ".join(matrix.other_resources))
        return (f'<th scope="col" data-column="{esc(_matrix.OTHER)}" title="{title}"><span class="type">'
                f"not databases</span>other ({len(matrix.other_resources)})</th>")
    type_ = _matrix.resource_type(column)
    prefix, _, name = column.rpartition(type_ + ".")
    return (f'<th scope="col" data-column="{esc(column)}" title="{esc(column)}"><span class="type">'
            f"{esc(prefix + type_)}</span>{_breakable(name)}</th>")


def _cell(cell, ids: dict[int, str]) -> str:
    label = _matrix.STATUS_LABELS[cell.status]
    if cell.status == "none":
        return '<td class="none" data-status="none" title="no check of this control applies">–</td>'
    title = "; ".join(f"{rule} on {resource}: {result}" for rule, resource, result in cell.outcomes)
    count = cell.counts[cell.status]
    text = esc(label)
    if cell.finding is not None and id(cell.finding) in ids:
        text = f'<a href="#{ids[id(cell.finding)]}">{text}</a>'
    extra = f' <span class="n">×{count}</span>' if count > 1 else ""
    return f'<td class="{cell.status}" data-status="{cell.status}" title="{esc(title)}">{text}{extra}</td>'


def _matrix_table(matrix, ids: dict[int, str], toggle: str) -> str:
    """The matrix, its rows without findings hidden until the "all controls" box
    (``toggle``, its id) is ticked: a checkbox and CSS, no script."""
    if not matrix.columns:
        return '<p class="nofindings">No database or other resource was checked in this environment.</p>'
    head = "".join(_column_header(c, matrix) for c in matrix.columns)
    with_findings = set(matrix.rows_with_findings())
    body = []
    for index, row in enumerate(matrix.rows):
        rules = "" if not row.framework else f'<span class="rules">{esc(", ".join(row.rules))}</span>'
        cells = "".join(_cell(matrix.cell(index, c), ids) for c in matrix.columns)
        clean = "" if index in with_findings else ' class="clean"'
        body.append(f'<tr{clean}><th scope="row" data-rules="{esc(" ".join(row.rules))}">{esc(row.control)}{rules}'
                    f"</th>{cells}</tr>")
    legend = "".join(
        f'<li class="{s}" data-legend="{s}">{esc(_matrix.STATUS_LABELS[s])}</li>' for s in _matrix.STATUSES
    )
    others = ""
    if matrix.other_resources:
        others = ('<p class="others">Other resources checked: '
                  + ", ".join(f"<code>{esc(a)}</code>" for a in matrix.other_resources) + "</p>")
    clean = len(matrix.rows) - len(with_findings)
    switch = ""
    if clean:
        none = "" if with_findings else '<span class="nofindings">No control has findings. </span>'
        switch = (f'<input type="checkbox" class="all-controls" id="{toggle}">'
                  f'<label class="all-controls" for="{toggle}">{none}Show all {len(matrix.rows)} controls '
                  f"({clean} without findings)</label>")
    return (f'{switch}<div class="scroll"><table class="matrix"><thead><tr><th scope="col">Control</th>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div><ul class="legend">{legend}</ul>{others}')


def _finding(group, anchor: str, rule) -> str:
    """One finding (in all the environments where it occurs) as a card, collapsed to
    its summary line: what, where and in which environments."""
    status = _matrix.outcome(group)  # fail, unknown or suppressed
    envs = ", ".join(group.environments)
    parts = [
        f'<details class="finding {status}" id="{anchor}" data-environments="{esc(envs)}">',
        f'<summary><span class="sev {esc(group.severity)}">{esc(group.severity)}</span> '
        f'<span class="status {status}">{status}</span> {esc(group.rule)} {esc(group.name)} '
        f'<span class="envs">[{esc(envs)}]</span> <span class="line">line {int(group.line)}</span>'
        f'<span class="message">{esc(group.message)}</span></summary>',
        f'<p class="where">{esc(group.file)}:{int(group.line)}:{int(group.column)} · '
        f"<code>{esc(group.resource)}</code></p>",
    ]
    if group.suppression is not None:
        s = group.suppression
        where = f" ({esc(s.file)}:{int(s.line or 0)})" if s.file else ""
        until = f", until {esc(s.until)}" if s.until else ""
        parts.append(f'<p class="meta">Suppressed{where}{until}: {esc(s.reason)}</p>')
    if rule is not None:
        if getattr(rule, "controls", ()):
            parts.append(f'<p class="meta">Controls: {esc(", ".join(rule.controls))}</p>')
        parts.append(f'<p class="meta">Fix: {esc(rule.summary)} '
                     f'<a href="#rule-{esc(rule.id)}">Why it matters and how</a></p>')
    parts.append("</details>")
    return "".join(parts)


def _rule_section(rule) -> str:
    """A rule's rationale and compliant example, once for all its findings."""
    refs = [r for r in rule.references if re.match(r"https?://", str(r))]
    links = "".join(f'<li><a href="{esc(r)}" rel="noopener noreferrer">{esc(r)}</a></li>' for r in refs)
    return (f'<details class="rule" id="rule-{esc(rule.id)}"><summary>{esc(rule.id)} {esc(rule.name)}: '
            f"{esc(rule.summary)}</summary><h4>Why it matters</h4>{_prose(rule.rationale)}<h4>How to fix</h4>"
            f'<pre class="example"><code>{esc(rule.compliant.strip(), keep=_LINES)}</code></pre>'
            + (f"<ul>{links}</ul>" if links else "") + "</details>")


def render(report, *, color: bool = False, rules=(), group: bool = True) -> str:
    from .grouping import group as group_findings

    matrices = _matrix.build(report, rules)
    by_id = {r.id: r for r in rules}
    sources = Sources(getattr(report, "scrub", None))
    total = _matrix.totals(report)
    errors = report.errors
    warnings = [d for d in report.diagnostics if d.severity != "error"]
    groups = group_findings(report.findings, group)
    ids = {id(f): f"finding-{k}" for k, g in enumerate(groups, 1) for f in g.findings}
    resources: dict[tuple, list] = {}  # (file, resource) -> its groups, in report order
    for g in groups:
        resources.setdefault((g.file, g.resource), []).append(g)

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>rdspolicy compliance report</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Compliance report</h1>",
        f'<p class="meta">rdspolicy {esc(__version__)} · {len(report.rules)} rule(s) · '
        f"{len(matrices)} environment(s) in {len({m.module for m in matrices})} module(s) · "
        f'<a href="#findings">{len(groups)} distinct finding(s)</a> on {len(resources)} resource(s)</p>',
        f'<section id="summary">{_counts(total)}',
    ]
    if matrices:
        out.append('<table class="envs"><thead><tr><th>Environment</th><th>Module</th><th>Failing</th>'
                   "<th>Unknown</th><th>Suppressed</th><th>Passed</th></tr></thead><tbody>")
        for n, m in enumerate(matrices, 1):
            c = m.counts
            out.append(f'<tr><td><a href="#env-{n}">{esc(m.name)}</a></td><td>{esc(m.module)}</td>'
                       f'<td class="num">{c["fail"]}</td><td class="num">{c["unknown"]}</td>'
                       f'<td class="num">{c["suppressed"]}</td><td class="num">{c["pass"]}</td></tr>')
        out.append("</tbody></table>")
    if report.diagnostics:
        items = "".join(
            f"<li>{esc(d.location())}: <strong>{esc(d.severity)}</strong>: {esc(d.message)}</li>"
            for d in report.diagnostics
        )
        out.append(f'<details class="diagnostics"{" open" if errors else ""}><summary>{len(errors)} error(s), '
                   f"{len(warnings)} warning(s)</summary><ul>{items}</ul></details>")
    out.append("</section></header><main>")

    for n, m in enumerate(matrices, 1):
        badge = ' <span class="badge production">production</span>' if m.production else ""
        var_files = f" · var-files: {esc(', '.join(m.var_files))}" if m.var_files else ""
        out.append(f'<section class="environment" id="env-{n}" data-environment="{esc(m.name)}">')
        out.append(f"<h2>{esc(m.name)}{badge}</h2>")
        out.append(f'<p class="meta">module {esc(m.module)}{var_files}</p>')
        out.append(_counts(m.counts))
        out.append(_matrix_table(m, ids, f"all-controls-{n}"))
        out.append("</section>")
    if not matrices:
        out.append('<p class="nofindings">No environment was checked.</p>')

    out.append(f'<section id="findings"><h2>Findings</h2><p class="meta">{len(groups)} distinct finding(s), '
               f"{len(report.findings)} in all environments, on {len(resources)} resource(s); each opens to "
               "its location, controls and fix.</p>")
    if not groups:
        out.append('<p class="nofindings">No findings.</p>')
    for (file, resource), items in resources.items():
        out.append(f'<section class="resource" data-resource="{esc(resource)}"><h3><code>{esc(resource)}</code> '
                   f'<span class="meta">{esc(file)}</span></h3>')
        out.append(_excerpt(items, sources))
        out += [_finding(g, ids[id(g.findings[0])], by_id.get(g.rule)) for g in items]
        out.append("</section>")
    out.append("</section>")
    shown_rules = [by_id[r] for r in dict.fromkeys(g.rule for g in groups) if r in by_id]
    if shown_rules:
        out.append('<section id="rules"><h2>Rules with findings</h2>')
        out += [_rule_section(r) for r in sorted(shown_rules, key=lambda r: r.id)]
        out.append("</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
