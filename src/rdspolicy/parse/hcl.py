"""The HCL tree builder: python-hcl2's raw Lark parse tree -> :mod:`rdspolicy.syntax`
trees with positions and comments.

Skipping python-hcl2's own typed tree saves about 40% of the parse time, and our tree
is small and picklable for the parse cache.  :func:`parse_hcl` parses a file,
:func:`parse_expression` a standalone expression, :func:`parse_template` and
:func:`parse_template_text` a template written as raw text.
"""

from __future__ import annotations

import re

from .. import syntax as S
from ..errors import SourceError
from ..numbers import normalize_number
from .grammar import OPERATOR_TYPES, TooDeep, get_parser
from .messages import nested_too_deeply, syntax_error
from .templates import heredoc_body, template_sequence_end


def parse_hcl(path: str, text: str) -> S.File:
    """Parse the HCL ``text`` of the file ``path``; a :class:`SourceError` says where and
    what is wrong."""
    parser = get_parser()
    from lark.exceptions import UnexpectedInput

    try:
        tree = parser.parse(text + "\n")
    except (UnexpectedInput, TooDeep, RecursionError) as exc:
        raise syntax_error(path, text, exc) from None
    builder = TreeBuilder(path)
    try:
        body = builder.body(tree.children[0])
    except RecursionError:
        raise nested_too_deeply(path) from None
    return S.File(path, body, builder.comments)


def parse_expression(text: str, path: str = "<command line>") -> S.Expr:
    """Parse a standalone expression (``--var`` values)."""
    file = parse_hcl(path, f"x = {text}")
    attr = file.body.attributes.get("x")
    if attr is None or len(file.body.attributes) != 1 or file.body.blocks:
        raise SourceError(path, 1, 1, "not a single expression")
    return attr.expr


def parse_template(text: str, path: str) -> S.Expr:
    """Parse a template given as raw text (a ``templatefile`` file, a ``templatestring``
    value): literal text with ``${...}`` and ``%{...}`` sequences, as in a heredoc."""
    try:
        return parse_template_text(text, path, S.Pos(1, 1, 1, 1))
    except RecursionError:
        raise SourceError(path, 1, 1, "the template is nested too deeply to evaluate") from None


def parse_template_text(text: str, path: str, pos: S.Pos) -> S.Expr:
    """A template written as raw text at ``pos`` of the file ``path`` (a heredoc body,
    a string of a ``.tf.json`` file); every node of it is placed at ``pos``."""
    return TreeBuilder(path).template_from_text(text, pos)


def reposition(node, pos: S.Pos) -> None:
    """Give every node of a synthetic sub-tree the position ``pos``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, S.Node):
            object.__setattr__(item, "pos", pos)
            for name in item._fields():
                stack.append(getattr(item, name))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


# ---------------------------------------------------------------- Lark tree -> syntax tree


def _pos(meta_or_token) -> S.Pos:
    m = meta_or_token
    line = getattr(m, "line", None)
    if line is None:  # empty meta
        return S.NOWHERE
    return S.Pos(line, m.column, m.end_line, m.end_column)


def _tree_pos(tree) -> S.Pos:
    """A tree's range, ending at its last significant token: a trailing new line that
    the grammar folds into an expression is not part of it."""
    from lark import Token

    start = _pos(tree.meta)
    node = tree
    while True:
        children = node.children if not isinstance(node, Token) else []
        last = None
        for child in reversed(children):
            if isinstance(child, Token):
                if child.type == "NL_OR_COMMENT":
                    continue
            elif child.data == "new_line_or_comment":
                continue
            last = child
            break
        if last is None:
            return start
        if isinstance(last, Token):
            text = str(last)
            if text.endswith("\n") and last.end_line > last.line:  # a heredoc ends with its new line
                closing = text.rstrip("\n").rsplit("\n", 1)[-1]
                return S.Pos(start.line, start.column, last.end_line - 1, len(closing) + 1)
            return S.Pos(start.line, start.column, last.end_line, last.end_column)
        node = last


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


def _unescape(text: str) -> str:
    def repl(match: re.Match) -> str:
        seq = match.group(1)
        if seq[0] in "uU" and len(seq) > 1:
            return chr(int(seq[1:], 16))
        return _ESCAPES.get(seq, "\\" + seq)

    return _ESCAPE_RE.sub(repl, text) if "\\" in text else text


class TreeBuilder:
    """Turns python-hcl2's raw Lark tree of one file into :mod:`rdspolicy.syntax` nodes,
    collecting the file's comments on the way."""

    def __init__(self, path: str):
        self.path = path
        self.comments: list[S.Comment] = []

    # -- helpers
    def _error(self, pos: S.Pos, message: str):
        raise SourceError(self.path, pos.line, pos.column, message)

    def _collect_comments(self, token) -> None:
        text = str(token)
        if "#" not in text and "//" not in text and "/*" not in text:
            return
        line, column = token.line, token.column
        for offset, raw in enumerate(text.split("\n")):
            stripped = raw.strip()
            for marker in ("#", "//", "/*"):
                if stripped.startswith(marker):
                    body = stripped[len(marker):]
                    if marker == "/*":
                        body = body.rsplit("*/", 1)[0]
                    col = column if offset == 0 else raw.index(marker) + 1
                    self.comments.append(S.Comment(line + offset, col, body.strip()))
                    break
            if marker == "/*" and stripped.startswith("/*"):
                break

    def _collect_nl(self, tree) -> None:
        """Record the comments of a new_line_or_comment node."""
        for token in tree.children:
            self._collect_comments(token)

    def _significant(self, children) -> list:
        """Children without tokens and new-line/comment nodes (comments are recorded)."""
        from lark import Token

        out = []
        for child in children:
            if isinstance(child, Token):
                if child.type == "NL_OR_COMMENT" or child.type in OPERATOR_TYPES:
                    self._collect_comments(child)
                continue
            if child.data == "new_line_or_comment":
                self._collect_nl(child)
                continue
            out.append(child)
        return out

    # -- structure
    def body(self, tree) -> S.Body:
        from lark import Token

        attributes: dict[str, S.Attribute] = {}
        blocks: list[S.Block] = []
        last_end = 0
        for child in tree.children:
            if isinstance(child, Token):
                continue
            kind = child.data
            if kind in ("attribute", "block"):
                start = child.meta.line
                if start == last_end:
                    self._error(_pos(child.meta), "each attribute or block must start on a new line")
                last_end = _tree_pos(child).end_line
            if kind == "new_line_or_comment":
                self._collect_nl(child)
            elif kind == "attribute":
                attr = self.attribute(child)
                if attr.name in attributes:
                    first = attributes[attr.name].pos.line
                    self._error(attr.pos, f'attribute "{attr.name}" is defined twice (first on line {first})')
                attributes[attr.name] = attr
            elif kind == "block":
                blocks.append(self.block(child))
        for block in blocks:
            if block.type in attributes and not block.labels:
                self._error(
                    block.pos,
                    f'"{block.type}" is used both as an attribute (line '
                    f"{attributes[block.type].pos.line}) and as a block",
                )
        return S.Body(_pos(tree.meta), attributes, blocks)

    def _name(self, tree) -> str:
        from lark import Token

        token = tree.children[0]
        return str(token) if isinstance(token, Token) else str(token.children[0])

    def attribute(self, tree) -> S.Attribute:
        name_tree, _eq, expr_tree = tree.children
        name = self._name(name_tree)
        return S.Attribute(_tree_pos(tree), name, self.expr(expr_tree))

    def block(self, tree) -> S.Block:
        from lark import Token

        parts = []
        body = None
        for child in tree.children:
            if isinstance(child, Token):
                continue
            if child.data == "body":
                body = self.body(child)
            elif child.data == "new_line_or_comment":
                self._collect_nl(child)
            elif child.data == "string":
                value = self.string(child)
                if not isinstance(value, S.Literal):
                    self._error(value.pos, "a block label must be a literal string, without interpolation")
                parts.append(value.value)
            else:
                parts.append(self._name(child))
        assert body is not None
        return S.Block(_pos(tree.meta), parts[0], parts[1:], body)

    # -- expressions
    def expr(self, tree) -> S.Expr:
        from lark import Token

        if isinstance(tree, Token):  # pragma: no cover - grammar never yields bare tokens here
            self._error(_pos(tree), f"unexpected '{tree}'")
        method = getattr(self, "x_" + tree.data, None)
        if method is None:  # pragma: no cover
            self._error(_pos(tree.meta), f"unsupported syntax ({tree.data})")
        return method(tree)

    def x_expr_term(self, tree):
        kids = self._significant(tree.children)
        if len(tree.children) > 1 and getattr(tree.children[0], "type", None) == "LPAR":
            return S.Paren(_pos(tree.meta), self.expr(kids[0]))
        return self.expr(kids[0])

    def x_int_lit(self, tree):
        return S.Literal(_pos(tree.meta), int(str(tree.children[0])))

    def x_float_lit(self, tree):
        return S.Literal(_pos(tree.meta), normalize_number(float(str(tree.children[0]))))

    def x_literal_value(self, tree):
        text = str(tree.children[0])
        return S.Literal(_pos(tree.meta), {"true": True, "false": False, "null": None}[text])

    def x_identifier(self, tree):
        return S.Name(_pos(tree.meta), str(tree.children[0]))

    def x_keyword(self, tree):
        return S.Name(_pos(tree.meta), str(tree.children[0]))

    def x_string(self, tree):
        return self.string(tree)

    def x_template_string(self, tree):
        text = str(tree.children[0])
        return S.Literal(_pos(tree.meta), _unescape(text[2:-2]))

    def string(self, tree) -> S.Expr:
        from lark import Token

        raw_parts: list = []
        for part in tree.children:
            if isinstance(part, Token):
                continue  # the quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "STRING_CHARS":
                    raw_parts.append(_unescape(str(inner)))
                elif inner.type == "ESCAPED_INTERPOLATION":
                    raw_parts.append("${" + str(inner)[3:])
                elif inner.type == "ESCAPED_DIRECTIVE":
                    raw_parts.append("%{" + str(inner)[3:])
                else:  # pragma: no cover
                    raw_parts.append(str(inner))
            else:
                raw_parts.append(self._template_piece(inner))
        return self._assemble_template(_pos(tree.meta), raw_parts)

    def _template_piece(self, tree):
        kind = tree.data
        strip_left = strip_right = False
        from lark import Token

        children = tree.children  # "${" or "%{", "~"?, ..., "~"?, "}"

        def is_strip(child) -> bool:
            return isinstance(child, Token) and child.type == "STRIP_MARKER"

        strip_left = len(children) > 2 and is_strip(children[1])
        strip_right = len(children) > 2 and is_strip(children[-2])
        exprs = [c for c in tree.children if not isinstance(c, Token)]
        pos = _pos(tree.meta)
        if kind == "interpolation":
            return ("interp", pos, self.expr(exprs[0]), strip_left, strip_right)
        if kind == "template_if_start":
            return ("if", pos, self.expr(exprs[0]), strip_left, strip_right)
        if kind == "template_else":
            return ("else", pos, None, strip_left, strip_right)
        if kind == "template_endif":
            return ("endif", pos, None, strip_left, strip_right)
        if kind == "template_for_start":
            names = [self._name(e) for e in exprs if e.data == "identifier"]
            coll = self.expr(exprs[-1])
            key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
            return ("for", pos, (key_var, value_var, coll), strip_left, strip_right)
        if kind == "template_endfor":
            return ("endfor", pos, None, strip_left, strip_right)
        self._error(pos, f"unsupported template syntax ({kind})")  # pragma: no cover

    def _assemble_template(self, pos: S.Pos, raw_parts: list) -> S.Expr:
        """Apply strip markers and nest ``%{if}``/``%{for}`` directives."""
        parts: list = []
        for i, part in enumerate(raw_parts):
            if isinstance(part, tuple):
                _kind, _p, _x, strip_left, strip_right = part
                if strip_left and parts and isinstance(parts[-1], str):
                    parts[-1] = parts[-1].rstrip()
                parts.append(part)
                if strip_right and i + 1 < len(raw_parts) and isinstance(raw_parts[i + 1], str):
                    raw_parts[i + 1] = raw_parts[i + 1].lstrip()
            else:
                if parts and isinstance(parts[-1], str):
                    parts[-1] += part
                else:
                    parts.append(part)

        def nest(index: int, closers: tuple[str, ...]) -> tuple[list, int, str | None]:
            out: list = []
            while index < len(parts):
                part = parts[index]
                if isinstance(part, str):
                    out.append(part)
                    index += 1
                    continue
                kind, ppos, payload, _l, _r = part
                if kind in closers:
                    return out, index, kind
                if kind == "interp":
                    out.append(payload)
                    index += 1
                elif kind == "if":
                    then, index, closer = nest(index + 1, ("else", "endif"))
                    else_: list = []
                    if closer == "else":
                        else_, index, closer = nest(index + 1, ("endif",))
                    if closer != "endif":
                        self._error(ppos, "a %{if} directive has no matching %{endif}")
                    out.append(S.TemplateIf(ppos, payload, then, else_))
                    index += 1
                elif kind == "for":
                    body, index, closer = nest(index + 1, ("endfor",))
                    if closer != "endfor":
                        self._error(ppos, "a %{for} directive has no matching %{endfor}")
                    key_var, value_var, coll = payload
                    out.append(S.TemplateFor(ppos, key_var, value_var, coll, body))
                    index += 1
                else:
                    self._error(ppos, f"%{{{kind}}} without a matching opening directive")
            return out, index, None

        nested, _, _ = nest(0, ())
        if not nested:
            return S.Literal(pos, "")
        if len(nested) == 1 and isinstance(nested[0], str):
            return S.Literal(pos, nested[0])
        return S.Template(pos, nested)

    def x_heredoc_template(self, tree):
        return self._heredoc(tree, trim=False)

    def x_heredoc_template_trim(self, tree):
        return self._heredoc(tree, trim=True)

    def _heredoc(self, tree, trim: bool):
        token = tree.children[0]
        text = str(token).replace("\r\n", "\n")
        first_nl = text.index("\n")
        content = text[first_nl + 1:]
        # drop the closing marker line
        lines = content.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lines.pop()  # the marker line
        body = heredoc_body("".join(l + "\n" for l in lines), trim)
        pos = _pos(tree.meta)
        return self.template_from_text(body, S.Pos(pos.line + 1, 1, pos.end_line, pos.end_column))

    def template_from_text(self, text: str, pos: S.Pos) -> S.Expr:
        """A template written as raw text (heredoc bodies, templates, ``.tf.json``
        strings): find the ``${}``/``%{}`` sequences ourselves and parse each as a
        quoted string would be."""
        if "${" not in text and "%{" not in text:
            return S.Literal(pos, text.replace("$${", "${").replace("%%{", "%{"))
        # Re-parse as a quoted string: escape what a quoted string would treat
        # specially outside the template sequences.
        pieces = []
        i = 0
        n = len(text)
        while i < n:
            if text.startswith(("$${", "%%{"), i):
                pieces.append(text[i:i + 3])
                i += 3
                continue
            if text.startswith(("${", "%{"), i):
                end = template_sequence_end(text, i + 2)
                if end < 0:
                    self._error(pos, "a template sequence '${' is not closed in this heredoc")
                pieces.append(text[i:end + 1])
                i = end + 1
                continue
            ch = text[i]
            pieces.append({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}.get(ch, ch))
            i += 1
        quoted = '"' + "".join(pieces) + '"'
        parser = get_parser()
        try:
            tree = parser.parse(f"x = {quoted}\n")
        except Exception:
            self._error(pos, "this heredoc's template sequences are not valid")
        expr_tree = tree.children[0].children[0].children[2]
        # positions inside the synthetic text are meaningless: use the heredoc's
        result = self.expr(expr_tree)
        reposition(result, pos)
        return result

    def x_tuple(self, tree):
        items = [self.expr(c) for c in self._significant(tree.children)]
        return S.TupleExpr(_pos(tree.meta), items)

    def x_object(self, tree):
        items = []
        for elem in self._significant(tree.children):
            key_tree, value_tree = self._significant(elem.children)
            key_inner = self._significant(key_tree.children)[0]
            key = self.expr(key_inner)
            if isinstance(key, S.Name):
                key = S.Literal(key.pos, key.name)
            items.append((key, self.expr(value_tree)))
        return S.ObjectExpr(_pos(tree.meta), items)

    def x_function_call(self, tree):
        from lark import Token

        names = []
        args: list[S.Expr] = []
        expand = False
        for child in tree.children:
            if isinstance(child, Token):
                continue
            if child.data == "identifier":
                names.append(str(child.children[0]))
            elif child.data == "arguments":
                for arg in child.children:
                    if isinstance(arg, Token):
                        if arg.type == "ELLIPSIS":
                            expand = True
                        continue
                    if arg.data == "new_line_or_comment":
                        self._collect_nl(arg)
                        continue
                    args.append(self.expr(arg))
            elif child.data == "new_line_or_comment":
                self._collect_nl(child)
        name = names[0] if len(names) == 1 else f"provider::{names[1]}::{names[2]}"
        return S.Call(_pos(tree.meta), name, args, expand)

    def x_conditional(self, tree):
        cond, then, else_ = (self.expr(c) for c in self._significant(tree.children))
        return S.Conditional(_tree_pos(tree), cond, then, else_)

    def x_binary_op(self, tree):
        left_tree, term = self._significant(tree.children)[:2]
        op_tree, right_tree = self._significant(term.children)
        op_token = op_tree.children[0]
        self._collect_comments(op_token)
        op = str(op_token).strip().split("\n")[-1].strip()
        if not op or op[-1] not in "=<>|&+-*/%!":
            op = str(op_token).split()[-1]
        return S.BinaryOp(_tree_pos(tree), op, self.expr(left_tree), self.expr(right_tree))

    def x_unary_op(self, tree):
        op_token, operand = tree.children
        return S.UnaryOp(_pos(tree.meta), str(op_token).strip(), self.expr(operand))

    def x_get_attr_expr_term(self, tree):
        obj, get_attr = tree.children
        return S.GetAttr(_pos(tree.meta), self.expr(obj), self._get_attr_name(get_attr))

    def _get_attr_name(self, tree) -> str:
        target = tree.children[-1]
        return self._name(target)

    def x_index_expr_term(self, tree):
        obj, index = tree.children
        return S.Index(_pos(tree.meta), self.expr(obj), self._index_key(index))

    def _index_key(self, tree) -> S.Expr:
        if tree.data == "short_index":
            token = tree.children[-1]
            return S.Literal(_pos(token), int(str(token)))
        (inner,) = self._significant(tree.children)
        return self.expr(inner)

    def _splat(self, tree, full: bool):
        obj_tree, splat = tree.children
        obj = self.expr(obj_tree)
        pos = _pos(tree.meta)
        each: S.Expr = S.SplatItem(pos)
        after: list = []
        for op in splat.children[1:]:
            if not full and op.data != "get_attr":
                after.append(op)
                continue
            if after:
                after.append(op)
                continue
            each = self._apply_op(each, op, pos)
        result: S.Expr = S.Splat(pos, obj, each, full)
        for op in after:  # legacy splat: an index ends the splat and applies to the result
            result = self._apply_op(result, op, pos)
        return result

    def _apply_op(self, target: S.Expr, op, pos: S.Pos) -> S.Expr:
        if op.data == "get_attr":
            return S.GetAttr(pos, target, self._get_attr_name(op))
        return S.Index(pos, target, self._index_key(op))

    def x_full_splat_expr_term(self, tree):
        return self._splat(tree, full=True)

    def x_attr_splat_expr_term(self, tree):
        return self._splat(tree, full=False)

    def _for_intro(self, tree):
        names = []
        coll = None
        for child in self._significant(tree.children):
            if child.data == "identifier" and coll is None and len(names) < 2:
                names.append(str(child.children[0]))
            else:
                coll = self.expr(child)
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return key_var, value_var, coll

    def x_for_tuple_expr(self, tree):
        kids = self._significant(tree.children)
        key_var, value_var, coll = self._for_intro(kids[0])
        value = self.expr(kids[1])
        cond = self.expr(self._significant(kids[2].children)[0]) if len(kids) > 2 else None
        return S.ForExpr(_pos(tree.meta), key_var, value_var, coll, None, value, cond, False)

    def x_for_object_expr(self, tree):
        from lark import Token

        group = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in tree.children)
        kids = self._significant(tree.children)
        key_var, value_var, coll = self._for_intro(kids[0])
        key = self.expr(kids[1])
        value = self.expr(kids[2])
        cond = self.expr(self._significant(kids[3].children)[0]) if len(kids) > 3 else None
        return S.ForExpr(_pos(tree.meta), key_var, value_var, coll, key, value, cond, group)
