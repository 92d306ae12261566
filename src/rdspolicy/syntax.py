"""The syntax tree of one Terraform file, as the parser hands it to the evaluator.

Small slotted classes rather than pydantic models: a monorepo has hundreds of thousands
of expression nodes and these are built once per file and pickled into the parse cache.
Every node carries its source range (``Pos``), 1-based lines and columns as editors and
Terraform count them.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Pos(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int

    def __reduce__(self):
        # unpickled by tuple.__new__ in C, not by the named tuple's __new__, a Python
        # function called for every node of every cached tree (a quarter of unpickling)
        return tuple.__new__, (Pos, tuple(self))


NOWHERE = Pos(0, 0, 0, 0)


class Node:
    __slots__ = ("pos",)

    def __init__(self, pos: Pos):
        self.pos = pos

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__name__}({fields})"

    @classmethod
    def _fields(cls) -> list[str]:
        return list(_slots_of(cls)[1:])

    # the parse cache pickles whole trees with pickle's own protocol for objects with
    # slots: unpickling sets them in C, without a Python call per node (2.2 times as
    # fast as a __setstate__ taking a tuple, for a third more bytes)


_SLOTS: dict[type, tuple[str, ...]] = {}


def _slots_of(cls: type) -> tuple[str, ...]:
    """``pos`` and then every other slot of ``cls``, base classes first."""
    names = _SLOTS.get(cls)
    if names is None:
        found: list[str] = []
        for klass in reversed(cls.__mro__):
            found.extend(n for n in getattr(klass, "__slots__", ()) if n != "pos")
        names = _SLOTS[cls] = ("pos", *found)
    return names


# ---------------------------------------------------------------- structure


class Attribute(Node):
    """``name = expr``; ``pos`` spans the whole attribute, ``name_pos`` the name."""

    __slots__ = ("name", "expr")

    def __init__(self, pos: Pos, name: str, expr: "Expr"):
        super().__init__(pos)
        self.name = name
        self.expr = expr


class Block(Node):
    """``type "label" ... { body }``."""

    __slots__ = ("type", "labels", "body")

    def __init__(self, pos: Pos, type: str, labels: list[str], body: "Body"):
        super().__init__(pos)
        self.type = type
        self.labels = labels
        self.body = body


class Body(Node):
    """Attributes (by name, in source order) and nested blocks (in source order)."""

    __slots__ = ("attributes", "blocks")

    def __init__(self, pos: Pos, attributes: dict[str, Attribute], blocks: list[Block]):
        super().__init__(pos)
        self.attributes = attributes
        self.blocks = blocks

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


class Comment(NamedTuple):
    line: int
    column: int
    text: str  # without the comment markers, stripped


class File(NamedTuple):
    """One parsed file: its path (as discovered), body and comments, and its ``var.NAME``
    references (:func:`var_references`) when the parse cache stored them with the tree
    (None: not collected, walk the body)."""

    path: str
    body: Body
    comments: list[Comment]
    var_refs: "list[GetAttr] | None" = None


# ---------------------------------------------------------------- expressions


class Expr(Node):
    __slots__ = ()


class Literal(Expr):
    """null, bool, number or a string without interpolations."""

    __slots__ = ("value",)

    def __init__(self, pos: Pos, value: Any):
        super().__init__(pos)
        self.value = value


class Template(Expr):
    """A string with interpolations/directives; ``parts`` are str or Expr or directives."""

    __slots__ = ("parts",)

    def __init__(self, pos: Pos, parts: list):
        super().__init__(pos)
        self.parts = parts


class TemplateIf(Expr):
    __slots__ = ("cond", "then", "else_")

    def __init__(self, pos: Pos, cond: Expr, then: list, else_: list):
        super().__init__(pos)
        self.cond = cond
        self.then = then
        self.else_ = else_


class TemplateFor(Expr):
    __slots__ = ("key_var", "value_var", "collection", "body")

    def __init__(self, pos: Pos, key_var: str | None, value_var: str, collection: Expr, body: list):
        super().__init__(pos)
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.body = body


class Name(Expr):
    """A bare identifier: ``var``, ``local``, ``aws_db_instance``, ``each``, a for variable."""

    __slots__ = ("name",)

    def __init__(self, pos: Pos, name: str):
        super().__init__(pos)
        self.name = name


class GetAttr(Expr):
    __slots__ = ("obj", "name")

    def __init__(self, pos: Pos, obj: Expr, name: str):
        super().__init__(pos)
        self.obj = obj
        self.name = name


class Index(Expr):
    __slots__ = ("obj", "key")

    def __init__(self, pos: Pos, obj: Expr, key: Expr):
        super().__init__(pos)
        self.obj = obj
        self.key = key


class Splat(Expr):
    """``obj[*].a.b`` (``full``) or the legacy ``obj.*.a``; ``each`` is applied per element,
    written as an expression over the placeholder ``SplatItem``."""

    __slots__ = ("obj", "each", "full")

    def __init__(self, pos: Pos, obj: Expr, each: Expr, full: bool):
        super().__init__(pos)
        self.obj = obj
        self.each = each
        self.full = full


class SplatItem(Expr):
    """The element a splat's trailing traversal applies to."""

    __slots__ = ()


class TupleExpr(Expr):
    __slots__ = ("items",)

    def __init__(self, pos: Pos, items: list[Expr]):
        super().__init__(pos)
        self.items = items


class ObjectExpr(Expr):
    """``{ k = v }``; a key written as a bare name is a ``Literal`` string."""

    __slots__ = ("items",)

    def __init__(self, pos: Pos, items: list[tuple[Expr, Expr]]):
        super().__init__(pos)
        self.items = items


class Call(Expr):
    __slots__ = ("name", "args", "expand_last")

    def __init__(self, pos: Pos, name: str, args: list[Expr], expand_last: bool):
        super().__init__(pos)
        self.name = name
        self.args = args
        self.expand_last = expand_last


class Conditional(Expr):
    __slots__ = ("cond", "then", "else_")

    def __init__(self, pos: Pos, cond: Expr, then: Expr, else_: Expr):
        super().__init__(pos)
        self.cond = cond
        self.then = then
        self.else_ = else_


class BinaryOp(Expr):
    __slots__ = ("op", "left", "right")

    def __init__(self, pos: Pos, op: str, left: Expr, right: Expr):
        super().__init__(pos)
        self.op = op
        self.left = left
        self.right = right


class UnaryOp(Expr):
    __slots__ = ("op", "operand")

    def __init__(self, pos: Pos, op: str, operand: Expr):
        super().__init__(pos)
        self.op = op
        self.operand = operand


class ForExpr(Expr):
    """``[for k, v in coll : val if cond]`` or ``{for k, v in coll : key => val... if cond}``."""

    __slots__ = ("key_var", "value_var", "collection", "key", "value", "cond", "group")

    def __init__(
        self,
        pos: Pos,
        key_var: str | None,
        value_var: str,
        collection: Expr,
        key: Expr | None,
        value: Expr,
        cond: Expr | None,
        group: bool,
    ):
        super().__init__(pos)
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.key = key
        self.value = value
        self.cond = cond
        self.group = group


class Paren(Expr):
    """``( expr )``: kept so that a parenthesised key in an object is an expression."""

    __slots__ = ("expr",)

    def __init__(self, pos: Pos, expr: Expr):
        super().__init__(pos)
        self.expr = expr


# ---------------------------------------------------------------- walks


def var_references(root: Node) -> list[GetAttr]:
    """Every ``var.NAME`` in the tree.  (Every node of every file is visited: this is
    written for speed, with each class's child slots looked up once.)  The parse cache
    stores the answer with each file's tree (``File.var_refs``)."""
    found = []
    stack: list = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    children = _CHILD_SLOTS
    while stack:
        node = pop()
        kind = type(node)
        if kind is list or kind is tuple:
            extend(node)
            continue
        names = children.get(kind)
        if names is None:
            if not isinstance(node, Node):
                if isinstance(node, (list, tuple)):
                    extend(node)
                continue
            names = children[kind] = () if issubclass(kind, Body) else tuple(_slots_of(kind)[1:])
        if kind is Body or names == () and isinstance(node, Body):
            extend(node.attributes.values())
            extend(node.blocks)
            continue
        if isinstance(node, GetAttr) and isinstance(node.obj, Name) and node.obj.name == "var":
            found.append(node)
        for name in names:
            push(getattr(node, name))
    return found


_CHILD_SLOTS: dict[type, tuple[str, ...]] = {}


def children(node: Node) -> list:
    """The values of a node's fields other than ``pos``, in order: nodes, lists of
    them, or plain values (a name, an operator)."""
    return [getattr(node, name) for name in _slots_of(type(node))[1:]]
