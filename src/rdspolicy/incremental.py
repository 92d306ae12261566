"""Incremental results: a root module's results are reused while nothing it read changed.

A warm run, with nothing edited, should cost no more than finding the files and
reading what was stored; after one file is edited, it should redo only the root
modules that read it.  Two kinds of entry in the cache folder make that so:

**A root module's results** (``results-v1/``), under a key made of

* the *run context* (:func:`context_digest`): the results format, rdspolicy's version
  and its own and the built-in rules' source files (path, size, modification time), python-hcl2's and
  Python's versions, every loaded rule (id, name, severity, resource types, parameters,
  controls, the types it reads, its configured parameters and severity, and the source
  file of its check and of its class (path, size, modification time): third-party
  packs included), the date the rules
  judge "today" by (``--as-of``, else today: results are not reused the next day), and the
  environment's inputs (``--var-file``, ``--var``, ``--environment``, every ``TF_*``
  environment variable, the folder it runs in, the production names and environment
  variables of the configuration, and any setting added to
  :class:`~rdspolicy.evaluate.Settings` later: all its fields are in the key);
* the root: the name its results carry, its module's folder with its Terraform files,
  auto-loaded and per-environment var-files as discovery found them, and its
  environments as the run made them (var-files, names, sources, workspaces, Terragrunt
  inputs: what the run read to make them, Terragrunt configurations and workspace
  folders, is in the key through them).

The entry holds the results (findings, passed checks, environments, diagnostics, the
secret values met) and the list of everything the evaluation read, each with a digest
of what it was (:mod:`rdspolicy.reads`): every Terraform file and var-file parsed,
every module folder listed (its Terraform files and their texts: called modules,
modules fetched by ``terraform init``, ``modules.json``), files read by ``file()``,
``templatefile()`` and friends, folders walked by ``fileset()``.  A run uses the
entry only when every one of those digests is still what it was; otherwise the root
is evaluated again and the entry replaced.

**A summary of each scanned file** (``index-v1/``, one entry per scan: the paths
given and the run context): for each file text, the local module calls (to find the
root modules), the secret literals written in it (to keep them out of reports), and
whether it holds an ``rdspolicy:ignore`` comment (only those files are read again for
their directives).  So a warm run never loads a syntax tree it does not need.

Both are checked like parse entries (a header with a checksum over the payload; a
damaged entry is a miss) and written atomically.  The results of a reused root are
the very values its evaluation gave, joined in the same order, so the report is byte
for byte a cold run's (``tests/test_incremental.py``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pickle
import struct
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

from . import __version__
from .cache import Parser, read_entry
from .fileio import write_atomically

FORMAT = 1
RESULT_MAGIC = b"RDSPOLICY-RSLT1\n"
INDEX_MAGIC = b"RDSPOLICY-INDX1\n"
_HEADER = struct.Struct("<16s32sQ32s")  # magic, context digest, payload length, payload sha256

Read = tuple[str, str]  # (kind, path), as rdspolicy.reads records them


def _seal(magic: bytes, context: bytes, value: Any) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(magic, context, len(payload), hashlib.sha256(payload).digest()) + payload


def _unseal(magic: bytes, context: bytes, data: bytes) -> Any:
    """The stored value, or None when the entry is not whole, not ours or for another context."""
    if len(data) < _HEADER.size:
        return None
    found, ctx, length, checksum = _HEADER.unpack_from(data)
    payload = memoryview(data)[_HEADER.size:]
    if found != magic or ctx != context or length != len(payload) or hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # pragma: no cover - a checksummed payload we wrote ourselves
        return None


# ---------------------------------------------------------------- the run context


_SOURCES: bytes | None = None


def _source_digest() -> bytes:
    """rdspolicy's own source files and the built-in rules' (an edited checkout or a new
    version never reuses results of another): each file's path, size and modification
    time (reading them all cost a tenth of a warm run of fixtures/pacs)."""
    global _SOURCES
    if _SOURCES is None:
        digest = hashlib.sha256()
        folders = [os.path.dirname(os.path.abspath(__file__))]
        rules = sys.modules.get("rdspolicy_rules")
        if rules is not None and getattr(rules, "__file__", None):
            folders.append(os.path.dirname(os.path.abspath(rules.__file__)))
        for folder in folders:
            for top, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(names):
                    if name.endswith(".py"):
                        path = os.path.join(top, name)
                        try:
                            info = os.stat(path)
                        except OSError:
                            continue
                        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        _SOURCES = digest.digest()
    return _SOURCES


def _file_of(obj: Any) -> str:
    """Where the module ``obj`` comes from is, its size and modification time ("" when
    there is no such file)."""
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    path = getattr(module, "__file__", None)
    if not path:
        return ""
    try:
        info = os.stat(path)
    except OSError:
        return path
    return f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}"


def _plain(value: Any) -> Any:
    """A value as JSON can write it, deterministically (sets sorted)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def context_digest(options: Any, rules: list) -> bytes:
    """Everything besides the files that decides a root module's results (see the
    module's text)."""
    from .parse.grammar import hcl2_version

    digest = hashlib.sha256()
    digest.update(f"format={FORMAT};rdspolicy={__version__};python-hcl2={hcl2_version()};"
                  f"python={sys.version_info[0]}.{sys.version_info[1]};".encode())
    digest.update(_source_digest())
    seen_sources: set[str] = set()
    for rule in rules:
        description = {
            "id": rule.id, "name": rule.name, "severity": rule.severity, "types": list(rule.resource_types),
            "reads": list(getattr(rule, "reads", ()) or ()), "enabled": rule.enabled,
            "controls": list(rule.controls), "class": f"{type(rule).__module__}.{type(rule).__qualname__}",
            "check": f"{getattr(rule.check, '__module__', '')}.{getattr(rule.check, '__qualname__', '')}",
            "parameters": [(p.name, _plain(p.default)) for p in rule.parameters],
            "params": _plain(getattr(rule, "params", {})),  # with the configured values
            "severity_configured": getattr(rule, "severity_configured", False),
        }
        digest.update(json.dumps(description, sort_keys=True).encode())
        for source in (_file_of(rule.check), _file_of(type(rule))):
            if source not in seen_sources:
                seen_sources.add(source)
                digest.update(source.encode("utf-8", "surrogateescape") + b"\n")
    settings = options.settings
    described = {}
    for field in type(settings)._fields:
        value = getattr(settings, field)
        if field == "env":  # only Terraform's own variables decide an evaluation
            value = {k: v for k, v in value.items() if k.startswith("TF_")}
        described[field] = _plain(value)
    # the date rules judge "today" by: results stored on another day are not reused
    # (a support window may have ended since)
    as_of = getattr(options, "as_of", None) or datetime.date.today().isoformat()
    digest.update(json.dumps({
        "settings": described, "as_of": as_of,
        "debug": options.debug, "env_folders": list(options.env_folders), "cwd": os.getcwd(),
    }, sort_keys=True).encode())
    return digest.digest()


# ---------------------------------------------------------------- what was read


class Digests:
    """The present state of what evaluations read, each looked at once per run."""

    def __init__(self, parser: Parser, list_tf_files: Callable[[str], list[str]],
                 listed: dict[str, list[str]] | None = None):
        self.parser = parser
        self.list_tf_files = list_tf_files
        self.listed = {} if listed is None else listed  # folders discovery listed this run
        self._known: dict[Read, str] = {}

    def of(self, read: Read) -> str:
        found = self._known.get(read)
        if found is None:
            found = self._known[read] = self._compute(*read)
        return found

    def _compute(self, kind: str, path: str) -> str:
        if kind == "terraform":
            return self.parser.key(path)
        if kind == "folder":
            files = self.listed.get(path)
            if files is None:
                if not os.path.isdir(path):
                    return "absent"
                files = self.list_tf_files(path)
            return "\n".join(f"{p}\0{self.parser.key(p)}" for p in files) or "empty"
        if kind == "file":  # where it leads (a link out of the tree is refused) and its bytes
            try:
                with open(path, "rb") as handle:
                    return os.path.realpath(path) + "\0" + hashlib.sha256(handle.read()).hexdigest()
            except FileNotFoundError:
                return "absent"
            except IsADirectoryError:
                return "folder"
            except OSError as exc:
                return f"unreadable: {exc.strerror}"
        if kind == "tree":
            names = []
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(dirs):
                    if os.path.islink(os.path.join(folder, name)):
                        names.append(os.path.join(folder, name) + "@")
                names += (os.path.join(folder, n) for n in sorted(files))
            return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()
        if kind == "environment":
            value = os.environ.get(path)
            return "unset" if value is None else "=" + value
        return "unknown kind"

    def all(self, reads: Iterable[Read]) -> tuple[tuple[str, str, str], ...]:
        return tuple((kind, path, self.of((kind, path))) for kind, path in sorted(reads))


# ---------------------------------------------------------------- the stores


class Store:
    """Entries of one kind under ``folder/<name>``; every failure is a miss, never an error."""

    def __init__(self, folder: Path, name: str, magic: bytes, context: bytes):
        self.base = str(folder / name)
        self.magic = magic
        self.context = context
        self.written = 0
        self.writable = True

    def _path(self, key: str) -> str:
        return os.path.join(self.base, key[:2], key + ".bin")

    def load(self, key: str) -> Any:
        data = read_entry(self._path(key))
        return None if data is None else _unseal(self.magic, self.context, data)

    def store(self, key: str, value: Any) -> None:
        if not self.writable:
            return
        data = _seal(self.magic, self.context, value)
        if write_atomically(Path(self._path(key)), data, ".tmp-", ".bin"):
            self.written += len(data)
        else:
            self.writable = False


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(_plain(parts)).encode("utf-8", "surrogatepass")).hexdigest()


class Incremental:
    """The result and summary stores of one run."""

    def __init__(self, folder: Path, options: Any, rules: list, parser: Parser,
                 list_tf_files: Callable[[str], list[str]], listed: dict[str, list[str]] | None = None):
        self.context = context_digest(options, rules)
        self.results = Store(folder, f"results-v{FORMAT}", RESULT_MAGIC, self.context)
        self.index_store = Store(folder, f"index-v{FORMAT}", INDEX_MAGIC, self.context)
        self.digests = Digests(parser, list_tf_files, listed)
        self.parser = parser
        # (the context is in the keys too, not only in the entries' headers: runs with
        # other rules or inputs keep their own entries instead of replacing these)
        self._index_key = _key("index", self.context.hex(), [os.path.abspath(p) for p in options.paths])
        self._index: dict[str, Any] | None = None
        self._used: dict[str, Any] = {}
        self.reused = 0  # roots whose results came from the cache

    # per-file summaries

    def summary(self, path: str, make: Callable[[], Any]) -> Any:
        """The stored summary of the text at ``path``, or ``make()`` (stored then)."""
        if self._index is None:
            loaded = self.index_store.load(self._index_key)
            self._index = loaded if isinstance(loaded, dict) else {}
        key = self.parser.key(path)
        found = self._index.get(key)
        if found is None:
            found = make()
        self._used[key] = found
        return found

    def save_index(self) -> None:
        if self._index is not None and self._used != self._index:
            self.index_store.store(self._index_key, self._used)

    # root modules' results

    def root_key(self, root: Any) -> str:
        """A root to evaluate: the name its results carry, its module's folder and files as
        discovery found them, and its environments as the run made them (var-files,
        names, sources, workspaces, and the inputs a Terragrunt unit gives)."""
        module = root.module
        specs = [(spec.var_files, spec.name, spec.source, spec.workspace,
                  sorted((name, _plain(value.value), value.source, value.line, value.column)
                         for name, value in spec.inputs.items()))
                 for spec in root.specs]
        return _key("root", self.context.hex(), root.label, module.path, module.tf_files, module.auto_var_files,
                    module.env_var_files, specs)

    def reuse(self, root: Any) -> Any:
        """The stored results of a root module when nothing it read changed, else None."""
        entry = self.results.load(self.root_key(root))
        if not (isinstance(entry, tuple) and len(entry) == 2):
            return None
        recorded, payload = entry
        for kind, path, digest in recorded:
            if self.digests.of((kind, path)) != digest:
                return None
        self.reused += 1
        return payload

    def keep(self, root: Any, recorded: tuple, payload: Any) -> None:
        self.results.store(self.root_key(root), (recorded, payload))

    @property
    def written(self) -> int:
        return self.results.written + self.index_store.written
