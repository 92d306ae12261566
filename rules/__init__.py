"""The built-in rule pack.  It is registered on rdspolicy's plugin manager exactly as a
third-party pack is, through the ``rdspolicy_rules`` hook."""

from __future__ import annotations

import importlib

from rdspolicy import hookimpl

# one module per rule; the module's stem is the rule's name with underscores
DEFAULT_RULES = (
    "storage_encrypted",
    "customer_managed_key",
    "multi_az_production",
    "deletion_protection",
    "backup_retention",
    "security_group_scope",
    "postgres16_parameter_family",
)


@hookimpl
def rdspolicy_rules():
    return [importlib.import_module(f"{__name__}.{name}").RULE for name in DEFAULT_RULES]
