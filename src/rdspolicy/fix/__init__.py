"""Fixes, as rules declare them (the rule API, for built-in and third-party packs alike).

A rule that can repair what it finds sets ``Rule.fix``: a function called with the
resource, the :class:`~rdspolicy.rule.Context` and the failing
:class:`~rdspolicy.rule.Verdict`, for one environment.  It returns a :class:`Fix` (what
must change, in terms of the model: "``multi_az`` of this resource must be true"), a
:class:`NoFix` (why none can be made: a choice the tool cannot make), or None (no fix
for this verdict).  Where the change is written (the resource, a var-file, a variable's
default, a module call) is not the rule's concern: ``rdspolicy fix`` traces the value
to its source in each environment and edits the source (see ``rdspolicy.fix.place``).

Every fix declares its safety: ``unsafe`` says why applying it may replace or restart
the database or cut off access; an unsafe fix is shown but written only with
``--unsafe-fixes``.

This module only declares data: importing it costs nothing (``rdspolicy rules`` lists
the rules without the fixing machinery).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Change:
    """One change a fix asks for (the subclasses below)."""

    __slots__ = ()


@dataclass(frozen=True)
class SetArgument(Change):
    """``argument`` of ``target`` (the failing resource when None; another resource
    model or a nested block model otherwise) must be ``value``.

    ``production_only``: the rule checks only production; when the value is written in
    the resource (literal or absent) of a module that has an environment variable, the
    edit is the environment condition (``var.environment == "production"``, or
    ``var.environment == "production" ? value : otherwise``) so that other environments
    keep what they have.  ``otherwise`` is the value other environments keep when the
    argument is absent (the provider's default; None: leave it unset there).

    ``at_least``: ``value`` is a minimum (a number): when several environments need
    different minimums at one source, the largest is written."""

    argument: str
    value: Any
    target: Any = None
    production_only: bool = False
    otherwise: Any = None
    at_least: bool = False


@dataclass(frozen=True)
class AddToList(Change):
    """``item`` must be in the list ``argument`` (created when absent)."""

    argument: str
    item: Any
    target: Any = None


@dataclass(frozen=True)
class RemoveFromList(Change):
    """``item`` must not be in the list ``argument``."""

    argument: str
    item: Any
    target: Any = None


@dataclass(frozen=True)
class SetParameter(Change):
    """The parameter ``name`` of the parameter group ``group`` (a resource model) must be
    ``value``: the ``parameter`` block is edited or added, or the entry of a
    ``parameters`` list given to a module."""

    group: Any
    name: str
    value: Any


@dataclass(frozen=True)
class MarkSensitive(Change):
    """The variable ``argument`` of ``target`` comes from must be declared
    ``sensitive = true``."""

    argument: str
    target: Any = None


@dataclass(frozen=True)
class ReplaceArgument(Change):
    """Remove ``remove`` (an argument) from ``target`` and set ``argument = value``
    instead (``password`` -> ``manage_master_user_password = true``)."""

    remove: str
    argument: str
    value: Any
    target: Any = None


@dataclass(frozen=True)
class Derived:
    """A value to write that is derived from another argument of the same block, as it
    is written: ``Derived("identifier", "-final")`` writes ``"pacs-${var.env}-final"``
    for ``identifier = "pacs-${var.env}"`` (a value for :class:`SetArgument`)."""

    argument: str
    suffix: str


@dataclass(frozen=True)
class Fix:
    """What a rule's fix changes: a short ``title`` (shown in the diff header and the
    summary), the changes, and ``unsafe``: why it may replace or restart the database
    or lose access ("" for a safe fix)."""

    title: str
    changes: tuple[Change, ...]
    unsafe: str = ""

    @property
    def safe(self) -> bool:
        return not self.unsafe


@dataclass(frozen=True)
class NoFix:
    """Why no automatic fix is made (say what the user must choose)."""

    reason: str


def set_argument(title: str, argument: str, value: Any, *, unsafe: str = "", **options: Any) -> Fix:
    """The common case: one argument of the failing resource set to ``value``."""
    return Fix(title, (SetArgument(argument, value, **options),), unsafe)


__all__ = ["AddToList", "Change", "Derived", "Fix", "MarkSensitive", "NoFix", "RemoveFromList", "ReplaceArgument",
           "SetArgument", "SetParameter", "set_argument"]
