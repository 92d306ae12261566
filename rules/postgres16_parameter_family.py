"""RDS007 postgres16-parameter-family: not on PostgreSQL 16, or a parameter group of another family.

Why
    The policy pins PostgreSQL major version 16 (configurable): extensions, drivers and
    the PACS's migrations are tested against it, and an unplanned major version is an
    unplanned upgrade.  A parameter group only applies to databases of its own family
    (``postgres16`` for RDS for PostgreSQL 16, ``aurora-postgresql16`` for Aurora
    PostgreSQL 16): AWS refuses to attach a group of another family, so a mismatch
    fails the apply or, after a version change, leaves the database on the default
    group without the settings the team wrote (logging, ``rds.force_ssl``).  When
    ``engine_version`` is not set, AWS picks its current default version at creation,
    so the major version is unknown.  Read replicas take their version from the source
    and are judged there; a replica's own parameter group must be of its source's
    family.
    Controls: HIPAA 164.308(a)(1)(ii)(B) risk management (a tested, planned engine
    version).
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

from rdspolicy.rule import NoFix, Param, Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres"
  family = "postgres15"
}

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.r6g.large"
  storage_encrypted    = true
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''

COMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres"
  family = "postgres16"
}

resource "aws_db_instance" "pacs" {
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.r6g.large"
  storage_encrypted    = true
  parameter_group_name = aws_db_parameter_group.pacs.name
}
'''

GROUP_TYPES = ("aws_db_parameter_group", "aws_rds_cluster_parameter_group")
GROUP_ATTRS = {
    "aws_db_instance": ("parameter_group_name", ("aws_db_parameter_group",)),
    "aws_rds_cluster": ("db_cluster_parameter_group_name", ("aws_rds_cluster_parameter_group",)),
    "aws_rds_cluster_instance": ("db_parameter_group_name", ("aws_db_parameter_group",)),
}


def _required(ctx) -> str:
    return str(ctx.params["postgres_major"])


def _check_group(group, ctx):
    family = group.attr("family")
    required = _required(ctx)
    if family.unknown:
        yield unknown(f"family is unknown: {_rds.unknown_reason(family)}", family)
        return
    if not family.known or not isinstance(family.value, str):
        return
    value = family.value
    for prefix in ("aurora-postgresql", "postgres"):
        if value.startswith(prefix) and value[len(prefix):].replace(".", "").isdigit():
            expected = prefix + required
            if value == expected:
                yield passed(at=family)
            else:
                yield fail(f'family = "{value}": the policy requires PostgreSQL {required} ("{expected}")', family)
            return


def _cluster_of(instance, ctx):
    clusters = ctx.referenced(instance.attr("cluster_identifier"), "aws_rds_cluster")
    return clusters[0] if clusters else None


def _version(resource, ctx):
    """(engine_version attr, the resource whose version it is)."""
    attr = resource.attr("engine_version")
    if resource.type == "aws_db_instance" and resource.attr("replicate_source_db").is_set is not False:
        source = _rds.replica_source(resource, ctx)
        if source is not None:
            return source.attr("engine_version"), source
    if attr.absent and resource.type == "aws_rds_cluster_instance":
        cluster = _cluster_of(resource, ctx)
        if cluster is not None:
            return cluster.attr("engine_version"), cluster
    return attr, resource


def _check_database(db, ctx):
    postgres = _rds.is_postgres(db)
    if db.type == "aws_db_instance" and db.attr("replicate_source_db").is_set is not False:
        # a replica runs its source's version, judged at the source; its own parameter
        # group must still be of that version's family
        source = _rds.replica_source(db, ctx)
        if source is None:
            return
        postgres = _rds.is_postgres(source)
    if db.type == "aws_rds_cluster_instance" and db.attr("engine").absent:
        cluster = _cluster_of(db, ctx)
        postgres = _rds.is_postgres(cluster) if cluster is not None else None
    if postgres is False:
        return
    required = _required(ctx)
    version, owner = _version(db, ctx)
    major = None
    if owner is db:
        if version.known and isinstance(version.value, str | int | float):
            major = _rds.engine_major(str(version.value))
            if major is None:
                yield unknown(f"engine_version = {version.display()} is not a version number", version)
            elif postgres is None:
                if major != required:
                    yield unknown(f"engine_version {version.display()} is not PostgreSQL {required}, "
                                  "if the engine is PostgreSQL, which is unknown: "
                                  f"{_rds.unknown_reason(db.attr('engine'))}", version)
            elif major == required:
                yield passed(at=version)
            else:
                yield fail(f"engine_version = {version.display()} is PostgreSQL {major}; the policy requires "
                           f"PostgreSQL {required}", version)
        elif version.unknown:
            yield unknown(f"engine_version is unknown: {_rds.unknown_reason(version)}", version)
        elif db.type != "aws_rds_cluster_instance" and postgres:
            yield unknown("engine_version is not set: AWS chooses its current default version when the "
                          f"database is created, which may not be PostgreSQL {required}", version)
    elif version.known and isinstance(version.value, str):
        major = _rds.engine_major(version.value)

    group_info = GROUP_ATTRS.get(db.type)
    if group_info is None or postgres is not True:
        return
    arg, types = group_info
    link = db.attr(arg)
    if not link.is_set:
        if link.unknown:
            yield unknown(f"{arg} is unknown: {_rds.unknown_reason(link)}", link)
        return
    if major is None:
        return  # the version is unknown; reported above
    prefix = "aurora-postgresql" if db.attr("engine").value == "aurora-postgresql" or (
        owner is not db and owner.attr("engine").value == "aurora-postgresql") else "postgres"
    expected = prefix + major
    family, where = _group_family(link, types, ctx, expected)
    if family is None:
        yield unknown(f"{arg} names a parameter group {where}, so its family is unknown", link)
    elif family != expected:
        yield fail(f"{arg} refers to a parameter group of family \"{family}\", but engine_version "
                   f"{version.display()} needs family \"{expected}\"", link)
    else:
        yield passed(at=link)


def _group_family(link, types, ctx, expected):
    """(family or None, description of where the group is); an empty name is AWS's
    default group of the database's own family."""
    group, why = _rds.find_parameter_group(link, types, ctx)
    if group is None:
        if why == "default" and link.known and link.value.startswith("default."):
            return link.value[len("default."):], "of AWS"
        if why == "default":
            return expected, "of AWS"
        if link.unknown:
            return None, f"that is known only after apply ({_rds.unknown_reason(link)})"
        return None, f"that is not in this configuration ({link.display()})"
    family = group.attr("family")
    if family.known and isinstance(family.value, str):
        return family.value, group.address
    return None, f"({group.address}) whose family is unknown"


def check(resource, ctx):
    if resource.type in GROUP_TYPES:
        yield from _check_group(resource, ctx)
    else:
        yield from _check_database(resource, ctx)



def fix(resource, ctx, verdict):
    return NoFix("a major version upgrade (engine_version and the parameter group family together) needs "
                 "planning and testing: choose the version and make the change by hand")


RULE = Rule(
    id="RDS007",
    name="postgres16-parameter-family",
    severity="medium",
    summary="PostgreSQL must be major version 16 with parameter groups of the matching family.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_db_instance",
                    "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster"),
    reads=_rds.ORIGIN_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html",
    ),
    parameters=(Param(
        "postgres_major", 16,
        "the PostgreSQL major version required of engines and parameter-group families",
        Annotated[int, Ge(9), Le(99)],
    ),),
    controls=("HIPAA 164.308(a)(1)(ii)(B)",),
    fix=fix,
)
