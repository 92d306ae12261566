"""Where an unclosed string, heredoc or block was opened.

The grammar lets a quoted string run on past the end of its line, so a missing
closing quote shows up as a confusing error a line or more later (``44:31: unexpected
'.'`` for a quote left open on line 43), and a missing ``}`` at the end of the file.
Terraform reports these where they start: "Unterminated template string" at the
opening quote's line, "Unclosed configuration block" at the block's first line.  When
the parser fails, :func:`find` reads the text with a small scanner of its own (quoted
strings and their ``${ }`` / ``%{ }`` sequences, heredocs, comments, braces) and says
where the first such construct was opened, so the error can be reported there.
"""

from __future__ import annotations

import bisect
import re

_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\n")


class Unclosed:
    __slots__ = ("kind", "line", "column", "message")

    def __init__(self, kind: str, line: int, column: int, message: str) -> None:
        self.kind = kind  # "string", "template", "heredoc" or "block"
        self.line = line
        self.column = column
        self.message = message

    def __repr__(self) -> str:
        return f"Unclosed({self.kind!r}, {self.line}, {self.column})"


class _Found(Exception):
    def __init__(self, kind: str, at: int) -> None:
        self.kind = kind
        self.at = at


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[int] = []  # offsets of the '{' not closed yet

    def code(self, i: int, inside: int | None = None) -> int:
        """Read code from ``i``; inside a template sequence opened at ``inside``, up to
        and past its closing '}'.  Returns where it stopped."""
        text, n = self.text, len(self.text)
        depth = 0
        while i < n:
            c = text[i]
            if c == "#" or text.startswith("//", i):
                end = text.find("\n", i)
                i = n if end < 0 else end
            elif text.startswith("/*", i):
                end = text.find("*/", i + 2)
                i = n if end < 0 else end + 2
            elif c == '"':
                i = self.quoted(i)
            elif text.startswith("<<", i) and _HEREDOC.match(text, i):
                i = self.heredoc(i)
            elif c == "{":
                if inside is None:
                    self.blocks.append(i)
                depth += 1
                i += 1
            elif c == "}":
                if inside is not None and depth == 0:
                    return i + 1
                if inside is None and self.blocks:
                    self.blocks.pop()
                depth = max(depth - 1, 0)
                i += 1
            else:
                i += 1
        if inside is not None:
            raise _Found("template", inside)
        return i

    def quoted(self, start: int) -> int:
        """A quoted string from its opening quote: where it ends, or _Found."""
        text, n = self.text, len(self.text)
        i = start + 1
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif c == "\n":
                raise _Found("string", start)
            elif c in "$%" and text.startswith(c + c + "{", i):
                i += 3  # $${ and %%{ are literal text
            elif c in "$%" and text.startswith(c + "{", i):
                i = self.code(i + 2, inside=i)
            else:
                i += 1
        raise _Found("string", start)

    def heredoc(self, start: int) -> int:
        match = _HEREDOC.match(self.text, start)
        marker = match.group(2)
        closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*$", re.M)
        found = closing.search(self.text, match.end())
        if found is None:
            raise _Found("heredoc", start)
        return found.end()


def find(text: str) -> Unclosed | None:
    """The first unclosed string, template sequence or heredoc, else the innermost
    block still open at the end of the text; None when everything is closed."""
    scanner = _Scanner(text)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    try:
        scanner.code(0)
    except _Found as found:
        line, column = position(found.at)
        if found.kind == "heredoc":
            marker = _HEREDOC.match(text, found.at).group(2)
            message = f"unterminated heredoc: <<{marker[:30]} needs a line holding only {marker[:30]} to end it"
        elif found.kind == "template":
            opener = text[found.at:found.at + 2]
            message = f"unterminated template: the '{opener}' here has no closing '}}'"
        else:
            message = "unterminated string: the '\"' here has no closing quote on this line"
        return Unclosed(found.kind, line, column, message)
    if scanner.blocks:
        line, _ = position(scanner.blocks[-1])
        header = text[starts[line - 1]:].split("\n", 1)[0]
        column = len(header) - len(header.lstrip()) + 1
        return Unclosed("block", line, column, "unclosed block: there is no closing '}' for this block before the "
                                               "end of the file")
    return None
