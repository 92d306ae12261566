"""RDS002 customer-managed-key: encrypted storage uses the AWS-managed key.

Why
    Without ``kms_key_id``, RDS encrypts with the AWS-managed key ``aws/rds``: its
    policy cannot be changed, access to it cannot be restricted or audited separately,
    and snapshots encrypted with it cannot be shared with another account.  A
    customer-managed KMS key lets the data owner control and revoke access to patient
    records and rotate the key on their own schedule.  A key given as
    ``alias/aws/rds`` is the AWS-managed key too ("If StorageEncrypted is enabled,
    and you do not specify a value for the KmsKeyId parameter, then Amazon RDS uses your
    default KMS key", Amazon RDS API Reference, CreateDBInstance; CreateDBCluster
    likewise).  An Aurora
    cluster created since 2026-02-18 without ``storage_encrypted = true`` is encrypted
    with an AWS-owned key (Amazon Aurora User Guide, "Encrypting Amazon Aurora
    resources"), which is not even visible in the account: RDS001 reports it, since
    ``storage_encrypted`` must be set for a key of the owner's to be used.  Same-region
    read replicas and restored databases use their source's key and are exempt;
    unencrypted storage is RDS001's finding, not this one's.
    Controls: HIPAA 164.312(a)(2)(iv) encryption and decryption.
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
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


def _inherits(resource, ctx) -> bool:
    if resource.type == "aws_db_instance":
        return _rds.instance_origin(resource, ctx).kind != "own"
    return _rds.cluster_origin(resource, ctx).kind != "own"


def check(resource, ctx):
    if _inherits(resource, ctx):
        return
    key = resource.attr("kms_key_id")
    if key.known and isinstance(key.value, str) and "alias/aws/" in key.value:
        yield fail(f"kms_key_id = {key.display()} is an AWS-managed key; use a customer-managed KMS key", key)
        return
    if key.is_set:
        yield passed(at=key)
        return
    status, message, _ = _rds.encryption_verdict(resource, ctx)
    if status == "fail":
        return  # not encrypted at all: RDS001 reports it
    if key.unknown:
        yield unknown(f"kms_key_id is unknown and may be null: {_rds.unknown_reason(key)}", key)
    elif status == "unknown":
        yield unknown(f"kms_key_id is not set, and whether storage is encrypted is unknown ({message})",
                      resource.attr("storage_encrypted"))
    else:
        yield fail("kms_key_id is not set, so storage is encrypted with the AWS-managed key aws/rds; "
                   "set it to a customer-managed KMS key", key)



def fix(resource, ctx, verdict):
    return NoFix("choose the customer-managed KMS key (an aws_kms_key with rotation) and set kms_key_id; "
                 "on an existing database this replaces it")


RULE = Rule(
    id="RDS002",
    name="customer-managed-key",
    severity="medium",
    summary="Encrypted storage should use a customer-managed KMS key (kms_key_id).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    reads=_rds.ORIGIN_READS,
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",),
    controls=("HIPAA 164.312(a)(2)(iv)",),
    fix=fix,
)
