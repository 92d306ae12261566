"""RDS006 security-group-scope: the PostgreSQL port is open to too wide a network.

Why
    A database reachable from the internet is probed for weak passwords and unpatched
    vulnerabilities within minutes; one reachable from a whole /8 of a corporate
    network is exposed to every compromised laptop in it.  The rule looks at every
    security group attached to a database (``vpc_security_group_ids``) and every
    security group whose ingress reaches a PostgreSQL port (5432, or a database's own
    ``port``), through inline ``ingress`` blocks, ``aws_security_group_rule`` and
    ``aws_vpc_security_group_ingress_rule``.  An ingress that admits that port is
    graded by its widest source: a port range covering it always counts; a rule for
    all protocols (``-1``) or all ports counts on a group attached to a database, or
    one whose attachment the configuration does not show (used nowhere, or possibly
    by a database whose groups are known only after apply), but not on a group whose
    every use is a resource that is not a database (a bastion's EC2 instance, a load
    balancer, a Lambda function).  Sources are graded so:
    ``0.0.0.0/0`` or ``::/0`` is critical, a public range high, and a private range
    (RFC 1918, 100.64.0.0/10, fc00::/7) broader than /16 medium.  Sources that are
    other security groups are not CIDRs and pass.
    Controls: HIPAA 164.312(a)(1) access control and 164.312(e)(1) transmission
    security.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import TYPE_CHECKING, Annotated

from annotated_types import Ge, Le

from rdspolicy.rule import NoFix, Param, Rule, fail, passed, unknown

if TYPE_CHECKING:
    from rdspolicy.models import Attr

from . import _rds

POSTGRES_PORT = 5432
DATABASE_TYPES = _rds.DATABASE_TYPES
PRIVATE_NETWORKS = [ipaddress.ip_network(n) for n in
                    ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")]
ALL_PROTOCOLS = ("-1", "all")

NONCOMPLIANT = '''
resource "aws_security_group" "db" {
  name = "pacs-db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
'''

COMPLIANT = '''
resource "aws_security_group" "db" {
  name = "pacs-db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/20"]
  }
}
'''

_ORDER = {"critical": 0, "high": 1, "medium": 2}


@functools.lru_cache(maxsize=4096)  # the same few CIDRs recur in every environment
def classify(cidr: str, min_prefix: int) -> str | None:
    """critical / high / medium, or None when the range is narrow enough.
    Raises ValueError for text that is not a CIDR."""
    network = ipaddress.ip_network(cidr.strip(), strict=False)
    if network.prefixlen == 0:
        return "critical"
    private = any(network.version == p.version and network.subnet_of(p) for p in PRIVATE_NETWORKS)
    if not private:
        return "high"
    if network.prefixlen < min_prefix:
        return "medium"
    return None


def _database_ports(db) -> tuple[set[int], str | None]:
    """The ports a database listens on: its ``port`` or the PostgreSQL default."""
    port = db.attr("port")
    if port.known:
        number = _rds.number(port)
        return ({int(number)} if number is not None else set()), None
    if port.unknown:
        return set(), f"the port of {db.address} is unknown ({_rds.unknown_reason(port)})"
    return {POSTGRES_PORT}, None


def _all_database_ports(ctx, postgres_only: bool) -> set[int]:
    """The ports of every database (of every one that may be PostgreSQL), once per environment."""
    def build():
        ports: set[int] = set()
        for db in ctx.of_type(*DATABASE_TYPES):
            if not postgres_only or _rds.is_postgres(db) is not False:
                ports |= _database_ports(db)[0]
        return ports

    return ctx.memo(("rds006-ports", postgres_only), build)


def _ports_of_interest(group, ctx):
    """(ports, reason-unknown, attached databases) for a security group."""
    attached = _rds.databases_attached(group, ctx) if group is not None else []
    ports: set[int] = set()
    unknown_reason = None
    if attached:
        for db in attached:
            found, reason = _database_ports(db)
            ports |= found
            unknown_reason = unknown_reason or reason
    else:
        ports.add(POSTGRES_PORT)
        ports |= _all_database_ports(ctx, postgres_only=True)
    return ports, unknown_reason, attached


def _admits(rule, ports: set[int], outside_only: bool = False) -> tuple[bool | None, str]:
    """Whether an ingress rule admits one of ``ports``; None when unknown.  A rule for
    all protocols or all ports counts only on a group that may serve a database
    (``outside_only`` is False): a rule written for PostgreSQL names its port."""
    protocol = rule.protocol
    if protocol.unknown:
        return None, f"its protocol is unknown ({_rds.unknown_reason(protocol)})"
    proto = str(protocol.value).lower() if protocol.known else ""
    if proto in ALL_PROTOCOLS:
        return (False, "") if outside_only else (True, "all ports")
    if proto not in ("tcp", "6"):
        return False, ""
    low, high = _rds.number(rule.from_port), _rds.number(rule.to_port)
    if low is None or high is None:
        if rule.from_port.unknown or rule.to_port.unknown:
            return None, "its port range is unknown"
        return False, ""
    if low == -1 and high == -1:
        return (False, "") if outside_only else (True, "all ports")
    hit = [p for p in sorted(ports) if low <= p <= high]
    if hit:
        return True, f"port {hit[0]}" if low == high else f"ports {int(low)}-{int(high)}"
    return False, ""


def _judge_cidrs(attr: Attr, min_prefix: int):
    """(worst severity, offending cidrs, unknown reason, invalid texts)."""
    if attr.absent:
        return None, [], None, []
    if attr.unknown:
        return None, [], _rds.unknown_reason(attr), []
    values = attr.value if isinstance(attr.value, list) else [attr.value]
    worst, offending, reason, invalid = None, [], None, []
    for value in values:
        if value is None:
            continue
        if not isinstance(value, str):
            reason = reason or getattr(value, "reason", "a CIDR is known only after apply")
            continue
        try:
            grade = classify(value, min_prefix)
        except ValueError:
            invalid.append(value)
            continue
        if grade is not None:
            offending.append(value)
            if worst is None or _ORDER[grade] < _ORDER[worst]:
                worst = grade
    return worst, offending, reason, invalid


def _judge_rule(rule, ports, ports_reason, ctx, subject: str, group=None):
    min_prefix = int(ctx.params["private_cidr_min_prefix"])
    # a dynamic block with an unknown for_each needs nothing special: its values carry
    # the unknowns
    admits, what = _admits(rule, ports, group is not None and _rds.serves_only_other_resources(group, ctx))
    if admits is False and ports_reason:
        admits, what = None, ports_reason
    if admits is False:
        return
    verdicts = []
    for attr in (rule.cidr_blocks, rule.ipv6_cidr_blocks):
        worst, offending, reason, invalid = _judge_cidrs(attr, min_prefix)
        if invalid:
            verdicts.append(unknown(f"{subject}: {', '.join(invalid)} is not a valid CIDR", attr))
        if worst is not None:
            if admits is None:
                verdicts.append(unknown(f"{subject} admits {', '.join(offending)}, but whether it reaches the "
                                        f"database port is unknown: {what}", attr, severity=worst))
            else:
                verdicts.append(fail(f"{subject} admits {what} from {', '.join(offending)} "
                                     f"({_describe(worst)})", attr, severity=worst))
        elif reason is not None:
            admitted = (f"may admit the database port ({what})" if admits is None
                        else f"admits {what or 'the database port'}")
            verdicts.append(unknown(f"{subject} {admitted} from CIDRs that are unknown: {reason}", attr))
    if not verdicts:
        verdicts.append(passed(at=rule.cidr_blocks))
    return verdicts


def _describe(severity: str) -> str:
    return {
        "critical": "the whole internet",
        "high": "a public network",
        "medium": "a private network broader than allowed",
    }[severity]


def _target_group(resource, ctx):
    groups = ctx.referenced(resource.attr("security_group_id"), "aws_security_group")
    return groups[0] if groups else None


def check(resource, ctx):
    if resource.type == "aws_security_group":
        ports, reason, attached = _ports_of_interest(resource, ctx)
        for rule in resource.ingress:
            subject = f"an ingress rule of {resource.address}"
            if attached:
                subject += " (attached to " + ", ".join(d.address for d in attached) + ")"
            yield from _judge_rule(rule, ports, reason, ctx, subject, resource) or ()
        return
    if resource.type == "aws_security_group_rule":
        if resource.attr("type").known and resource.attr("type").value != "ingress":
            return
        rule = resource.rule()
    else:
        rule = resource.rule()
    group = _target_group(resource, ctx)
    if group is not None:
        ports, reason, attached = _ports_of_interest(group, ctx)
    else:
        ports, reason = {POSTGRES_PORT} | _all_database_ports(ctx, postgres_only=False), None
    subject = resource.address + (f" (a rule of {group.address})" if group is not None else "")
    yield from _judge_rule(rule, ports, reason, ctx, subject, group) or ()



def fix(resource, ctx, verdict):
    return NoFix("choose the CIDR ranges or security groups that must reach the database")


RULE = Rule(
    id="RDS006",
    name="security-group-scope",
    severity="high",
    summary="Security groups must not admit the PostgreSQL port from the internet, public or broad private ranges.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"),
    reads=DATABASE_TYPES,
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",),
    parameters=(Param(
        "private_cidr_min_prefix", 16,
        "the broadest private range admitted: a private CIDR with a shorter prefix is a finding",
        Annotated[int, Ge(0), Le(128)],
    ),),
    controls=("HIPAA 164.312(a)(1)", "HIPAA 164.312(e)(1)"),
    fix=fix,
)
