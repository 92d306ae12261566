"""RDS009 ssl-connections-required: PostgreSQL accepts connections without TLS.

Why
    Without ``rds.force_ssl = 1`` a client that does not ask for TLS (libpq's and
    JDBC's default ``sslmode=prefer`` falls back silently) sends the password and every
    query and result, patient data included, in clear text across the network.  The
    rule computes the *effective* value for each PostgreSQL database: the value in the
    parameter group it uses (for an Aurora instance its own DB parameter group, then
    its cluster's cluster parameter group; for an Aurora or Multi-AZ DB cluster its
    cluster parameter group), or the engine's default when no group in the
    configuration sets it (AWS's ``default.*`` groups keep the default).  The default
    depends on the engine and version: RDS for PostgreSQL sets ``rds.force_ssl`` to 1
    from major version 15 on and to 0 before ("By default, the rds.force_ssl parameter
    is set to 0 (off) for DB instances using PostgreSQL versions before 15 ... set to 1
    (on) for DB instances using PostgreSQL version 15 and later major versions",
    Amazon RDS User Guide, "Updating applications to connect to PostgreSQL DB instances
    using new SSL/TLS certificates"); Aurora PostgreSQL's default is 0 ("By default,
    the rds.force_ssl parameter is set to 0 (off)", Amazon Aurora User Guide, "Updating
    applications to connect to Aurora PostgreSQL DB clusters using new SSL/TLS
    certificates"), so an Aurora cluster must set it.  Read replicas run their
    source's version; a same-region replica without a parameter group of its own uses
    its source's group ("If you don't specify a value for DBParameterGroupName, then
    Amazon RDS uses the DBParameterGroup of the source DB instance for a same Region
    read replica", Amazon RDS API Reference, CreateDBInstanceReadReplica).  Controls: HIPAA
    164.312(e)(1) transmission security and 164.312(e)(2)(ii) encryption.
"""

from __future__ import annotations

from rdspolicy.rule import Fix, NoFix, Rule, SetParameter, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres14"
  family = "postgres14"
}

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "14.12"
  instance_class       = "db.r6g.large"
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''

COMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres14"
  family = "postgres14"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "14.12"
  instance_class       = "db.r6g.large"
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''

RDS_DEFAULT_ON_FROM = 15  # RDS for PostgreSQL: rds.force_ssl defaults to 1 from 15 on


def check(resource, ctx):
    postgres, undecided = _rds.runs_postgres(resource, ctx)
    if not postgres:
        yield from undecided
        return
    setting = _rds.effective_parameter(resource, ctx, "rds.force_ssl")
    at = _rds.where(setting, resource)
    if setting.status == "unknown":
        yield unknown(f"whether rds.force_ssl is on is unknown: {setting.reason}", at)
        return
    if setting.status == "set":
        on = _rds.is_on(setting.value)
        if on:
            yield passed(at=at)
        elif on is None:
            yield unknown(f'rds.force_ssl = "{setting.value}" in {setting.where} is not 0 or 1', at)
        else:
            yield fail(f'rds.force_ssl = "{setting.value}" in {setting.where}: connections without TLS are '
                       "accepted", at)
        return
    unset = "no parameter group in the configuration sets rds.force_ssl"
    aurora = _rds.is_aurora(resource, ctx)
    if aurora is None:
        yield unknown(f"{unset}, and its default depends on the engine, which is unknown", at)
    elif aurora:
        yield fail(f"{unset}, and Aurora PostgreSQL's default is 0: connections without TLS are accepted", at)
    else:
        major, version = _rds.major_version(resource, ctx)
        if major is None:
            yield unknown(f"{unset}; its default is 1 from PostgreSQL {RDS_DEFAULT_ON_FROM} on and 0 before, "
                          f"and the major version is unknown (engine_version {version.display()})", at)
        elif major >= RDS_DEFAULT_ON_FROM:
            yield passed(at=at)
        else:
            yield fail(f"{unset}, and its default is 0 before PostgreSQL {RDS_DEFAULT_ON_FROM} (engine_version "
                       f"{version.display()}): connections without TLS are accepted", at)



REFUSES = "clients that connect without TLS are refused once rds.force_ssl = 1"


def fix(resource, ctx, verdict):
    group, why = _rds.group_to_fix(resource, ctx, "rds.force_ssl = 1")
    if group is None:
        return NoFix(why)
    return Fix("set rds.force_ssl = 1 in the parameter group", (SetParameter(group, "rds.force_ssl", "1"),),
               unsafe=REFUSES)


RULE = Rule(
    id="RDS009",
    name="ssl-connections-required",
    severity="high",
    summary="PostgreSQL must refuse connections without TLS (effective rds.force_ssl = 1).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    reads=_rds.ENGINE_READS + _rds.PARAMETER_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/ssl-certificate-rotation-postgresql.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/ssl-certificate-rotation-aurora-postgresql.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
    ),
    controls=("HIPAA 164.312(e)(1)", "HIPAA 164.312(e)(2)(ii)"),
    fix=fix,
)
