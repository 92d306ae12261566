"""Edits written into the files' text (in memory): the diff, and the files to write."""

from __future__ import annotations

import difflib
from typing import Any

from .. import syntax as S
from ..rule import Derived
from .place import Edit, NotFixable, unparen, is_literal, literal_value
from .text import JsonFile, TextFile, hcl_value


def _condition_text(edit: Edit, file: TextFile | JsonFile | None = None) -> str:
    """The value as an environment condition (``var.environment == "production"``)."""
    variable, names = edit.condition
    if len(names) == 1:
        test, negated = f'var.{variable} == {hcl_value(names[0])}', f'var.{variable} != {hcl_value(names[0])}'
    else:
        listed = hcl_value(names)
        test, negated = f"contains({listed}, var.{variable})", f"!contains({listed}, var.{variable})"
    if edit.value is True:
        return test
    if edit.value is False:
        return negated
    site = edit.site
    if site.kind == "literal":
        otherwise = _text_of(site.node.expr, file if isinstance(file, TextFile) else None)
    else:
        otherwise = hcl_value(edit.otherwise)
    return f"{test} ? {_written(edit, file)} : {otherwise}"


def _text_of(expr: S.Expr, file: TextFile | None) -> str:
    """The source text of a literal (one line), else the literal written anew."""
    p = expr.pos
    if isinstance(file, TextFile) and p.line == p.end_line:
        return file.line_text(p.line)[p.column - 1:p.end_column - 1]
    return hcl_value(literal_value(expr))


class Files:
    """The files being edited, each read once."""

    def __init__(self) -> None:
        self.files: dict[str, TextFile | JsonFile] = {}

    def get(self, path: str) -> TextFile | JsonFile:
        found = self.files.get(path)
        if found is None:
            with open(path, "rb") as handle:
                data = handle.read()
            found = self.files[path] = JsonFile(path, data) if path.endswith(".json") else TextFile(path, data)
        return found

    def changed(self) -> dict[str, tuple[bytes, bytes]]:
        """path -> (old bytes, new bytes) for each file an edit changes."""
        out = {}
        for path, file in self.files.items():
            new = file.result()
            if new != file.original:
                out[path] = (file.original, new)
        return out


def write_edit(files: Files, edit: Edit) -> None:
    """Splice ``edit`` into its file (in memory); NotFixable when it cannot be written."""
    site = edit.site
    file = files.get(site.file)
    if isinstance(file, JsonFile):
        try:
            _write_json(file, edit)
        except ValueError as exc:
            raise NotFixable(f"no automatic fix: {exc}") from None
        return
    before = len(file.splices)
    try:
        _write_hcl(file, edit)
    except NotFixable:
        del file.splices[before:]
        raise
    if _overlaps(file, before):
        del file.splices[before:]
        raise NotFixable(f"no automatic fix: another fix edits the same place ({site.where()})")


def _overlaps(file: TextFile, new_from: int) -> bool:
    old = file.splices[:new_from]
    for start, end, _, _ in file.splices[new_from:]:
        for s, e, _, _ in old:
            if start < e and s < end:
                return True
            if start == end == s == e:
                continue
    return False


def _value_text(edit: Edit, file: TextFile) -> str:
    if edit.condition is not None:
        return _condition_text(edit, file)
    return _written(edit, file)


def _written(edit: Edit, file: Any) -> str:
    """The edit's value as HCL; a :class:`Derived` value from its argument's source."""
    value = edit.value
    if not isinstance(value, Derived):
        return hcl_value(value)
    block = edit.site.block
    source = block.body.attributes.get(value.argument) if block is not None else None
    if source is None or not isinstance(file, TextFile):
        raise NotFixable(f"no automatic fix: choose {edit.site.name} (there is no {value.argument} to derive it "
                         "from)")
    p = source.expr.pos
    if p.line != p.end_line:
        raise NotFixable(f"no automatic fix: choose {edit.site.name}")
    text = file.line_text(p.line)[p.column - 1:p.end_column - 1]
    suffix = hcl_value(value.suffix)[1:-1]
    if isinstance(source.expr, (S.Literal, S.Template)) and text.startswith('"') and text.endswith('"'):
        return text[:-1] + suffix + '"'
    return '"${' + text + '}' + suffix + '"'


def _write_hcl(file: TextFile, edit: Edit) -> None:
    site = edit.site
    op = edit.op
    node = site.node
    if site.kind == "var-file":
        node = file.tree.body.attributes.get(site.name)
        if node is None:
            if op == "set":
                text = file.text
                at = len(text)
                prefix = "" if not text or text.endswith("\n") else "\n"
                file.splice(at, at, f"{prefix}{site.name} = {_written(edit, None)}\n")
                return
            if op == "add-item":
                text = file.text
                prefix = "" if not text or text.endswith("\n") else "\n"
                file.splice(len(text), len(text), f"{prefix}{site.name} = {hcl_value([edit.value])}\n")
                return
            return
    if op == "set":
        if node is not None:
            file.replace_expr(node.expr, _value_text(edit, file))
        else:
            file.add_attribute(site.block, site.name, _value_text(edit, file))
    elif op == "remove":
        file.remove_attribute(node)
    elif op in ("add-item", "remove-item"):
        if node is None:
            if op == "add-item":
                file.add_attribute(site.block, site.name, hcl_value([edit.value]))
            return
        expr = unparen(node.expr)
        if not isinstance(expr, S.TupleExpr):
            raise NotFixable(f"no automatic fix: {site.name} at {site.where()} is not a list written as [ ... ]")
        values = [literal_value(i) if is_literal(i) else object() for i in expr.items]
        if op == "add-item":
            if edit.value not in values:
                file.append_item(expr, hcl_value(edit.value))
        else:
            for index in reversed([i for i, v in enumerate(values) if v == edit.value]):
                file.remove_item(expr, index)
                break
    elif op == "param":
        name, value = edit.value
        file.add_lines(site.block, ["parameter {", f"  name = {hcl_value(name)}", f"  value = {hcl_value(value)}",
                                    "}"], attributes=False, after_type="parameter")
    elif op == "param-item":
        name, value = edit.value
        expr = unparen(node.expr)
        for item in expr.items:
            item = unparen(item)
            if not isinstance(item, S.ObjectExpr):
                continue
            fields = {}
            for key, val in item.items:
                key = unparen(key)
                key_name = key.name if isinstance(key, S.Name) else literal_value(key) if is_literal(key) else None
                fields[key_name] = val
            written = fields.get("name")
            if written is not None and is_literal(written) and str(literal_value(written)).lower() == name.lower():
                target = fields.get("value")
                if target is None or not is_literal(target):
                    raise NotFixable(f"no automatic fix: the value of {name} is computed at {site.file}:"
                                     f"{item.pos.line}")
                file.replace_expr(target, hcl_value(value))
                return
        file.append_item(expr, f"{{ name = {hcl_value(name)}, value = {hcl_value(value)} }}")
    elif op == "param-list":
        name, value = edit.value
        file.add_attribute(site.block, site.name, f"[{{ name = {hcl_value(name)}, value = {hcl_value(value)} }}]")
    else:  # pragma: no cover - the planner makes no other
        raise NotFixable(f"no automatic fix: unknown edit {op}")


def _write_json(file: JsonFile, edit: Edit) -> None:
    site = edit.site
    if isinstance(edit.value, Derived):
        raise NotFixable(f"no automatic fix: choose {site.name} ({site.where()})")
    if site.kind == "var-file":
        keys = [site.name]
    elif site.block is not None and edit.op in ("set", "add-item", "remove-item"):
        keys = [site.block.type, *site.block.labels, site.name if site.kind == "absent" else site.node.name]
    else:
        raise NotFixable(f"no automatic fix: rdspolicy does not make this edit in a JSON file ({site.where()})")
    if edit.condition is not None:
        value: Any = "${" + _condition_text(edit, file) + "}"
        file.set(keys, value)
        return
    if edit.op == "set":
        file.set(keys, edit.value)
        return
    current = file.get(keys)
    current = list(current) if isinstance(current, list) else []
    if edit.op == "add-item" and edit.value not in current:
        file.set(keys, current + [edit.value])
    elif edit.op == "remove-item":
        file.set(keys, [x for x in current if x != edit.value])


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    a = old.decode("utf-8-sig").replace("\r\n", "\n").splitlines(keepends=True)
    b = new.decode("utf-8-sig").replace("\r\n", "\n").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
