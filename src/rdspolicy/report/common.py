"""What the CI formats (SARIF, JUnit, GitHub, GitLab) share: paths relative to the
repository root, fingerprints that survive line moves, and the severity order."""

from __future__ import annotations

import hashlib
import os

from ..discover import repo_root
from ..rule import SEVERITIES

#: critical -> 3 ... low -> 0
SEVERITY_RANK = {name: len(SEVERITIES) - 1 - i for i, name in enumerate(SEVERITIES)}


def find_root(paths, cwd: str | None = None) -> str:
    """The default ``--root``: the top-level folder of the git repository holding the
    first path given (the nearest folder above it with a ``.git`` folder or file, as
    worktrees and submodules have), else the current folder.  Git itself is not run."""
    cwd = os.path.abspath(cwd or os.getcwd())
    for path in paths:
        here = os.path.abspath(os.path.join(cwd, path))
        if not os.path.exists(here):
            continue
        if not os.path.isdir(here):
            here = os.path.dirname(here)
        return repo_root(here) or cwd
    return cwd


class Paths:
    """File paths as the CI formats write them: relative to ``root`` (default: the git
    top-level of the current folder) with ``/`` separators, each file worked out once."""

    def __init__(self, root: str | None = None):
        self.root = os.path.abspath(root or find_root(["."]))
        self._prefix = self.root.rstrip(os.sep) + os.sep
        self._cache: dict[str, str | None] = {}

    def relative(self, file: str) -> str | None:
        """``file`` relative to the root, or None when it is outside it (or is not a
        path, such as ``<rule packs>``)."""
        if file not in self._cache:
            absolute = os.path.abspath(file)
            if file.startswith("<") or not absolute.startswith(self._prefix):
                self._cache[file] = None
            else:
                self._cache[file] = absolute[len(self._prefix):].replace(os.sep, "/")
        return self._cache[file]

    def show(self, file: str) -> str:
        """``file`` relative to the root when it is under it, else as given."""
        return self.relative(file) or file


def fingerprints(findings, paths: Paths) -> list[str]:
    """One fingerprint per finding from its rule, file (relative to the root), resource
    address and environment: moving lines does not change it.  Findings that share
    all four (two arguments of one resource failing one rule) are told apart by their
    order in the file."""
    seen: dict[tuple, int] = {}
    out = []
    for f in findings:
        key = (f.rule, paths.show(f.file), f.resource, f.environment)
        seen[key] = seen.get(key, 0) + 1
        parts = [*key] + ([str(seen[key])] if seen[key] > 1 else [])
        out.append(hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest())
    return out


def describe(finding) -> str:
    """A finding's message as the CI formats write it: ``RESOURCE (ENV): MESSAGE``, with
    ``unknown: `` before the message of an unknown verdict; a group of findings
    (:mod:`.grouping`) names all its environments, ``RESOURCE (ENV1, ENV2): MESSAGE``."""
    prefix = "unknown: " if finding.status == "unknown" else ""
    envs = getattr(finding, "environments", None)
    where = ", ".join(envs) if envs is not None else finding.environment
    return f"{finding.resource} ({where}): {prefix}{finding.message}"


def by_severity(findings) -> list:
    """Most severe first, failing before unknown; otherwise in report order."""
    return sorted(findings, key=lambda f: (f.status != "fail", -SEVERITY_RANK[f.severity]))
