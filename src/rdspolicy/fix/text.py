"""Edits to Terraform files as text splices at the syntax tree's positions.

Nothing is reformatted but the lines an edit touches: comments and the layout of every
other line are kept.  Where an edit adds or changes an attribute line, the ``=`` of its
attribute group (and the trailing comments of the lines around it) are aligned as
``terraform fmt`` aligns them: a group is a run of consecutive lines that each hold a
whole one-line attribute; ``=`` goes one space after the longest name, trailing
comments one space after the longest code of consecutive commented lines.  A file's
line endings (LF or CRLF), byte-order mark and final newline are kept.
``.tf.json`` and ``.tfvars.json`` files are edited as JSON, with their indentation.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from .. import syntax as S

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_ATTR_LINE = re.compile(r'^(?P<indent>[ \t]*)(?P<name>[A-Za-z_][A-Za-z0-9_-]*|"(?:[^"\\]|\\.)*")'
                        r'(?P<space>[ \t]*)=(?![=>])(?P<rest>.*)$')
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def hcl_value(value: Any) -> str:
    """``value`` written as HCL (as ``terraform fmt`` writes literals)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("${", "$${").replace("%{", "%%{"))
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{k if _IDENT.match(k) else hcl_value(k)} = {hcl_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def _code_and_comment(line: str) -> tuple[str, str]:
    """A line's code (trailing spaces removed) and its trailing comment ("" if none)."""
    masked = _STRING.sub(lambda m: "\0" * len(m.group()), line)
    cuts = [i for i in (masked.find("#"), masked.find("//")) if i >= 0]
    if not cuts:
        return line.rstrip(), ""
    cut = min(cuts)
    return line[:cut].rstrip(), line[cut:]


def _one_line_attribute(line: str) -> re.Match | None:
    """The match of a line that holds one whole attribute (its brackets closed on it)."""
    match = _ATTR_LINE.match(line)
    if match is None:
        return None
    code, _ = _code_and_comment(match.group("rest"))
    masked = _STRING.sub("", code)
    if "<<" in masked or "/*" in masked:
        return None
    depth = 0
    for ch in masked:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
    return match if depth == 0 else None


def align(lines: list[str], touched: set[int]) -> None:
    """Align, as ``terraform fmt`` does, the attribute groups (and trailing-comment runs)
    holding a line of ``touched`` (0-based indices into ``lines``, changed in place)."""
    done: set[int] = set()
    for index in sorted(touched):
        if index in done or index >= len(lines) or _one_line_attribute(lines[index]) is None:
            continue
        start = index
        while start > 0 and _one_line_attribute(lines[start - 1]) is not None:
            start -= 1
        end = index
        while end + 1 < len(lines) and _one_line_attribute(lines[end + 1]) is not None:
            end += 1
        group = range(start, end + 1)
        done.update(group)
        matches = {i: _one_line_attribute(lines[i]) for i in group}
        width = max(len(m.group("name")) for m in matches.values())
        for i, m in matches.items():
            rest = m.group("rest").lstrip(" \t")
            code, comment = _code_and_comment(rest)
            lines[i] = f'{m.group("indent")}{m.group("name").ljust(width)} = {code}' + (
                f" {comment}" if comment else "")
        _align_comments(lines, group)


def _align_comments(lines: list[str], group: range) -> None:
    """Trailing comments of consecutive lines of ``group`` one space after their longest code."""
    run: list[tuple[int, str, str]] = []

    def close() -> None:
        if len(run) > 1:
            width = max(len(code) for _, code, _ in run)
            for i, code, comment in run:
                lines[i] = f"{code.ljust(width)} {comment}"
        run.clear()

    for i in group:
        code, comment = _code_and_comment(lines[i])
        if comment and code.strip():
            run.append((i, code, comment))
        else:
            close()
    close()


class TextFile:
    """One HCL file being edited: its text (LF line ends), and the splices to make."""

    def __init__(self, path: str, data: bytes):
        self.path = path
        self.bom = data.startswith(codecs.BOM_UTF8)
        text = data[len(codecs.BOM_UTF8):].decode("utf-8") if self.bom else data.decode("utf-8")
        self.crlf = "\r\n" in text
        self.original = data
        self.text = text.replace("\r\n", "\n")
        self._starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                self._starts.append(i + 1)
        self.splices: list[tuple[int, int, str, int]] = []  # start, end, new text, order
        self._tree: S.File | None = None

    @property
    def tree(self) -> S.File:
        if self._tree is None:
            from ..parse import parse_file

            self._tree = parse_file(self.path, self.text)
        return self._tree

    # ---------------------------------------------------------------- positions
    def offset(self, line: int, column: int) -> int:
        return self._starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def indent_of(self, line: int) -> str:
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def _line_end(self, line: int) -> int:
        """The offset just past the newline ending ``line`` (or the end of the text)."""
        end = self.text.find("\n", self._starts[line - 1])
        return len(self.text) if end < 0 else end + 1

    def splice(self, start: int, end: int, text: str) -> None:
        self.splices.append((start, end, text, len(self.splices)))

    # ---------------------------------------------------------------- edits
    def replace_expr(self, expr: S.Expr, text: str) -> None:
        p = expr.pos
        self.splice(self.offset(p.line, p.column), self.offset(p.end_line, p.end_column), text)

    def add_attribute(self, block: S.Block, name: str, text: str) -> None:
        """``name = text`` in ``block``'s body, after the last one-line attribute before
        its first nested block (the block's attribute group), indented like it."""
        self.add_lines(block, [f"{name} = {text}"], attributes=True)

    def add_lines(self, block: S.Block, new: list[str], attributes: bool, after_type: str | None = None) -> None:
        """Insert ``new`` (lines without indentation) in ``block``'s body: with
        ``attributes``, after its attribute group (the one-line attributes before its
        first nested block); with ``after_type``, after the last nested block of that
        type; else (or when there is none) at the end of the body."""
        body = block.body
        children = list(body.attributes.values()) + list(body.blocks)
        anchor: S.Node | None = None
        if attributes:
            first_block = min((b.pos.line for b in body.blocks), default=None)
            attrs = [a for a in body.attributes.values() if first_block is None or a.pos.line < first_block]
            pick = [a for a in attrs if a.pos.line == a.pos.end_line] or attrs
            if pick:
                anchor = max(pick, key=lambda a: a.pos.end_line)
            elif body.blocks:  # only blocks: before the first one
                first = min(body.blocks, key=lambda b: b.pos.line)
                indent = self.indent_of(first.pos.line)
                at = self._starts[first.pos.line - 1]
                self.splice(at, at, "".join(f"{indent}{line}\n" for line in new) + "\n")
                return
        elif after_type is not None:
            same = [b for b in body.blocks if b.type == after_type]
            if same:
                anchor = max(same, key=lambda b: b.pos.end_line)
        if anchor is None and children:
            anchor = max(children, key=lambda n: n.pos.end_line)
        if anchor is not None:
            indent = self.indent_of(anchor.pos.line)
            at = self._line_end(anchor.pos.end_line)
            prefix = "" if self.text[at - 1:at] == "\n" else "\n"
            if isinstance(anchor, S.Block) and not attributes and anchor.pos.line > 1 and \
                    not self.line_text(anchor.pos.line - 1).strip():
                prefix += "\n"  # blocks set apart by blank lines: the new one too
            self.splice(at, at, prefix + "".join(f"{indent}{line}\n" for line in new))
            return
        outer = self.indent_of(block.pos.line)
        inner = outer + "  "
        if block.pos.end_line == block.pos.line:  # an empty block on one line: { }
            close = self.offset(block.pos.end_line, block.pos.end_column) - 1
            opening = self.text.rfind("{", 0, close + 1)
            self.splice(opening + 1, close, "\n" + "".join(f"{inner}{line}\n" for line in new) + outer)
            return
        at = self._line_end(block.pos.line)
        self.splice(at, at, "".join(f"{inner}{line}\n" for line in new))

    def remove_attribute(self, attr: S.Attribute) -> None:
        """Delete an attribute and its lines (when it is alone on them)."""
        start = self._starts[attr.pos.line - 1]
        before = self.text[start:self.offset(attr.pos.line, attr.pos.column)]
        end = self._line_end(attr.pos.end_line)
        after = self.text[self.offset(attr.pos.end_line, attr.pos.end_column):end]
        if before.strip() or _code_and_comment(after)[0].strip():
            self.replace_expr(attr, "")  # not alone on its line: remove only the attribute
            return
        self.splice(start, end, "")

    def append_item(self, expr: S.TupleExpr, text: str) -> None:
        """Add an item to a list written as ``[ ... ]``."""
        items = expr.items
        if expr.pos.line == expr.pos.end_line or not items:
            if not items:
                self.replace_expr(expr, f"[{text}]")
                return
            last = items[-1].pos
            at = self.offset(last.end_line, last.end_column)
            self.splice(at, at, f", {text}")
            return
        last = items[-1].pos
        at = self.offset(last.end_line, last.end_column)
        rest = self.text[at:self.offset(expr.pos.end_line, expr.pos.end_column)]
        indent = self.indent_of(last.line)
        if rest.lstrip().startswith(","):
            comma = at + rest.index(",") + 1
            self.splice(comma, comma, f"\n{indent}{text},")
        else:
            self.splice(at, at, f",\n{indent}{text}")

    def remove_item(self, expr: S.TupleExpr, index: int) -> None:
        items = expr.items
        item = items[index].pos
        start = self.offset(item.line, item.column)
        end = self.offset(item.end_line, item.end_column)
        if len(items) == 1:
            self.replace_expr(expr, "[]")
            return
        if index + 1 < len(items):
            nxt = items[index + 1].pos
            end = self.offset(nxt.line, nxt.column)
            if nxt.line != item.line:  # one item a line: the whole line
                start = self._starts[item.line - 1]
                end = self._starts[nxt.line - 1]
        else:
            prev = items[index - 1].pos
            if prev.end_line != item.line:
                start = self._starts[item.line - 1]
                end = self._line_end(item.end_line)
                # keep a trailing comma's line tidy: the item's line goes whole
            else:
                start = self.offset(prev.end_line, prev.end_column)
        self.splice(start, end, "")

    def add_comment_above(self, line: int, text: str) -> None:
        at = self._starts[line - 1]
        self.splice(at, at, f"{self.indent_of(line)}{text}\n")

    # ---------------------------------------------------------------- result
    def result(self) -> bytes:
        """The edited file (the original bytes when nothing changes)."""
        if not self.splices:
            return self.original
        out: list[str] = []
        position = 0
        for start, end, text, _ in sorted(self.splices, key=lambda s: (s[0], s[3])):
            if start < position:  # overlaps an earlier splice: the planner prevents this
                raise ValueError(f"{self.path}: two edits overlap")
            out.append(self.text[position:start])
            out.append(text)
            position = end
        out.append(self.text[position:])
        lines = "".join(out).split("\n")
        align(lines, self._changed_lines(lines))
        new_text = "\n".join(lines)
        if self.crlf:
            new_text = new_text.replace("\n", "\r\n")
        data = new_text.encode("utf-8")
        return codecs.BOM_UTF8 + data if self.bom else data

    def _changed_lines(self, lines: list[str]) -> set[int]:
        """Indices of the lines of the new text that are not lines of the old one, as a
        line-by-line comparison (difflib) finds them."""
        import difflib

        old = self.text.split("\n")
        changed: set[int] = set()
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old, lines, autojunk=False).get_opcodes():
            if tag in ("replace", "insert"):
                changed.update(range(j1, j2))
        return changed


class JsonFile:
    """One ``.tf.json`` / ``.tfvars.json`` file being edited: its data, written back with
    its indentation (the first nested line's) and final newline."""

    def __init__(self, path: str, data: bytes):
        self.path = path
        self.original = data
        text = data.decode("utf-8-sig")
        self.crlf = "\r\n" in text
        text = text.replace("\r\n", "\n")
        self.data = json.loads(text)
        found = re.search(r"\n([ \t]+)\S", text)
        self.indent: Any = found.group(1) if found else 2
        if isinstance(self.indent, str) and set(self.indent) == {" "}:
            self.indent = len(self.indent)
        self.final_newline = text.endswith("\n")
        self.changed = False

    def set(self, keys: list[str], value: Any) -> None:
        """``value`` at ``keys`` (objects made on the way); ValueError when the way goes
        through something that is not an object (a list of blocks, say)."""
        node = self.data
        for key in keys[:-1]:
            if not isinstance(node, dict):
                raise ValueError(f"{self.path}: {'.'.join(keys)} is not written as nested objects")
            node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ValueError(f"{self.path}: {'.'.join(keys)} is not written as nested objects")
        if node.get(keys[-1], object()) != value:
            node[keys[-1]] = value
            self.changed = True

    def get(self, keys: list[str]) -> Any:
        node = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def result(self) -> bytes:
        if not self.changed:
            return self.original
        text = json.dumps(self.data, indent=self.indent, ensure_ascii=False)
        if self.final_newline:
            text += "\n"
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return text.encode("utf-8")
