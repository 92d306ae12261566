"""Templates written as raw text -- heredoc bodies, ``templatefile`` files, strings of
``.tf.json`` files: where their ``${...}`` and ``%{...}`` sequences end, and a heredoc's
strip markers and indentation applied as HCL applies them.  Plain text scanning: the
tree builder (:mod:`.hcl`) parses the sequences found."""

from __future__ import annotations


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
        elif text.startswith(("${", "%{"), i) and (end := template_sequence_end(text, i + 2)) >= 0:
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


def heredoc_body(text: str, trim: bool) -> str:
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


def template_sequence_end(text: str, start: int) -> int:
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
            end = template_sequence_end(text, i + 2)
            if end < 0:
                return -1
            i = end + 1
            continue
        i += 1
    return -1

