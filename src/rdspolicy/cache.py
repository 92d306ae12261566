"""Parse stage with a cache and parallel workers: every file is parsed at most once.

A parsed file (a :class:`~rdspolicy.syntax.File`, comments and positions included) is
stored in the cache folder (``fileio.cache_dir()``: the user cache folder, or
``RDSPOLICY_CACHE_DIR``) under a key made of

* the SHA-256 of the file's text (as read: BOM dropped, CRLF as LF),
* how the text is read (HCL, ``.tf.json`` or ``.tfvars.json``),
* the cache format, the rdspolicy, python-hcl2 and lark versions (python-hcl2 is
  pinned, lark is not), the Python version, and a fingerprint of the parser's own
  source: the content of every module of the parse package, of the modules it imports
  and of this one (so a changed parser never reads old trees; see
  :func:`parser_sources`).

The key does not contain the path: the same text under another name (copied modules)
is a hit, and the tree gets the path it was read from.  Files that do not parse are
cached too, as their error (line, column, message), and raised again on a hit.

An entry is a header (magic, format, versions, payload length, SHA-256 of the payload)
followed by the pickled payload.  An entry whose header, length or checksum does not
match is ignored and replaced, never unpickled; entries are written to a temporary file
in the same folder and renamed into place (``os.replace`` is atomic), so processes
running at once never see half an entry.  The checksum guards against corruption, not
against someone who can write to your cache folder: such a person can already change
what you run.

Cache misses are parsed in worker processes (``jobs``) when there is enough work to pay
for starting them (:data:`MIN_PARALLEL_BYTES`, :data:`MIN_PARALLEL_FILES`); small
inputs are parsed in this process.  Results are the same either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
import sys
from pathlib import Path

from . import __version__, errors, fileio, limits, numbers, parse, reads, syntax
from . import syntax as S
from .errors import SourceError
from .fileio import read_text, write_atomically
from .parse.grammar import hcl2_version, lark_version
from .record import Record
from .workers import available_cores, in_processes

FORMAT = 2  # 2: File.var_refs stored with the tree
MAGIC = b"RDSPOLICY-PARSE\n"
_HEADER = struct.Struct("<16sI32sQ32s")  # magic, format, environment digest, payload length, payload sha256

# parallel parsing pays for itself above about this much work (python-hcl2 parses
# roughly 1 MB of Terraform per core-second; starting a worker costs ~50 ms)
MIN_PARALLEL_BYTES = 96 * 1024
MIN_PARALLEL_FILES = 8

# the modules of rdspolicy the parse package imports (a test walks its imports and fails
# when one is missing here), as modules: one that moves fails here, at once, rather
# than leaving the key unchanged; every module of the parse package itself is found by
# listing its folder, so a module added, moved or renamed there is covered
_PARSER_DEPENDENCIES = (syntax, errors, limits, numbers, fileio)
_environment: bytes | None = None


def parser_sources() -> list[str]:
    """The files a parse is made by: every ``.py`` file of the parse package, the
    modules of rdspolicy it imports, and this module (the entry format)."""
    package = os.path.dirname(parse.__file__)
    return ([os.path.join(package, name) for name in sorted(os.listdir(package)) if name.endswith(".py")]
            + [module.__file__ for module in _PARSER_DEPENDENCIES] + [__file__])


def environment_digest() -> bytes:
    """What, besides the text, decides a parse: versions and the content of the parser's
    source files (computed once per process, in well under a millisecond)."""
    global _environment
    if _environment is None:
        digest = hashlib.sha256()
        digest.update(f"format={FORMAT};rdspolicy={__version__};python-hcl2={hcl2_version()};"
                      f"lark={lark_version()};python={sys.version_info[0]}.{sys.version_info[1]}".encode())
        for path in parser_sources():
            try:
                with open(path, "rb") as handle:
                    source = handle.read()
            except OSError:  # pragma: no cover - an installation without sources: their names
                source = os.path.basename(path).encode()
            digest.update(f"\0{os.path.basename(path)}\0{len(source)}\0".encode())
            digest.update(source)
        _environment = digest.digest()
    return _environment


def kind_of(path: str) -> str:
    if path.endswith(".tfvars.json"):
        return "tfvars.json"
    if path.endswith(".json"):
        return "tf.json"
    return "hcl"


def key_of(path: str, text: str) -> str:
    digest = hashlib.sha256(environment_digest())
    digest.update(kind_of(path).encode() + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# ---------------------------------------------------------------- entries


def _encode(result) -> bytes:
    payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(MAGIC, FORMAT, environment_digest(), len(payload), hashlib.sha256(payload).digest()) + payload


def _payload(data: bytes) -> bytes | None:
    """The payload of a whole entry of ours, else None."""
    if len(data) < _HEADER.size:
        return None
    magic, fmt, env, length, checksum = _HEADER.unpack_from(data)
    payload = data[_HEADER.size:]
    if (magic != MAGIC or fmt != FORMAT or env != environment_digest() or length != len(payload)
            or hashlib.sha256(payload).digest() != checksum):
        return None
    return payload


def _decode(data: bytes):
    """The stored result, or None when the entry is not whole and ours."""
    payload = _payload(data)
    if payload is None:
        return None
    try:
        result = pickle.loads(payload)
    except Exception:  # pragma: no cover - a checksummed payload we wrote ourselves
        return None
    if not (isinstance(result, tuple) and len(result) == 2 and result[0] in ("ok", "error")):
        return None
    return result


def _parse(path: str, text: str):
    """("ok", File) or ("error", (line, column, message, code))."""
    from .parse import parse_file

    try:
        file = parse_file(path, text)
    except SourceError as exc:
        return "error", (exc.line, exc.column, exc.message, exc.code)
    # the file's var.NAME references, found once here rather than on every run (they are
    # nodes of the tree: pickled as references to them)
    return "ok", file._replace(var_refs=S.var_references(file.body))


def _materialize(result, path: str) -> S.File:
    status, value = result
    if status == "error":
        line, column, message, code = value
        raise SourceError(path, line, column, message, code)
    return S.File(path, value.body, value.comments, value.var_refs)


class ParseCache:
    """Entries in ``folder``; every failure to read or write is a miss, never an error."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder) / f"parse-v{FORMAT}"
        self._base = str(self.folder)
        self.writable = True
        self.written = 0  # bytes of entries written by this run (for the size bound)

    def _path(self, key: str) -> str:
        """Made without pathlib: it is asked for every file of a run."""
        return os.path.join(self._base, key[:2], key + ".bin")

    def load(self, key: str):
        data = read_entry(self._path(key))
        return None if data is None else _decode(data)

    def has(self, key: str) -> bool:
        """An entry longer than a header is stored.  Whether it is whole and ours is
        checked when :meth:`load` reads it (the checksum before unpickling; an entry
        that fails is parsed again then, and replaced, as a miss is): so a warm run
        opens each entry once.  (The key already names this rdspolicy, python-hcl2 and
        Python: an entry under it that is not ours is damaged, which is rare.)"""
        try:
            return os.stat(self._path(key)).st_size > _HEADER.size
        except OSError:
            return False

    def store(self, key: str, entry: bytes) -> None:
        if not self.writable:
            return
        if not write_atomically(Path(self._path(key)), entry, ".tmp-", ".bin"):
            self.writable = False  # a read-only cache folder: parse, do not store
        else:
            self.written += len(entry)


# ---------------------------------------------------------------- the parse stage


def _work(item: tuple[str, str]) -> bytes:
    """In a worker: parse one file, return the encoded entry."""
    path, text = item
    return _encode(_parse(path, text))


class Parser:
    """Parses files through the cache, the misses in parallel when worthwhile.

    :meth:`prepare` reads all files and parses the misses (storing them); :meth:`parse`
    then hands out each file's tree (or raises its :class:`SourceError`).  A path not
    prepared is read and parsed on demand.  ``parsed`` counts actual parses.
    """

    def __init__(self, cache: ParseCache | None = None, jobs: int | None = None):
        self.cache = cache
        self.jobs = max(1, jobs) if jobs is not None else available_cores()
        self.parsed = 0
        self.workers_used = 0
        self._keys: dict[str, str] = {}  # path -> key
        self._read_errors: dict[str, SourceError] = {}
        self._held: dict[str, bytes] = {}  # key -> entry, when not (or not yet) in the cache
        self._trees: dict[str, S.File] = {}  # path -> tree, memo for this run

    def _read(self, path: str) -> str | None:
        try:
            text = read_text(path)
        except SourceError as exc:
            self._read_errors[path] = exc
            return None
        self._keys[path] = key_of(path, text)
        return text

    def prepare(self, paths: list[str]) -> None:
        misses: dict[str, tuple[str, str]] = {}  # key -> (path, text)
        for path in paths:
            if path in self._keys or path in self._read_errors:
                continue
            text = self._read(path)
            if text is None:
                continue
            key = self._keys[path]
            if key in misses or key in self._held:
                continue
            if self.cache is not None and self.cache.has(key):
                continue
            misses[key] = (path, text)
        if not misses:
            return
        items = list(misses.items())
        size = sum(len(text) for _, (_, text) in items)
        workers = min(self.jobs, len(items))
        if workers > 1 and size >= MIN_PARALLEL_BYTES and len(items) >= MIN_PARALLEL_FILES:
            entries = self._parallel([item for _, item in items], workers)
        else:
            entries = [_work(item) for _, item in items]
        self.parsed += len(items)
        for (key, _), entry in zip(items, entries):
            self._keep(key, entry)

    def _keep(self, key: str, entry: bytes) -> None:
        if self.cache is not None:
            self.cache.store(key, entry)
            if self.cache.writable:
                return  # read back when needed: trees are not held in memory
        self._held[key] = entry

    def _parallel(self, items: list[tuple[str, str]], workers: int) -> list[bytes]:
        import multiprocessing

        # fork (Linux): workers start at once and share the loaded grammar; elsewhere
        # the platform's default (spawn), each worker loading the grammar from its cache
        linux = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if linux else None)
        if context.get_start_method() == "fork":
            from .parse.grammar import get_parser

            get_parser()  # compiled or loaded once, shared by the forked workers
        chunk = max(1, min(16, len(items) // (workers * 4)))
        entries = in_processes(_work, items, workers, context, chunk)
        if entries is None:  # a worker died: parse here instead
            self.workers_used = 0
            return [_work(item) for item in items]
        self.workers_used = workers
        return entries

    def key(self, path: str) -> str:
        """What the text of ``path`` is (its cache key: the text's SHA-256 and how it is
        read), read now if it was not prepared; a file that cannot be read gives its
        error's message instead."""
        key = self._keys.get(path)
        if key is None:
            error = self._read_errors.get(path)
            if error is None and self._read(path) is None:
                error = self._read_errors[path]
            if error is not None:
                return f"unreadable: {error.message}"
            key = self._keys[path]
        return key

    def parse(self, path: str) -> S.File:
        """The tree of ``path``; raises :class:`SourceError` as the parser would."""
        reads.terraform(path)
        tree = self._trees.get(path)
        if tree is not None:
            return tree
        if path in self._read_errors:
            raise self._read_errors[path]
        if path not in self._keys:
            self.prepare([path])
            if path in self._read_errors:
                raise self._read_errors[path]
        key = self._keys[path]
        result = None
        entry = self._held.get(key)
        if entry is not None:
            result = _decode(entry)
        elif self.cache is not None:
            result = self.cache.load(key)
        if result is None:  # an entry replaced or removed meanwhile: parse here, again
            entry = _work((path, read_text(path)))
            self.parsed += 1
            self._keep(key, entry)
            result = _decode(entry)
        tree = _materialize(result, path)
        self._trees[path] = tree
        return tree


# ---------------------------------------------------------------- the folder as a whole

DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # the size bound without configuration (200 MB)
MAX_SIZE_VARIABLE = "RDSPOLICY_CACHE_MAX_SIZE"
_USAGE = "usage"  # a file holding the folder's approximate size in bytes
_PRUNE_TO = 0.8  # pruning goes this far below the bound, so it is not done on every run
_TEMP_AGE = 3600  # a temporary file older than this (seconds) was left by a process that died
_SUFFIXES = (".bin",)


def parse_size(text: str) -> int:
    """``200MB``, ``1.5 GB``, ``500k``, ``1048576`` (bytes): a size in bytes (powers of 1024).
    Raises ValueError with a message when the text is not a size."""
    import re

    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]?)(?:i?[bB])?\s*", text)
    if not m:
        raise ValueError(f"{text!r} is not a size (write e.g. 200MB, 1GB, 500KB or a number of bytes)")
    factor = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2).lower()]
    return int(float(m.group(1)) * factor)


def max_bytes(configured: str | int | None = None) -> int:
    """The size bound: ``RDSPOLICY_CACHE_MAX_SIZE`` when set, else the configuration's
    ``cache_max_size``, else :data:`DEFAULT_MAX_BYTES`.  A bound that is not a size
    raises ValueError."""
    text = os.environ.get(MAX_SIZE_VARIABLE)
    if text:
        return parse_size(text)
    if configured is not None:
        return configured if isinstance(configured, int) else parse_size(configured)
    return DEFAULT_MAX_BYTES


def _entries(folder: Path):
    """(path, size, last use) of every entry and temporary file under ``folder``."""
    out = []
    for top, _dirs, names in os.walk(folder):
        for name in names:
            if name == _USAGE and top == str(folder):
                continue
            path = os.path.join(top, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            out.append((path, info.st_size, info.st_mtime))
    return out


class Info(Record):
    _fields = ("folder", "bytes", "entries", "parse_entries", "result_entries", "max_bytes")

    def __init__(self, folder: str, bytes: int, entries: int, parse_entries: int, result_entries: int,
                 max_bytes: int) -> None:
        self.folder = folder
        self.bytes = bytes
        self.entries = entries
        self.parse_entries = parse_entries
        self.result_entries = result_entries
        self.max_bytes = max_bytes


def info(folder: str | os.PathLike, bound: int) -> Info:
    """Where the cache is, how big, how many entries (parsed files, root modules' results)."""
    folder = Path(folder)
    entries = _entries(folder) if folder.is_dir() else []
    parse = sum(1 for p, _, _ in entries if f"{os.sep}parse-v" in p and p.endswith(".bin"))
    results = sum(1 for p, _, _ in entries if f"{os.sep}results-v" in p and p.endswith(".bin"))
    return Info(str(folder), sum(size for _, size, _ in entries), len(entries), parse, results, bound)


def clear(folder: str | os.PathLike) -> tuple[int, int]:
    """Remove every entry (the folder itself stays): (files removed, bytes freed).
    Only what rdspolicy writes there is removed: its entry folders, compiled grammars,
    the usage file."""
    import shutil

    folder = Path(folder)
    removed = freed = 0
    if not folder.is_dir():
        return 0, 0
    for child in folder.iterdir():
        name = child.name
        ours = (name.startswith(("parse-v", "results-v", "index-v")) or name == _USAGE
                or (name.startswith(("grammar-", ".grammar-")) and name.endswith((".bin", ".tmp"))))
        if not ours:
            continue
        if child.is_dir() and not child.is_symlink():
            found = _entries(child)
            removed += len(found)
            freed += sum(size for _, size, _ in found)
            shutil.rmtree(child, ignore_errors=True)
        else:
            try:
                freed += child.stat().st_size
                child.unlink()
                removed += 1
            except OSError:
                pass
    return removed, freed


def _read_usage(folder: Path) -> int | None:
    try:
        return int((folder / _USAGE).read_text().strip() or "x")
    except (OSError, ValueError):
        return None


def _write_usage(folder: Path, value: int) -> None:
    write_atomically(folder / _USAGE, str(max(0, value)).encode(), ".usage-", ".tmp")


def account(folder: str | os.PathLike, written: int, bound: int) -> int:
    """After a run wrote ``written`` bytes of entries: add them to the folder's usage
    count and prune when it is beyond ``bound``.  The count is approximate (two runs at
    once may both add to the same old value: it then counts low); pruning measures the
    folder itself and sets the count right.  Returns the bytes removed."""
    folder = Path(folder)
    if written <= 0 or not folder.is_dir():
        return 0
    usage = _read_usage(folder)
    if usage is None or usage + written > bound:
        return prune(folder, bound)
    _write_usage(folder, usage + written)
    return 0


def prune(folder: str | os.PathLike, bound: int) -> int:
    """Remove the least recently used entries until the folder is below
    :data:`_PRUNE_TO` of ``bound`` (when it is beyond ``bound``), and temporary files
    left by processes that died.  An entry another run is about to read may go: that
    run finds it missing and computes it again (a miss, never an error).  Returns the
    bytes removed."""
    import time

    folder = Path(folder)
    entries = _entries(folder)
    now = time.time()
    total = sum(size for _, size, _ in entries)
    freed = 0
    keep = []
    for path, size, used in entries:
        name = os.path.basename(path)
        if name.startswith((".tmp-", ".usage-", ".grammar-")) and now - used > _TEMP_AGE:
            try:
                os.unlink(path)
                freed += size
            except OSError:
                pass
        else:
            keep.append((path, size, used))
    total -= freed
    if total > bound:
        target = int(bound * _PRUNE_TO)
        for path, size, _used in sorted(keep, key=lambda e: e[2]):
            if total <= target:
                break
            if os.path.basename(path).startswith((".tmp-", ".usage-", ".grammar-")):
                continue  # another run is writing it
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            freed += size
    _write_usage(folder, total)
    return freed


_TOUCH_AFTER = 3600.0  # an entry's last use is recorded at most once an hour


def read_entry(path: str) -> bytes | None:
    """The bytes of the entry at ``path`` (None when it cannot be read), its use
    recorded for pruning."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
            mtime = os.fstat(handle.fileno()).st_mtime
    except OSError:
        return None
    touch(path, mtime)
    return data


def touch(path: str, mtime: float) -> None:
    """Record that an entry was used (its modification time is its last use, for
    pruning), when it was last recorded more than an hour ago."""
    import time

    now = time.time()
    if now - mtime > _TOUCH_AFTER:
        try:
            os.utime(path, (now, now))
        except OSError:
            pass
