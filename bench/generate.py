"""A deterministic Terraform corpus for the benchmark.

``python bench/generate.py OUT --roots N [--seed S]`` writes N root modules under
``OUT/roots/``.  Each root module is ten files:

* ``variables.tf``: typed variables with defaults and validations,
* ``main.tf``: locals, a KMS key, a subnet group and a PostgreSQL ``aws_db_instance``
  with a same-region read replica (count), a call to the local module,
* ``aurora.tf``: an Aurora PostgreSQL ``aws_rds_cluster`` with ``for_each`` instances,
* ``network.tf``: security groups with inline ingress, ``aws_security_group_rule`` and
  ``aws_vpc_security_group_ingress_rule``,
* ``parameters.tf``: DB and cluster parameter groups with dynamic ``parameter`` blocks,
* ``environments/{development,staging,production}.tfvars``: one environment each,
* ``modules/monitoring/{main,variables}.tf``: a local module (alarms and an event
  subscription) called from ``main.tf``.

Values vary with the seed and the module number (engine versions, encryption,
Multi-AZ, retention, CIDRs), so every rule has passing and failing resources.  The same
arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil

ENVIRONMENTS = ("development", "staging", "production")


def _variables(r: random.Random, i: int) -> str:
    major = r.choice(["16.3", "16.4", "15.7", "16.2"])
    return f'''variable "environment" {{
  description = "Deployment environment"
  type        = string

  validation {{
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }}
}}

variable "project_name" {{
  description = "Project name, used in identifiers"
  type        = string
  default     = "svc{i:04d}"
}}

variable "vpc_id" {{
  type    = string
  default = "vpc-{i:08x}"
}}

variable "private_subnet_ids" {{
  type    = list(string)
  default = ["subnet-{i:06x}a", "subnet-{i:06x}b", "subnet-{i:06x}c"]
}}

variable "postgres_version" {{
  type    = string
  default = "{major}"
}}

variable "instance_class" {{
  type    = string
  default = "db.t3.medium"
}}

variable "allocated_storage" {{
  type    = number
  default = {r.choice([20, 50, 100, 200])}
}}

variable "multi_az" {{
  type    = bool
  default = false
}}

variable "backup_retention_days" {{
  type    = number
  default = 1
}}

variable "allowed_cidr_blocks" {{
  description = "Networks that may reach PostgreSQL"
  type        = list(string)
  default     = ["10.{i % 250}.0.0/16"]
}}

variable "aurora_instances" {{
  type = map(object({{
    instance_class = string
    promotion_tier = optional(number, 1)
  }}))
  default = {{
    writer = {{ instance_class = "db.r6g.large", promotion_tier = 0 }}
    reader = {{ instance_class = "db.r6g.large" }}
  }}
}}

variable "parameters" {{
  type = map(string)
  default = {{
    log_min_duration_statement = "1000"
    log_connections            = "1"
    shared_preload_libraries   = "pg_stat_statements"
  }}
}}

variable "tags" {{
  type    = map(string)
  default = {{}}
}}
'''


def _main(r: random.Random, i: int) -> str:
    encrypted = "true" if r.random() < 0.8 else "false"
    kms = "aws_kms_key.db.arn" if r.random() < 0.7 else "null"
    deletion = 'var.environment == "production"' if r.random() < 0.8 else "false"
    replica_count = r.choice([0, 1, 1, 2])
    return f'''locals {{
  name_prefix   = "${{var.project_name}}-${{var.environment}}"
  is_production = var.environment == "production"
  common_tags = merge(var.tags, {{
    Project     = var.project_name
    Environment = var.environment
    ManagedBy   = "terraform"
    Module      = "root-{i:04d}"
  }})
  backup_window      = "03:00-04:00"
  maintenance_window = "sun:04:30-sun:05:30"
}}

resource "aws_kms_key" "db" {{
  description             = "KMS key for ${{local.name_prefix}} databases"
  deletion_window_in_days = local.is_production ? 30 : 7
  enable_key_rotation     = true
  tags                    = local.common_tags
}}

resource "aws_db_subnet_group" "main" {{
  name       = "${{local.name_prefix}}-db"
  subnet_ids = var.private_subnet_ids
  tags       = local.common_tags
}}

resource "aws_db_instance" "main" {{
  identifier     = "${{local.name_prefix}}-postgres"
  engine         = "postgres"
  engine_version = var.postgres_version
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 4
  storage_type          = "gp3"
  storage_encrypted     = {encrypted}
  kms_key_id            = {kms}

  db_name  = "app"
  username = "app_admin"
  port     = 5432

  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  parameter_group_name   = aws_db_parameter_group.main.name

  multi_az                  = var.multi_az
  backup_retention_period   = var.backup_retention_days
  backup_window             = local.backup_window
  maintenance_window        = local.maintenance_window
  deletion_protection       = {deletion}
  skip_final_snapshot       = !local.is_production
  final_snapshot_identifier = local.is_production ? "${{local.name_prefix}}-final" : null

  performance_insights_enabled    = local.is_production
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  tags = merge(local.common_tags, {{ Role = "primary" }})
}}

resource "aws_db_instance" "replica" {{
  count = local.is_production ? {replica_count} : 0

  identifier           = "${{local.name_prefix}}-replica-${{count.index}}"
  replicate_source_db  = aws_db_instance.main.identifier
  instance_class       = var.instance_class
  storage_encrypted    = true
  kms_key_id           = aws_kms_key.db.arn
  skip_final_snapshot  = true
  parameter_group_name = aws_db_parameter_group.main.name

  tags = merge(local.common_tags, {{ Role = "replica" }})
}}

module "monitoring" {{
  source = "./modules/monitoring"

  name_prefix   = local.name_prefix
  instance_ids  = concat([aws_db_instance.main.identifier], aws_db_instance.replica[*].identifier)
  cluster_id    = aws_rds_cluster.aurora.cluster_identifier
  cpu_threshold = local.is_production ? 70 : 90
  tags          = local.common_tags
}}

output "endpoint" {{
  value = aws_db_instance.main.endpoint
}}

output "aurora_endpoint" {{
  value = aws_rds_cluster.aurora.endpoint
}}
'''


def _aurora(r: random.Random, i: int) -> str:
    version = r.choice(["16.4", "16.6", "15.8"])
    encrypted = "true" if r.random() < 0.85 else "false"
    return f'''resource "aws_rds_cluster" "aurora" {{
  cluster_identifier = "${{local.name_prefix}}-aurora"
  engine             = "aurora-postgresql"
  engine_version     = "{version}"
  database_name      = "analytics"
  master_username    = "analytics_admin"

  manage_master_user_password = true

  db_subnet_group_name            = aws_db_subnet_group.main.name
  vpc_security_group_ids          = [aws_security_group.aurora.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.aurora.name

  storage_encrypted       = {encrypted}
  kms_key_id              = aws_kms_key.db.arn
  backup_retention_period = local.is_production ? 14 : var.backup_retention_days
  preferred_backup_window = local.backup_window
  deletion_protection     = local.is_production
  skip_final_snapshot     = !local.is_production

  enabled_cloudwatch_logs_exports = ["postgresql"]

  tags = local.common_tags
}}

resource "aws_rds_cluster_instance" "aurora" {{
  for_each = local.is_production ? var.aurora_instances : {{ for k, v in var.aurora_instances : k => v if k == "writer" }}

  identifier           = "${{local.name_prefix}}-aurora-${{each.key}}"
  cluster_identifier   = aws_rds_cluster.aurora.id
  engine               = aws_rds_cluster.aurora.engine
  engine_version       = aws_rds_cluster.aurora.engine_version
  instance_class       = each.value.instance_class
  promotion_tier       = each.value.promotion_tier
  db_subnet_group_name = aws_db_subnet_group.main.name

  performance_insights_enabled = local.is_production

  tags = merge(local.common_tags, {{ Member = each.key }})
}}
'''


def _network(r: random.Random, i: int) -> str:
    open_cidr = r.choice(['"10.{0}.0.0/20"'.format(i % 250), '"10.{0}.0.0/20"'.format(i % 250),
                          '"0.0.0.0/0"', '"172.16.0.0/12"', '"203.0.113.0/24"'])
    return f'''resource "aws_security_group" "db" {{
  name_prefix = "${{local.name_prefix}}-db-"
  description = "PostgreSQL access for ${{local.name_prefix}}"
  vpc_id      = var.vpc_id

  ingress {{
    description = "PostgreSQL from the application networks"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidr_blocks
  }}

  egress {{
    description = "All outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = merge(local.common_tags, {{ Name = "${{local.name_prefix}}-db" }})

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "aws_security_group" "aurora" {{
  name_prefix = "${{local.name_prefix}}-aurora-"
  description = "Aurora access for ${{local.name_prefix}}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {{
    for_each = toset(var.allowed_cidr_blocks)
    content {{
      description = "Aurora from ${{ingress.value}}"
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }}
  }}

  tags = local.common_tags
}}

resource "aws_security_group_rule" "db_vpn" {{
  type              = "ingress"
  description       = "PostgreSQL from the VPN"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = [{open_cidr}]
}}

resource "aws_vpc_security_group_ingress_rule" "aurora_bastion" {{
  security_group_id = aws_security_group.aurora.id
  description       = "Aurora from the bastion network"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "10.{(i * 7) % 250}.{i % 200}.0/24"
}}
'''


def _parameters(r: random.Random, i: int) -> str:
    family = r.choice(["postgres16", "postgres16", "postgres15"])
    return f'''resource "aws_db_parameter_group" "main" {{
  name_prefix = "${{local.name_prefix}}-pg-"
  family      = "{family}"
  description = "Parameters for ${{local.name_prefix}}"

  dynamic "parameter" {{
    for_each = var.parameters
    content {{
      name         = parameter.key
      value        = parameter.value
      apply_method = parameter.key == "shared_preload_libraries" ? "pending-reboot" : "immediate"
    }}
  }}

  parameter {{
    name  = "rds.force_ssl"
    value = "1"
  }}

  tags = local.common_tags

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "aws_rds_cluster_parameter_group" "aurora" {{
  name_prefix = "${{local.name_prefix}}-aurora-"
  family      = "aurora-postgresql16"
  description = "Aurora parameters for ${{local.name_prefix}}"

  parameter {{
    name  = "rds.force_ssl"
    value = "1"
  }}

  parameter {{
    name  = "log_min_duration_statement"
    value = local.is_production ? "500" : "2000"
  }}

  tags = local.common_tags
}}
'''


def _tfvars(r: random.Random, i: int, env: str) -> str:
    production = env == "production"
    lines = [
        f'environment           = "{env}"',
        f'instance_class        = "{"db.r6g.xlarge" if production else "db.t3.medium"}"',
        f'multi_az              = {"true" if production and r.random() < 0.85 else "false"}',
        f'backup_retention_days = {r.choice([7, 14, 30]) if production else r.choice([1, 3, 7])}',
        f'allocated_storage     = {r.choice([100, 200, 500]) if production else 20}',
        'allowed_cidr_blocks   = ["10.%d.0.0/16", "10.%d.0.0/%d"]' % (
            i % 250, (i + 1) % 250, r.choice([16, 20, 12 if not production else 16])),
        "",
        "tags = {",
        f'  CostCenter = "cc-{(i * 13) % 1000:03d}"',
        f'  Owner      = "team-{i % 17}"',
        "}",
    ]
    return "\n".join(lines) + "\n"


MONITORING_MAIN = '''resource "aws_cloudwatch_metric_alarm" "cpu" {
  for_each = toset(var.instance_ids)

  alarm_name          = "${var.name_prefix}-${each.value}-cpu"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  metric_name         = "CPUUtilization"
  namespace           = "AWS/RDS"
  period              = 300
  statistic           = "Average"
  threshold           = var.cpu_threshold

  dimensions = {
    DBInstanceIdentifier = each.value
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "cluster_connections" {
  alarm_name          = "${var.name_prefix}-aurora-connections"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "DatabaseConnections"
  namespace           = "AWS/RDS"
  period              = 300
  statistic           = "Maximum"
  threshold           = 400

  dimensions = {
    DBClusterIdentifier = var.cluster_id
  }

  tags = var.tags
}

resource "aws_db_event_subscription" "events" {
  name        = "${var.name_prefix}-events"
  sns_topic   = "arn:aws:sns:eu-west-1:111122223333:${var.name_prefix}-db-events"
  source_type = "db-instance"
  source_ids  = var.instance_ids

  event_categories = ["availability", "failover", "failure", "maintenance"]

  tags = var.tags
}
'''

MONITORING_VARIABLES = '''variable "name_prefix" {
  type = string
}

variable "instance_ids" {
  type = list(string)
}

variable "cluster_id" {
  type = string
}

variable "cpu_threshold" {
  type    = number
  default = 80
}

variable "tags" {
  type    = map(string)
  default = {}
}
'''


def generate(out: str, roots: int, seed: int = 7) -> int:
    """Write the corpus; returns the number of files written."""
    base = os.path.join(out, "roots")
    if os.path.exists(base):
        shutil.rmtree(base)
    count = 0
    for i in range(roots):
        r = random.Random(f"{seed}:{i}")
        folder = os.path.join(base, f"root{i:04d}")
        files = {
            "variables.tf": _variables(r, i),
            "main.tf": _main(r, i),
            "aurora.tf": _aurora(r, i),
            "network.tf": _network(r, i),
            "parameters.tf": _parameters(r, i),
            "modules/monitoring/main.tf": MONITORING_MAIN,
            "modules/monitoring/variables.tf": MONITORING_VARIABLES,
        }
        for env in ENVIRONMENTS:
            files[f"environments/{env}.tfvars"] = _tfvars(r, i, env)
        for name, text in files.items():
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write into (its roots/ is replaced)")
    parser.add_argument("--roots", type=int, default=200, help="root modules, ten files each (default 200)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{generate(args.out, args.roots, args.seed)} files in {os.path.join(args.out, 'roots')}")


if __name__ == "__main__":
    main()
