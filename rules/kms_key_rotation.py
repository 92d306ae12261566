"""RDS017 kms-key-rotation: a KMS key that encrypts a database does not rotate, or can be deleted too quickly.

Why
    A KMS key that encrypts database storage, Performance Insights or the master user
    secret protects every patient record in the database.  Automatic rotation replaces
    its key material every year, limiting what one exposed key version can decrypt;
    ``enable_key_rotation`` defaults to false (Terraform AWS provider documentation,
    ``aws_kms_key``).  A key scheduled for deletion makes the database, its snapshots
    and backups unreadable when the waiting period ends: ``deletion_window_in_days``
    must be at least 7 (its default is 30, and AWS accepts 7 to 30).  The rule checks
    the ``aws_kms_key`` s that a database's ``kms_key_id``,
    ``performance_insights_kms_key_id`` or ``master_user_secret_kms_key_id`` refers to,
    directly or through an ``aws_kms_alias``.  Controls: HIPAA 164.312(a)(2)(iv)
    encryption and decryption; AWS Foundational Security Best Practices KMS.4 ("AWS KMS
    key rotation should be enabled"); CIS AWS Foundations Benchmark v3.0.0 3.6
    ("Ensure rotation for customer-created symmetric CMKs is enabled").
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_kms_key" "rds" {
  description = "PACS database key"
}

resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn
}
'''

COMPLIANT = '''
resource "aws_kms_key" "rds" {
  description             = "PACS database key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn
}
'''

DATABASE_TYPES = ("aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance")
KEY_ARGUMENTS = ("kms_key_id", "performance_insights_kms_key_id", "master_user_secret_kms_key_id")
MINIMUM_WINDOW = 7


def users(key, ctx):
    """The databases that use ``key``, directly or through an alias."""
    def referring(types, argument, target):
        # by the instance's address, or by ``aws_x.y`` (any of its instances)
        return (ctx.referring_to(types, argument, target.address)
                + ctx.referring_to(types, argument, f"{target.type}.{target.name}"))

    aliases = referring(("aws_kms_alias",), "target_key_id", key)
    return ctx.in_order(db for target in [key, *aliases] for arg in KEY_ARGUMENTS
                        for db in referring(DATABASE_TYPES, arg, target))


def check(resource, ctx):
    databases = users(resource, ctx)
    if not databases:
        return
    used_by = ", ".join(db.address for db in databases)
    spec = resource.attr("customer_master_key_spec")
    rotation = resource.attr("enable_key_rotation")
    value = _rds.truthy(rotation)
    if spec.known and spec.value != "SYMMETRIC_DEFAULT":
        pass  # only symmetric keys rotate, and only they can encrypt a database
    elif value is True:
        yield passed(at=rotation)
    elif value is None:
        yield unknown(f"enable_key_rotation is unknown: {_rds.unknown_reason(rotation)}", rotation)
    else:
        shown = "is not set (it defaults to false)" if rotation.absent else f"= {rotation.display()}"
        yield fail(f"enable_key_rotation {shown}: the key of {used_by} never rotates", rotation)
    window = resource.attr("deletion_window_in_days")
    days = _rds.number(window)
    if window.absent:
        yield passed(at=window)  # 30 days
    elif window.unknown:
        yield unknown(f"deletion_window_in_days is unknown: {_rds.unknown_reason(window)}", window)
    elif days is None:
        yield unknown(f"deletion_window_in_days = {window.display()} is not a number", window)
    elif days < MINIMUM_WINDOW:
        yield fail(f"deletion_window_in_days = {window.display()}: the key of {used_by} could be deleted after "
                   f"fewer than {MINIMUM_WINDOW} days", window)
    else:
        yield passed(at=window)



def fix(resource, ctx, verdict):
    name = getattr(verdict.at, "name", None)
    if name == "enable_key_rotation":
        return set_argument("set enable_key_rotation = true", name, True)
    if name == "deletion_window_in_days":
        return set_argument("set deletion_window_in_days = 30", name, 30)
    return None


RULE = Rule(
    id="RDS017",
    name="kms-key-rotation",
    severity="medium",
    summary="KMS keys used by databases must rotate and have a deletion window of at least 7 days.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_kms_key",),
    reads=("aws_kms_alias",) + DATABASE_TYPES,
    check=check,
    references=(
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4",
    ),
    controls=("HIPAA 164.312(a)(2)(iv)", "FSBP KMS.4", "CIS 3.6"),
    fix=fix,
)
