"""Parse stage: Terraform text -> :mod:`rdspolicy.syntax` trees with positions.

We use python-hcl2's grammar and post-lexer to get its raw Lark parse tree (positions
propagated, comments kept as tokens) and convert that tree ourselves.  Skipping
python-hcl2's typed tree saves about 40% of the parse time, and our tree is small and
picklable for the parse cache.

python-hcl2 caches its compiled grammar inside site-packages; we never let it write
there.  Our grammar cache lives in the user cache folder (``RDSPOLICY_CACHE_DIR``
overrides) and is written atomically; a read-only or corrupt cache falls back to
compiling the grammar in memory.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from pathlib import Path

from . import syntax as S
from .errors import SourceError

# python-hcl2's tree positions and grammar are what we rely on: the version is pinned
# in pyproject.toml and part of every cache key.
HCL2_GRAMMAR = "hcl2.lark"

_parser = None

# python-hcl2's grammar has no strip markers on an interpolation ("${~ x ~}"), which HCL
# has; the rule is patched in (and the patch named in the grammar cache key).
_GRAMMAR_PATCH = "strip1"
_INTERPOLATION_RULE = "interpolation: INTERP_START expression RBRACE"
_INTERPOLATION_PATCHED = "interpolation: INTERP_START STRIP_MARKER? expression STRIP_MARKER? RBRACE"


def _hcl2_file(name: str) -> str:
    """A file of the installed python-hcl2, found without importing it (its package
    imports its whole transformer, about 0.1 s)."""
    import importlib.util

    spec = importlib.util.find_spec("hcl2")
    if spec is None or not spec.origin:  # pragma: no cover - the dependency is always installed
        raise ImportError("python-hcl2 is not installed")
    return os.path.join(os.path.dirname(spec.origin), name)


def _grammar_text() -> str:
    """python-hcl2's grammar with our patch."""
    with open(_hcl2_file(HCL2_GRAMMAR), encoding="utf-8") as handle:
        text = handle.read()
    if _INTERPOLATION_RULE in text:
        text = text.replace(_INTERPOLATION_RULE, _INTERPOLATION_PATCHED)
    return text


def _hcl2_version() -> str:
    """python-hcl2's version, read from its ``version.py`` (importlib.metadata costs
    about 30 ms to import)."""
    try:
        with open(_hcl2_file("version.py"), encoding="utf-8") as handle:
            found = re.search(r"""^(?:__version__ = )?version = ['"]([^'"]+)['"]""", handle.read(), re.M)
        if found:
            return found.group(1)
    except (OSError, ImportError):  # pragma: no cover
        pass
    from importlib.metadata import version  # pragma: no cover - another layout

    return version("python-hcl2")  # pragma: no cover


def cache_dir() -> Path:
    override = os.environ.get("RDSPOLICY_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rdspolicy"


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


def _grammar_cache_path(key: str) -> Path:
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


class _TooDeep(Exception):
    def __init__(self, token):
        super().__init__("nested too deeply")
        self.token = token


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

    from .limits import MAX_NESTING

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
                    if kind in _OPERATOR_TYPES:
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
                        raise _TooDeep(token)
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
        _parser = _load_grammar(Lark, _read_packaged(), key)
        if _parser is None:
            path = _grammar_cache_path(key)
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            _parser = _load_grammar(Lark, data, key)
    if _parser is None:
        _parser = _compile(Lark)
        if key is not None:
            _store_grammar(_parser, key, path)
    return _parser


def _compile(Lark):
    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, postlex=_post_lexer(),
                edit_terminals=_edit_terminal)


# A grammar entry: this magic, the grammar key (see :func:`grammar_key`) and a new line,
# the SHA-256 of the rest, then lark's own serialization of the compiled parser.  The
# packaged entry (``hcl2-grammar.bin``, zlib-compressed) is made by
# ``python -m rdspolicy.parse --write-packaged-grammar``; tests/test_parse.py checks it
# is current.  (lark's ``cache=`` option keys its entries by the cache file's own name,
# so an entry written to a temporary name and renamed is never valid; we store and check
# entries ourselves.)
_GRAMMAR_MAGIC = b"RDSPOLICY-GRAMMAR-2\n"
PACKAGED_GRAMMAR: Path | None = Path(__file__).with_name("hcl2-grammar.bin")


def _read_packaged() -> bytes | None:
    import zlib

    if PACKAGED_GRAMMAR is None:
        return None
    try:
        return zlib.decompress(PACKAGED_GRAMMAR.read_bytes())
    except (OSError, zlib.error):
        return None


def _load_grammar(Lark, data: bytes | None, key: str):
    """The parser in a grammar entry, or None unless ``data`` is a whole, valid entry
    for ``key``."""
    import hashlib
    import io

    if not data:
        return None
    head = _GRAMMAR_MAGIC + key.encode() + b"\n"
    payload = data[len(head) + 32:]
    if not data.startswith(head) or hashlib.sha256(payload).digest() != data[len(head):len(head) + 32]:
        return None
    try:
        # the terminals are stored as edited; the post-lexer is ours, given again
        return Lark.__new__(Lark)._load(io.BytesIO(payload), postlex=_post_lexer(), propagate_positions=True)
    except Exception:  # an entry of another lark: compile instead
        return None


def _entry(parser, key: str) -> bytes | None:
    import hashlib
    import io

    buffer = io.BytesIO()
    try:
        parser.save(buffer, exclude_options=("postlex", "edit_terminals"))
    except Exception:  # pragma: no cover - lark could not serialize: no cache
        return None
    payload = buffer.getvalue()
    return _GRAMMAR_MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload


def _store_grammar(parser, key: str, path: Path) -> None:
    """Write the entry to a temporary file next to ``path`` and rename it into place, so
    concurrent processes never read half an entry; a folder we cannot write is no error."""
    data = _entry(parser, key)
    if data is None:  # pragma: no cover
        return
    write_atomically(path, data, ".grammar-", ".tmp")


def write_atomically(path: Path, data: bytes, prefix: str, suffix: str) -> bool:
    """Write ``data`` to a temporary file next to ``path`` and rename it into place.
    False when no temporary file can be made there (a folder we cannot write); a failure
    after that leaves no temporary file behind and is no error either."""
    import tempfile  # (with shutil, bz2 and lzma) only when something is written: not on a warm run

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return True


def write_packaged_grammar(path: Path | None = None) -> Path:
    """Compile the grammar and write the packaged entry (run when python-hcl2, lark or
    our grammar changes; the test of the packaged grammar says when)."""
    import zlib

    from lark import Lark

    target = path or Path(__file__).with_name("hcl2-grammar.bin")
    data = _entry(_compile(Lark), grammar_key())
    assert data is not None
    target.write_bytes(zlib.compress(data, 9))
    return target


# ---------------------------------------------------------------- reading files


def read_text(path: str) -> str:
    """Read a Terraform file as Terraform does: UTF-8, an optional byte-order mark
    ignored, CRLF treated as LF."""
    from .limits import max_file_bytes, size_text

    limit = max_file_bytes()
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # never more than the limit into memory
    except FileNotFoundError:
        raise SourceError(path, 0, 0, "the file disappeared before it could be read") from None
    except IsADirectoryError:
        raise SourceError(path, 0, 0, "this is a folder, not a file") from None
    except OSError as exc:
        raise SourceError(path, 0, 0, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise SourceError(path, 0, 0, f"the file is larger than {size_text(limit)}, the most rdspolicy parses "
                                      f"(set RDSPOLICY_MAX_FILE_SIZE to change it); it was not checked",
                          "file-too-large")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\0" in data[:8192]:
        raise SourceError(path, 0, 0, "this looks like a binary file, not Terraform text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            path, line, column, "the file is not valid UTF-8 text (Terraform files must be UTF-8)"
        ) from None
    return text.replace("\r\n", "\n")


def parse_file(path: str, text: str | None = None) -> S.File:
    """Parse one ``.tf``, ``.tfvars``, ``.tf.json`` or ``.tfvars.json`` file."""
    if text is None:
        text = read_text(path)
    if path.endswith(".json"):
        from .jsonsyntax import parse_json_file

        return parse_json_file(path, text)
    return parse_hcl(path, text)


def parse_hcl(path: str, text: str) -> S.File:
    parser = get_parser()
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        tree = parser.parse(text + "\n")
    except UnexpectedCharacters as exc:
        raise SourceError(path, exc.line, exc.column, _describe_bad_character(text, exc)) from None
    except UnexpectedToken as exc:
        message = _describe_unexpected(exc)
        line, column = exc.line, exc.column
        header = _unfinished_header(text, exc)
        if header is not None:
            line, column, message = header
        if message.startswith("a string is not closed"):
            column = _opening_quote(text, line, column)
        raise SourceError(path, line, column, message) from None
    except UnexpectedEOF as exc:
        raise SourceError(
            path, *_end_position(text), "the file ends too early: " + _expected_words(exc.expected)
        ) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise SourceError(path, getattr(exc, "line", 0), getattr(exc, "column", 0), str(exc)) from None
    except _TooDeep as exc:
        from .limits import MAX_NESTING

        raise SourceError(path, exc.token.line, exc.token.column,
                          f"brackets, braces or parentheses are nested more than {MAX_NESTING} levels deep here; "
                          f"rdspolicy does not check a file nested this deeply", "too-deep") from None
    except RecursionError:
        raise SourceError(path, 1, 1, "the expressions are nested too deeply to check", "too-deep") from None
    converter = _Converter(path)
    try:
        body = converter.body(tree.children[0])
    except RecursionError:
        raise SourceError(path, 1, 1, "the expressions are nested too deeply to check", "too-deep") from None
    return S.File(path, body, converter.comments)


def _unfinished_header(text: str, exc) -> tuple[int, int, str] | None:
    """``engine "postgres"`` (no '='): the parser reads a block header and complains only
    at the next line's first token.  Point at the line that lacks '=' or '{' instead."""
    expected = set(exc.expected or ())
    if "LBRACE" not in expected or not expected <= {"LBRACE", "NAME", "DBLQUOTE", "NL_OR_COMMENT"}:
        return None
    start = getattr(exc.token, "start_pos", None)
    if not isinstance(start, int) or start > len(text):
        return None
    end = start
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    line = text.count("\n", 0, end) + 1
    if end == 0 or line >= exc.line:
        return None  # the token is on the header's own line: the usual message is clear
    line_start = text.rfind("\n", 0, end) + 1
    header = text[line_start:end]
    column = len(header) - len(header.lstrip()) + 1
    first = header.split()[0] if header.split() else ""
    return line, column, (
        f"this line is incomplete: an attribute needs '=' ({first[:30]} = value), "
        f"a block needs '{{' at the end of the line"
    )


def _opening_quote(text: str, line: int, column: int) -> int:
    """The column of the quote that opened the unclosed string on ``line``."""
    lines = text.split("\n")
    if 0 < line <= len(lines):
        found = lines[line - 1].rfind('"', 0, max(column - 1, 0))
        if found >= 0:
            return found + 1
    return column


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


# Terminal names of the grammar, in words a Terraform user knows.
_TOKEN_WORDS = {
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "DBLQUOTE": "a closing '\"'",
    "NAME": "a name",
    "NL_OR_COMMENT": "a new line",
    "STRING_CHARS": "text",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "QMARK": "'?'",
    "INTERP_START": "'${'",
    "$END": "the end of the file",
    "FOR_OBJECT_ARROW": "'=>'",
    "ELLIPSIS": "'...'",
}


def _token_words(name: str) -> str:
    if name in _TOKEN_WORDS:
        return _TOKEN_WORDS[name]
    if name.startswith("__ANON"):
        return "a symbol"
    return name.lower().replace("_", " ")


_VALUE_STARTS = {"INT_LITERAL", "DBLQUOTE", "NAME", "LSQB", "LBRACE"}


def _expected_words(expected) -> str:
    expected = set(expected or ())
    if _VALUE_STARTS <= expected:
        return "expected a value (an expression)"
    names = sorted({_token_words(n) for n in expected})
    if not names:
        return "more input was expected"
    if len(names) > 6:
        return "expected an expression, attribute or block to continue"
    return "expected " + " or ".join(names)


def _describe_unexpected(exc) -> str:
    token = exc.token
    kind = token.type
    lines = [part.strip() for part in str(token).split("\n") if part.strip()]
    value = lines[-1] if lines else ""  # an operator may carry the new lines before it
    expected = set(exc.expected or ())
    if "DBLQUOTE" in expected and "STRING_CHARS" in expected and kind in ("$END", "NL_OR_COMMENT"):
        return "a string is not closed: a quoted string must end with '\"' on the same line"
    if kind == "RBRACE" and expected <= {"$END", "NL_OR_COMMENT"}:
        return "unexpected '}': there is no open block here for it to close"
    if kind == "$END":
        what = "the file ends here"
        if "RBRACE" in (exc.expected or ()):
            return "a block is not closed: the file ends before its closing '}'"
        return what + "; " + _expected_words(exc.expected)
    if kind == "STRING_CHARS" and str(token).startswith("<<"):
        marker = str(token)[2:].split("\n", 1)[0].lstrip("-").strip()
        return (f"a heredoc is not closed: <<{marker[:30]} needs a line holding only {marker[:30]} to end it"
                if marker else "a heredoc needs a marker name after '<<'")
    if kind == "NL_OR_COMMENT":
        shown = "the end of the line"
    elif kind == "STRING_CHARS" and "DBLQUOTE" not in expected - {"DBLQUOTE"} and lines:
        # the lexer fell back to reading the rest as text: show where that text starts
        first = str(token).strip().split()[0] if str(token).strip() else ""
        shown = f"'{first[:30]}'"
    else:
        shown = f"'{value[:30]}'" if value else _token_words(kind)
    if "NL_OR_COMMENT" in expected and len(expected) > 6:
        return f"unexpected {shown}; expected the end of the line (one attribute or block per line)"
    if kind == "EQ" and "EQ" not in expected:
        return f"unexpected {shown}: an attribute needs a single name before '=' (and a block needs '{{')"
    return f"unexpected {shown}; {_expected_words(exc.expected)}"


def _describe_bad_character(text: str, exc) -> str:
    char = exc.char
    if char == '"':
        return "a string is not closed: '\"' without a matching closing quote on this line"
    if char in "\r\n":
        return "unexpected end of line; " + _expected_words(getattr(exc, "allowed", ()))
    printable = char if char.isprintable() else repr(char)
    return f"unexpected character '{printable}' here; this is not valid HCL syntax"


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


class _Converter:
    """Turns python-hcl2's raw Lark tree into :mod:`syntax` nodes."""

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
                if child.type == "NL_OR_COMMENT" or child.type in _OPERATOR_TYPES:
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
        from .evaluate.values import normalize_number

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
        body = _heredoc_body("".join(l + "\n" for l in lines), trim)
        pos = _pos(tree.meta)
        return self._template_from_text(body, S.Pos(pos.line + 1, 1, pos.end_line, pos.end_column))

    def _template_from_text(self, text: str, pos: S.Pos) -> S.Expr:
        """A template written as raw text (heredoc bodies): find the ``${}``/``%{}``
        sequences ourselves and parse each as a quoted string would be."""
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
                end = _template_sequence_end(text, i + 2)
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
        _reposition(result, pos)
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


_OPERATOR_TYPES = frozenset(
    {"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
     "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK"}
)


def _heredoc_tokens(text: str) -> list[list]:
    """A heredoc body as HCL scans it: literal pieces, each ending at a new line, and
    ``${...}``/``%{...}`` sequences, as ``[is_sequence, text]``."""
    tokens: list[list] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            tokens.append([False, "".join(literal)])
            literal.clear()

    i = 0
    while i < len(text):
        if text.startswith(("$${", "%%{"), i):
            literal.append(text[i:i + 3])
            i += 3
        elif text.startswith(("${", "%{"), i) and (end := _template_sequence_end(text, i + 2)) >= 0:
            flush()
            tokens.append([True, text[i:end + 1]])
            i = end + 1
        else:
            literal.append(text[i])
            if text[i] == "\n":
                flush()
            i += 1
    flush()
    return tokens


def _heredoc_body(text: str, trim: bool) -> str:
    """Apply a heredoc's strip markers and, for ``<<-``, remove its indentation, in HCL's
    order: a ``~`` strips the white space of the literal piece next to it (a piece ends
    at a new line); then the smallest indentation of the lines is removed, where a line
    that starts with a sequence, or whose indentation a ``~`` removed, counts as 0 and a
    line of white space only does not count.  The markers are dropped from the text."""
    tokens = _heredoc_tokens(text)
    for index, (is_sequence, piece) in enumerate(tokens):
        if not is_sequence:
            continue
        if piece[2:3] == "~":
            if index > 0 and not tokens[index - 1][0]:
                tokens[index - 1][1] = tokens[index - 1][1].rstrip()
            piece = piece[:2] + piece[3:]
        if piece.endswith("~}"):
            if index + 1 < len(tokens) and not tokens[index + 1][0]:
                tokens[index + 1][1] = tokens[index + 1][1].lstrip()
            piece = piece[:-2] + "}"
        tokens[index][1] = piece
    if trim:
        smallest, adjust, line_start = None, [], True
        for token in tokens:
            is_sequence, piece = token
            if line_start:
                if is_sequence:
                    spaces = 0
                elif not piece.strip() and piece.endswith("\n"):
                    spaces = None  # a blank line
                else:
                    spaces = len(piece) - len(piece.lstrip(" \t"))
                    adjust.append(token)
                if spaces is not None and (smallest is None or spaces < smallest):
                    smallest = spaces
            line_start = not is_sequence and piece.endswith("\n")
        for token in adjust:
            token[1] = token[1][smallest or 0:]
    return "".join(piece for _, piece in tokens)


def _template_sequence_end(text: str, start: int) -> int:
    """Index of the ``}`` closing a template sequence opened just before ``start``;
    quoted strings inside it may hold template sequences of their own."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _quoted_end(text, i + 1)
            if i < 0:
                return -1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _quoted_end(text: str, i: int) -> int:
    """Index of the ``"`` closing a quoted string whose text starts at ``i``."""
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        if text.startswith(("$${", "%%{"), i):
            i += 3
            continue
        if text.startswith(("${", "%{"), i):
            end = _template_sequence_end(text, i + 2)
            if end < 0:
                return -1
            i = end + 1
            continue
        i += 1
    return -1


def _reposition(node, pos: S.Pos) -> None:
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
    converter = _Converter(path)
    try:
        return converter._template_from_text(text, S.Pos(1, 1, 1, 1))
    except RecursionError:
        raise SourceError(path, 1, 1, "the template is nested too deeply to evaluate") from None


if __name__ == "__main__":  # python -m rdspolicy.parse --write-packaged-grammar
    if sys.argv[1:] != ["--write-packaged-grammar"]:
        sys.exit("usage: python -m rdspolicy.parse --write-packaged-grammar")
    print(write_packaged_grammar())
