"""Model stage: evaluated resource instances become typed pydantic models.

Every argument a rule reads is an :class:`Attr`: *known* (with its value), *absent*
(not written, or ``null``: the provider's default applies, and the rule must know it),
or *unknown* (not knowable before apply, with the reason).  Each keeps its source
location: the argument's own when it is written, the block's first line when absent.
"""


import copy
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from .evaluate.instances import EvalBlock, ResourceInstance
from .evaluate.values import Unknown, all_refs, to_display
from .redact import REDACTED, is_sensitive_name
from .syntax import Pos

State = Literal["known", "absent", "unknown"]

# The models are the typed interface rules read.  rdspolicy builds them from values it
# has already evaluated, with :func:`construct` (no validation: the builders below give
# each field its declared type), and pydantic builds a model's validator and serializer
# only when something first validates or dumps one (``defer_build``): creating the
# classes' schemas cost about 0.1 s of every run's start-up, and validating every
# argument about a quarter of a warm run.

_object_setattr = object.__setattr__
_new_object = object.__new__  # what BaseModel.__new__ is
# BaseModel's own slots, set through their descriptors (cheaper than object.__setattr__)
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_TEMPLATES: dict[type, tuple[dict[str, Any], tuple[tuple[str, Any], ...]]] = {}


def construct(cls: type[BaseModel], /, **values: Any) -> Any:
    """An instance of ``cls`` with ``values`` (every required field given, each of its
    declared type), the others their defaults: the same object as
    ``cls.model_construct(**values)`` (tests/test_models.py compares them with validated
    instances) at a fraction of its cost, which resolves every default of every field
    on every call."""
    return _construct(cls, values)


def _construct(cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """:func:`construct` of the field values in a dict of the caller's (not kept)."""
    spec = _TEMPLATES.get(cls)
    if spec is None:
        spec = _TEMPLATES[cls] = _template(cls)
    template, mutable = spec
    data = {**template, **values}  # the fields in declaration order, as pydantic keeps them
    if mutable:
        for name, default in mutable:
            if name not in values:
                data[name] = copy.deepcopy(default)
    obj = _new_object(cls)
    _object_setattr(obj, "__dict__", data)
    _set_fields_set(obj, set(values))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def _template(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    if cls.__pydantic_post_init__ or cls.__private_attributes__ or cls.model_config.get("extra") == "allow":
        raise TypeError(f"{cls.__name__} needs model_construct")  # pragma: no cover - none of ours
    template: dict[str, Any] = {}
    mutable = []
    for name, field in cls.model_fields.items():
        if field.default_factory is not None:  # pragma: no cover - none of ours
            raise TypeError(f"{cls.__name__}.{name} needs model_construct")
        template[name] = None if field.is_required() else field.default
        if isinstance(field.default, (dict, list, set)):
            mutable.append((name, field.default))
    return template, tuple(mutable)


class Location(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, file: str, pos: Pos) -> "Location":
        """The location of ``pos`` in ``file``; one (frozen) instance for each place, shared
        by the models of every environment that evaluates it.  A position that names its
        own file (an argument merged in from an override file) is in that file."""
        if pos.__class__ is not Pos:
            file = getattr(pos, "file", file)
        key = (file, pos)
        found = _LOCATIONS.get(key)
        if found is None or type(found) is not cls:
            found = _keep(_LOCATIONS, key, cls, {"file": file, "line": pos.line, "column": pos.column,
                                                 "end_line": pos.end_line, "end_column": pos.end_column})
        return found


# Frozen instances shared by the models of every environment that evaluates the same
# place to the same thing.  A key holding ``id(location)`` is safe: the instance kept
# under it holds that location, so no other object can have its id meanwhile.
_LOCATIONS: dict[tuple[str, Pos], Location] = {}
# each table starts again past this size (a module's environments are evaluated one
# after another, so what they share is found again soon after)
_MAX_SHARED = 1 << 12


def _keep(table: dict, key: Any, cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """A new instance of ``cls`` with ``values``, kept in ``table`` under ``key``."""
    if len(table) >= _MAX_SHARED:
        table.clear()
    found = table[key] = _construct(cls, values)
    return found


class Attr(BaseModel):
    """One argument of a resource or nested block, evaluated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    name: str
    state: State
    value: Any = None  # the known value (may contain Unknown elements inside collections)
    reason: str = ""  # why it is unknown
    refs: frozenset[str] = frozenset()  # resources an unknown value comes from
    nonnull: bool = False  # unknown, but certainly not null
    # unknown text written as a template: its known parts, None for each unknown part
    text: tuple | None = None
    location: Location

    @property
    def known(self) -> bool:
        return self.state == "known"

    @property
    def absent(self) -> bool:
        return self.state == "absent"

    @property
    def unknown(self) -> bool:
        return self.state == "unknown"

    @property
    def is_set(self) -> bool | None:
        """True when the argument certainly has a non-null value, False when it is
        absent, None when unknown whether it is null."""
        if self.known:
            return True
        if self.absent:
            return False
        return True if self.nonnull else None

    def all_refs(self) -> frozenset[str]:
        """Resources this argument refers to, at any depth."""
        return self.refs | all_refs(self.value)

    def display(self) -> str:
        if self.absent:
            return "not set"
        if self.unknown:
            return "unknown"
        if isinstance(self.value, (str, list, dict)) and is_sensitive_name(self.name):
            return REDACTED  # a password is never shown
        return to_display(self.value)

    @classmethod
    def build(cls, name: str, value: Any, location: Location) -> "Attr":
        if value is None:
            return cls.missing(name, location)
        kind = type(value)
        if kind is str or kind is int or kind is bool or kind is float:
            # a scalar (immutable): one (frozen) instance for each name, value and location,
            # shared by the environments that evaluate the argument to the same value
            key = (name, kind, value, id(location))
            found = _SCALARS.get(key)
            if found is None or type(found) is not cls:
                found = _keep(_SCALARS, key, cls, {"name": name, "state": "known", "value": value,
                                                   "location": location})
            return found
        if isinstance(value, Unknown):
            return _construct(cls, {"name": name, "state": "unknown", "reason": value.reason, "refs": value.refs,
                                    "nonnull": value.nonnull, "text": value.text, "location": location})
        return _construct(cls, {"name": name, "state": "known", "value": value, "location": location})

    @classmethod
    def missing(cls, name: str, location: Location) -> "Attr":
        """The absent argument ``name``; one (frozen) instance for each name and location
        (asked for again by every environment, and by rules reading what is not set)."""
        key = (name, id(location))
        found = _ABSENT.get(key)
        if found is None or type(found) is not cls:
            found = _keep(_ABSENT, key, cls, {"name": name, "state": "absent", "location": location})
        return found


_ABSENT: dict[tuple[str, int], Attr] = {}
_SCALARS: dict[tuple[str, type, Any, int], Attr] = {}


class Block(BaseModel):
    """A nested block (``ingress``, ``parameter``, ``restore_to_point_in_time`` ...)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    type: str
    location: Location
    attrs: dict[str, Attr] = {}
    blocks: list["Block"] = []
    repetition_unknown: str | None = None  # from a dynamic block whose for_each is unknown

    def attr(self, name: str) -> Attr:
        return self.attrs.get(name) or Attr.missing(name, self.location)

    def blocks_of(self, type_: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == type_]


def _block_model(file: str, block: EvalBlock) -> Block:
    location = Location.of(file, block.pos)
    attrs = {}
    repetition = None
    for name, val in block.attrs.items():
        if name == "__unknown_repetition__":
            repetition = val.value.reason if isinstance(val.value, Unknown) else "unknown"
            continue
        attrs[name] = Attr.build(name, val.value, Location.of(file, val.pos))
    return construct(Block, type=block.type, location=location, attrs=attrs,
                     blocks=[_block_model(file, b) for b in block.blocks], repetition_unknown=repetition)


class Resource(BaseModel):
    """A managed resource instance in one environment.  Subclasses name the arguments
    the rules read as typed fields; every argument is also in ``attrs``."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    resource_type: ClassVar[str] = ""
    attr_fields: ClassVar[tuple[str, ...]] = ()

    type: str
    name: str
    address: str
    environment: str
    location: Location  # the block's first line
    existence: str | None = None  # None: certainly exists; else why it may not
    attrs: dict[str, Attr] = {}
    blocks: list[Block] = []

    def attr(self, name: str) -> Attr:
        return self.attrs.get(name) or Attr.missing(name, self.location)

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]

    @property
    def file(self) -> str:
        return self.location.file


def _attr_field_names(cls) -> tuple[str, ...]:
    return tuple(n for n, f in cls.model_fields.items() if f.annotation is Attr)


# ---------------------------------------------------------------- RDS for PostgreSQL


class DbInstance(Resource):
    resource_type: ClassVar[str] = "aws_db_instance"

    engine: Attr
    engine_version: Attr
    storage_encrypted: Attr
    kms_key_id: Attr
    multi_az: Attr
    deletion_protection: Attr
    backup_retention_period: Attr
    replicate_source_db: Attr
    snapshot_identifier: Attr
    vpc_security_group_ids: Attr
    parameter_group_name: Attr
    port: Attr
    publicly_accessible: Attr
    identifier: Attr
    # RDS008..RDS021
    iam_database_authentication_enabled: Attr
    enabled_cloudwatch_logs_exports: Attr
    performance_insights_enabled: Attr
    performance_insights_kms_key_id: Attr
    monitoring_interval: Attr
    monitoring_role_arn: Attr
    skip_final_snapshot: Attr
    final_snapshot_identifier: Attr
    copy_tags_to_snapshot: Attr
    delete_automated_backups: Attr
    password: Attr
    manage_master_user_password: Attr
    auto_minor_version_upgrade: Attr
    ca_cert_identifier: Attr

    @property
    def restore_to_point_in_time(self) -> Block | None:
        found = self.blocks_of("restore_to_point_in_time")
        return found[0] if found else None


class RdsCluster(Resource):
    resource_type: ClassVar[str] = "aws_rds_cluster"

    engine: Attr
    engine_version: Attr
    engine_mode: Attr
    storage_encrypted: Attr
    kms_key_id: Attr
    deletion_protection: Attr
    backup_retention_period: Attr
    replication_source_identifier: Attr
    snapshot_identifier: Attr
    global_cluster_identifier: Attr
    source_region: Attr
    vpc_security_group_ids: Attr
    db_cluster_parameter_group_name: Attr
    db_instance_parameter_group_name: Attr
    db_cluster_instance_class: Attr
    port: Attr
    cluster_identifier: Attr
    # RDS008..RDS021 (Multi-AZ DB clusters also set the instance-like arguments)
    publicly_accessible: Attr
    iam_database_authentication_enabled: Attr
    enabled_cloudwatch_logs_exports: Attr
    performance_insights_enabled: Attr
    performance_insights_kms_key_id: Attr
    monitoring_interval: Attr
    monitoring_role_arn: Attr
    skip_final_snapshot: Attr
    final_snapshot_identifier: Attr
    copy_tags_to_snapshot: Attr
    delete_automated_backups: Attr
    master_password: Attr
    manage_master_user_password: Attr
    auto_minor_version_upgrade: Attr
    ca_certificate_identifier: Attr

    @property
    def restore_to_point_in_time(self) -> Block | None:
        found = self.blocks_of("restore_to_point_in_time")
        return found[0] if found else None


class RdsClusterInstance(Resource):
    resource_type: ClassVar[str] = "aws_rds_cluster_instance"

    cluster_identifier: Attr
    engine: Attr
    engine_version: Attr
    db_parameter_group_name: Attr
    publicly_accessible: Attr
    identifier: Attr
    performance_insights_enabled: Attr
    performance_insights_kms_key_id: Attr
    monitoring_interval: Attr
    monitoring_role_arn: Attr
    auto_minor_version_upgrade: Attr
    ca_cert_identifier: Attr


class RdsGlobalCluster(Resource):
    resource_type: ClassVar[str] = "aws_rds_global_cluster"

    engine: Attr
    engine_version: Attr
    storage_encrypted: Attr
    deletion_protection: Attr
    source_db_cluster_identifier: Attr
    global_cluster_identifier: Attr


class Parameter(BaseModel):
    model_config = ConfigDict(defer_build=True)

    name: Attr
    value: Attr
    apply_method: Attr
    location: Location


class DbParameterGroup(Resource):
    resource_type: ClassVar[str] = "aws_db_parameter_group"

    family: Attr
    group_name: Attr  # the "name" argument
    name_prefix: Attr

    @property
    def parameters(self) -> list[Parameter]:
        return [
            construct(
                Parameter, name=b.attr("name"), value=b.attr("value"), apply_method=b.attr("apply_method"),
                location=b.location
            )
            for b in self.blocks_of("parameter")
        ]


class RdsClusterParameterGroup(DbParameterGroup):
    resource_type: ClassVar[str] = "aws_rds_cluster_parameter_group"


class SgRule(BaseModel):
    """One ingress or egress rule, from an inline block or a rule resource."""

    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)

    direction: Literal["ingress", "egress"]
    from_port: Attr
    to_port: Attr
    protocol: Attr
    cidr_blocks: Attr  # IPv4 CIDRs, a list
    ipv6_cidr_blocks: Attr  # IPv6 CIDRs, a list
    location: Location
    repetition_unknown: str | None = None


class SecurityGroup(Resource):
    resource_type: ClassVar[str] = "aws_security_group"

    vpc_id: Attr
    group_name: Attr  # the "name" argument

    @property
    def ingress(self) -> list[SgRule]:
        return self._rules("ingress")

    @property
    def egress(self) -> list[SgRule]:
        return self._rules("egress")

    def _rules(self, direction: str) -> list[SgRule]:
        rules = [self._rule(b, direction) for b in self.blocks_of(direction)]
        # ingress = [{ ... }]: the attributes-as-blocks form
        attr = self.attrs.get(direction)
        if attr is not None and attr.known and isinstance(attr.value, list):
            for item in attr.value:
                if isinstance(item, dict):
                    rules.append(self._rule_from_object(item, direction, attr.location))
        elif attr is not None and attr.unknown:
            unknown_attr = Attr.build("cidr_blocks", Unknown(attr.reason, attr.refs), attr.location)
            rules.append(construct(
                SgRule, direction=direction, from_port=unknown_attr, to_port=unknown_attr, protocol=unknown_attr,
                cidr_blocks=unknown_attr, ipv6_cidr_blocks=unknown_attr, location=attr.location,
                repetition_unknown=attr.reason,
            ))
        return rules

    @staticmethod
    def _rule_from_object(item: dict, direction: str, location: Location) -> SgRule:
        def field(name: str) -> Attr:
            return Attr.build(name, item.get(name), location)

        return construct(
            SgRule, direction=direction, from_port=field("from_port"), to_port=field("to_port"),
            protocol=field("protocol"), cidr_blocks=field("cidr_blocks"),
            ipv6_cidr_blocks=field("ipv6_cidr_blocks"), location=location
        )

    @staticmethod
    def _rule(block: Block, direction: str) -> SgRule:
        return construct(
            SgRule, direction=direction, from_port=block.attr("from_port"), to_port=block.attr("to_port"),
            protocol=block.attr("protocol"), cidr_blocks=block.attr("cidr_blocks"),
            ipv6_cidr_blocks=block.attr("ipv6_cidr_blocks"), location=block.location,
            repetition_unknown=block.repetition_unknown
        )


class SecurityGroupRule(Resource):
    resource_type: ClassVar[str] = "aws_security_group_rule"

    type_: Attr  # the "type" argument: ingress or egress
    security_group_id: Attr
    from_port: Attr
    to_port: Attr
    protocol: Attr
    cidr_blocks: Attr
    ipv6_cidr_blocks: Attr

    def rule(self) -> SgRule:
        direction = self.type_.value if self.type_.known and self.type_.value in ("ingress", "egress") else "ingress"
        return construct(
            SgRule, direction=direction, from_port=self.from_port, to_port=self.to_port, protocol=self.protocol,
            cidr_blocks=self.cidr_blocks, ipv6_cidr_blocks=self.ipv6_cidr_blocks, location=self.location
        )


class VpcSecurityGroupIngressRule(Resource):
    """``aws_vpc_security_group_ingress_rule``: one CIDR per rule, ``ip_protocol``."""

    resource_type: ClassVar[str] = "aws_vpc_security_group_ingress_rule"

    security_group_id: Attr
    from_port: Attr
    to_port: Attr
    ip_protocol: Attr
    cidr_ipv4: Attr
    cidr_ipv6: Attr

    def rule(self) -> SgRule:
        def as_list(attr: Attr) -> Attr:
            if attr.known:
                return attr.model_copy(update={"value": [attr.value]})
            return attr

        return construct(
            SgRule, direction="ingress", from_port=self.from_port, to_port=self.to_port, protocol=self.ip_protocol,
            cidr_blocks=as_list(self.cidr_ipv4), ipv6_cidr_blocks=as_list(self.cidr_ipv6), location=self.location
        )


class KmsKey(Resource):
    resource_type: ClassVar[str] = "aws_kms_key"

    enable_key_rotation: Attr
    customer_master_key_spec: Attr
    key_usage: Attr
    deletion_window_in_days: Attr


class CloudWatchLogGroup(Resource):
    resource_type: ClassVar[str] = "aws_cloudwatch_log_group"

    group_name: Attr  # the "name" argument
    name_prefix: Attr
    retention_in_days: Attr
    kms_key_id: Attr


class DbSnapshot(Resource):
    resource_type: ClassVar[str] = "aws_db_snapshot"

    db_instance_identifier: Attr
    db_snapshot_identifier: Attr
    shared_accounts: Attr


class DbClusterSnapshot(Resource):
    resource_type: ClassVar[str] = "aws_db_cluster_snapshot"

    db_cluster_identifier: Attr
    db_cluster_snapshot_identifier: Attr
    shared_accounts: Attr


RESOURCE_MODELS: dict[str, type[Resource]] = {
    cls.resource_type: cls
    for cls in (DbInstance, RdsCluster, RdsClusterInstance, RdsGlobalCluster, DbParameterGroup,
                RdsClusterParameterGroup, SecurityGroup, SecurityGroupRule, VpcSecurityGroupIngressRule, KmsKey,
                CloudWatchLogGroup, DbSnapshot, DbClusterSnapshot)
}

# argument names that clash with pydantic or python names
_FIELD_TO_ARG = {"type_": "type", "group_name": "name"}


# The AWS provider's RDS resources (SDKv2) read an empty string as "not set", as if the
# argument were absent: kms_key_id = "" encrypts with aws/rds, engine_version = "" takes
# AWS's default version, parameter_group_name = "" AWS's default group.
EMPTY_IS_UNSET = frozenset(("aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance",
                            "aws_rds_global_cluster"))


def build_model(instance: ResourceInstance, environment: str) -> Resource:
    """The typed model of one evaluated instance (a plain :class:`Resource` for types
    no rule models).  An argument the provider reads as not set (``""`` on an RDS
    resource, see :data:`EMPTY_IS_UNSET`) is absent, located where it is written."""
    cls = RESOURCE_MODELS.get(instance.type, Resource)
    file = instance.file
    location = Location.of(file, instance.body.pos)
    attrs: dict[str, Attr] = {}
    empty_is_unset = instance.type in EMPTY_IS_UNSET
    for name, val in instance.body.attrs.items():
        if empty_is_unset and val.value == "":
            attrs[name] = Attr.missing(name, Location.of(file, val.pos))
            continue
        attrs[name] = Attr.build(name, val.value, Location.of(file, val.pos))
    values: dict[str, Any] = {
        "type": instance.type, "name": instance.name, "address": instance.address, "environment": environment,
        "location": location, "existence": instance.existence, "attrs": attrs,
        "blocks": [_block_model(file, b) for b in instance.body.blocks],
    }
    for field, arg in _attr_fields(cls):
        values[field] = attrs.get(arg) or Attr.missing(arg, location)
    return _construct(cls, values)


_FIELDS_CACHE: dict[type, tuple[tuple[str, str], ...]] = {}


def _attr_fields(cls: type[Resource]) -> tuple[tuple[str, str], ...]:
    """``(field, argument)`` for each Attr field of ``cls``."""
    found = _FIELDS_CACHE.get(cls)
    if found is None:
        found = _FIELDS_CACHE[cls] = tuple((f, _FIELD_TO_ARG.get(f, f)) for f in _attr_field_names(cls))
    return found
