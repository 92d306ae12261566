"""Parse stage: Terraform text -> :mod:`rdspolicy.syntax` trees with positions.

The package, from the bottom up:

* :mod:`.grammar` -- python-hcl2's grammar, patched, compiled once and kept (packaged,
  or in the user's cache folder), and the post-lexer;
* :mod:`.messages` -- parse errors in words a Terraform user knows;
* :mod:`.templates` -- templates written as raw text (heredoc bodies): where their
  sequences end, strip markers and indentation;
* :mod:`.hcl` -- the HCL tree builder: python-hcl2's Lark tree -> our tree;
* :mod:`.jsonsyntax` -- ``.tf.json`` and ``.tfvars.json`` files -> the same trees.

Reading files (:func:`~rdspolicy.fileio.read_text`) is below it, in
:mod:`rdspolicy.fileio`; the parse cache (:mod:`rdspolicy.cache`) is above it.
``python -m rdspolicy.parse --write-packaged-grammar`` remakes the packaged grammar.
"""

from __future__ import annotations

from .. import syntax as S
from ..fileio import cache_dir, read_text, write_atomically
from .grammar import get_parser, grammar_key, write_packaged_grammar
from .hcl import parse_expression, parse_hcl, parse_template

__all__ = [
    "cache_dir", "get_parser", "grammar_key", "parse_expression", "parse_file", "parse_hcl", "parse_template",
    "read_text", "write_atomically", "write_packaged_grammar",
]


def parse_file(path: str, text: str | None = None) -> S.File:
    """Parse one ``.tf``, ``.tfvars``, ``.tf.json`` or ``.tfvars.json`` file."""
    if text is None:
        text = read_text(path)
    if path.endswith(".json"):
        from .jsonsyntax import parse_json_file  # most runs read no JSON: not imported on start-up

        return parse_json_file(path, text)
    return parse_hcl(path, text)
