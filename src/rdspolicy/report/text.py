"""Text for people: diagnostics, one line per finding, then a summary.  Suppressed
findings (inline or by the baseline) are not listed, only counted; findings of the
baseline that no longer occur are listed as fixed."""

from __future__ import annotations

_SEVERITY_COLORS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan"}


def render(report, *, color: bool = False, rules=()) -> str:
    import click

    from . import printable as p

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    lines: list[str] = []
    for diag in report.diagnostics:
        kind = style(diag.severity, fg="red" if diag.severity == "error" else "yellow", bold=True)
        lines.append(f"{p(diag.location())}: {kind}: {p(diag.message)}")
    for f in report.findings:
        if f.suppression is not None:
            continue
        sev = style(f.severity, fg=_SEVERITY_COLORS.get(f.severity), bold=f.severity in ("critical", "high"))
        status = "" if f.status == "fail" else " " + style("unknown", fg="blue") + ":"
        lines.append(
            f"{p(f.file)}:{f.line}:{f.column}: {style(p(f.rule), bold=True)} {p(f.name)} [{sev}] "
            f"{p(f.resource)} ({p(f.environment)}):{status} {p(f.message)}"
        )
    for fx in report.fixed:
        times = f" ({fx.count} times)" if fx.count > 1 else ""
        lines.append(f"{fx.file}: fixed: {fx.rule} {fx.resource} ({fx.environment}) is in the baseline "
                     f"but no longer found{times}")
    envs = report.environments
    modules = len({e.module for e in envs})
    env_text = environments_by_source(envs, p) or "none"
    fail_n, unknown_n = len(report.failed), len(report.unknown)
    errors = len(report.errors)
    warnings = len(report.diagnostics) - errors
    if lines:
        lines.append("")
    extra = "".join(f", {n} {what}" for n, what in ((len(report.suppressed), "suppressed"),
                                                     (sum(x.count for x in report.fixed), "fixed"))
                    if n)
    summary = (
        f"{fail_n} failing, {unknown_n} unknown{extra}, {report.passed} passed; "
        f"{len(envs)} environment(s) ({env_text}) in {modules} module(s); "
        f"{errors} error(s), {warnings} warning(s)"
    )
    lines.append(style(summary, bold=True))
    return "\n".join(lines) + "\n"


def environments_by_source(envs, p=str) -> str:
    """The environments' names grouped by the kind of source they come from:
    ``var-file: development, production; folder: prod``."""
    kinds: dict[str, set[str]] = {}
    for env in envs:
        kind = env.source.split(":", 1)[0] if ":" in env.source else env.source
        kinds.setdefault(kind, set()).add(p(env.name))
    return "; ".join(f"{kind}: {', '.join(sorted(names))}" for kind, names in kinds.items())
