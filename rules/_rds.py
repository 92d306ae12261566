"""Knowledge about RDS and Aurora shared by the built-in rules: which instances are
replicas or restores, where they inherit from, engines and versions, parameter groups,
the databases a security group is attached to or may serve, and AWS's defaults.  Each
default is cited where it is used."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdspolicy.record import Record
from rdspolicy.rule import unknown

if TYPE_CHECKING:  # annotations only: listing the rules does not import pydantic
    from rdspolicy.models import Attr, DbInstance, RdsCluster, RdsGlobalCluster, Resource
    from rdspolicy.rule import Context

POSTGRES_ENGINES = {
    "aws_db_instance": ("postgres",),
    "aws_rds_cluster": ("aurora-postgresql", "postgres"),  # postgres: Multi-AZ DB cluster
    "aws_rds_cluster_instance": ("aurora-postgresql", "postgres"),
    "aws_rds_global_cluster": ("aurora-postgresql",),
}


def truthy(attr: Attr) -> bool | None:
    """True/False for a known bool (or "true"/"false"), None when unknown; absent is False."""
    if attr.absent:
        return False
    if attr.unknown:
        return None
    value = attr.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


def number(attr: Attr) -> float | None:
    if not attr.known:
        return None
    value = attr.value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def unknown_reason(attr: Attr) -> str:
    return attr.reason or "its value is known only after apply"


# ---------------------------------------------------------------- inheritance


class Origin(Record):
    """Where an instance's or cluster's storage settings come from."""

    _fields = ("kind", "attr", "source", "outside")

    def __init__(self, kind: str, attr: Attr | None = None, source: Resource | None = None, outside: str = "") -> None:
        self.kind = kind  # "own", "replica", "snapshot", "point-in-time", "global-source"
        self.attr = attr  # the argument naming the source
        self.source = source  # the source, when it is in the configuration
        self.outside = outside  # why the source cannot be judged, when it is not


def _find_by_identifier(ctx: Context, types: tuple[str, ...], ident_field: str, attr: Attr) -> Resource | None:
    referenced = ctx.referenced(attr, *types)
    if referenced:
        return referenced[0]
    if attr.known and isinstance(attr.value, str):
        # the identifier itself, or an ARN ending in it (indexed: no scan per resource)
        found = ctx.with_value(types, ident_field, attr.value)
        if ":" in attr.value:
            parts = attr.value.split(":")
            found = found + [c for i in range(1, len(parts))
                             for c in ctx.with_value(types, ident_field, ":".join(parts[i:]))]
        found = ctx.in_order(found)
        return found[0] if found else None
    return None


def is_cross_region_replica(instance: DbInstance) -> bool | None:
    src = instance.replicate_source_db
    if not src.known:
        return None if src.unknown and not src.refs else False
    return isinstance(src.value, str) and src.value.startswith("arn:")


def instance_origin(instance: DbInstance, ctx: Context, cross_region_inherits: bool = False) -> Origin:
    """Same-region replicas, snapshot restores and point-in-time restores inherit
    storage encryption and key from their source (AWS RDS User Guide, "Working with
    read replicas" and "Restoring from a DB snapshot").  A cross-region replica chooses
    its own key, so it is "own" by default; its encryption status is still its
    source's (a replica is encrypted exactly when its source is; Terraform ignores
    ``storage_encrypted`` for cross-region replicas): pass ``cross_region_inherits``
    to treat it as a replica."""
    types = ("aws_db_instance",)
    src = instance.replicate_source_db
    if src.is_set is not False:
        if is_cross_region_replica(instance) and not cross_region_inherits:
            return Origin("own")  # a cross-region replica sets its own key
        source = _find_by_identifier(ctx, types, "identifier", src)
        if source is not None and source.address != instance.address:
            return Origin("replica", src, source)
        return Origin("replica", src, None, _outside("replicate_source_db", src))
    snap = instance.snapshot_identifier
    if snap.is_set is not False:
        return _snapshot_origin(instance, ctx, snap)
    pitr = instance.restore_to_point_in_time
    if pitr is not None:
        ref = pitr.attr("source_db_instance_identifier")
        if ref.is_set is False:
            for other in ("source_dbi_resource_id", "source_db_instance_automated_backups_arn"):
                if pitr.attr(other).is_set is not False:
                    ref = pitr.attr(other)
                    break
        source = _find_by_identifier(ctx, types, "identifier", ref) if ref.is_set is not False else None
        return Origin("point-in-time", ref, source,
                      "" if source else _outside(f"restore_to_point_in_time.{ref.name}", ref))
    return Origin("own")


def cluster_origin(cluster: RdsCluster, ctx: Context) -> Origin:
    snap = cluster.snapshot_identifier
    if snap.is_set is not False:
        return _snapshot_origin(cluster, ctx, snap)
    pitr = cluster.restore_to_point_in_time
    if pitr is not None:
        ref = pitr.attr("source_cluster_identifier")
        source = _find_by_identifier(ctx, ("aws_rds_cluster",), "cluster_identifier", ref)
        return Origin("point-in-time", ref, source,
                      "" if source else _outside("restore_to_point_in_time.source_cluster_identifier", ref))
    return Origin("own")


def global_origin(glob: RdsGlobalCluster, ctx: Context) -> Origin:
    src = glob.source_db_cluster_identifier
    if src.is_set is False:
        return Origin("own")
    source = _find_by_identifier(ctx, ("aws_rds_cluster",), "arn", src)
    if source is None:
        found = ctx.referenced(src, "aws_rds_cluster")
        source = found[0] if found else None
    return Origin("global-source", src, source, "" if source else _outside("source_db_cluster_identifier", src))


def _snapshot_origin(resource: Resource, ctx: Context, snap: Attr) -> Origin:
    snapshots = ctx.referenced(snap, "aws_db_snapshot", "aws_db_cluster_snapshot")
    if snapshots:
        snapshot = snapshots[0]
        if snapshot.type == "aws_db_snapshot":
            source_attr = snapshot.attr("db_instance_identifier")
            source = _find_by_identifier(ctx, ("aws_db_instance",), "identifier", source_attr)
        else:
            source_attr = snapshot.attr("db_cluster_identifier")
            source = _find_by_identifier(ctx, ("aws_rds_cluster",), "cluster_identifier", source_attr)
        if source is not None:
            return Origin("snapshot", snap, source)
    return Origin("snapshot", snap, None, _outside("snapshot_identifier", snap))


def _outside(argument: str, attr: Attr | None) -> str:
    if attr is None or attr.absent:
        return f"its source ({argument}) is not in this configuration"
    shown = attr.display() if attr.known else "a value known only after apply"
    return f"its source ({argument} = {shown}) is not in this configuration"


def describe_origin(origin: Origin) -> str:
    return {
        "replica": "a read replica",
        "snapshot": "restored from a snapshot",
        "point-in-time": "restored to a point in time",
        "global-source": "a global cluster created from an existing cluster",
    }.get(origin.kind, "")


# ---------------------------------------------------------------- storage encryption (RDS001, RDS002)


def encryption_verdict(resource, ctx, seen=()):
    """(status, message, attr) for one resource's storage encryption, following
    inheritance through replicas and restores."""
    if resource.address in seen:  # a replica of itself: nothing to judge
        return "unknown", "its replication source refers back to itself", resource.location
    seen = (*seen, resource.address)
    if resource.type == "aws_db_instance":
        origin = instance_origin(resource, ctx, cross_region_inherits=True)
    elif resource.type == "aws_rds_cluster":
        origin = cluster_origin(resource, ctx)
    else:
        origin = global_origin(resource, ctx)
    if origin.kind != "own":
        how = describe_origin(origin)
        key = resource.attr("kms_key_id")
        if _own_key_encrypts(resource, origin) and key.is_set:
            return "pass", "", key
        if origin.source is None:
            hint = ""
            if origin.kind == "replica" and is_cross_region_replica(resource):
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
        if mode.unknown and truthy(attr) is not True:
            return "unknown", f"engine_mode is unknown ({unknown_reason(mode)}), so whether storage_encrypted applies is too", mode
    value = truthy(attr)
    if value is True:
        return "pass", "", attr
    if value is None:
        return "unknown", f"storage_encrypted is unknown: {unknown_reason(attr)}", attr
    if resource.type == "aws_rds_cluster" and not is_multi_az_db_cluster(resource):
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


# ---------------------------------------------------------------- engines and versions

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?")


def engine_major(version: str) -> str | None:
    """``"16.1"`` -> ``"16"``; ``"9.6.20"`` -> ``"9.6"`` (before 10, the major was two numbers)."""
    match = _VERSION.match(version.strip())
    if not match:
        return None
    first = int(match.group(1))
    if first < 10 and match.group(2) is not None:
        return f"{first}.{match.group(2)}"
    return str(first)


def is_postgres(resource: Resource) -> bool | None:
    engine = resource.attr("engine")
    engines = POSTGRES_ENGINES.get(resource.type, ())
    if engine.known:
        return isinstance(engine.value, str) and engine.value in engines
    if engine.absent:
        # aws_rds_cluster defaults to "aurora-mysql" in old provider versions and must be
        # set in current ones; an instance without engine is a replica or restore.
        return False
    return None


def is_primary_instance(instance: DbInstance) -> bool | None:
    """Not a read replica: True, False, or None when replicate_source_db may or may not be null."""
    state = instance.replicate_source_db.is_set
    if state is None:
        return None
    return not state


# ---------------------------------------------------------------- databases (RDS008 onward)

# what the helpers below read through ctx, for the rules' ``reads`` declarations
# the source of a replica, a snapshot restore, a point-in-time restore or a global cluster
ORIGIN_READS = ("aws_db_instance", "aws_rds_cluster", "aws_db_snapshot", "aws_db_cluster_snapshot")
# the resource an engine and its version come from (engine_owner: cluster or replica source)
ENGINE_READS = ORIGIN_READS
# the parameter groups a database names, through its cluster for a cluster instance
PARAMETER_READS = ("aws_rds_cluster", "aws_db_parameter_group", "aws_rds_cluster_parameter_group")

DB_PARAMETER_GROUPS = ("aws_db_parameter_group",)
CLUSTER_PARAMETER_GROUPS = ("aws_rds_cluster_parameter_group",)


def cluster_of(instance: Resource, ctx: Context) -> Resource | None:
    """The ``aws_rds_cluster`` of an ``aws_rds_cluster_instance``, by reference or identifier."""
    link = instance.attr("cluster_identifier")
    return _find_by_identifier(ctx, ("aws_rds_cluster",), "cluster_identifier", link) if link.is_set else None


def replica_source(instance: Resource, ctx: Context) -> Resource | None:
    if instance.type != "aws_db_instance" or instance.attr("replicate_source_db").is_set is False:
        return None
    origin = instance_origin(instance, ctx)
    return origin.source if origin.kind == "replica" else None


def engine_owner(db: Resource, ctx: Context) -> Resource:
    """The resource whose ``engine`` and ``engine_version`` a database runs: its own, its
    cluster's (an Aurora instance without them) or its source's (a read replica)."""
    if db.type == "aws_rds_cluster_instance" and db.attr("engine_version").absent:
        cluster = cluster_of(db, ctx)
        if cluster is not None:
            return cluster
    source = replica_source(db, ctx)
    if source is not None and db.attr("engine").absent:
        return source
    return db


def postgres_engine(db: Resource, ctx: Context) -> bool | None:
    """Whether a database runs PostgreSQL (RDS or Aurora), following clusters and sources."""
    if db.attr("engine").absent:
        owner = engine_owner(db, ctx)
        if owner is not db:
            return is_postgres(owner)
        if db.type == "aws_db_instance" and db.attr("replicate_source_db").is_set is not False:
            return None  # a replica of a source outside the configuration
    return is_postgres(db)


def runs_postgres(db: Resource, ctx: Context) -> tuple[bool, tuple]:
    """(whether a database certainly runs PostgreSQL, the verdicts to give when it may:
    an unknown when its ``engine`` is written but known only after apply, e.g.
    ``data.aws_rds_engine_version.x.engine``).  A replica of a source outside the
    configuration, with no engine of its own, gives none."""
    postgres = postgres_engine(db, ctx)
    if postgres is True:
        return True, ()
    engine = engine_owner(db, ctx).attr("engine")
    if postgres is None and engine.unknown:
        return False, (unknown(f"whether it runs PostgreSQL is unknown: engine is unknown "
                               f"({unknown_reason(engine)})", engine),)
    return False, ()


def is_aurora(db: Resource, ctx: Context) -> bool | None:
    owner = engine_owner(db, ctx)
    engine = owner.attr("engine")
    if owner.type == "aws_rds_global_cluster":
        return True
    if engine.unknown:
        return None
    return engine.known and engine.value == "aurora-postgresql"


def major_version(db: Resource, ctx: Context) -> tuple[float | None, Attr]:
    """(the PostgreSQL major version as a number or None, the engine_version argument)."""
    attr = engine_owner(db, ctx).attr("engine_version")
    if attr.known and isinstance(attr.value, (str, int, float)) and not isinstance(attr.value, bool):
        major = engine_major(str(attr.value))
        return (float(major) if major is not None else None), attr
    return None, attr


def is_multi_az_db_cluster(cluster: Resource) -> bool:
    """A Multi-AZ DB cluster (RDS for PostgreSQL with two readable standbys), not Aurora."""
    return cluster.type == "aws_rds_cluster" and cluster.attr("db_cluster_instance_class").is_set is True


# ---------------------------------------------------------------- parameter groups


class ParameterSetting(Record):
    """A parameter's effective value for a database."""

    _fields = ("status", "value", "at", "where", "reason")

    def __init__(self, status: str, value: str | None = None, at: Attr | None = None, where: str = "",
                 reason: str = "") -> None:
        self.status = status  # "set", "default" (no group in the configuration sets it) or "unknown"
        self.value = value  # normalized: lowercase text, booleans as "1"/"0"
        self.at = at  # where it is set, or the group link that leaves it unset
        self.where = where  # the group's address
        self.reason = reason  # why it is unknown


def parameter_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().lower()


def is_on(text: str | None) -> bool | None:
    if text in ("1", "on", "true", "yes"):
        return True
    if text in ("0", "off", "false", "no"):
        return False
    return None


def find_parameter_group(link: Attr, types: tuple[str, ...], ctx: Context) -> tuple[Resource | None, str]:
    """(the group a ``*_parameter_group_name`` names, or None and why: "default" for
    AWS's default group, otherwise a reason to be unknown).  A link known only after
    apply (the id or name of a group with ``name_prefix``, read directly, through
    ``try()``, a conditional or a module's output) is followed to the group it comes
    from, as ``terraform plan`` shows it; an empty name is "not set" to the AWS provider
    (AWS's default group)."""
    groups = ctx.referenced(link, *types)
    if groups:
        return groups[0], ""
    if link.known and isinstance(link.value, str):
        if not link.value.strip():
            return None, "default"
        named = ctx.with_value(types, "name", link.value)
        if named:
            return named[0], ""
        if link.value.startswith("default."):
            return None, "default"
        return None, f"names a parameter group that is not in this configuration ({link.display()})"
    return None, f"is unknown ({unknown_reason(link)})"


def group_setting(group: Resource, name: str) -> ParameterSetting | None:
    """The group's value for parameter ``name``; None when the group does not set it;
    unknown when it may set it (a parameter whose name is unknown, a dynamic block
    whose repetition is unknown)."""
    maybe = None
    for block in group.blocks_of("parameter"):
        pname, value = block.attr("name"), block.attr("value")
        if pname.unknown or block.repetition_unknown:
            why = ("parameters from a dynamic block whose for_each is unknown" if block.repetition_unknown
                   else "a parameter whose name is unknown")
            maybe = maybe or ParameterSetting("unknown", at=pname, where=group.address,
                                              reason=f"{group.address} has {why}")
            continue
        if pname.known and str(pname.value).strip().lower() == name:
            if value.known:
                return ParameterSetting("set", parameter_text(value.value), value, group.address)
            return ParameterSetting("unknown", at=value, where=group.address,
                           reason=f"{name} in {group.address} is unknown: {unknown_reason(value)}")
    return maybe


def parameter_links(db: Resource, ctx: Context) -> list[tuple[Attr, tuple[str, ...]]]:
    """The parameter groups that configure a database, the one that wins first: an
    Aurora instance's own DB parameter group, then its cluster's cluster parameter
    group; a same-region read replica without a group of its own, its source's group
    ("If you don't specify a value for DBParameterGroupName, then Amazon RDS uses the
    DBParameterGroup of the source DB instance for a same Region read replica",
    CreateDBInstanceReadReplica, Amazon RDS API Reference)."""
    if db.type == "aws_db_instance":
        link = db.attr("parameter_group_name")
        if link.absent and is_cross_region_replica(db) is False:
            source = replica_source(db, ctx)
            if source is not None and source.address != db.address:
                return [(source.attr("parameter_group_name"), DB_PARAMETER_GROUPS)]
        return [(link, DB_PARAMETER_GROUPS)]
    if db.type == "aws_rds_cluster":
        return [(db.attr("db_cluster_parameter_group_name"), CLUSTER_PARAMETER_GROUPS)]
    if db.type == "aws_rds_cluster_instance":
        links = [(db.attr("db_parameter_group_name"), DB_PARAMETER_GROUPS)]
        cluster = cluster_of(db, ctx)
        if cluster is not None:
            links.append((cluster.attr("db_cluster_parameter_group_name"), CLUSTER_PARAMETER_GROUPS))
        return links
    return []


def effective_parameter(db: Resource, ctx: Context, name: str) -> ParameterSetting:
    """A parameter's value for a database, from the first parameter group that sets it;
    ``default`` when none in the configuration does (AWS's default groups set nothing
    the rules ask about).  A group that may not exist (its count is unknown) while the
    database does gives an unknown: the database then uses AWS's default group."""
    last_link = None
    for link, types in parameter_links(db, ctx):
        if link.absent:
            continue
        group, why = find_parameter_group(link, types, ctx)
        if group is None:
            if why == "default":
                last_link = last_link or link
                continue
            if link.unknown:
                return ParameterSetting("unknown", at=link, reason=f"{link.name} is unknown: {unknown_reason(link)}")
            return ParameterSetting("unknown", at=link, reason=f"{link.name} {why}")
        found = group_setting(group, name)
        if group.existence and group.existence != db.existence and (found is None or found.status == "set"):
            return ParameterSetting("unknown", at=link, where=group.address,
                                    reason=f"{link.name} refers to {group.address}, which sets {name} "
                                           f"{'to ' + repr(found.value) if found else 'to nothing'} if "
                                           f"{group.address} exists ({group.existence}); else AWS's default "
                                           "group applies")
        if found is not None:
            return found
        last_link = last_link or link
    return ParameterSetting("default", at=last_link)


def where(setting: ParameterSetting, db: Resource):
    """Where a finding about an effective parameter is located."""
    return setting.at if setting.at is not None else db.location


# ---------------------------------------------------------------- security groups

DATABASE_TYPES = ("aws_db_instance", "aws_rds_cluster")


def databases_attached(group: Resource, ctx: Context) -> list[Resource]:
    """The databases (instances and clusters) that list this security group in
    ``vpc_security_group_ids``, by reference or by a known id, in configuration order."""
    argument = "vpc_security_group_ids"
    out = ctx.referring_to(DATABASE_TYPES, argument, group.address) + ctx.referring_to(
        DATABASE_TYPES, argument, f"{group.type}.{group.name}")
    group_id = group.attr("id")
    if group_id.known:
        by_id = ctx.memo("databases-by-security-group-id", lambda: _databases_by_group_id(ctx))
        try:
            out += by_id.get(group_id.value, [])
        except TypeError:  # an id that is not text cannot be listed
            pass
    return ctx.in_order(out)


def _databases_by_group_id(ctx):
    index = {}
    for db in ctx.of_type(*DATABASE_TYPES):
        ids = db.attr("vpc_security_group_ids")
        if ids.known and isinstance(ids.value, (list, tuple)):
            for value in ids.value:
                if isinstance(value, str):
                    index.setdefault(value, []).append(db)
    return index


# resources whose reference to a security group is not an attachment: its rules, and
# other groups naming it as a source
_NOT_ATTACHMENTS = ("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                    "aws_vpc_security_group_egress_rule")


def serves_only_other_resources(group: Resource, ctx: Context) -> bool:
    """Whether every use of a security group that the configuration shows is a resource
    that is not a database (an EC2 instance, a load balancer, a Lambda function), and no
    database's groups are unknown.  A group attached to a database, used nowhere, or
    possibly attached to a database whose groups are known only after apply may serve
    a database: False."""
    if databases_attached(group, ctx):
        return False
    users = ctx.memo("security-group-users", lambda: _users_by_group(ctx))
    found = users.get(group.address, []) + users.get(f"{group.type}.{group.name}", [])
    if not found or any(r.type in DATABASE_TYPES or r.type == "aws_rds_cluster_instance" for r in found):
        return False
    return not ctx.memo("databases-with-unknown-security-groups", lambda: any(
        db.attr("vpc_security_group_ids").unknown and not db.attr("vpc_security_group_ids").refs
        for db in ctx.of_type(*DATABASE_TYPES)))


def _users_by_group(ctx) -> dict[str, list]:
    """Every resource that refers to a security group (``aws_x.y`` and ``aws_x.y[0]``)
    in any argument, its rules and other groups aside: where the group is used."""
    index: dict[str, list] = {}
    for resource in ctx.resources:
        if resource.type in _NOT_ATTACHMENTS:
            continue
        refs: set[str] = set()
        pending = [(resource.attrs, resource.blocks)]
        while pending:
            attrs, blocks = pending.pop()
            for attr in attrs.values():
                refs |= attr.all_refs()
            pending.extend((block.attrs, block.blocks) for block in blocks)
        for ref in refs:
            if ".aws_security_group." in f".{ref}":
                for key in {ref, ref.split("[")[0]}:
                    index.setdefault(key, []).append(resource)
    return index


def group_to_fix(db: Resource, ctx: Context, settings: str) -> tuple[Resource | None, str]:
    """(the parameter group in the configuration where a fix sets a parameter for ``db``:
    the first one linked, or None and what the user must do instead)."""
    for link, types in parameter_links(db, ctx):
        if link.absent:
            continue
        group, why = find_parameter_group(link, types, ctx)
        if group is not None:
            return group, ""
        if why != "default":
            return None, f"the parameter group {why}"
    kind = "aws_db_parameter_group" if db.type == "aws_db_instance" else "aws_rds_cluster_parameter_group"
    link = "parameter_group_name" if db.type == "aws_db_instance" else "db_cluster_parameter_group_name"
    return None, (f"{db.address} uses AWS's default parameter group: create an {kind} (choose its family) "
                  f"with {settings} and set {link}")
