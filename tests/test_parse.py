"""The parse stage: positions, comments, templates, heredocs, errors, JSON files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rdspolicy import syntax as S
from rdspolicy.errors import SourceError
from rdspolicy.parse import parse_file, parse_hcl

PACS = os.path.join(os.path.dirname(__file__), "..", "fixtures", "pacs")


def attr(text: str, name: str = "x") -> S.Expr:
    return parse_hcl("t.tf", text).body.attributes[name].expr


def test_block_and_attribute_positions():
    text = textwrap.dedent(
        """\
        # a comment
        resource "aws_db_instance" "main" {
          engine = "postgres"

          multi_az = var.environment == "production"
        }
        """
    )
    file = parse_hcl("t.tf", text)
    (block,) = file.body.blocks
    assert (block.type, block.labels) == ("resource", ["aws_db_instance", "main"])
    assert (block.pos.line, block.pos.column) == (2, 1)
    engine = block.body.attributes["engine"]
    assert (engine.pos.line, engine.pos.column) == (3, 3)
    multi_az = block.body.attributes["multi_az"]
    assert (multi_az.pos.line, multi_az.pos.column, multi_az.pos.end_line) == (5, 3, 5)
    assert isinstance(multi_az.expr, S.BinaryOp) and multi_az.expr.op == "=="


def test_comments_are_kept_with_their_lines():
    text = textwrap.dedent(
        """\
        # top
        resource "a" "b" { // trailing
          x = 1 # rdspolicy:ignore RDS001 reason="r"
          /* block
             comment */
          y = 2
        }
        """
    )
    comments = parse_hcl("t.tf", text).comments
    by_line = {c.line: c.text for c in comments}
    assert by_line[1] == "top"
    assert by_line[2] == "trailing"
    assert by_line[3] == 'rdspolicy:ignore RDS001 reason="r"'
    assert by_line[4].startswith("block")


def test_crlf_parses_like_lf_with_the_same_lines(tmp_path):
    text = 'resource "a" "b" {\n  x = 1\n\n  y = "two"\n}\n'
    lf = tmp_path / "lf.tf"
    crlf = tmp_path / "crlf.tf"
    lf.write_bytes(text.encode())
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    a = parse_file(str(lf)).body.blocks[0].body.attributes
    b = parse_file(str(crlf)).body.blocks[0].body.attributes
    assert [(n, v.pos.line, v.pos.column) for n, v in a.items()] == [
        (n, v.pos.line, v.pos.column) for n, v in b.items()
    ]
    assert b["y"].expr.value == "two"


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.tf"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert parse_file(str(path)).body.attributes["x"].expr.value == 1


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\xff\xfe x = 1\n", "not valid UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_unreadable_content_is_a_clear_error(tmp_path, content, words):
    path = tmp_path / "bad.tf"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        parse_file(str(path))
    assert words in info.value.message


def test_heredoc_then_attribute_on_the_next_line():
    body = parse_hcl("h.tf", "a = <<EOT\nx\nEOT\nb = 1\n").body
    assert body.attributes["a"].pos.end_line == 3
    assert body.attributes["b"].expr.value == 1


def test_empty_and_comment_only_files_parse():
    assert parse_hcl("e.tf", "").body.attributes == {}
    assert parse_hcl("c.tf", "# only a comment").body.blocks == []


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ('resource "a" "b" {\n  x = 1\n', 1, 1, "unclosed block"),
        ('x = "abc\n', 1, 5, "unterminated string"),
        ("x = 1 1\n", 1, 7, "end of the line"),
        ("x = 1\nx = 2\n", 2, 1, 'attribute "x" is defined twice'),
        ("x = @\n", 1, 5, "unexpected"),
        ('x = 1\nx {\n}\n', 2, 1, "both as an attribute"),
        ("a = = 1\n", 1, 5, "unexpected '='; expected a value"),
        ("a = 1 b = 2\n", 1, 7, "must start on a new line"),
    ],
)
def test_syntax_errors_say_where_and_what(text, line, column, words):
    with pytest.raises(SourceError) as info:
        parse_hcl("bad.tf", text)
    error = info.value
    assert (error.line, error.column) == (line, column)
    assert words in error.message
    assert "\n" not in error.message


def test_template_parts_and_escapes():
    expr = attr('x = "a-${var.b}-$${literal}-\\n"')
    assert isinstance(expr, S.Template)
    assert expr.parts[0] == "a-"
    assert isinstance(expr.parts[1], S.GetAttr)
    assert expr.parts[2] == "-${literal}-\n"


def test_template_directives_nest_and_strip():
    expr = attr('x = "a %{ if var.c ~}  yes  %{~ else }no%{ endif } %{ for v in var.l }${v},%{ endfor }"')
    kinds = [type(p).__name__ for p in expr.parts]
    assert kinds == ["str", "TemplateIf", "str", "TemplateFor"]
    if_part = expr.parts[1]
    assert if_part.then == ["yes"] and if_part.else_ == ["no"]
    assert expr.parts[0] == "a "  # no strip marker on the left of %{ if
    assert expr.parts[2] == " "


def test_heredocs_plain_and_indented():
    text = "x = <<EOT\n  keep\n    indent\nEOT\ny = <<-EOT\n    hello ${var.n}\n      world\n    EOT\n"
    body = parse_hcl("h.tf", text).body.attributes
    assert body["x"].expr.value == "  keep\n    indent\n"
    y = body["y"].expr
    assert isinstance(y, S.Template)
    assert y.parts[0] == "hello "
    assert y.parts[2] == "\n  world\n"


def test_for_expressions_and_splats():
    expr = attr('x = {for k, v in var.m : k => v... if k != "a"}')
    assert isinstance(expr, S.ForExpr) and expr.group and expr.key_var == "k"
    splat = attr("x = var.l[*].id")
    assert isinstance(splat, S.Splat) and splat.full
    legacy = attr("x = var.l.*.id[0]")
    assert isinstance(legacy, S.Index) and isinstance(legacy.obj, S.Splat) and not legacy.obj.full


def test_operator_precedence():
    expr = attr("x = 1 + 2 * 3 == 7 || false && true")
    assert expr.op == "||"
    assert expr.left.op == "=="
    assert expr.left.left.op == "+"
    assert expr.left.left.right.op == "*"
    assert expr.right.op == "&&"


def test_operator_after_a_new_line_continues_the_expression():
    file = parse_hcl("m.tf", "x = (1\n  + 2)\ny = 3 # why\n")
    assert file.body.attributes["x"].expr.expr.op == "+"
    assert any(c.text == "why" and c.line == 3 for c in file.comments)


def test_comment_lines_inside_parentheses_before_an_operator_parse():
    # python-hcl2 merges only the last new line into the operator; we merge them all
    file = parse_hcl("m.tf", "x = (1\n  # why\n\n  // and\n  + 2)\ny = (true\n  # c\n  ? 1 : 2)\n")
    assert file.body.attributes["x"].expr.expr.op == "+"
    assert file.body.attributes["y"].expr.expr.then.value == 1
    assert [(c.line, c.text) for c in file.comments] == [(2, "why"), (4, "and"), (7, "c")]


def test_error_messages_are_one_line_even_for_multiline_tokens():
    with pytest.raises(SourceError) as info:
        parse_hcl("m.tf", "x = (1\n  # why\n  + )\n")
    assert "\n" not in info.value.message


def test_object_keys_bare_names_are_strings():
    expr = attr('x = { a = 1, "b" = 2, (var.k) = 3 }')
    keys = [k for k, _ in expr.items]
    assert isinstance(keys[0], S.Literal) and keys[0].value == "a"
    assert isinstance(keys[1], S.Literal) and keys[1].value == "b"
    assert isinstance(keys[2], S.Paren)


def test_every_pacs_file_parses():
    names = []
    for root, _dirs, files in os.walk(PACS):
        for name in files:
            parse_file(os.path.join(root, name))
            names.append(name)
    assert len(names) == 13


def test_tf_json_positions_and_templates(tmp_path):
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps({
        "variable": {"env": {"type": "string", "default": "${not-a-template}"}},
        "resource": {"aws_db_instance": {"db": {
            "engine": "postgres",
            "multi_az": "${var.env == \"prod\"}",
            "restore_to_point_in_time": {"source_db_instance_identifier": "x"},
        }}},
    }, indent=2))
    file = parse_file(str(path))
    variable, resource = file.body.blocks
    assert variable.body.attributes["default"].expr.value == "${not-a-template}"
    assert isinstance(variable.body.attributes["type"].expr, S.Name)
    assert resource.labels == ["aws_db_instance", "db"]
    multi_az = resource.body.attributes["multi_az"]
    assert multi_az.pos.line == 12 and isinstance(multi_az.expr, S.Template)
    assert [b.type for b in resource.body.blocks] == ["restore_to_point_in_time"]


def test_tf_json_syntax_error_has_a_position(tmp_path):
    path = tmp_path / "bad.tf.json"
    path.write_text('{\n  "resource": {\n    "a": }\n}\n')
    with pytest.raises(SourceError) as info:
        parse_file(str(path))
    assert (info.value.line, info.value.column) == (3, 10)


def test_grammar_cache_goes_to_the_cache_folder(tmp_path):
    env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(tmp_path / "cache"))
    # without the packaged grammar (as when python-hcl2 or lark differ from the build's)
    code = ("import rdspolicy.parse.grammar as G; G.PACKAGED_GRAMMAR = None; "
            "from rdspolicy.parse import parse_hcl; parse_hcl('t.tf', 'x = 1')")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    cached = list((tmp_path / "cache").glob("grammar-*.bin"))
    assert len(cached) == 1
    # a corrupt cache is ignored, not trusted
    cached[0].write_bytes(b"garbage")
    result = subprocess.run([sys.executable, "-c", code + "; print('ok')"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok"
    assert "Traceback" not in result.stderr


def test_the_packaged_grammar_is_current_and_parses_as_a_fresh_compile(monkeypatch):
    # python -m rdspolicy.parse --write-packaged-grammar makes it again
    import zlib

    from lark import Lark

    from rdspolicy.fileio import read_text
    from rdspolicy.parse import grammar as G

    data = zlib.decompress(G.PACKAGED_GRAMMAR.read_bytes())
    key = G.grammar_key()
    assert data.startswith(G.GRAMMAR_MAGIC + key.encode() + b"\n"), "the packaged grammar is out of date"
    packaged = G.load_grammar(Lark, data, key)
    fresh = G.compile_parser(Lark)
    files = sorted(Path(__file__).parent.parent.glob("fixtures/**/*.tf")) + sorted(
        Path(__file__).parent.parent.glob("fixtures/**/*.tfvars"))
    assert len(files) > 50
    for parser in (packaged, fresh):
        assert parser is not None
    for path in files:
        try:
            text = read_text(str(path)) + "\n"
        except SourceError:
            continue
        results = []
        for parser in (packaged, fresh):
            try:
                results.append(parser.parse(text))
            except Exception as exc:  # the same failure, in the same place
                results.append((type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None)))
        assert results[0] == results[1], path


def test_a_packaged_grammar_of_another_key_is_not_used():
    from lark import Lark

    from rdspolicy.parse import grammar as G

    entry = G.grammar_entry(G.get_parser(), "0" * 64)
    assert G.load_grammar(Lark, entry, "0" * 64) is not None
    assert G.load_grammar(Lark, entry, G.grammar_key()) is None
    assert G.load_grammar(Lark, entry[:-10], "0" * 64) is None


def test_an_escaped_template_sequence_needs_no_closing_brace():
    # found by tests/test_fuzz.py: python-hcl2's lexer wanted a '}' after "$${" and "%%{"
    file = parse_hcl("m.tf", 'a = "cost $${ x"\nb = "100%%{ y"\nc = "$${var.x} ${1}"\n')
    assert file.body.attributes["a"].expr.value == "cost ${ x"
    assert file.body.attributes["b"].expr.value == "100%{ y"
    assert file.body.attributes["c"].expr.parts[0] == "${var.x} "


def test_a_heredoc_template_with_quoted_templates_inside():
    # found by tests/test_fuzz.py: a quote inside a template inside a string ended the string
    file = parse_hcl("m.tf", 'x = <<EOT\nv ${"%{for x in split(",", "a,b")}${x};%{endfor}"}\nEOT\n')
    assert isinstance(file.body.attributes["x"].expr, S.Template)


def test_our_post_lexer_merges_new_lines_into_python_hcl2s_operators():
    # our post-lexer stands alone (importing python-hcl2 costs 0.1 s) but must merge
    # new lines before the same operators as python-hcl2's grammar expects
    from hcl2.postlexer import OPERATOR_TYPES

    from rdspolicy.parse import grammar as G

    assert G.OPERATOR_TYPES == OPERATOR_TYPES


# ---------------------------------------------------------------- the parse cache's key

SRC = Path(__file__).resolve().parent.parent / "src"


def _module_file(name: str) -> Path | None:
    """The source file of the rdspolicy module ``name`` (``rdspolicy.parse.hcl``), if any."""
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported_files(path: Path) -> set[Path]:
    """The rdspolicy modules ``path`` imports, lazily inside functions too."""
    import ast

    package = ".".join(path.relative_to(SRC).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            # "from X import name": name is a module of X, or a name X defines
            names = [f"{base}.{alias.name}" if _module_file(f"{base}.{alias.name}") else base
                     for alias in node.names]
        else:
            continue
        found.update(file for name in names if name.startswith("rdspolicy.") and (file := _module_file(name)))
    return found


def test_the_parse_cache_key_covers_every_source_file_of_the_parser():
    # every module of the parse package and every rdspolicy module they import, however
    # indirectly: a parser change must never serve trees parsed by the old parser
    from rdspolicy import cache as C

    todo = sorted((SRC / "rdspolicy" / "parse").glob("*.py"))
    assert len(todo) >= 5
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_imported_files(path) - seen)
    assert SRC / "rdspolicy" / "syntax.py" in seen  # the walk follows the imports
    # compared by their path inside the package: the tests may run against an installed
    # copy (CI installs the wheel), whose files are not the checkout's
    installed = Path(C.__file__).resolve().parent.parent
    covered = {Path(p).resolve().relative_to(installed).as_posix() for p in C.parser_sources()}
    assert sorted({p.relative_to(SRC).as_posix() for p in seen} - covered) == []


_KEY_PER_CHANGE = """
import json, os, sys
sys.path.insert(0, SRC)
from rdspolicy import cache as C
assert C.__file__.startswith(SRC), C.__file__

def key():
    C._environment = None
    return C.environment_digest().hex()

keys = {"": key()}
for path in C.parser_sources():
    with open(path, "rb") as handle:
        original = handle.read()
    with open(path, "ab") as handle:
        handle.write(b"\\n# a change\\n")
    keys[path] = key()
    with open(path, "wb") as handle:
        handle.write(original)
added = os.path.join(os.path.dirname(C.parse.__file__), "added.py")
with open(added, "w") as handle:
    handle.write("# a new module of the parser\\n")
keys["added"] = key()
os.remove(added)
keys["again"] = key()
print(json.dumps(keys))
"""


def test_the_parse_cache_key_changes_when_any_parser_source_file_changes(tmp_path):
    # on a copy of the package: the key is made of the files' content, not their names
    import shutil

    shutil.copytree(SRC / "rdspolicy", tmp_path / "rdspolicy", ignore=shutil.ignore_patterns("__pycache__"))
    code = _KEY_PER_CHANGE.replace("SRC", repr(str(tmp_path)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    keys = json.loads(result.stdout)
    base, again = keys.pop(""), keys.pop("again")
    assert again == base
    changed = sorted(os.path.relpath(p, tmp_path) for p in keys if p != "added")
    assert os.path.join("rdspolicy", "parse", "hcl.py") in changed and os.path.join("rdspolicy", "syntax.py") in changed
    assert [p for p, key in keys.items() if key == base] == []
    assert len(set(keys.values())) == len(keys)


@pytest.mark.parametrize("dependency", ["hcl2_version", "lark_version"])
def test_the_parse_cache_key_changes_with_python_hcl2_or_lark(dependency, monkeypatch):
    # python-hcl2 is pinned, lark is not: an upgrade of either may change the trees
    from rdspolicy import cache as C

    monkeypatch.setattr(C, "_environment", None)
    before = C.environment_digest()
    monkeypatch.setattr(C, dependency, lambda: "0.0.0")
    monkeypatch.setattr(C, "_environment", None)
    assert C.environment_digest() != before
