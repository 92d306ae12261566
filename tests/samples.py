"""Terraform texts and a file writer the tests share (the fixtures that run the command
line, ``work`` and ``rds``, are in conftest.py)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

# the shared real-world corpus (../shared/corpus beside the checkout, or $RDSPOLICY_CORPUS):
# tests that need it skip when it is absent
CORPUS = Path(os.environ.get("RDSPOLICY_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

# What the rules from RDS008 on ask of a database (IAM authentication, log export,
# audited connections, Enhanced Monitoring, a final snapshot and kept backups), written
# at the end of each database below so that the lines the tests name do not move.
EXTRAS = """\
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  parameter_group_name                = aws_db_parameter_group.audited.name
  monitoring_interval                 = 60
  monitoring_role_arn                 = "arn:aws:iam::111122223333:role/rds-monitoring"
  final_snapshot_identifier           = "db-final"
  copy_tags_to_snapshot               = true
  delete_automated_backups            = false
}

resource "aws_db_parameter_group" "audited" {
  name   = "db-audited"
  family = "postgres16"

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }
}
"""

# Passes every rule in every environment.
CLEAN = f"""
resource "aws_db_instance" "db" {{
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  storage_encrypted       = true
  kms_key_id              = "{KEY_ARN}"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 7
{EXTRAS}"""

# RDS001 fails at line 4, column 3 (in every environment), nothing else.
UNENCRYPTED = """
resource "aws_db_instance" "db" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false
""" + EXTRAS

# Clean except in production, where multi_az (absent, line 1) is RDS003.
SINGLE_AZ = f"""
resource "aws_db_instance" "db" {{
  engine                  = "postgres"
  engine_version          = "16.3"
  storage_encrypted       = true
  kms_key_id              = "{KEY_ARN}"
  deletion_protection     = true
  backup_retention_period = 7
{EXTRAS}"""


def tf(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(tf(content), encoding="utf-8")
    return root
