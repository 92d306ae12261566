"""Knowledge about RDS and Aurora shared by the built-in rules: which instances are
replicas or restores, where they inherit from, engines and versions, and AWS's
defaults.  Each default is cited where it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


@dataclass
class Origin:
    """Where an instance's or cluster's storage settings come from."""

    kind: str  # "own", "replica", "snapshot", "point-in-time", "global-source"
    attr: Attr | None = None  # the argument naming the source
    source: Resource | None = None  # the source, when it is in the configuration
    outside: str = ""  # why the source cannot be judged, when it is not


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


def family_prefix(resource: Resource) -> str:
    engine = resource.attr("engine")
    if engine.known and engine.value == "aurora-postgresql":
        return "aurora-postgresql"
    if resource.type in ("aws_rds_global_cluster",):
        return "aurora-postgresql"
    return "postgres"


def is_primary_instance(instance: DbInstance) -> bool | None:
    """Not a read replica: True, False, or None when replicate_source_db may or may not be null."""
    state = instance.replicate_source_db.is_set
    if state is None:
        return None
    return not state
