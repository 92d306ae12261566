"""Fixtures of the function tests: a scanned tree with files inside and outside it."""

from __future__ import annotations

import os

import pytest

from rdspolicy.evaluate.functions import FunctionContext


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    module = root / "modules" / "db"
    module.mkdir(parents=True)
    (module / "params.json").write_text('{"engine": "postgres"}')
    (root / "shared.txt").write_text("shared\n")
    (module / "binary.bin").write_bytes(b"\xff\xfe")
    (module / "subdir").mkdir()
    (tmp_path / "secret.txt").write_text("top secret")
    os.symlink(tmp_path / "secret.txt", module / "link-out.txt")
    os.symlink(root / "shared.txt", module / "link-in.txt")
    return FunctionContext(str(module), str(root))


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "db" / "templates").mkdir(parents=True)
    (root / "db" / "templates" / "params.tftpl").write_text(
        "%{ for name, value in params ~}\n${name}=${value}\n%{ endfor ~}\nfamily=${family}", encoding="utf-8")
    (root / "db" / "templates" / "bare.tftpl").write_text("${port}", encoding="utf-8")
    (root / "db" / "templates" / "nested.tftpl").write_text('${templatefile("bare.tftpl", {port = 1})}',
                                                              encoding="utf-8")
    (root / "db" / "templates" / "uses_var.tftpl").write_text("${var.x}", encoding="utf-8")
    (tmp_path / "outside.tftpl").write_text("secret", encoding="utf-8")
    return root
