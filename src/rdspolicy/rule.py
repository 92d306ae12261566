"""What a rule is, for the built-in pack and for third-party packs alike.

A rule is a :class:`Rule`: identity (``id`` like ``RDS001``, a kebab-case ``name``),
a default ``severity``, documentation (a one-line ``summary``, the ``rationale``, a
``noncompliant`` and a ``compliant`` HCL example), the resource types it checks
(``resource_types``) and those it reads besides (``reads``), and ``check(resource, ctx)``, which yields :class:`Verdict` s.  A check never guesses: when
the verdict depends on a value that is not known before apply it yields ``unknown``
with the reason.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, Mapping

from .record import Record
from .written import InputVariable, Written, how_written

if TYPE_CHECKING:  # rules are listed (`rdspolicy rules`) without importing pydantic
    from .models import Attr, Location, Resource

Status = Literal["fail", "pass", "unknown"]
SEVERITIES = ("critical", "high", "medium", "low")
_ID = re.compile(r"^[A-Z][A-Z0-9]*[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Verdict:
    """One outcome of a check on one resource.  ``at`` is the argument (or location)
    the verdict is about; ``severity`` overrides the rule's default when a rule grades
    its findings (RDS006)."""

    status: Status
    message: str
    at: Attr | Location | None = None
    severity: str | None = None


def fail(message: str, at: Attr | Location | None = None, severity: str | None = None) -> Verdict:
    return Verdict("fail", message, at, severity)


def passed(message: str = "", at: Attr | Location | None = None) -> Verdict:
    return Verdict("pass", message, at)


def unknown(message: str, at: Attr | Location | None = None, severity: str | None = None) -> Verdict:
    return Verdict("unknown", message, at, severity)


class Context(Record):
    """What a check may look at besides the resource: the environment and the other
    resources of the same module in the same environment, the rule's parameters, and
    how arguments are written (:meth:`written`).

    Look-ups are indexed (built once per environment, on first use), so that a check
    that looks at other resources costs the same however many resources there are."""

    _fields = ("environment", "is_production", "resources", "params", "as_of",
               "_declared_in", "_by_address", "_by_type", "_by_name", "_memo", "_position")
    _repr_fields = _fields[:5]

    def __init__(self, environment: str, is_production: bool, resources: list[Resource], params: dict | None = None,
                 declared_in: Mapping[str, object] | None = None, as_of: str | None = None) -> None:
        self.environment = environment
        self.is_production = is_production
        self.resources = resources
        # the parameters of the rule being run (the rules stage sets them for each rule:
        # Rule.params, its defaults with the configured values)
        self.params = {} if params is None else params
        # the date checks judge "today" by (YYYY-MM-DD, ``check --as-of``); None: today
        self.as_of = as_of
        # resource address -> what the module instance it is declared in declares
        # (rdspolicy.evaluate.module.Declarations), or that and the module call that
        # made the instance (rdspolicy.evaluate.declarations.CallSite), for written(); absent for plans
        self._declared_in = {} if declared_in is None else declared_in
        self._by_address: dict[str, Resource] = {r.address: r for r in self.resources}
        self._by_type: dict[str, list[Resource]] = {}
        self._by_name: dict[str, list[Resource]] = {}
        self._memo: dict = {}
        self._position: dict[int, int] = {}
        for i, r in enumerate(self.resources):
            self._position[id(r)] = i
            self._by_type.setdefault(r.type, []).append(r)
            self._by_name.setdefault(f"{r.type}.{r.name}", []).append(r)

    def of_type(self, *types: str) -> list[Resource]:
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return self.in_order(r for t in types for r in self._by_type.get(t, ()))

    def in_order(self, resources: Iterable[Resource]) -> list[Resource]:
        """``resources`` once each, in configuration order."""
        unique = {id(r): r for r in resources}
        return sorted(unique.values(), key=lambda r: self._position.get(id(r), len(self._position)))

    def named(self, address: str) -> list[Resource]:
        """Every instance of ``aws_x.y`` (count and for_each give several)."""
        return self._by_name.get(address, [])

    def get(self, address: str) -> Resource | None:
        """A resource by address; ``aws_x.y`` also finds the only instance of a
        resource with count or for_each when there is exactly one."""
        found = self._by_address.get(address)
        if found is not None:
            return found
        matches = self._by_name.get(address, ())
        return matches[0] if len(matches) == 1 else None

    def referenced(self, attr: Attr, *types: str) -> list[Resource]:
        """The resources of ``types`` an argument's value comes from."""
        out = []
        for ref in sorted(attr.all_refs()):
            resource = self.get(ref)
            if resource is not None and (not types or resource.type in types):
                out.append(resource)
            elif resource is None:
                out.extend(r for r in self._by_name.get(ref, ()) if not types or r.type in types)
        return out

    def with_value(self, types: tuple[str, ...], argument: str, value) -> list[Resource]:
        """The resources of ``types`` whose ``argument`` is known and equal to ``value``
        (a hashable value), in configuration order."""
        key = ("with_value", types, argument)
        index = self._memo.get(key)
        if index is None:
            index = {}
            for r in self.of_type(*types):
                attr = r.attr(argument)
                if attr.known:
                    try:
                        index.setdefault(attr.value, []).append(r)
                    except TypeError:  # a list or map: never equal to a hashable value
                        pass
            self._memo[key] = index
        try:
            return index.get(value, [])
        except TypeError:
            return []

    def referring_to(self, types: tuple[str, ...], argument: str, address: str) -> list[Resource]:
        """The resources of ``types`` whose ``argument`` refers to ``address``
        (``aws_x.y`` or ``aws_x.y[0]``; ``aws_x.y`` also matches its instances), in
        configuration order."""
        key = ("referring_to", types, argument)
        index = self._memo.get(key)
        if index is None:
            index = {}
            for r in self.of_type(*types):
                for ref in {x for ref in r.attr(argument).all_refs() for x in (ref, ref.split("[")[0])}:
                    index.setdefault(ref, []).append(r)
            self._memo[key] = index
        return index.get(address, [])

    def memo(self, key, build: Callable[[], object]):
        """``build()`` once per environment: for a rule's own index or summary."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def written(self, resource: Resource, argument: str) -> Written | None:
        """How ``argument`` of ``resource`` is written, in the module instance the
        resource is declared in (the root module or a called one: its own locals and
        variable declarations).  ``literal`` when the value is known without any input
        variable (in a called module, also when the call gives the variable it comes from
        a literal); otherwise the variables it comes from (following locals), each with
        whether it has a default, is sensitive and is ephemeral.  None when the argument is not
        written in the resource block (absent, or set in a nested block), or the
        source is not at hand (a resource read from a plan without its .tf files)."""
        found = self._declared_in.get(resource.address)
        if found is None:
            return None
        decls, call = found if isinstance(found, tuple) else (found, None)
        return how_written(decls, resource, argument, call)


Check = Callable[["Resource", "Context"], Iterable[Verdict]]


# ---------------------------------------------------------------- fixes
# A rule that can repair what it finds sets ``Rule.fix``: ``fix(resource, ctx, verdict)``,
# called by ``rdspolicy fix`` for each failing verdict, per environment, returns a
# :class:`Fix` (what must change, in terms of the model), a :class:`NoFix` (why none can
# be made: a choice the tool cannot make) or None.  Where the change is written (the
# resource, a var-file, a variable's default, a module call) is not the rule's concern:
# rdspolicy.fix traces the value to its source in each environment and edits it there.


class Change:
    """One change a fix asks for (the subclasses below)."""

    __slots__ = ()


@dataclass(frozen=True)
class SetArgument(Change):
    """``argument`` of ``target`` (the failing resource when None; another resource
    model or a nested block model otherwise) must be ``value``.

    ``production_only``: the rule checks only production; when the value is written in
    the resource (literal or absent) of a module that has an environment variable, the
    edit is the environment condition (``var.environment == "production"``, or
    ``var.environment == "production" ? value : otherwise``) so that other environments
    keep what they have.  ``otherwise`` is the value other environments keep when the
    argument is absent (the provider's default; None: leave it unset there).

    ``at_least``: ``value`` is a minimum (a number): when several environments need
    different minimums at one source, the largest is written."""

    argument: str
    value: Any
    target: Any = None
    production_only: bool = False
    otherwise: Any = None
    at_least: bool = False


@dataclass(frozen=True)
class AddToList(Change):
    """``item`` must be in the list ``argument`` (created when absent)."""

    argument: str
    item: Any
    target: Any = None


@dataclass(frozen=True)
class RemoveFromList(Change):
    """``item`` must not be in the list ``argument``."""

    argument: str
    item: Any
    target: Any = None


@dataclass(frozen=True)
class SetParameter(Change):
    """The parameter ``name`` of the parameter group ``group`` (a resource model) must be
    ``value``: the ``parameter`` block is edited or added, or the entry of a
    ``parameters`` list given to a module."""

    group: Any
    name: str
    value: Any


@dataclass(frozen=True)
class MarkSensitive(Change):
    """The variable ``argument`` of ``target`` comes from must be declared
    ``sensitive = true``."""

    argument: str
    target: Any = None


@dataclass(frozen=True)
class ReplaceArgument(Change):
    """Remove ``remove`` (an argument) from ``target`` and set ``argument = value``
    instead (``password`` -> ``manage_master_user_password = true``)."""

    remove: str
    argument: str
    value: Any
    target: Any = None


@dataclass(frozen=True)
class Derived:
    """A value to write that is derived from another argument of the same block, as it
    is written: ``Derived("identifier", "-final")`` writes ``"pacs-${var.env}-final"``
    for ``identifier = "pacs-${var.env}"`` (a value for :class:`SetArgument`)."""

    argument: str
    suffix: str


@dataclass(frozen=True)
class Fix:
    """What a rule's fix changes: a short ``title`` (shown in the diff header and the
    summary), the changes, and ``unsafe``: why it may replace or restart the database
    or lose access ("" for a safe fix)."""

    title: str
    changes: tuple[Change, ...]
    unsafe: str = ""

    @property
    def safe(self) -> bool:
        return not self.unsafe


@dataclass(frozen=True)
class NoFix:
    """Why no automatic fix is made (say what the user must choose)."""

    reason: str


def set_argument(title: str, argument: str, value: Any, *, unsafe: str = "", **options: Any) -> Fix:
    """The common case: one argument of the failing resource set to ``value``."""
    return Fix(title, (SetArgument(argument, value, **options),), unsafe)



@dataclass(frozen=True)
class Param:
    """A value a rule reads from ``ctx.params[name]``, set in ``.rdspolicy.hcl`` inside the
    rule's block (``rule "RDS005" { backup_retention_minimum = {...} }``).  ``type`` is a
    type pydantic validates the configured value against (``int``, ``dict[str, int]``,
    an ``Annotated`` type with bounds); ``default`` is the value without configuration,
    written here only: ``ctx.params`` always holds every parameter of the rule.
    Parameters belong to their rule: two rules may each have one of the same name."""

    name: str
    default: Any
    description: str
    type: Any = None


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    summary: str
    rationale: str
    noncompliant: str
    compliant: str
    resource_types: tuple[str, ...]
    check: Check
    references: tuple[str, ...] = ()
    enabled: bool = True
    # the compliance controls the rule supports, e.g. "HIPAA 164.312(a)(2)(iv)",
    # "FSBP RDS.3", "CIS 2.3.1" (see the rule docs for the sources)
    controls: tuple[str, ...] = ()
    # the values the rule reads from ctx.params, with their defaults (configurable)
    parameters: tuple[Param, ...] = ()
    # the resource types the check looks at through ``ctx`` besides its own
    # ``resource_types`` (the security groups a database uses, the parameter groups it
    # names, the KMS key's aliases, a cluster's instances): every resource of these
    # types must be evaluated for the check to see what it would see in a full run
    reads: tuple[str, ...] = ()
    # how a failing verdict is repaired: fix(resource, ctx, verdict) returns a Fix, a
    # NoFix (why not) or None (see "fixes" above)
    fix: Callable[["Resource", Context, Verdict], Any] | None = None
    # set by configured() (the configuration makes the rules that run so: see
    # rdspolicy.config.Config.effective_rules): the configured parameter values, whether
    # ``severity`` is a configured one (it then replaces the severity a check grades a
    # verdict with), and the rule as its pack declares it
    configured_params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    severity_configured: bool = field(default=False, compare=False, repr=False)
    declared: Rule | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} must look like RDS001 (capitals then three digits)")
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be lowercase words joined by '-'")
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id} severity {self.severity!r} must be one of {SEVERITIES}")
        if not self.summary or "\n" in self.summary.strip():
            raise ValueError(f"rule {self.id} needs a one-line summary")
        if not self.noncompliant.strip() or not self.compliant.strip():
            raise ValueError(f"rule {self.id} needs a noncompliant and a compliant example")
        for name, types in (("resource_types", self.resource_types), ("reads", self.reads)):
            if isinstance(types, str) or not all(isinstance(t, str) and t for t in types):
                raise ValueError(f"rule {self.id} {name} must be a tuple of resource type names")

    @property
    def types_read(self) -> tuple[str, ...]:
        """Every resource type the rule reads: its own (``resource_types``) and those it
        looks at through ``ctx`` (``reads``), each once."""
        return tuple(dict.fromkeys(self.resource_types + tuple(self.reads)))

    @property
    def params(self) -> dict[str, Any]:
        """What the check reads from ``ctx.params``: every parameter's default, with the
        configured values."""
        out = {p.name: p.default for p in self.parameters}
        out.update(self.configured_params)
        return out

    @property
    def default_severity(self) -> str:
        """The severity the pack declares (``severity`` may be a configured one)."""
        return (self.declared or self).severity

    def configured(self, *, enabled: bool | None = None, severity: str | None = None,
                   params: Mapping[str, Any] | None = None) -> Rule:
        """This rule with configured values (None: unchanged; ``params`` by name, each a
        declared parameter): what the configuration gives every stage and reporter, and
        how a test runs a rule with other parameters."""
        names = {p.name for p in self.parameters}
        unknown_names = sorted(set(params or ()) - names)
        if unknown_names:
            raise ValueError(f"rule {self.id} has no parameter {', '.join(unknown_names)} "
                             f"(it takes: {', '.join(sorted(names)) or 'none'})")
        return dataclasses.replace(
            self,
            enabled=self.enabled if enabled is None else enabled,
            severity=self.severity if severity is None else severity,
            severity_configured=self.severity_configured or severity is not None,
            configured_params={**self.configured_params, **(params or {})},
            declared=self.declared or self,
        )

    def in_framework(self, framework: str) -> bool:
        """Whether one of the rule's controls belongs to ``framework`` (``hipaa``,
        ``fsbp``, ``cis``: the first word of a control, any case)."""
        return any(c.split(" ", 1)[0].lower() == framework.lower() for c in self.controls)

    def run(self, resource: Resource, ctx: Context) -> Iterator[Verdict]:
        yield from self.check(resource, ctx)
