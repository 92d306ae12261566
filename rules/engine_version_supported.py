"""RDS020 engine-version-supported: the engine is out of RDS standard support, not patched, or uses an expired CA.

Why
    After a major version's end of RDS standard support, AWS enrolls the database in
    paid RDS Extended Support or upgrades it in a maintenance window, and the PostgreSQL
    community stops fixing its security bugs.  The end-of-standard-support dates, the
    same for RDS for PostgreSQL and Aurora PostgreSQL, are a dated table in this module
    (``STANDARD_SUPPORT_ENDS``, from the "Release calendar for Amazon RDS for
    PostgreSQL" and "Release calendars for Aurora PostgreSQL" pages, read 2026-11-27:
    11 on 2024-02-29, 12 on 2025-02-28, 13 on 2026-02-28, 14 on 2027-02-28, 15 on
    2028-02-29, 16 on 2029-02-28, 17 on 2030-02-28; 9.6 and 10 ended before).  The
    check date is today, or ``rdspolicy check --as-of YYYY-MM-DD`` for a reproducible
    run.  ``auto_minor_version_upgrade = false`` keeps security fixes out (its default
    is true on ``aws_db_instance``, ``aws_rds_cluster_instance`` and Multi-AZ DB
    clusters).  ``ca_cert_identifier`` (``ca_certificate_identifier`` on a Multi-AZ DB
    cluster) must name a current CA, ``rds-ca-rsa2048-g1``, ``rds-ca-rsa4096-g1`` or
    ``rds-ca-ecc384-g1``; ``rds-ca-2019`` expired on 2024-08-22 (Amazon RDS User Guide,
    "Using SSL/TLS to encrypt a connection to a DB instance or cluster"); when it is not
    set, RDS uses its default CA, ``rds-ca-rsa2048-g1`` for databases created since
    January 2024 (an older database keeps the CA it has, which only the Terraform state
    shows, so an absent argument passes).  Versions are judged where they
    are set: an Aurora instance and a read replica follow their cluster and source.
    Controls: HIPAA 164.308(a)(1)(ii)(B) risk management; AWS Foundational Security
    Best Practices RDS.13 ("RDS automatic minor version upgrades should be enabled");
    CIS AWS Foundations Benchmark v3.0.0 2.3.2 ("Ensure Auto Minor Version Upgrade
    feature is Enabled for RDS Instances").
"""

from __future__ import annotations

import datetime as dt

from rdspolicy.rule import NoFix, Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine                     = "postgres"
  engine_version             = "12.22"
  instance_class             = "db.r6g.large"
  auto_minor_version_upgrade = false
  ca_cert_identifier         = "rds-ca-2019"
}
'''

COMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine             = "postgres"
  engine_version     = "16.3"
  instance_class     = "db.r6g.large"
  ca_cert_identifier = "rds-ca-rsa2048-g1"
}
'''

TABLE_READ = "2026-11-27"
STANDARD_SUPPORT_ENDS = {
    11: "2024-02-29", 12: "2025-02-28", 13: "2026-02-28", 14: "2027-02-28",
    15: "2028-02-29", 16: "2029-02-28", 17: "2030-02-28",
}
CURRENT_CAS = ("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1")
EXPIRED_CAS = {"rds-ca-2019": "2024-08-22", "rds-ca-2015": "2020-03-05"}


def check_date(ctx) -> dt.date:
    value = ctx.as_of
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return dt.date.today()


def _version(resource, ctx):
    version = resource.attr("engine_version")
    if version.absent:
        return  # AWS's current default version; a replica or Aurora instance follows its source or cluster
    if version.unknown:
        yield unknown(f"engine_version is unknown: {_rds.unknown_reason(version)}", version)
        return
    major, _ = _rds.major_version(resource, ctx)
    if major is None:
        yield unknown(f"engine_version = {version.display()} is not a version number", version)
        return
    today = check_date(ctx)
    shown = int(major) if major.is_integer() else major
    ends = STANDARD_SUPPORT_ENDS.get(int(major)) if major.is_integer() else None
    if ends is None and major < min(STANDARD_SUPPORT_ENDS):
        yield fail(f"engine_version = {version.display()} is PostgreSQL {shown}, which left RDS standard support "
                   f"before {STANDARD_SUPPORT_ENDS[min(STANDARD_SUPPORT_ENDS)]}", version)
    elif ends is None or today <= dt.date.fromisoformat(ends):
        yield passed(at=version)  # newer than the table, or still supported
    else:
        yield fail(f"engine_version = {version.display()} is PostgreSQL {shown}, whose RDS standard support ended "
                   f"on {ends} (checked as of {today.isoformat()}): upgrade the major version", version)


def _minor_upgrades(resource):
    attr = resource.attr("auto_minor_version_upgrade")
    value = _rds.truthy(attr)
    if attr.absent or value is True:
        yield passed(at=attr)
    elif value is None:
        yield unknown(f"auto_minor_version_upgrade is unknown: {_rds.unknown_reason(attr)}", attr)
    else:
        yield fail(f"auto_minor_version_upgrade = {attr.display()}: minor versions with security fixes are not "
                   "applied", attr)


def _certificate(resource):
    name = "ca_certificate_identifier" if resource.type == "aws_rds_cluster" else "ca_cert_identifier"
    attr = resource.attr(name)
    if attr.absent:
        yield passed(at=attr)
    elif attr.unknown:
        yield unknown(f"{name} is unknown: {_rds.unknown_reason(attr)}", attr)
    elif attr.value in CURRENT_CAS:
        yield passed(at=attr)
    elif attr.value in EXPIRED_CAS:
        yield fail(f"{name} = {attr.display()}, a CA certificate that expired on {EXPIRED_CAS[attr.value]}; use "
                   f"one of {', '.join(CURRENT_CAS)}", attr)
    else:
        yield unknown(f"{name} = {attr.display()} is not a CA this rule knows ({', '.join(CURRENT_CAS)})", attr)


def check(resource, ctx):
    if _rds.postgres_engine(resource, ctx) is False:
        return
    yield from _version(resource, ctx)
    if resource.type == "aws_rds_global_cluster":
        return
    if resource.type == "aws_rds_cluster" and not _rds.is_multi_az_db_cluster(resource):
        return  # Aurora: minor upgrades and the CA are per instance
    yield from _minor_upgrades(resource)
    yield from _certificate(resource)



CERTIFICATE = CURRENT_CAS[0]
RESTARTS = "changing the CA certificate restarts the database, and clients must trust the new CA"


def fix(resource, ctx, verdict):
    name = getattr(verdict.at, "name", None)
    if name == "auto_minor_version_upgrade":
        return set_argument("set auto_minor_version_upgrade = true", name, True)
    if name in ("ca_cert_identifier", "ca_certificate_identifier"):
        return set_argument(f'use the CA certificate "{CERTIFICATE}"', name, CERTIFICATE, unsafe=RESTARTS)
    if name == "engine_version":
        return NoFix("choose the major version to upgrade to and plan the upgrade (a major version upgrade "
                     "needs allow_major_version_upgrade and a tested application)")
    return None


RULE = Rule(
    id="RDS020",
    name="engine-version-supported",
    severity="medium",
    summary="The PostgreSQL major version must be in RDS standard support, with minor upgrades and a current CA.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster"),
    reads=_rds.ENGINE_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
    ),
    controls=("HIPAA 164.308(a)(1)(ii)(B)", "FSBP RDS.13", "CIS 2.3.2"),
    fix=fix,
)
