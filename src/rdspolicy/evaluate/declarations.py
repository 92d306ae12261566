"""What a Terraform module declares.

:func:`declarations` gathers a module's variables, locals, resources, data sources,
module calls and outputs from its parsed files, reporting a name declared twice;
:func:`undeclared_variable_references` finds the ``var.NAME`` that name no variable, and
:func:`local_module_calls` the local folders a module calls.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import syntax as S
from ..errors import Diagnostic


class Located(NamedTuple):
    """A declaration and the file it is in."""

    file: str
    node: Any  # S.Block or S.Attribute


class CallSite(NamedTuple):
    """The module call that made a module instance: its arguments (name -> attribute),
    what the calling module declares, and the call that made the caller (None when the
    caller is the root module).  How an argument is written follows a variable to it
    (rdspolicy.written)."""

    arguments: Any  # Mapping[str, S.Attribute]
    decls: "Declarations"
    caller: "CallSite | None"


class Declarations:
    """What a module declares, with duplicate declarations reported."""

    def __init__(self, directory: str):
        self.directory = directory
        self.variables: dict[str, Located] = {}
        self.locals: dict[str, Located] = {}
        self.resources: dict[tuple[str, str], Located] = {}
        self.data: dict[tuple[str, str], Located] = {}
        self.modules: dict[str, Located] = {}
        self.outputs: dict[str, Located] = {}
        self.diagnostics: list[Diagnostic] = []


def declarations(directory: str, files: list[S.File]) -> Declarations:
    decls = Declarations(directory)

    def add(table: dict, key, file: str, node, what: str) -> None:
        if key in table:
            first = table[key]
            decls.diagnostics.append(
                Diagnostic(
                    "error", file, node.pos.line, node.pos.column,
                    f"{what} is declared twice (also at {first.file}:{first.node.pos.line})",
                    "duplicate-declaration",
                )
            )
            return
        table[key] = Located(file, node)

    for file in files:
        for block in file.body.blocks:
            labels = block.labels
            if block.type == "variable" and len(labels) == 1:
                add(decls.variables, labels[0], file.path, block, f'variable "{labels[0]}"')
            elif block.type == "locals":
                for name, attr in block.body.attributes.items():
                    add(decls.locals, name, file.path, attr, f'local value "{name}"')
            elif block.type == "resource" and len(labels) == 2:
                add(decls.resources, (labels[0], labels[1]), file.path, block, f"{labels[0]}.{labels[1]}")
            elif block.type == "data" and len(labels) == 2:
                add(decls.data, (labels[0], labels[1]), file.path, block, f"data.{labels[0]}.{labels[1]}")
            elif block.type == "module" and len(labels) == 1:
                add(decls.modules, labels[0], file.path, block, f'module "{labels[0]}"')
            elif block.type == "output" and len(labels) == 1:
                add(decls.outputs, labels[0], file.path, block, f'output "{labels[0]}"')
    return decls


def undeclared_variable_references(decls: Declarations, files: list[S.File]) -> list[Diagnostic]:
    """Every ``var.NAME`` whose variable is not declared, once per place it is written."""
    out: list[Diagnostic] = []
    for file in files:
        refs = file.var_refs
        for node in S.var_references(file.body) if refs is None else refs:
            if node.name not in decls.variables:
                out.append(
                    Diagnostic(
                        "warning", file.path, node.pos.line, node.pos.column,
                        f'reference to undeclared variable "var.{node.name}": declare it with a '
                        f'variable "{node.name}" block; values that depend on it are unknown',
                        "undeclared-variable",
                    )
                )
    out.sort(key=lambda d: (d.file, d.line, d.column))
    return out


def local_module_calls(files: list[S.File]) -> list[str]:
    """The literal sources of the local module calls (``./x``, ``../x``) in a module's files."""
    out = []
    for file in files:
        for block in file.body.blocks:
            if block.type != "module":
                continue
            source = block.body.attributes.get("source")
            expr = source.expr if source is not None else None
            text = expr.value if isinstance(expr, S.Literal) else None
            if isinstance(expr, S.Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
                text = expr.parts[0]
            if isinstance(text, str) and text.startswith(("./", "../")):
                out.append(text)
    return out
