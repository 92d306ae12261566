"""The shape of the code: a walk over the imports of every module of src/rdspolicy and
rules/ (with ``ast``, imports inside functions included) that fails on

- an import circle;
- an import from a lower stage of the pipeline to a higher one (STAGES, below);
- a private name (``_x``) imported from another module, or a private module imported
  from outside its package;
- a built-in rule importing anything but the public rule API and the pack's own shared
  modules (``rules/_*.py``);
- a module over MAX_LINES lines (the HCL tree builder excepted);
- a module placed in no stage.

Imports under ``if TYPE_CHECKING:`` are left out: they are never run (annotations only).
What today's code still does wrong is listed, one by one, in KNOWN_VIOLATIONS: the test
fails on any violation not listed there, and on a listed one that no longer occurs.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 700
# the HCL tree builder (python-hcl2's parse tree -> rdspolicy.syntax) may be longer
SIZE_EXEMPT = {"rdspolicy.parse.hcl"}

# The stages, lowest first: a module may import from its own stage and those before it.
# "x.*" is the package x and every module in it; a plain name is that module only.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("rdspolicy", "rdspolicy.errors", "rdspolicy.limits", "rdspolicy.record", "rdspolicy.syntax",
                    "rdspolicy.fileio", "rdspolicy.numbers", "rdspolicy.workers", "rdspolicy.redact",
                    # what an evaluation reads, recorded for the stored results
                    "rdspolicy.reads")),
    ("discover", ("rdspolicy.discover",)),
    # (with the cache folder: parsed files, and the stored results of root modules)
    ("parse", ("rdspolicy.parse.*", "rdspolicy.jsonsyntax", "rdspolicy.cache", "rdspolicy.incremental")),
    # layout: the environments a root module has; terragrunt: the units of a Terragrunt tree
    ("evaluate", ("rdspolicy.evaluate.*", "rdspolicy.plan", "rdspolicy.layout", "rdspolicy.terragrunt")),
    ("models", ("rdspolicy.models",)),
    # what a rule is and sees (rule, models; written: Context.written), the hook, and
    # finding rules by id or name
    ("rule API", ("rdspolicy.rule", "rdspolicy.written", "rdspolicy.hookspecs", "rdspolicy.selection")),
    # the built-in pack: it may import only the public rule API (PUBLIC_RULE_API)
    ("built-in rules", ("rdspolicy_rules.*",)),
    # the rules stage: loading packs and running rules' checks into findings
    ("rules stage", ("rdspolicy.plugins", "rdspolicy.checks", "rdspolicy.findings")),
    ("configuration", ("rdspolicy.config",)),
    ("suppress/baseline", ("rdspolicy.suppress", "rdspolicy.baseline")),
    ("reporters", ("rdspolicy.report.*", "rdspolicy.ruledoc")),
    ("pipeline", ("rdspolicy.pipeline",)),
    # rdspolicy fix: the rules' fixes placed at the values' sources and written (it runs
    # the pipeline through the command line's run_report)
    ("fix", ("rdspolicy.fix.*",)),
    ("cli/entry", ("rdspolicy.cli", "rdspolicy.entry", "rdspolicy.__main__", "rdspolicy.testing")),
]

# What docs/plugins.md says a rule pack may use; rules/ may import these and its own
# shared modules (rules/_*.py), nothing else of rdspolicy.
PUBLIC_RULE_API = {"rdspolicy", "rdspolicy.rule", "rdspolicy.hookspecs", "rdspolicy.syntax", "rdspolicy.models",
                   "rdspolicy.record", "rdspolicy.testing"}
PACK = "rdspolicy_rules"

# Violations accepted for now, each with its reason (none today).  The test fails on a
# violation that is not listed, and on a listed one that is gone.
KNOWN_VIOLATIONS: set[str] = set()


class Module(NamedTuple):
    name: str  # rdspolicy.evaluate.module
    source: str
    is_package: bool  # an __init__.py


class Import(NamedTuple):
    module: str  # the module of the project that is imported
    name: str | None  # the name imported from it (from M import name), when not a module


def project_modules() -> list[Module]:
    out = []
    for path in sorted((ROOT / "src" / "rdspolicy").rglob("*.py")):
        parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
        out.append(_module(parts, path))
    for path in sorted((ROOT / "rules").rglob("*.py")):
        parts = [PACK, *path.relative_to(ROOT / "rules").with_suffix("").parts]
        out.append(_module(parts, path))
    return out


def _module(parts: list[str], path: Path) -> Module:
    package = parts[-1] == "__init__"
    return Module(".".join(parts[:-1] if package else parts), path.read_text(encoding="utf-8"), package)


def _run_time_nodes(tree: ast.AST):
    """Every node, leaving out the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(module: Module, known: set[str]) -> list[Import]:
    """The project's modules (and names from them) ``module`` imports."""

    def owner(dotted: str) -> str | None:  # the longest known module of a dotted name
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    out = []
    for node in _run_time_nodes(ast.parse(module.source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found = owner(alias.name)
                if found:
                    out.append(Import(found, None))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in known:
                    out.append(Import(f"{source}.{alias.name}", None))
                else:
                    found = owner(source)
                    if found:
                        out.append(Import(found, alias.name))
    return out


def stage_of(name: str) -> int | None:
    best, best_len = None, -1
    for index, (_, members) in enumerate(STAGES):
        for member in members:
            package = member.endswith(".*")
            base = member[:-2] if package else member
            if (name == base or (package and name.startswith(base + "."))) and len(base) > best_len:
                best, best_len = index, len(base)
    return best


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _package_of(module: Module) -> str:
    return module.name if module.is_package else module.name.rpartition(".")[0]


def violations(modules: list[Module]) -> set[str]:
    known = {m.name for m in modules}
    found: set[str] = set()
    graph: dict[str, set[str]] = {}
    for module in modules:
        lines = len(module.source.splitlines())
        if lines > MAX_LINES and module.name not in SIZE_EXEMPT:
            found.add(f"size: {module.name} has more than {MAX_LINES} lines")
        own_stage = stage_of(module.name)
        if own_stage is None:
            found.add(f"unplaced: {module.name} is in no stage (add it to STAGES)")
        imports = imports_of(module, known)
        graph[module.name] = {i.module for i in imports if i.module != module.name}
        for imp in imports:
            if imp.module == module.name:
                continue
            their_stage = stage_of(imp.module)
            if own_stage is not None and their_stage is not None and their_stage > own_stage:
                found.add(f"upward: {module.name} ({STAGES[own_stage][0]}) imports {imp.module} "
                          f"({STAGES[their_stage][0]})")
            if imp.name is not None and _private(imp.name) and f"{imp.module}.{imp.name}" not in known:
                found.add(f"private: {module.name} imports {imp.name} from {imp.module}")
            last = imp.module.rpartition(".")[2]
            target_package = imp.module.rpartition(".")[0]
            if (_private(last) and target_package != _package_of(module)
                    and not module.name.startswith(target_package + ".")):
                found.add(f"private: {module.name} imports {imp.module}, a private module of another package")
            if module.name == PACK or module.name.startswith(PACK + "."):
                inside = imp.module == PACK or imp.module.startswith(PACK + ".")
                if inside and imp.module != PACK and not _private(imp.module.rpartition(".")[2]):
                    found.add(f"rule pack: {module.name} imports {imp.module}, another rule")
                elif not inside and imp.module not in PUBLIC_RULE_API:
                    found.add(f"rule pack: {module.name} imports {imp.module}, not the public rule API")
    for circle in _circles(graph):
        found.add("circle: " + ", ".join(sorted(circle)))
    return found


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


@pytest.fixture(scope="module")
def found() -> set[str]:
    return violations(project_modules())


def test_no_new_violations(found):
    new = sorted(found - KNOWN_VIOLATIONS)
    assert not new, "new violations of the code's layering (fix them; do not list them):\n" + "\n".join(new)


def test_known_violations_still_exist(found):
    gone = sorted(KNOWN_VIOLATIONS - found)
    assert not gone, "fixed, so remove from KNOWN_VIOLATIONS:\n" + "\n".join(gone)


def test_the_walk_sees_every_module_and_imports_inside_functions():
    modules = project_modules()
    names = {m.name for m in modules}
    assert {"rdspolicy", "rdspolicy.pipeline", "rdspolicy.evaluate", PACK, f"{PACK}._rds"} <= names
    cli = next(m for m in modules if m.name == "rdspolicy.cli")
    # cli imports the pipeline inside a function only
    assert "rdspolicy.pipeline" in {i.module for i in imports_of(cli, names)}


def test_the_checker_reports_a_circle_an_upward_import_and_the_rest():
    """A synthetic project with one of each violation: every one is reported."""
    def mod(name: str, source: str, package: bool = False) -> Module:
        return Module(name, source, package)

    modules = [
        mod("rdspolicy", "", True),
        # a circle through an import inside a function
        mod("rdspolicy.errors", "def f():\n    from . import limits\n"),
        mod("rdspolicy.limits", "from .errors import E\n"),
        # foundation importing the pipeline: upward
        mod("rdspolicy.record", "from rdspolicy.pipeline import check\n"),
        mod("rdspolicy.pipeline", "from .errors import _private_name\n"),
        mod("rdspolicy.report", "", True),
        mod("rdspolicy.report._common", ""),
        mod("rdspolicy.cli", "from .report import _common\n" + "x = 1\n" * (MAX_LINES + 1)),
        mod(PACK, "from rdspolicy import hookimpl\n", True),
        mod(f"{PACK}._shared", "from rdspolicy.rule import Rule\n"),
        mod(f"{PACK}.one", "from . import _shared\nfrom .two import helper\nfrom rdspolicy.pipeline import check\n"),
        mod(f"{PACK}.two", "def helper(): pass\n"),
        mod("rdspolicy.nowhere", ""),
        # an import only for annotations is not run: no circle, no upward import
        mod("rdspolicy.syntax", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .cli import x\n"),
    ]
    assert violations(modules) == {
        "circle: rdspolicy.errors, rdspolicy.limits",
        "upward: rdspolicy.record (foundation) imports rdspolicy.pipeline (pipeline)",
        "upward: rdspolicy_rules.one (built-in rules) imports rdspolicy.pipeline (pipeline)",
        "private: rdspolicy.pipeline imports _private_name from rdspolicy.errors",
        f"size: rdspolicy.cli has more than {MAX_LINES} lines",
        "rule pack: rdspolicy_rules.one imports rdspolicy_rules.two, another rule",
        "rule pack: rdspolicy_rules.one imports rdspolicy.pipeline, not the public rule API",
        "private: rdspolicy.cli imports rdspolicy.report._common, a private module of another package",
        "unplaced: rdspolicy.nowhere is in no stage (add it to STAGES)",
    }
