"""The built-in rules use rdspolicy's public rule API only: no rule imports the
evaluator, the parser or the pipeline, nor another module's private names (shared
knowledge lives in rules/_rds.py under public names)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parent.parent / "rules"
# what a rule may import from rdspolicy (rdspolicy.models for annotations)
PUBLIC = {"rdspolicy", "rdspolicy.rule", "rdspolicy.syntax", "rdspolicy.record", "rdspolicy.models"}


def _imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) of each imported name; name is "" for ``import module``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            out += [(node.lineno, module, alias.name) for alias in node.names]
    return out


@pytest.mark.parametrize("path", sorted(RULES.glob("*.py")), ids=lambda p: p.name)
def test_a_rule_imports_only_public_names(path):
    bad = []
    for line, module, name in _imports(path):
        where = f"{path.name}:{line}: {module}{' ' + name if name else ''}"
        if module.startswith("rdspolicy") and module not in PUBLIC:
            bad.append(f"{where}: rdspolicy internals (use rdspolicy.rule: Context, Rule, ...)")
        if name.startswith("_") and name != "__future__" and not (module == "." and name == "_rds"):
            bad.append(f"{where}: a private name of another module")
    assert not bad, "\n".join(bad)
