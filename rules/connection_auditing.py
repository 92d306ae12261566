"""RDS011 connection-auditing: connections to the database are not audited.

Why
    An auditor asks who connected to the database holding patient records, and when;
    PostgreSQL answers only if ``log_connections`` and ``log_disconnections`` are on,
    or if pgaudit is loaded (``shared_preload_libraries`` includes ``pgaudit``) with
    ``pgaudit.log`` set to the classes to audit.  Both are off by default in
    PostgreSQL, and RDS's and Aurora's default parameter groups do not turn them on,
    so a database without a parameter group that sets them does not audit
    connections.  The rule computes the effective values as RDS009 does (an Aurora
    instance's group, then its cluster's; an Aurora or Multi-AZ DB cluster's cluster
    parameter group).  Controls: HIPAA 164.312(b) audit controls and
    164.308(a)(5)(ii)(C) log-in monitoring.
"""

from __future__ import annotations

from rdspolicy.rule import Fix, NoFix, Rule, SetParameter, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres16"
  family = "postgres16"

  parameter {
    name  = "log_connections"
    value = "1"
  }
}

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.r6g.large"
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''

COMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres16"
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

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.r6g.large"
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''


def _pgaudit(resource, ctx):
    """True/False/None: pgaudit loaded with pgaudit.log set."""
    libraries = _rds.effective_parameter(resource, ctx, "shared_preload_libraries")
    if libraries.status == "unknown":
        return None
    loaded = libraries.status == "set" and "pgaudit" in [x.strip() for x in (libraries.value or "").split(",")]
    if not loaded:
        return False
    log = _rds.effective_parameter(resource, ctx, "pgaudit.log")
    if log.status == "unknown":
        return None
    return log.status == "set" and log.value not in ("", "none")


def check(resource, ctx):
    postgres, undecided = _rds.runs_postgres(resource, ctx)
    if not postgres:
        yield from undecided
        return
    settings = {name: _rds.effective_parameter(resource, ctx, name)
                for name in ("log_connections", "log_disconnections")}
    states = {name: (None if s.status == "unknown" else s.status == "set" and _rds.is_on(s.value) is True)
              for name, s in settings.items()}
    links = _rds.parameter_links(resource, ctx)
    at = links[0][0] if links and links[0][0].is_set else resource.location
    if all(states.values()):
        yield passed(at=at)
        return
    audit = _pgaudit(resource, ctx)
    if audit:
        yield passed(at=at)
        return
    off = [name for name, state in states.items() if state is False]
    if off and audit is False:
        shown = " and ".join(off)
        yield fail(f"{shown} {'is' if len(off) == 1 else 'are'} not on (PostgreSQL's default is off) and pgaudit "
                   "is not loaded with pgaudit.log: connections to the database are not audited", at)
        return
    unknowns = [s for s in settings.values() if s.status == "unknown"]
    reason = unknowns[0].reason if unknowns else "the pgaudit settings are unknown"
    yield unknown(f"whether connections are audited is unknown: {reason}",
                  unknowns[0].at if unknowns and unknowns[0].at is not None else at)



def fix(resource, ctx, verdict):
    group, why = _rds.group_to_fix(resource, ctx, "log_connections = 1 and log_disconnections = 1")
    if group is None:
        return NoFix(why)
    changes = []
    for name in ("log_connections", "log_disconnections"):
        setting = _rds.effective_parameter(resource, ctx, name)
        if not (setting.status == "set" and _rds.is_on(setting.value)):
            changes.append(SetParameter(group, name, "1"))
    return Fix("turn on log_connections and log_disconnections", tuple(changes))


RULE = Rule(
    id="RDS011",
    name="connection-auditing",
    severity="medium",
    summary="Connections must be audited (log_connections and log_disconnections, or pgaudit).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    reads=_rds.ENGINE_READS + _rds.PARAMETER_READS,
    check=check,
    references=(
        "https://www.postgresql.org/docs/16/runtime-config-logging.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.html",
    ),
    controls=("HIPAA 164.312(b)", "HIPAA 164.308(a)(5)(ii)(C)"),
    fix=fix,
)
