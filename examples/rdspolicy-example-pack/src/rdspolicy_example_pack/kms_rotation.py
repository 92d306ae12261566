"""EXM002 production-kms-rotation: a production database encrypted with a KMS key
that does not rotate.

Why
    A customer-managed key that is never rotated keeps the same key material for
    years; automatic rotation (``enable_key_rotation = true`` on ``aws_kms_key``) gives
    it new material yearly at no cost to the database.  This is a cross-resource rule:
    it follows a production database's ``kms_key_id`` to the ``aws_kms_key`` of the
    same module and checks that key.  A key that is not in the module (an ARN written
    out, a data source) cannot be checked and is reported as unknown.  Databases
    without ``kms_key_id`` are RDS002's concern, not this rule's.
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, unknown


def check(resource, ctx):
    if not ctx.is_production:
        return
    key_id = resource.attr("kms_key_id")
    if key_id.absent:
        return
    keys = ctx.referenced(key_id, "aws_kms_key")
    if not keys:
        yield unknown(f"kms_key_id = {key_id.display()} is not a key of this module: "
                      f"its rotation cannot be checked", key_id)
        return
    for key in keys:
        rotation = key.attr("enable_key_rotation")
        if rotation.known and rotation.value is True:
            yield passed(at=key_id)
        elif rotation.unknown:
            yield unknown(f"enable_key_rotation of {key.address} is unknown", rotation)
        else:
            shown = "is not set (it defaults to false)" if rotation.absent else f"= {rotation.display()}"
            yield fail(f"the database's KMS key {key.address} does not rotate: enable_key_rotation {shown}",
                       key_id)


RULE = Rule(
    id="EXM002",
    name="production-kms-rotation",
    severity="medium",
    summary="The KMS key that encrypts a production database must have automatic rotation enabled.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant='''
variable "environment" {
  default = "production"
}

resource "aws_kms_key" "db" {
  description = "database key"
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}
''',
    compliant='''
variable "environment" {
  default = "production"
}

resource "aws_kms_key" "db" {
  description         = "database key"
  enable_key_rotation = true
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}
''',
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    check=check,
)
