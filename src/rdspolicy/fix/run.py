"""``rdspolicy fix``: the check, each failing finding's fix placed per environment, the
diff, the files written, and the check again to say what is fixed and what is left."""

from __future__ import annotations

from typing import Any, Callable

from ..findings import Finding, Report
from ..rule import Context, Fix, NoFix, Rule
from .apply import Files, unified_diff, write_edit
from .place import Edit, NotFixable, Planner


class Outcome:
    """What became of one failing finding."""

    __slots__ = ("finding", "fix", "status", "reason")

    def __init__(self, finding: Finding, fix: Fix | None, status: str, reason: str = ""):
        self.finding = finding
        self.fix = fix
        self.status = status  # "fixed" (written or to write), "unsafe" (held back), "none"
        self.reason = reason


def finding_key(f: Finding) -> tuple:
    """What identifies a finding across edits (which move lines)."""
    return (f.rule, f.resource, f.environment, f.file, f.message)


class Plan:
    """The fixes of one run: edits by safety, each finding's outcome, the report."""

    def __init__(self, report: Report, outcomes: list[Outcome], safe: list[Edit], unsafe: list[Edit],
                 envs: list[tuple[str, Any, list]]):
        self.report = report
        self.outcomes = outcomes
        self.safe = safe
        self.unsafe = unsafe
        self.envs = envs  # (module, environment, models) as evaluated
        self.files: Files | None = None  # the edited files (safe fixes; unsafe ones too with --unsafe-fixes)
        self.unsafe_files: Files | None = None  # every fix, to show the unsafe ones held back


def plan(run_report: Callable[[Any, list[Rule]], Report], options: Any, rules: list[Rule],
         unsafe_fixes: bool) -> Plan:
    """Run the check and place the fix of every failing finding."""
    envs: list[tuple[str, Any, list]] = []
    options.observe = lambda module, env, models: envs.append((module, env, models))
    report = run_report(options, rules)
    options.observe = None
    wanted: dict[tuple, list[Finding]] = {}
    for f in report.failed:  # several root modules may hold the same address and environment name
        wanted.setdefault((f.module, f.rule, f.resource, f.environment), []).append(f)
    outcomes: dict[int, Outcome] = {}
    planner = Planner(tuple(options.settings.environment_variables))
    for module, env, _ in envs:
        if getattr(env, "evaluation", None) is not None:
            planner.module_envs.setdefault(module, []).append(env)
    for module, env, models in envs:
        evaluation = getattr(env, "evaluation", None)
        # the Context the check had (rdspolicy.checks.run_rules): each rule its own parameters
        declared_in = {i.address: i.decls for i in getattr(env, "instances", ()) if i.decls is not None}
        ctx = Context(env.name, env.is_production, models, None, declared_in, options.as_of)
        for resource in models:
            for rule in rules:
                findings = wanted.get((module, rule.id, resource.address, env.name))
                if not findings or resource.type not in rule.resource_types:
                    continue
                ctx.params = rule.params
                try:
                    verdicts = [v for v in rule.run(resource, ctx) if v.status == "fail"]
                except Exception:  # reported by the check already
                    continue
                for verdict in verdicts:
                    finding = _match(findings, verdict, resource)
                    if finding is None:
                        continue
                    fix = _fix_of(rule, resource, ctx, verdict, finding, evaluation)
                    if isinstance(fix, Outcome):
                        outcomes[id(finding)] = fix
                        continue
                    planner.add(module, env, resource, finding, fix)
                    outcomes[id(finding)] = Outcome(finding, fix, "pending")
    edits, refused = planner.resolve()
    for finding, fix, reason in refused:
        outcomes[id(finding)] = Outcome(finding, fix, "none", reason)
    for f in report.failed:
        if id(f) not in outcomes:
            outcomes[id(f)] = Outcome(f, None, "none", "no automatic fix: the finding was not found again when "
                                      "its rule ran for the fix")
    safe, unsafe = [], []
    for edit in edits:
        (unsafe if edit.unsafe else safe).append(edit)
    result = Plan(report, [], safe, unsafe, envs)
    files = Files()
    for group, status in ((safe, "fixed"), (unsafe, "fixed" if unsafe_fixes else "unsafe")):
        for edit in list(group):
            try:
                if status == "fixed":
                    write_edit(files, edit)
            except NotFixable as exc:
                group.remove(edit)
                for finding in edit.findings:
                    outcomes[id(finding)] = Outcome(finding, outcomes[id(finding)].fix, "none", str(exc))
                continue
            for request in edit.requests:
                current = outcomes[id(request.finding)]
                if current.status == "none":
                    continue
                if status == "unsafe" or current.status == "unsafe":
                    outcomes[id(request.finding)] = Outcome(request.finding, request.fix, "unsafe", edit.unsafe)
                else:
                    outcomes[id(request.finding)] = Outcome(request.finding, request.fix, "fixed")
    # a finding whose fix has several changes is fixed only when all of them are written
    for outcome in outcomes.values():
        if outcome.status == "pending":
            outcome.status, outcome.reason = "none", "no automatic fix could be placed"
    result.outcomes = sorted(outcomes.values(), key=lambda o: o.finding.sort_key())
    result.files = files
    if not unsafe_fixes and unsafe:
        # the unsafe edits, shown on top of the safe ones
        extra = Files()
        for edit in safe + unsafe:
            try:
                write_edit(extra, edit)
            except NotFixable:
                continue
        result.unsafe_files = extra
    else:
        result.unsafe_files = None
    return result


def _fix_of(rule: Rule, resource, ctx, verdict, finding, evaluation) -> Outcome | Fix:
    """The rule's fix for a verdict, or the outcome when it offers none to place."""
    if evaluation is None:
        return Outcome(finding, None, "none", "no automatic fix: findings of a plan file are fixed in the Terraform")
    if rule.fix is None:
        return Outcome(finding, None, "none", f"no automatic fix: {rule.id} has none")
    try:
        fix = rule.fix(resource, ctx, verdict)
    except Exception as exc:  # a pack's fix that crashes: that finding only
        return Outcome(finding, None, "none", f"no automatic fix: {rule.id}'s fix failed ({type(exc).__name__}: "
                                              f"{exc})")
    if fix is None:
        return Outcome(finding, None, "none", f"no automatic fix: {rule.id} has none for this finding")
    if isinstance(fix, NoFix):
        return Outcome(finding, None, "none", f"no automatic fix: {fix.reason}")
    if not isinstance(fix, Fix):
        return Outcome(finding, None, "none", f"no automatic fix: {rule.id}'s fix returned {type(fix).__name__}")
    return fix


def _match(findings: list[Finding], verdict, resource) -> Finding | None:
    at = verdict.at
    location = getattr(at, "location", at) if at is not None else resource.location
    same = [f for f in findings if (f.file, f.line, f.column) == (location.file, location.line, location.column)]
    pick = [f for f in same if f.message.startswith(verdict.message[:60])] or same
    if not pick:
        return None
    findings.remove(pick[0])
    return pick[0]


def diff_text(files: Files, edits: list[Edit], title: str = "") -> str:
    """A unified diff of the changed files, each with a header naming its fixes."""
    out = []
    if title:
        out.append(f"# {title}\n")
    changed = files.changed()
    for path in sorted(changed):
        old, new = changed[path]
        for line in _header(path, edits):
            out.append(line)
        out.append(unified_diff(path, old, new))
    return "".join(out)


def _header(path: str, edits: list[Edit]) -> list[str]:
    seen: dict[str, None] = {}
    for edit in edits:
        if edit.site.file != path:
            continue
        for request in edit.requests:
            f = request.finding
            line = f"# {f.rule} {request.fix.title}"
            if edit.unsafe:
                line += f" [unsafe: {edit.unsafe}]"
            seen[line + "\n"] = None
    return list(seen)


def write_files(files: Files) -> list[str]:
    """Write each changed file atomically; the paths written."""
    import os
    from pathlib import Path

    from ..fileio import write_atomically

    written = []
    for path, (_, new) in sorted(files.changed().items()):
        target = os.path.realpath(path)  # a symbolic link stays one: its target is written
        mode = os.stat(target).st_mode & 0o7777
        name = os.path.basename(target)
        if not write_atomically(Path(target), new, f".{name}.", ".rdspolicy-fix"):
            raise OSError(f"{path}: cannot write a temporary file beside it")
        os.chmod(target, mode)
        written.append(path)
    return written
