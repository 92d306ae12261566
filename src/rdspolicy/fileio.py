"""Files in and out: Terraform text read as Terraform reads it, and cache files written
so that no reader ever sees half of one.

Below the parser, the parse cache, the suppressions and the pipeline, which all use it;
it imports nothing of rdspolicy but the error type and the limits.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import SourceError


def cache_dir() -> Path:
    """rdspolicy's cache folder: ``RDSPOLICY_CACHE_DIR``, else the user cache folder."""
    override = os.environ.get("RDSPOLICY_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rdspolicy"


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
