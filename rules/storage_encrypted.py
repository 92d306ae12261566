"""RDS001 storage-encrypted: database storage is not encrypted at rest.

Why
    A PostgreSQL database holding patient and study records must be encrypted at rest
    (HIPAA Security Rule 164.312(a)(2)(iv); AWS Foundational Security Best Practices
    RDS.3).  Encryption can only be chosen when storage is created: an unencrypted
    database must be copied to an encrypted snapshot and restored to fix it.
    ``storage_encrypted`` defaults to false for ``aws_db_instance``, ``aws_rds_cluster``
    and ``aws_rds_global_cluster`` (Terraform AWS provider documentation).  What that
    means for an Aurora cluster changed on 2026-02-18: every Aurora cluster created
    since is encrypted at rest, by default with an AWS-owned key (Amazon Aurora User
    Guide, "Encrypting Amazon Aurora resources"; the API reports it in
    ``StorageEncryptionType``), a key its owner cannot see, audit, restrict or revoke;
    a cluster created before that date without ``storage_encrypted = true`` is not
    encrypted at all.  The policy wants encryption the data owner controls, so an Aurora
    cluster without ``storage_encrypted = true`` still fails, and its message says which
    of the two it is.  Aurora Serverless v1 clusters (``engine_mode = "serverless"``)
    are always encrypted, whatever ``storage_encrypted`` says ("For an Aurora
    Serverless v1 cluster, the cluster volume is always encrypted. You can choose the
    encryption key, but you can't disable encryption", Amazon Aurora User Guide, "Using
    Amazon Aurora Serverless v1").  RDS DB instances and Multi-AZ DB clusters are not
    encrypted unless asked (Amazon RDS User Guide, "Encrypting Amazon RDS resources").  Read replicas and databases restored from a snapshot or to a
    point in time take their encryption from their source, so the source is judged;
    when the source is not in the configuration the verdict is unknown.  A replica
    that names its own ``kms_key_id`` (required for an encrypted replica in another
    region, where ``storage_encrypted`` is ignored) is encrypted, and so is an Aurora
    cluster restored with one.
    Controls: HIPAA 164.312(a)(2)(iv) encryption and decryption; AWS Foundational
    Security Best Practices RDS.3 ("RDS DB instances should have encryption at-rest
    enabled") and RDS.27 ("RDS DB clusters should be encrypted at rest"); CIS AWS
    Foundations Benchmark v3.0.0 2.3.1 ("Ensure that encryption-at-rest is enabled for
    RDS Instances").
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = false
}
'''

COMPLIANT = '''
resource "aws_kms_key" "rds" {
  description         = "PACS database key"
  enable_key_rotation = true
}

resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn
}
'''


def encryption_verdict(resource, ctx, seen=()):
    """(status, message, attr) for one resource's storage encryption, following
    inheritance through replicas and restores."""
    if resource.address in seen:  # a replica of itself: nothing to judge
        return "unknown", "its replication source refers back to itself", resource.location
    seen = (*seen, resource.address)
    if resource.type == "aws_db_instance":
        origin = _rds.instance_origin(resource, ctx, cross_region_inherits=True)
    elif resource.type == "aws_rds_cluster":
        origin = _rds.cluster_origin(resource, ctx)
    else:
        origin = _rds.global_origin(resource, ctx)
    if origin.kind != "own":
        how = _rds.describe_origin(origin)
        key = resource.attr("kms_key_id")
        if _own_key_encrypts(resource, origin) and key.is_set:
            return "pass", "", key
        if origin.source is None:
            hint = ""
            if origin.kind == "replica" and _rds.is_cross_region_replica(resource):
                hint = ("; a replica in another region is encrypted only when its source is, and then needs a "
                        "kms_key_id of its own region (storage_encrypted is ignored for replicas)")
            return ("unknown", f"{resource.address} is {how}, so its storage encryption comes from its "
                    f"source, and {origin.outside}{hint}", origin.attr)
        status, message, _ = encryption_verdict(origin.source, ctx, seen)
        if status == "pass":
            return "pass", "", origin.attr
        if status == "fail":
            return ("fail", f"{resource.address} is {how} of {origin.source.address}, whose storage is not "
                    "encrypted, so its storage is not encrypted either", origin.attr)
        return "unknown", f"{resource.address} is {how} of {origin.source.address}: {message}", origin.attr

    attr = resource.attr("storage_encrypted")
    if resource.type == "aws_rds_cluster":
        mode = resource.attr("engine_mode")
        if mode.known and mode.value == "serverless":
            # Aurora Serverless v1 storage is always encrypted, whatever storage_encrypted says
            return "pass", "", attr
        if mode.unknown and _rds.truthy(attr) is not True:
            return "unknown", f"engine_mode is unknown ({_rds.unknown_reason(mode)}), so whether storage_encrypted applies is too", mode
    value = _rds.truthy(attr)
    if value is True:
        return "pass", "", attr
    if value is None:
        return "unknown", f"storage_encrypted is unknown: {_rds.unknown_reason(attr)}", attr
    if resource.type == "aws_rds_cluster" and not _rds.is_multi_az_db_cluster(resource):
        shown = "is not set (it defaults to false)" if attr.absent else f"= {attr.display()}"
        return "fail", (f"storage_encrypted {shown}: an Aurora cluster created since 2026-02-18 is encrypted only "
                        "with an AWS-owned key, which you cannot see, audit or revoke, and one created before is "
                        "not encrypted at rest at all; set storage_encrypted = true with a customer-managed "
                        "kms_key_id"), attr
    if attr.absent:
        return "fail", "storage_encrypted is not set, and it defaults to false: storage is not encrypted at rest", attr
    return "fail", f"storage_encrypted = {attr.display()}: storage is not encrypted at rest", attr


def _own_key_encrypts(resource, origin) -> bool:
    """Whether a ``kms_key_id`` of its own makes an inheriting database encrypted:
    an encrypted read replica names its key (in another region it must), and AWS
    refuses to encrypt a replica of an unencrypted source (CreateDBInstanceReadReplica,
    KmsKeyId); an Aurora cluster restored from a snapshot or to a point in time with
    a key is encrypted with it (RestoreDBClusterFromSnapshot and
    RestoreDBClusterToPointInTime, KmsKeyId)."""
    if resource.type == "aws_db_instance":
        return origin.kind == "replica"
    return resource.type == "aws_rds_cluster" and origin.kind in ("snapshot", "point-in-time")


def check(resource, ctx):
    status, message, at = encryption_verdict(resource, ctx)
    if status == "pass":
        yield passed(at=at)
    elif status == "fail":
        yield fail(message, at)
    else:
        yield unknown(message, at)



REPLACES = ("storage_encrypted cannot be changed on an existing database: Terraform replaces it (a new, empty "
            "database unless it is restored from an encrypted snapshot copy)")


def fix(resource, ctx, verdict):
    if getattr(verdict.at, "name", None) != "storage_encrypted":
        return NoFix("the storage encryption is inherited from the source: encrypt the source (or restore from an "
                     "encrypted snapshot copy)")
    return set_argument("set storage_encrypted = true", "storage_encrypted", True, unsafe=REPLACES)


RULE = Rule(
    id="RDS001",
    name="storage-encrypted",
    severity="high",
    summary="Database storage must be encrypted at rest (storage_encrypted = true).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster", "aws_rds_global_cluster"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3",
    ),
    controls=("HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3", "FSBP RDS.27", "CIS 2.3.1"),
    fix=fix,
)
