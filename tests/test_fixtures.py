"""Every fixture under ``fixtures/`` (except ``pacs``) is checked, and its findings must
equal the marks written at the ends of its lines, in both directions, per environment
and per status.  Adding a case is adding a line (or a folder); the mark syntax is
documented in ``fixtures/README.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from rdspolicy.parse import parse_file
from rdspolicy.plugins import load_rules
from rdspolicy.testing import check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# the date engine support (RDS020) is judged on, as `rdspolicy check --as-of` sets it
CHECK_DATE = "2026-11-27"
NOT_MARKED = {"pacs", "hostile", "fix"}  # pacs: findings written out elsewhere; hostile: tests/test_hostile.py;
# fix: expected diffs, tests/test_fix.py

KINDS = {"expect": "fail", "unknown": "unknown", "ok": None, "warning": None}
SEVERITIES = ("critical", "high", "medium", "low")
_PART = re.compile(r"^(expect|unknown|ok|warning)(?:\[([^\]]*)\])?:(.*)$")
_RULE_ITEM = re.compile(r"^([A-Z][A-Z0-9]*[0-9]{3})(?:\(([a-z]+)\))?(?:\[([^\]\s]+)\])?$")
_ADDRESS_KEY = re.compile(r'\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]')
_CODE_ITEM = re.compile(r"^[a-z][a-z0-9-]*$")
_TEXT = re.compile(r'^(.*?)\s*"([^"]*)"$')


def fixture_dirs() -> list[Path]:
    return sorted(
        p for p in FIXTURES.iterdir()
        if p.is_dir() and p.name not in NOT_MARKED and not p.name.startswith((".", "_"))
    )


@dataclass(frozen=True)
class Mark:
    file: str  # absolute path
    line: int
    kind: str  # expect / unknown / ok / warning
    envs: tuple[str, ...] | None  # None: every environment of the module
    item: str  # a rule id, or a diagnostic code for "warning"
    severity: str | None = None
    text: str | None = None  # a fragment the finding's message must contain
    source: str = ""  # the mark as written, for messages
    instance: str | None = None  # RDS001[orders]: only the findings of instances with this key

    def where(self) -> str:
        return f"{_show(self.file)}:{self.line}"


class MarkError(Exception):
    pass


def parse_marks(path: Path) -> list[Mark]:
    """The marks of one .tf file.  Text that starts like a mark but is malformed is an
    error, so that a typo cannot silently drop an expectation."""
    marks: list[Mark] = []
    file = str(path.resolve())
    # the comments as the parser keeps them (the same ones suppressions will read)
    for number, _column, text in parse_file(str(path)).comments:
        comment = "#" + text
        for part in comment.split("#")[1:]:
            part = part.strip()
            match = _PART.match(part)
            if match is None:
                if re.match(r"^(expect|unknown|ok|warning)\b\s*([\[:]|[A-Z][A-Z0-9]*[0-9]{3}\b)", part):
                    raise MarkError(f"{_show(file)}:{number}: malformed mark '# {part}'")
                continue
            kind, envs_text, rest = match.groups()
            if kind == "warning" and envs_text is not None:
                raise MarkError(f"{_show(file)}:{number}: diagnostics are not per environment: '# {part}'")
            envs = None
            if envs_text is not None:
                envs = tuple(e.strip() for e in envs_text.split(","))
                if not all(envs):
                    raise MarkError(f"{_show(file)}:{number}: empty environment name in '# {part}'")
            text = None
            found = _TEXT.match(rest.strip())
            if found:
                rest, text = found.groups()
            items = [i for i in re.split(r"[\s,]+", rest.strip()) if i]
            if not items:
                raise MarkError(f"{_show(file)}:{number}: '# {part}' names no rule")
            for item in items:
                if kind == "warning":
                    if not _CODE_ITEM.match(item):
                        raise MarkError(f"{_show(file)}:{number}: '{item}' is not a diagnostic code in '# {part}'")
                    marks.append(Mark(file, number, kind, envs, item, None, text, part))
                    continue
                rule = _RULE_ITEM.match(item)
                if rule is None:
                    raise MarkError(f"{_show(file)}:{number}: '{item}' is not a rule id in '# {part}'")
                severity, instance = rule.group(2), rule.group(3)
                if severity is not None and severity not in SEVERITIES:
                    raise MarkError(f"{_show(file)}:{number}: unknown severity '{severity}' in '# {part}'")
                if kind == "ok" and (severity or text or instance):
                    raise MarkError(f"{_show(file)}:{number}: an ok mark takes no severity, instance or "
                                    f"text: '# {part}'")
                marks.append(Mark(file, number, kind, envs, rule.group(1), severity, text, part, instance))
    return marks


def _real(path: str) -> str:
    """One spelling per file: findings name files relative to the current folder."""
    return str(Path(path).resolve())


def _show(path: str) -> str:
    try:
        return os.path.relpath(path, FIXTURES.parent)
    except ValueError:
        return path


@pytest.fixture(scope="module")
def loaded_rules():
    loaded = load_rules()
    assert not loaded.errors, loaded.errors
    return loaded.rules


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.name)
def test_findings_equal_marks(folder: Path, loaded_rules) -> None:
    tf_files = sorted(folder.rglob("*.tf"))
    assert tf_files, f"fixture {folder.name} has no .tf file"
    # marks may also sit in OpenTofu files and Terragrunt configurations
    tf_files += sorted(p for pattern in ("*.tofu", "*.hcl") for p in folder.rglob(pattern))
    try:
        marks = [m for path in tf_files for m in parse_marks(path)]
        error = None
    except MarkError as exc:
        marks, error = [], str(exc)
    if error:
        pytest.fail(error, pytrace=False)
    rule_marks = [m for m in marks if m.kind != "warning"]
    assert rule_marks, f"fixture {folder.name} has no marks: nothing would be checked"

    known_ids = {r.id for r in loaded_rules}
    bad = [f"{m.where()}: '# {m.source}' names rule {m.item}, which does not exist" for m in rule_marks
           if m.item not in known_ids]
    if bad:
        pytest.fail("\n".join(bad), pytrace=False)

    # hermetic (rdspolicy.testing reads no TF_VAR_* from the caller's environment), and a fixed check date
    report = check(folder, loaded_rules, as_of=CHECK_DATE, allow_errors=True).report

    errors = [f"{d.location()}: {d.message}" for d in report.diagnostics if d.severity == "error"]
    assert not errors, "the fixture produced error diagnostics:\n" + "\n".join(errors)

    envs_of: dict[str, list[str]] = {}
    for info in report.environments:
        envs_of.setdefault(_real(info.module), []).append(info.name)
    assert envs_of, f"fixture {folder.name} was not evaluated in any environment"

    problems: list[str] = []

    # a folder that is no root is a module the roots call: it is evaluated in their environments
    called_envs = sorted({env for envs in envs_of.values() for env in envs})

    def module_envs(mark: Mark) -> list[str]:
        envs = envs_of.get(os.path.dirname(mark.file), called_envs)
        if mark.envs is None:
            return envs
        for env in mark.envs:
            if env not in envs:
                problems.append(f"{mark.where()}: '# {mark.source}' names environment '{env}', but the "
                                f"module was evaluated in {', '.join(sorted(envs))}")
        return [e for e in mark.envs if e in envs]

    # the rules a fixture speaks about: every rule named by one of its marks
    scope = {m.item for m in rule_marks}
    expected: dict[tuple, Mark] = {}
    forbidden: dict[tuple, Mark] = {}
    # the instance keys a line's marks name (RDS001[orders]); a mark without one covers all
    instances: dict[tuple, set[str] | None] = {}
    for mark in rule_marks:
        for env in module_envs(mark):
            key = (mark.file, mark.line, mark.item, env)
            if mark.kind == "ok":
                forbidden[key] = mark
                continue
            full = key + (KINDS[mark.kind],)
            other = expected.get(full)
            if other is not None and (other.severity, other.text) != (mark.severity, mark.text):
                problems.append(f"{mark.where()}: two marks for {mark.item} in {env} disagree")
            expected[full] = mark
            if mark.instance is None or instances.get(full, set()) is None:
                instances[full] = None
            else:
                instances.setdefault(full, set()).add(mark.instance)
    for key, mark in forbidden.items():
        if any(k[:4] == key for k in expected):
            problems.append(f"{mark.where()}: {mark.item} is marked both ok and expected in {key[3]}")

    actual: dict[tuple, list] = {}
    for finding in report.findings:
        if finding.rule not in scope:
            continue
        key = (_real(finding.file), finding.line, finding.rule, finding.environment, finding.status)
        actual.setdefault(key, []).append(finding)

    def show_finding(f) -> str:
        return (f"{_show(_real(f.file))}:{f.line}  {f.rule} {f.status} [{f.environment}] "
                f"({f.severity}) {f.resource}: {f.message}")

    missed = [
        f"{m.where()}  {m.item} {key[4]} [{key[3]}]   marked '# {m.source}'"
        for key, m in sorted(expected.items()) if key not in actual
    ]
    unexpected = []
    for key, keys in sorted(instances.items(), key=lambda kv: kv[0]):
        if keys is None or key not in actual:
            continue
        found_keys = {k: {a or b for a, b in _ADDRESS_KEY.findall(f.resource)} for k, f in
                      enumerate(actual[key])}
        for wanted in sorted(keys - set().union(*found_keys.values())):
            missed.append(f"{expected[key].where()}  {key[2]} {key[4]} [{key[3]}] for instance "
                          f"[{wanted}]   marked '# {expected[key].source}'")
        unexpected += [show_finding(f) + f"   (no mark names its instance: marked {sorted(keys)})"
                       for k, f in enumerate(actual[key]) if not found_keys[k] & keys]
    for key, found in sorted(actual.items()):
        if key in expected:
            continue
        ok = forbidden.get(key[:4])
        note = f"   (line marked '# {ok.source}')" if ok else ""
        unexpected += [show_finding(f) + note for f in found]
    mismatched = []
    for key, mark in sorted(expected.items()):
        for f in actual.get(key, ()):
            if mark.severity and f.severity != mark.severity:
                mismatched.append(f"{show_finding(f)}\n      severity {f.severity}, marked {mark.severity}")
            if mark.text and mark.text not in f.message:
                mismatched.append(f"{show_finding(f)}\n      message lacks \"{mark.text}\"")

    # warnings: every warning diagnostic in a .tf file is marked, and every warning mark is met
    warning_marks = {(m.file, m.line, m.item): m for m in marks if m.kind == "warning"}
    warnings = {}
    for d in report.diagnostics:
        if d.severity == "warning":
            warnings.setdefault((_real(d.file), d.line, d.code), d)
    missed += [f"{m.where()}  warning {m.item}   marked '# {m.source}'"
               for key, m in sorted(warning_marks.items()) if key not in warnings]
    unexpected += [f"{d.location()}  warning {d.code}: {d.message}"
                   for key, d in sorted(warnings.items()) if key not in warning_marks]
    for key, mark in warning_marks.items():
        d = warnings.get(key)
        if d is not None and mark.text and mark.text not in d.message:
            mismatched.append(f"{d.location()}  warning {d.code}: {d.message}\n"
                              f"      message lacks \"{mark.text}\"")

    text = []
    for title, rows in (("mark problems", problems), ("missed (marked, not reported)", missed),
                        ("unexpected (reported, not marked)", unexpected),
                        ("reported, but not as marked", mismatched)):
        if rows:
            text.append(f"{title}:")
            text += [f"  {row}" for row in rows]
    if text:
        envs = "; ".join(f"{_show(m)}: {', '.join(e)}" for m, e in sorted(envs_of.items()))
        pytest.fail(f"fixture {folder.name} (rules {', '.join(sorted(scope))}; environments {envs}):\n"
                    + "\n".join(text), pytrace=False)
