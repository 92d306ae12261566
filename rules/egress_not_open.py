"""RDS021 egress-not-open: a database's security group allows all outbound traffic to anywhere.

Why
    A database server seldom needs to open connections itself.  An egress rule for
    all protocols to ``0.0.0.0/0`` (or ``::/0``), the AWS default that Terraform's
    ``aws_security_group`` removes unless it is written, leaves a way out for data
    should the database be compromised (``COPY ... TO PROGRAM`` is not available on
    RDS, but extensions such as ``aws_s3`` and ``dblink`` connect out) and hides
    unexpected traffic.  The rule checks security groups attached to a database
    (``vpc_security_group_ids`` of an ``aws_db_instance`` or ``aws_rds_cluster``),
    through inline ``egress`` blocks, ``aws_security_group_rule`` of type ``egress``
    and ``aws_vpc_security_group_egress_rule``.  It is low: security groups are
    stateful, so replies to clients need no egress rule, and restricting egress is
    defence in depth.  Controls: HIPAA 164.312(e)(1) transmission security.
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_security_group" "db" {
  name = "pacs-db"

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "pacs" {
  engine                 = "postgres"
  engine_version         = "16.3"
  instance_class         = "db.r6g.large"
  vpc_security_group_ids = [aws_security_group.db.id]
}
'''

COMPLIANT = '''
resource "aws_security_group" "db" {
  name = "pacs-db"

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

resource "aws_db_instance" "pacs" {
  engine                 = "postgres"
  engine_version         = "16.3"
  instance_class         = "db.r6g.large"
  vpc_security_group_ids = [aws_security_group.db.id]
}
'''

ANYWHERE = ("0.0.0.0/0", "::/0")


def _judge(protocol, cidrs, at, subject):
    """A verdict for one egress rule: all protocols to anywhere fails."""
    if protocol.unknown:
        return unknown(f"the protocol of {subject} is unknown: {_rds.unknown_reason(protocol)}", protocol)
    if not (protocol.known and str(protocol.value).lower() in ("-1", "all")):
        return passed(at=at)
    open_to, reason, open_at = [], None, None
    for attr in cidrs:
        if attr.unknown:
            reason = _rds.unknown_reason(attr)
            continue
        values = attr.value if attr.known and isinstance(attr.value, list) else ([attr.value] if attr.known else [])
        for value in values:
            if isinstance(value, str) and value.strip() in ANYWHERE:
                open_to.append(value.strip())
                open_at = open_at or attr
            elif value is not None and not isinstance(value, str):
                reason = reason or "a CIDR is known only after apply"
    if open_to:
        return fail(f"{subject} allows all traffic out to {', '.join(open_to)}: the database can connect "
                    "anywhere", open_at)
    if reason:
        return unknown(f"{subject} allows all protocols out to CIDRs that are unknown: {reason}", at)
    return passed(at=at)


def _group_of(resource, ctx):
    groups = ctx.referenced(resource.attr("security_group_id"), "aws_security_group")
    return groups[0] if groups else None


def check(resource, ctx):
    if resource.type == "aws_security_group":
        attached = _rds.databases_attached(resource, ctx)
        if not attached:
            return
        names = ", ".join(db.address for db in attached)
        for rule in resource.egress:
            cidrs = (rule.cidr_blocks, rule.ipv6_cidr_blocks)
            written = [c for c in cidrs if not c.absent]
            yield _judge(rule.protocol, cidrs, written[0] if written else rule.location,
                         f"an egress rule of {resource.address} (attached to {names})")
        return
    if resource.type == "aws_security_group_rule":
        kind = resource.attr("type")
        if not (kind.known and kind.value == "egress"):
            return
        protocol, cidrs = resource.attr("protocol"), (resource.attr("cidr_blocks"), resource.attr("ipv6_cidr_blocks"))
    else:
        protocol, cidrs = resource.attr("ip_protocol"), (resource.attr("cidr_ipv4"), resource.attr("cidr_ipv6"))
    group = _group_of(resource, ctx)
    if group is None or not _rds.databases_attached(group, ctx):
        return
    written = [c for c in cidrs if not c.absent]
    yield _judge(protocol, cidrs, written[0] if written else resource.location,
                 f"{resource.address} (a rule of {group.address})")



def fix(resource, ctx, verdict):
    return NoFix("choose the destinations the database must reach (CIDR ranges, prefix lists or security groups)")


RULE = Rule(
    id="RDS021",
    name="egress-not-open",
    severity="low",
    summary="A database's security group should not allow all egress to 0.0.0.0/0 or ::/0.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_egress_rule"),
    reads=("aws_security_group", "aws_db_instance", "aws_rds_cluster"),
    check=check,
    references=("https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",),
    controls=("HIPAA 164.312(e)(1)",),
    fix=fix,
)
