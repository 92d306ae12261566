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


def check(resource, ctx):
    status, message, at = _rds.encryption_verdict(resource, ctx)
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
    reads=_rds.ORIGIN_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3",
    ),
    controls=("HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3", "FSBP RDS.27", "CIS 2.3.1"),
    fix=fix,
)
