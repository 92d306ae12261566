"""Characters as Terraform counts and converts them: user-perceived characters
(an approximation of Unicode grapheme clusters) and Go's per-character case mapping.
"""

from __future__ import annotations

import unicodedata
from typing import Callable




GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


def _is_extender(char: str) -> bool:
    code = ord(char)
    return (
        char == "\u200d"
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    )


def _is_regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of ``text`` (an approximation of Unicode grapheme
    clusters: combining marks, emoji modifiers and ZWJ sequences, flags, CRLF)."""
    if text.isascii() and "\r\n" not in text:
        return list(text)
    text = unicodedata.normalize("NFC", text)
    clusters = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i] == "\r" and j < n and text[j] == "\n":
            j += 1
        elif unicodedata.category(text[i]) != "Cc":
            if _is_regional(text[i]) and j < n and _is_regional(text[j]):
                j += 1
            while j < n and unicodedata.category(text[j]) != "Cc" and (
                _is_extender(text[j]) or text[j - 1] == "\u200d"
            ):
                j += 1
        clusters.append(text[i:j])
        i = j
    return clusters


def char_count(text: str) -> int:
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(graphemes(text))


_SIMPLE_CASE = {(str.lower, "\u0130"): "i"}  # the one character whose full lower case is two


def map_chars(text: str, convert: Callable[[str], str]) -> str:
    """Go's per-rune case mapping: a character whose mapping is not one character stays."""
    out = []
    for char in text:
        mapped = convert(char)
        if len(mapped) != 1:  # Go uses the simple mapping: one character, or none
            mapped = _SIMPLE_CASE.get((convert, char), char)
        out.append(mapped)
    return "".join(out)
