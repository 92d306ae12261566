"""Tests of the filesystem functions, confined to the scanned tree
(rdspolicy.evaluate.functions.filesystem)."""

from __future__ import annotations

import os

import pytest

from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.values import EvalError

from function_checks import ID, context, fn, known_results, not_computed_reasons, unknown


KNOWN = [
    ("basename", ["foo/bar/baz.txt"], "baz.txt"),
    ("basename", ["foo/bar/"], "bar"),
    ("basename", [""], "."),
    ("dirname", ["foo/bar"], "foo"),
    ("dirname", ["bar"], "."),
    ("pathexpand", ["foo/bar"], "foo/bar"),
]
test_known_results = known_results(KNOWN)


NOT_COMPUTED_REASONS = [
    ("abspath", ["x"], "abspath()"),
    ("pathexpand", ["~/x"], "home directory"),
    ("dirname", ["a/b/c"], "path separator"),
    ("basename", ["a\\b"], "operating system"),
]
test_functions_rdspolicy_does_not_compute_are_unknown = not_computed_reasons(NOT_COMPUTED_REASONS)


def test_file_reads_relative_to_the_module(tree):
    assert fn("file", "params.json", ctx=tree) == '{"engine": "postgres"}'
    assert fn("file", "../../shared.txt", ctx=tree) == "shared\n"
    assert fn("file", os.path.join(tree.root_dir, "shared.txt"), ctx=tree) == "shared\n"
    assert fn("file", "link-in.txt", ctx=tree) == "shared\n"


def test_file_outside_the_tree_is_unknown_and_not_read(tree):
    for path in ("../../../secret.txt", "link-out.txt", os.path.join(os.path.dirname(tree.root_dir), "secret.txt")):
        result = fn("file", path, ctx=tree)
        assert unknown(result)
        assert "outside the scanned folder" in result.reason
        assert "top secret" not in result.reason


def test_file_helpers_respect_the_confinement(tree):
    for name in ("filebase64", "filemd5", "filesha256", "fileexists"):
        assert unknown(fn(name, "link-out.txt", ctx=tree))


def test_file_family(tree):
    assert fn("filebase64", "binary.bin", ctx=tree) == "//4="
    assert fn("filemd5", "../../shared.txt", ctx=tree) == fn("md5", "shared\n")
    assert fn("filesha1", "../../shared.txt", ctx=tree) == fn("sha1", "shared\n")
    assert fn("filesha256", "../../shared.txt", ctx=tree) == fn("sha256", "shared\n")
    assert fn("filesha512", "../../shared.txt", ctx=tree) == fn("sha512", "shared\n")
    assert fn("filebase64sha256", "../../shared.txt", ctx=tree) == fn("base64sha256", "shared\n")
    assert fn("filebase64sha512", "../../shared.txt", ctx=tree) == fn("base64sha512", "shared\n")
    assert fn("jsondecode", fn("file", "params.json", ctx=tree)) == {"engine": "postgres"}


def test_fileexists(tree):
    assert fn("fileexists", "params.json", ctx=tree) is True
    assert fn("fileexists", "nope.json", ctx=tree) is False
    with pytest.raises(EvalError, match="is not a regular file"):
        fn("fileexists", "subdir", ctx=tree)


def test_file_errors_and_unknowns(tree):
    with pytest.raises(EvalError, match="not valid UTF-8; use the filebase64 function"):
        fn("file", "binary.bin", ctx=tree)
    with pytest.raises(EvalError, match="is a directory"):
        fn("file", "subdir", ctx=tree)
    missing = fn("file", "missing.txt", ctx=tree)
    assert unknown(missing) and "no file exists" in missing.reason
    assert unknown(fn("file", "~/.aws/credentials", ctx=tree))
    assert unknown(fn("file", "params.json", ctx=None))
    assert unknown(fn("file", ID, ctx=tree))


def test_file_larger_than_10_mib_is_unknown(tree):
    big = os.path.join(tree.module_dir, "big.txt")
    with open(big, "wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)  # sparse: fast
    result = fn("file", "big.txt", ctx=tree)
    assert unknown(result) and "larger than 10 MiB" in result.reason


def test_file_paths_built_from_path_module_resolve_from_the_current_folder(repo, monkeypatch):
    # rdspolicy spells path.module as the module's folder seen from where it runs
    monkeypatch.chdir(repo)
    ctx = context("db", ".")
    assert fn("templatefile", "db/templates/bare.tftpl", {"port": 1}, ctx=ctx) == 1
    assert fn("fileexists", "db/templates/bare.tftpl", ctx=ctx) is True
    assert fn("fileexists", "templates/bare.tftpl", ctx=ctx) is True  # any other: from the root module
    child = context("db/templates", ".", root_module_dir="db")
    assert fn("fileexists", "db/templates/bare.tftpl", ctx=child) is True  # built from path.root
    assert fn("fileexists", "templates/bare.tftpl", ctx=child) is True  # from the root module, as Terraform


def test_abspath_inside_the_tree_only(repo):
    ctx = FunctionContext(str(repo / "db"), str(repo))
    assert fn("abspath", "templates", ctx=ctx) == str(repo / "db" / "templates").replace(os.sep, "/")
    assert fn("abspath", str(repo / "db" / ".." / "db"), ctx=ctx) == str(repo / "db").replace(os.sep, "/")
    out = fn("abspath", "/etc/passwd", ctx=ctx)
    assert unknown(out) and "outside the scanned folder" in out.reason


def test_fileset_globs_inside_the_tree(repo):
    ctx = FunctionContext(str(repo / "db"), str(repo))
    assert fn("fileset", "templates", "*.tftpl", ctx=ctx) == ["bare.tftpl", "nested.tftpl", "params.tftpl",
                                                              "uses_var.tftpl"]
    assert fn("fileset", ".", "**/{bare,params}.*", ctx=ctx) == ["templates/bare.tftpl", "templates/params.tftpl"]
    assert fn("fileset", ".", "templates/[bn]*", ctx=ctx) == ["templates/bare.tftpl", "templates/nested.tftpl"]
    assert unknown(fn("fileset", "../..", "*", ctx=ctx))
