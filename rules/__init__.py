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
    "not_publicly_accessible",
    "ssl_connections_required",
    "no_phi_in_statement_logs",
    "connection_auditing",
    "log_export_cloudwatch",
    "iam_database_authentication",
    "performance_insights_customer_key",
    "enhanced_monitoring_production",
    "final_snapshot_production",
    "kms_key_rotation",
    "snapshot_not_public",
    "master_password_not_in_code",
    "engine_version_supported",
    "egress_not_open",
)


@hookimpl
def rdspolicy_rules():
    return [importlib.import_module(f"{__name__}.{name}").RULE for name in DEFAULT_RULES]
