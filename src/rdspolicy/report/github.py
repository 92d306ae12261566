"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE``: critical and
high findings are ``error``, medium and low ``warning``, unknown verdicts ``notice``;
diagnostics keep their own level.  Suppressed findings are left out.  A problem found
in several environments is one annotation naming them (``--no-group``: one each).  Escaping follows
the Actions runner: ``%``, CR and LF are percent-encoded in the message, and also ``:``
and ``,`` in property values.  GitHub shows at most 10 annotations of each level per
step (and 50 per job), so the most severe come first; the log keeps every line.
``file`` is relative to ``--root``, which should be the checked-out repository.
"""

from __future__ import annotations

from . import printable
from .common import Paths, by_severity, describe
from .grouping import group as group_findings

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "warning"}


def escape_data(text: str) -> str:
    # the log viewer obeys terminal escape sequences: other control characters are
    # written as escapes (report.printable) before CR and LF are percent-encoded
    return printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props) -> str:
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, "", 0))
    return f"::{level}{' ' + given if given else ''}::{escape_data(message)}"


def render(report, *, color: bool = False, rules=(), root: str | None = None, group: bool = True) -> str:
    paths = Paths(root)
    lines = []

    def diagnostics(severity: str) -> None:
        for d in report.diagnostics:
            if (d.severity == "error") != (severity == "error"):
                continue
            where = paths.show(d.file)
            lines.append(command(
                "error" if d.severity == "error" else "warning", d.message,
                file=None if d.file.startswith("<") else where, line=d.line, col=d.column,
                title=f"rdspolicy {d.code or d.severity}",
            ))

    diagnostics("error")  # first: they are why the exit status is 2
    for f in by_severity(group_findings([f for f in report.findings if f.suppression is None], group)):
        level = "notice" if f.status == "unknown" else LEVELS[f.severity]
        lines.append(command(
            level, describe(f),
            file=paths.show(f.file), line=f.line, col=f.column,
            endLine=f.end_line if f.end_line > f.line else None,
            endColumn=f.end_column if f.end_line == f.line and f.end_column > f.column else None,
            title=f"{f.rule} {f.name} [{f.severity}]",
        ))
    diagnostics("warning")
    fail_n, unknown_n = len(report.failed), len(report.unknown)
    errors = len(report.errors)
    lines.append(f"rdspolicy: {fail_n} failing, {unknown_n} unknown, {report.passed} passed, "
                 f"{len(report.suppressed)} suppressed; {errors} error(s)")
    return "\n".join(lines) + "\n"
