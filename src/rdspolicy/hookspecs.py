"""The hooks a rule pack implements.

A rule pack is a Python module (or object) registered with rdspolicy's plugin manager:
the built-in pack ``rdspolicy_rules`` is registered exactly as a third-party pack is,
from the ``rdspolicy`` entry-point group.  Implement hooks with ``rdspolicy.hookimpl``::

    from rdspolicy import hookimpl
    from rdspolicy.rule import Rule

    @hookimpl
    def rdspolicy_rules():
        return [MY_RULE]
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("rdspolicy")


@hookspec
def rdspolicy_rules() -> list:
    """Return the :class:`rdspolicy.rule.Rule` objects this pack provides.

    Called once when rdspolicy starts checking.  Every pack's rules are collected;
    two rules with the same id or name are an error naming both packs.
    """
