"""One finding once: the reports for people (text, Markdown, HTML, GitHub annotations)
show findings that are identical but for their environment as one, with the
environments listed.  The machine formats (JSON, SARIF, JUnit, GitLab) keep one record
per environment, as their contracts say.

Identical means: same rule, severity, outcome (fail, unknown, suppressed), resource,
file and position, and the same message once the environment's name is taken out of it
("the production database" and "the staging database" are one message).
"""

from __future__ import annotations

import re

_PLACEHOLDER = "\x00"


class Group:
    """The findings of one problem in several environments (in the report's order).
    Reads like a finding: ``group.rule``, ``group.file`` ... are its first finding's."""

    __slots__ = ("findings",)

    def __init__(self, findings: list) -> None:
        self.findings = findings

    def __getattr__(self, name):
        return getattr(self.findings[0], name)

    @property
    def environments(self) -> list[str]:
        """The environments' names, each once; ``NAME (MODULE)`` when the group spans
        several root modules (whose environments may share names)."""
        modules = {f.module for f in self.findings}
        if len(modules) > 1:
            return list(dict.fromkeys(f"{f.environment} ({f.module})" for f in self.findings))
        return list(dict.fromkeys(f.environment for f in self.findings))

    @property
    def message(self) -> str:
        messages = {f.message for f in self.findings}
        first = self.findings[0]
        if len(messages) == 1:
            return first.message
        # the messages differ only by the environment's name: name them all there
        return _without_environment(first).replace(_PLACEHOLDER, "/".join(self.environments))


def _without_environment(finding) -> str:
    name = finding.environment
    if not name:
        return finding.message
    return re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", _PLACEHOLDER, finding.message)


def outcome(finding) -> str:
    return "suppressed" if finding.suppression is not None else finding.status


def _key(f) -> tuple:
    return (f.rule, f.name, f.severity, outcome(f), f.resource, f.file, f.line, f.column, f.end_line,
            f.end_column, _without_environment(f))


def group(findings, enabled: bool = True) -> list[Group]:
    """The findings grouped, each group where its first finding is; with ``enabled``
    false (``--no-group``) one group per finding."""
    if not enabled:
        return [Group([f]) for f in findings]
    groups: dict[tuple, Group] = {}
    for f in findings:
        key = _key(f)
        if key in groups:
            groups[key].findings.append(f)
        else:
            groups[key] = Group([f])
    return list(groups.values())
