"""Finding and loading the module folders of one run.

A :class:`ModuleLoader` parses each folder once (and reports its problems once), and
finds where ``terraform init`` fetched a remote module's source.
"""

from __future__ import annotations

import json
import os
from typing import Callable, NamedTuple

from .. import reads
from .. import syntax as S
from ..errors import Diagnostic, SourceError
from .declarations import Declarations, declarations, undeclared_variable_references
from .overrides import apply_overrides


class LoadedModule(NamedTuple):
    directory: str  # as shown to the user
    files: list[S.File]
    decls: Declarations


def _list_tf_files(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names
            if n.endswith((".tf", ".tf.json")) and os.path.isfile(os.path.join(directory, n))]


class ModuleLoader:
    """The module folders of one run, each parsed once (and reported on once), and
    where a remote module's source was fetched by ``terraform init``."""

    def __init__(self, parse_file: Callable[[str], S.File] | None = None,
                 list_tf_files: Callable[[str], list[str]] = _list_tf_files,
                 display: Callable[[str], str] = lambda path: path):
        self.parse_file = parse_file
        self.list_tf_files = list_tf_files
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self._real: dict[str, str] = {}
        self._loaded: dict[str, LoadedModule | None] = {}
        self._reported: set[str] = set()
        self._manifests: dict[str, dict[str, str]] = {}

    def real(self, path: str) -> str:
        """``os.path.realpath(path)``, resolved once in the run (module folders are
        resolved again for every environment and every call)."""
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = os.path.realpath(path)
        return found

    def add(self, directory: str, files: list[S.File]) -> None:
        """A folder the run has parsed already."""
        real = self.real(directory)
        if real not in self._loaded:
            self._loaded[real] = LoadedModule(directory, files, declarations(directory, files))

    def load(self, directory: str) -> LoadedModule | None:
        real = self.real(directory)
        reads.folder(directory)  # its Terraform files, as listed, with their texts
        if real not in self._loaded:
            files = []
            for path in self.list_tf_files(directory):
                try:
                    files.append(self.parse_file(path))
                except SourceError as exc:
                    self.diagnostics.append(exc.diagnostic())
            files, found = apply_overrides(files)  # override files merged into the blocks they name
            self.diagnostics += found
            self._loaded[real] = LoadedModule(directory, files, declarations(directory, files)) if files else None
        loaded = self._loaded[real]
        if loaded is not None and real not in self._reported:
            self._reported.add(real)
            self.diagnostics += loaded.decls.diagnostics
            self.diagnostics += undeclared_variable_references(loaded.decls, loaded.files)
        return loaded

    def fetched(self, root_directory: str, key_path: tuple[str, ...]) -> str | None:
        """The folder ``terraform init`` fetched a module call into, from the root's
        ``.terraform/modules/modules.json`` (its ``Key`` is the dotted call path)."""
        manifest = self._manifests.get(root_directory)
        path = os.path.join(root_directory, ".terraform", "modules", "modules.json")
        reads.file(path)
        if manifest is None:
            manifest = self._manifests[root_directory] = {}
            try:
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
                for entry in data.get("Modules", []):
                    if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                        manifest[entry["Key"]] = entry["Dir"]
            except (OSError, ValueError, AttributeError):
                pass
        found = manifest.get(".".join(key_path))
        if found is None:
            return None
        directory = self.display(os.path.normpath(os.path.join(root_directory, found)))
        reads.folder(directory)
        return directory if os.path.isdir(directory) else None
