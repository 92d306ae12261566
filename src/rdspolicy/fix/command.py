"""The ``rdspolicy fix`` command (and ``check --fix``): diff, write, re-check, summary,
``--add-ignore``."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any, Callable

import click

from ..report import printable
from .apply import Files
from .run import Plan, diff_text, finding_key, plan, write_files

EXIT_OK, EXIT_FIXES, EXIT_ERROR = 0, 1, 2


def _where(f) -> str:
    return f"{f.file}:{f.line}:{f.column}: {f.rule} {f.resource} ({f.environment})"


def run_fix(fix: dict, options: Any, rules: list, run_report: Callable) -> int:
    """Plan, show, write and re-check; the exit status (``check --fix``: the check's
    report follows, and its status is the command's)."""
    write = bool(fix.get("write"))
    unsafe_fixes = bool(fix.get("unsafe_fixes"))
    then_check = bool(fix.get("then_check"))
    result = plan(run_report, options, rules, unsafe_fixes)
    report = result.report
    files = result.files
    applied = result.safe + (result.unsafe if unsafe_fixes else [])
    changed = files.changed()
    if not write or fix.get("diff"):
        text = report.scrub(diff_text(files, applied))  # a password is never shown
        if text:
            click.echo(printable(text, keep="\n\t"), nl=False)
    held = [] if unsafe_fixes else result.unsafe
    if held and result.unsafe_files is not None and (not write or fix.get("diff")):
        text = report.scrub(_unsafe_diff(files, result.unsafe_files, held))
        if text:
            click.echo(printable(text, keep="\n\t"), nl=False)
    if not then_check:  # check --fix: the check's report says it
        for diag in report.errors:
            click.echo(f"{printable(diag.location())}: error: {printable(diag.message)}", err=True)
    fixed = [o for o in result.outcomes if o.status == "fixed"]
    unsafe = [o for o in result.outcomes if o.status == "unsafe"]
    none = [o for o in result.outcomes if o.status == "none"]

    def say(text: str) -> None:  # standard output carries only the diff
        click.echo(printable(text), err=True)

    if not write:
        say(f"rdspolicy fix: {_count(len(fixed), 'finding')} can be fixed in {_count(len(changed), 'file')} "
            "(rdspolicy fix --write applies it)"
            + (f"; {_count(len(unsafe), 'finding')} only with --unsafe-fixes" if unsafe else ""))
        _list_left(say, none, unsafe)
        status = EXIT_FIXES if changed or unsafe else EXIT_OK
        if fix.get("add_ignore"):
            count = add_ignores(result, [o.finding for o in result.outcomes], fix["reason"])
            say(f"rdspolicy fix: wrote {_count(count, 'rdspolicy:ignore comment')}")
        return EXIT_ERROR if report.has_errors else status
    try:
        written = write_files(files)
    except OSError as exc:
        raise click.ClickException(str(exc)) from None
    before = {finding_key(o.finding): o for o in result.outcomes}
    envs: list = []
    options.observe = lambda module, env, models: envs.append((module, env, models))
    after = run_report(options, rules)
    options.observe = None
    left = after.failed
    # the findings that failed before and no longer do (lines move: matched without them)
    fixed_now = sum((Counter(finding_key(f) for f in report.failed)
                     - Counter(finding_key(f) for f in left)).values())
    say(f"rdspolicy fix: {_count(fixed_now, 'finding')} fixed in {_count(len(written), 'file')}"
        + (f"; {_count(len(left), 'finding')} left:" if left else "; none left"))
    for f in left:
        outcome = before.get(finding_key(f))
        if outcome is None:
            why = "a new finding after the edits"
        elif outcome.status == "unsafe":
            why = f"the fix is unsafe ({outcome.reason}): apply it with --unsafe-fixes"
        elif outcome.status == "fixed":
            why = "the fix was written but the finding remains"
        else:
            why = outcome.reason
        say(f"  {_where(f)}: {why}")
    if fix.get("add_ignore"):
        after_plan = Plan(after, [], [], [], envs)
        count = add_ignores(after_plan, left, fix["reason"])
        say(f"rdspolicy fix: wrote {_count(count, 'rdspolicy:ignore comment')}")
    if report.has_errors or after.has_errors:
        return EXIT_ERROR
    return EXIT_FIXES if (held and not then_check) else EXIT_OK


def _list_left(say, none, unsafe) -> None:
    for o in unsafe:
        say(f"  {_where(o.finding)}: unsafe fix held back ({o.reason})")
    for o in none:
        say(f"  {_where(o.finding)}: {o.reason}")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _unsafe_diff(safe: Files, everything: Files, held: list) -> str:
    """The unsafe fixes' diff, on top of the safe ones, with why each is unsafe."""
    out = ["# unsafe fixes, not applied (rdspolicy fix --unsafe-fixes applies them):\n"]
    reasons: dict[str, None] = {}
    for edit in held:
        for request in edit.requests:
            reasons[f"#   {request.finding.rule} {request.fix.title}: {edit.unsafe}\n"] = None
    out += list(reasons)
    base = safe.changed()
    shown = False
    for path, (original, new) in sorted(everything.changed().items()):
        old = base.get(path, (original, original))[1]
        if old == new:
            continue
        a = old.decode("utf-8-sig").replace("\r\n", "\n").splitlines(keepends=True)
        b = new.decode("utf-8-sig").replace("\r\n", "\n").splitlines(keepends=True)
        out += list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"))
        shown = True
    return "".join(out) if shown else ""


def add_ignores(result: Plan, findings: list, reason: str) -> int:
    """``# rdspolicy:ignore RULE reason="..."`` above the block of each failing finding's
    resource; the number of comments written."""
    from .text import TextFile
    from .place import fetched

    locations = {}
    for _, env, models in result.envs:
        for model in models:
            locations[(model.address, env.name)] = model.location
    wanted: dict[str, dict[int, set[str]]] = {}
    for f in findings:
        if f.status != "fail" or f.suppression is not None:
            continue
        location = locations.get((f.resource, f.environment))
        if location is None or fetched(location.file) or location.file.endswith(".json"):
            continue
        wanted.setdefault(location.file, {}).setdefault(location.line, set()).add(f.rule)
    escaped = reason.replace("\\", "\\\\").replace('"', '\\"')
    count = 0
    files = Files()
    for path, lines in wanted.items():
        file = files.get(path)
        assert isinstance(file, TextFile)
        for line, rule_ids in sorted(lines.items()):
            for rule_id in sorted(rule_ids):
                file.add_comment_above(line, f'# rdspolicy:ignore {rule_id} reason="{escaped}"')
                count += 1
    write_files(files)
    return count


__all__ = ["add_ignores", "run_fix"]
