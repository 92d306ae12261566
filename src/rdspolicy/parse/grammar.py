"""The HCL grammar: python-hcl2's, patched, compiled once and kept.

We use python-hcl2's grammar and post-lexer to get its raw Lark parse tree (positions
propagated, comments kept as tokens); :mod:`.hcl` turns that tree into ours.

python-hcl2 caches its compiled grammar inside site-packages; we never let it write
there.  The compiled grammar comes with rdspolicy (``hcl2-grammar.bin``, next to this
module); when it does not match the installed python-hcl2 and lark, our grammar cache
in the user cache folder (``RDSPOLICY_CACHE_DIR`` overrides) is used, written
atomically; a read-only or corrupt cache falls back to compiling the grammar in memory.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..fileio import cache_dir, write_atomically

# python-hcl2's tree positions and grammar are what we rely on: the version is pinned
# in pyproject.toml and part of every cache key.
HCL2_GRAMMAR = "hcl2.lark"

_parser = None

# python-hcl2's grammar has no strip markers on an interpolation ("${~ x ~}"), which HCL
# has; the rule is patched in (and the patch named in the grammar cache key).
_GRAMMAR_PATCH = "strip1"
_INTERPOLATION_RULE = "interpolation: INTERP_START expression RBRACE"
_INTERPOLATION_PATCHED = "interpolation: INTERP_START STRIP_MARKER? expression STRIP_MARKER? RBRACE"


def _package_file(package: str, name: str) -> str:
    """A file of an installed package, found without importing it (python-hcl2's
    package imports its whole transformer, about 0.1 s; a warm run never imports lark)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:  # pragma: no cover - the dependencies are always installed
        raise ImportError(f"{package} is not installed")
    return os.path.join(os.path.dirname(spec.origin), name)


def _grammar_text() -> str:
    """python-hcl2's grammar with our patch."""
    with open(_package_file("hcl2", HCL2_GRAMMAR), encoding="utf-8") as handle:
        text = handle.read()
    if _INTERPOLATION_RULE in text:
        text = text.replace(_INTERPOLATION_RULE, _INTERPOLATION_PATCHED)
    return text


def hcl2_version() -> str:
    """python-hcl2's version, read from its ``version.py`` (importlib.metadata costs
    about 30 ms to import)."""
    return _version("hcl2", "version.py", r"""^(?:__version__ = )?version = ['"]([^'"]+)['"]""", "python-hcl2")


def lark_version() -> str:
    """lark's version, read from its ``__init__.py`` (without importing lark)."""
    return _version("lark", "__init__.py", r"""^__version__(?:: *str)? = ['"]([^'"]+)['"]""", "lark")


def _version(package: str, file: str, pattern: str, distribution: str) -> str:
    try:
        with open(_package_file(package, file), encoding="utf-8") as handle:
            found = re.search(pattern, handle.read(), re.M)
        if found:
            return found.group(1)
    except (OSError, ImportError):  # pragma: no cover
        pass
    from importlib.metadata import version  # pragma: no cover - another layout

    return version(distribution)  # pragma: no cover


def _import_lark() -> None:
    """Import lark without the third-party ``regex`` module.  lark imports ``regex``
    whenever it is installed (python-hcl2 requires it), but uses it only for a parser
    made with ``regex=True``; ours uses the standard ``re`` (its terminals have no
    Unicode property classes), and importing ``regex`` took about a tenth of a cold
    run.  Code that imports ``regex`` itself later still gets it."""
    if "lark" in sys.modules:
        return
    blocked = "regex" not in sys.modules
    if blocked:
        sys.modules["regex"] = None  # type: ignore[assignment]  # an ImportError for lark
    try:
        import lark  # noqa: F401
    finally:
        if blocked and sys.modules.get("regex", 0) is None:
            del sys.modules["regex"]


def grammar_key() -> str:
    """What decides the compiled parser: python-hcl2's grammar text as we patch it, our
    terminal edits and the lark version.  Packaged and cached entries carry it."""
    import hashlib

    _import_lark()
    import lark

    digest = hashlib.sha256(_grammar_text().encode("utf-8"))
    digest.update(f";{_GRAMMAR_PATCH};{_GRAMMAR_EDITS};lark-{lark.__version__}".encode())
    return digest.hexdigest()


def grammar_cache_path(key: str) -> Path:
    """Where the user's grammar cache keeps the entry for ``key``."""
    return cache_dir() / f"grammar-{key[:32]}.bin"


# Our changes to python-hcl2's grammar (part of the grammar cache's name):
# STRING_CHARS matches possessively -- the same text, but without the backtracking
# stack that cost about 200 bytes per character of a long string (a 5 MB string took
# 1 GB and 4 s; now 70 MB and 0.4 s); so do heredoc bodies.  "$${" and "%%{" are
# escapes on their own, as in Terraform, not only when a '}' follows.
_GRAMMAR_EDITS = "rdsp2"
_STRING_CHARS = r'(?:[^"\\$%]|\\.|\$(?!\$?\{)|%(?!%?\{))++'


def _edit_terminal(terminal) -> None:
    if terminal.name == "STRING_CHARS":
        terminal.pattern.value = _STRING_CHARS
    elif terminal.name == "ESCAPED_INTERPOLATION":
        # "$${" alone is a literal "${" (python-hcl2 wants a closing '}' after it)
        terminal.pattern.value = r"\$\$\{"
    elif terminal.name == "ESCAPED_DIRECTIVE":
        terminal.pattern.value = r"%%\{"
    elif terminal.name.startswith("HEREDOC_TEMPLATE"):
        # any character, lazily: one character class instead of an alternation, so the
        # regex engine keeps no backtracking state per character of a long heredoc
        terminal.pattern.value = terminal.pattern.value.replace("(?:.|\n)*?", "[\\s\\S]*?")


class TooDeep(Exception):
    """Raised by the post-lexer at a token nested too deeply (see :func:`_post_lexer`)."""

    def __init__(self, token):
        super().__init__("nested too deeply")
        self.token = token


# the binary operators, which python-hcl2's post-lexer merges the new lines before into
# (and the tree builder collects the comments of)
OPERATOR_TYPES = frozenset(
    {"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
     "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK"}
)
_OPENERS = frozenset({"LPAR", "LSQB", "LBRACE", "INTERP_START", "DIRECTIVE_START"})
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})


def _post_lexer():
    """python-hcl2's post-lexer, changed in two ways: all the new lines and comment
    lines before a binary operator are merged into it (python-hcl2 merges only the
    last, so a comment line before ``+`` inside parentheses failed to parse), and
    nesting deeper than :data:`~rdspolicy.limits.MAX_NESTING` stops the parse at once
    (the LALR parser needs about 0.2 ms per level of parentheses, and what follows it
    recurses)."""
    from lark import Token

    from ..limits import MAX_NESTING

    class PostLexerRdspolicy:
        always_accept = ()  # lark asks a post-lexer for terminals to accept always

        def process(self, stream):
            depth = 0
            pending: list = []
            for token in stream:
                kind = token.type
                if kind == "NL_OR_COMMENT":
                    pending.append(token)
                    continue
                if pending:
                    if kind in OPERATOR_TYPES:
                        # the merged token starts where the first new line or comment
                        # does, so that comments keep their own lines
                        first = pending[0]
                        token = Token(kind, "".join(str(t) for t in pending) + str(token),
                                      start_pos=first.start_pos, line=first.line, column=first.column,
                                      end_line=token.end_line, end_column=token.end_column,
                                      end_pos=token.end_pos)
                    else:
                        yield from pending
                    pending = []
                if kind in _OPENERS:
                    depth += 1
                    if depth > MAX_NESTING:
                        raise TooDeep(token)
                elif kind in _CLOSERS:
                    depth -= 1
                yield token
            yield from pending

    return PostLexerRdspolicy()


def get_parser():
    """The LALR parser for HCL, built once per process: the one packaged with rdspolicy
    when it was compiled from this python-hcl2 grammar and lark, else the user's cached
    one, else compiled (seconds) and cached for next time."""
    global _parser
    if _parser is not None:
        return _parser
    _import_lark()
    from lark import Lark

    try:
        key = grammar_key()
    except Exception:  # pragma: no cover - python-hcl2's grammar unreadable: lark will say so
        key = None
    if key is not None:
        _parser = load_grammar(Lark, _read_packaged(), key)
        if _parser is None:
            path = grammar_cache_path(key)
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            _parser = load_grammar(Lark, data, key)
    if _parser is None:
        _parser = compile_parser(Lark)
        if key is not None:
            _store_grammar(_parser, key, path)
    return _parser


def compile_parser(Lark):
    """Compile the patched grammar (seconds): what the packaged and cached entries save."""
    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, postlex=_post_lexer(),
                edit_terminals=_edit_terminal)


# A grammar entry: this magic, the grammar key (see :func:`grammar_key`) and a new line,
# the SHA-256 of the rest, then lark's own serialization of the compiled parser.  The
# packaged entry (``hcl2-grammar.bin``, zlib-compressed) is made by
# ``python -m rdspolicy.parse --write-packaged-grammar``; tests/test_parse.py checks it
# is current.  (lark's ``cache=`` option keys its entries by the cache file's own name,
# so an entry written to a temporary name and renamed is never valid; we store and check
# entries ourselves.)
GRAMMAR_MAGIC = b"RDSPOLICY-GRAMMAR-2\n"
PACKAGED_GRAMMAR: Path | None = Path(__file__).with_name("hcl2-grammar.bin")


def _read_packaged() -> bytes | None:
    import zlib

    if PACKAGED_GRAMMAR is None:
        return None
    try:
        return zlib.decompress(PACKAGED_GRAMMAR.read_bytes())
    except (OSError, zlib.error):
        return None


def load_grammar(Lark, data: bytes | None, key: str):
    """The parser in a grammar entry, or None unless ``data`` is a whole, valid entry
    for ``key``."""
    import hashlib
    import io

    if not data:
        return None
    head = GRAMMAR_MAGIC + key.encode() + b"\n"
    payload = data[len(head) + 32:]
    if not data.startswith(head) or hashlib.sha256(payload).digest() != data[len(head):len(head) + 32]:
        return None
    try:
        # the terminals are stored as edited; the post-lexer is ours, given again
        return Lark.__new__(Lark)._load(io.BytesIO(payload), postlex=_post_lexer(), propagate_positions=True)
    except Exception:  # an entry of another lark: compile instead
        return None


def grammar_entry(parser, key: str) -> bytes | None:
    """The grammar entry of a compiled ``parser`` under ``key`` (None if lark cannot
    serialize it)."""
    import hashlib
    import io

    buffer = io.BytesIO()
    try:
        parser.save(buffer, exclude_options=("postlex", "edit_terminals"))
    except Exception:  # pragma: no cover - lark could not serialize: no cache
        return None
    payload = buffer.getvalue()
    return GRAMMAR_MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload


def _store_grammar(parser, key: str, path: Path) -> None:
    """Write the entry to a temporary file next to ``path`` and rename it into place, so
    concurrent processes never read half an entry; a folder we cannot write is no error."""
    data = grammar_entry(parser, key)
    if data is None:  # pragma: no cover
        return
    write_atomically(path, data, ".grammar-", ".tmp")


def write_packaged_grammar(path: Path | None = None) -> Path:
    """Compile the grammar and write the packaged entry (run when python-hcl2, lark or
    our grammar changes; the test of the packaged grammar says when)."""
    import zlib

    from lark import Lark

    target = path or Path(__file__).with_name("hcl2-grammar.bin")
    data = grammar_entry(compile_parser(Lark), grammar_key())
    assert data is not None
    target.write_bytes(zlib.compress(data, 9))
    return target
