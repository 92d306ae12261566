"""Limits that keep hostile or broken input from exhausting time or memory.

Every limit here is reported with a diagnostic when it is reached: the input it stops
is skipped (a file) or becomes unknown (a value), and everything else is still
checked.  docs/robustness.md lists them with the reasons for their sizes.
"""

from __future__ import annotations

import os

#: Largest Terraform or variables file that is parsed, in bytes.  Parsing costs about
#: 200 bytes of memory per byte of HCL, so this keeps one file under about 1 GB.
#: ``RDSPOLICY_MAX_FILE_SIZE`` (bytes, or with a K/M suffix) raises or lowers it.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: Deepest nesting of brackets, braces, parentheses and template sequences in one file.
MAX_NESTING = 256

#: Most instances one resource's count/for_each (or one dynamic block's for_each) is
#: expanded into; beyond it the instances are checked once, with unknown keys.
MAX_INSTANCES = 1000

#: Most elements a for expression iterates over, and most elements a function may build.
MAX_COLLECTION = 1_000_000

#: Longest string a template or function may build (characters).
MAX_STRING = 16 * 1024 * 1024

#: Widest width or precision format() accepts (``%01000000000d`` would build a
#: billion-character string).
MAX_FORMAT_WIDTH = 100_000

#: Most for-expression and template-for iterations plus elements of the collections
#: passed to functions, summed over the evaluation of one module in one environment
#: (nested loops multiply; ``formatlist("%s", range(1000000))`` is a million calls).
MAX_EVAL_STEPS = 250_000


def max_file_bytes() -> int:
    """MAX_FILE_BYTES, or ``RDSPOLICY_MAX_FILE_SIZE`` when it is set to a size."""
    text = os.environ.get("RDSPOLICY_MAX_FILE_SIZE", "").strip().upper()
    if not text:
        return MAX_FILE_BYTES
    factor = 1
    if text[-1:] in ("K", "M"):
        factor = 1024 if text[-1] == "K" else 1024 * 1024
        text = text[:-1]
    try:
        value = int(text) * factor
    except ValueError:
        return MAX_FILE_BYTES
    return value if value > 0 else MAX_FILE_BYTES


def size_text(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} bytes"
