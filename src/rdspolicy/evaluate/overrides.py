"""Override files, merged into the blocks they name as Terraform merges them.

Terraform (https://developer.hashicorp.com/terraform/language/files/override) loads a
module's files in two groups: the override files (``override.tf``, ``*_override.tf``,
their ``.tf.json`` forms, and OpenTofu's ``.tofu`` / ``.tofu.json`` forms) after all the
others, in lexical order of their names.  Each top-level block of an override file is
merged into the block of the same type and labels:

* an argument replaces the argument of the same name;
* the nested blocks of one type replace every nested block of that type (the types the
  override does not name stay), except ``lifecycle`` in a resource or data block, which
  is merged argument by argument;
* ``locals`` are overridden one value at a time, whichever block defines them.

A block with nothing to override is an error, as in Terraform.  What comes from an
override file keeps its place in that file: findings about an overridden argument point
at the override file.
"""

from __future__ import annotations

import os

from .. import syntax as S
from ..errors import Diagnostic

_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")


def is_override(path: str) -> bool:
    name = os.path.basename(path)
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


class FilePos(S.Pos):
    """A position in another file than the block around it (an override file's)."""

    def __reduce__(self):
        return _file_pos, (tuple(self), self.file)


def _file_pos(values: tuple, file: str) -> FilePos:
    pos = FilePos(*values)
    pos.file = file
    return pos


def _placed(node, file: str):
    """``node`` (an attribute or block of an override file), every position in it
    marked with the file it is written in."""
    if isinstance(node, S.Attribute):
        return S.Attribute(_file_pos(node.pos, file), node.name, node.expr)
    if isinstance(node, S.Block):
        return S.Block(_file_pos(node.pos, file), node.type, node.labels, _placed_body(node.body, file))
    return node


def _placed_body(body: S.Body, file: str) -> S.Body:
    return S.Body(body.pos, {name: _placed(a, file) for name, a in body.attributes.items()},
                  [_placed(b, file) for b in body.blocks])


def _merge_block(base: S.Block, override: S.Block, file: str) -> S.Block:
    attributes = dict(base.body.attributes)
    for name, attr in override.body.attributes.items():
        attributes[name] = _placed(attr, file)
    blocks = list(base.body.blocks)
    replaced = {b.type for b in override.body.blocks}
    merged_lifecycle = None
    if base.type in ("resource", "data") and "lifecycle" in replaced:
        old = [b for b in base.body.blocks if b.type == "lifecycle"]
        new = [b for b in override.body.blocks if b.type == "lifecycle"]
        merged_lifecycle = _merge_block(old[0], new[-1], file) if old else _placed(new[-1], file)
    kept = [b for b in blocks if b.type not in replaced]
    for block in override.body.blocks:
        if block.type == "lifecycle" and merged_lifecycle is not None:
            if merged_lifecycle not in kept:
                kept.append(merged_lifecycle)
            continue
        kept.append(_placed(block, file))
    return S.Block(base.pos, base.type, base.labels, S.Body(base.body.pos, attributes, kept))


def apply_overrides(files: list[S.File]) -> tuple[list[S.File], list[Diagnostic]]:
    """The module's files with its override files merged in (and left out); the same
    list when there are none."""
    overrides = sorted((f for f in files if is_override(f.path)), key=lambda f: os.path.basename(f.path))
    if not overrides:
        return files, []
    diagnostics: list[Diagnostic] = []
    primary = [f for f in files if not is_override(f.path)]
    # (file index, block index) of every top-level block, by type and labels
    bodies = [list(f.body.blocks) for f in primary]
    where: dict[tuple, tuple[int, int]] = {}
    local_where: dict[str, tuple[int, int]] = {}
    for i, blocks in enumerate(bodies):
        for j, block in enumerate(blocks):
            if block.type == "locals":
                for name in block.body.attributes:
                    local_where[name] = (i, j)
            else:
                where.setdefault((block.type, tuple(block.labels)), (i, j))
    changed: set[int] = set()
    for over in overrides:
        for block in over.body.blocks:
            if block.type == "locals":
                for name, attr in block.body.attributes.items():
                    found = local_where.get(name)
                    if found is None:
                        diagnostics.append(Diagnostic(
                            "error", over.path, attr.pos.line, attr.pos.column,
                            f'local value "{name}" is overridden here, but no other file of the module '
                            f'defines it (Terraform: missing base local value definition to override)',
                            "override-without-base"))
                        continue
                    i, j = found
                    base = bodies[i][j]
                    attributes = dict(base.body.attributes)
                    attributes[name] = _placed(attr, over.path)
                    bodies[i][j] = S.Block(base.pos, base.type, base.labels,
                                           S.Body(base.body.pos, attributes, base.body.blocks))
                    changed.add(i)
                continue
            key = (block.type, tuple(block.labels))
            found = where.get(key)
            if found is None:
                what = " ".join([block.type] + [f'"{label}"' for label in block.labels])
                diagnostics.append(Diagnostic(
                    "error", over.path, block.pos.line, block.pos.column,
                    f"{what} is overridden here, but no other file of the module declares it "
                    f"(Terraform: missing base block to override)", "override-without-base"))
                continue
            i, j = found
            bodies[i][j] = _merge_block(bodies[i][j], block, over.path)
            changed.add(i)
    merged = []
    for i, file in enumerate(primary):
        if i in changed:
            file = S.File(file.path, S.Body(file.body.pos, file.body.attributes, bodies[i]), file.comments, None)
        merged.append(file)
    return merged, diagnostics
