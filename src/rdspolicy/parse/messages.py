"""Parse errors in words a Terraform user knows: lark's exceptions turned into
diagnostics that say where (the line that lacks '=', the quote that opened an unclosed
string, the first line of a block without its '}': see :mod:`.unclosed`) and what is
wrong."""

from __future__ import annotations

from ..errors import SourceError
from .grammar import TooDeep


def syntax_error(path: str, text: str, exc: Exception) -> SourceError:
    """The diagnostic for ``exc``, raised by the parser reading ``text`` (a lark
    ``UnexpectedInput``, :class:`~.grammar.TooDeep` or a ``RecursionError``)."""
    from lark.exceptions import UnexpectedInput

    error = _parser_error(path, text, exc)
    if isinstance(exc, UnexpectedInput):
        # a string, template or heredoc left open before the place the parser gave up,
        # or a block without its '}': reported where it was opened, as Terraform does
        from .unclosed import find

        opened = find(text)
        if opened is not None and (
            opened.line <= error.line if opened.kind != "block"
            else error.message.startswith(("unclosed block", "the file ends"))
        ):
            return SourceError(path, opened.line, opened.column, opened.message)
    return error


def _parser_error(path: str, text: str, exc: Exception) -> SourceError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        return SourceError(path, exc.line, exc.column, _describe_bad_character(text, exc))
    if isinstance(exc, UnexpectedToken):
        message = _describe_unexpected(exc)
        line, column = exc.line, exc.column
        header = _unfinished_header(text, exc)
        if header is not None:
            line, column, message = header
        if message.startswith("unterminated string"):
            column = _opening_quote(text, line, column)
        return SourceError(path, line, column, message)
    if isinstance(exc, UnexpectedEOF):
        return SourceError(path, *_end_position(text), "the file ends too early: " + _expected_words(exc.expected))
    if isinstance(exc, TooDeep):
        from ..limits import MAX_NESTING

        return SourceError(path, exc.token.line, exc.token.column,
                           f"brackets, braces or parentheses are nested more than {MAX_NESTING} levels deep here; "
                           f"rdspolicy does not check a file nested this deeply", "too-deep")
    if isinstance(exc, RecursionError):
        return nested_too_deeply(path)
    # other lark input errors
    return SourceError(path, getattr(exc, "line", 0), getattr(exc, "column", 0), str(exc))  # pragma: no cover


def nested_too_deeply(path: str) -> SourceError:
    """The diagnostic for a file whose expressions overflow Python's stack."""
    return SourceError(path, 1, 1, "the expressions are nested too deeply to check", "too-deep")


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
        return "unterminated string: a quoted string must end with '\"' on the same line"
    if kind == "RBRACE" and expected <= {"$END", "NL_OR_COMMENT"}:
        return "unexpected '}': there is no open block here for it to close"
    if kind == "$END":
        what = "the file ends here"
        if "RBRACE" in (exc.expected or ()):
            return "unclosed block: the file ends before its closing '}'"
        return what + "; " + _expected_words(exc.expected)
    if kind == "STRING_CHARS" and str(token).startswith("<<"):
        marker = str(token)[2:].split("\n", 1)[0].lstrip("-").strip()
        return (f"unterminated heredoc: <<{marker[:30]} needs a line holding only {marker[:30]} to end it"
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
        return "unterminated string: '\"' without a matching closing quote on this line"
    if char in "\r\n":
        return "unexpected end of line; " + _expected_words(getattr(exc, "allowed", ()))
    printable = char if char.isprintable() else repr(char)
    return f"unexpected character '{printable}' here; this is not valid HCL syntax"
