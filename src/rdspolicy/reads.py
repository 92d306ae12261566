"""What an evaluation reads, recorded for the incremental result cache.

A root module's results are reused by a later run only when everything its evaluation
read is unchanged (:mod:`rdspolicy.incremental`).  So every place that reads
something from outside the parsed configuration tells this module, with one call:

* :func:`terraform` - a Terraform or var-file parsed (its text);
* :func:`file` - any other file read or looked for (``file()``, ``templatefile()``,
  ``fileexists()``, ``.terraform/modules/modules.json``): its bytes, or its absence;
* :func:`folder` - a module folder whose Terraform files were listed;
* :func:`tree` - a folder walked (``fileset()``): every file name under it;
* :func:`environment` - an environment variable read (beyond ``TF_VAR_``, which is
  always part of the key).

Outside :func:`recording` the calls cost one test and record nothing.  A new input
(a Terragrunt file, a workspace's state folder) needs only its own call where it is
read; nothing else changes.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_current: set[tuple[str, str]] | None = None


def terraform(path: str) -> None:
    if _current is not None:
        _current.add(("terraform", path))


def file(path: str) -> None:
    if _current is not None:
        _current.add(("file", path))


def folder(path: str) -> None:
    if _current is not None:
        _current.add(("folder", path))


def tree(path: str) -> None:
    if _current is not None:
        _current.add(("tree", path))


def environment(name: str) -> None:
    if _current is not None:
        _current.add(("environment", name))


@contextmanager
def recording() -> Iterator[set[tuple[str, str]]]:
    """Record every read inside the block into the set it yields (blocks nest: an inner
    block's reads are also the outer block's)."""
    global _current
    outer = _current
    seen: set[tuple[str, str]] = set()
    _current = seen
    try:
        yield seen
    finally:
        _current = outer
        if outer is not None:
            outer |= seen
