"""Property-based fuzzing of the whole check (hypothesis).

Two sources of input: HCL generated from a grammar-like strategy (blocks, attributes,
expressions of every kind, templates, heredocs, the functions rdspolicy implements), and
the fixtures mutated (truncated, a slice duplicated or deleted, bytes swapped, syntax
characters inserted).  For each input:

- no uncaught exception: no internal error, no crashed rule, no traceback;
- the exit status is 0, 1 or 2;
- the run ends within a bound (a watchdog fails the example; it is not a timing test);
- the same input gives the same report twice, and with and without the parse cache
  (``--no-cache``) when the command has that option.

The CI run is small (``RDSPOLICY_FUZZ_EXAMPLES``, default 25 per test).  A longer
campaign, as recorded in docs/robustness.md::

    RDSPOLICY_FUZZ_EXAMPLES=2000 python -m pytest -q -p no:cacheprovider tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rdspolicy import cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("RDSPOLICY_FUZZ_EXAMPLES", "25"))
SECONDS = int(os.environ.get("RDSPOLICY_FUZZ_SECONDS", "60"))  # per input: a hang guard

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the watchdog below bounds each input; timing is not asserted here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None if EXAMPLES <= 100 else settings.default.database,
    derandomize=EXAMPLES <= 100,  # CI: the same examples every run
)


# ---------------------------------------------------------------- running one input


@contextlib.contextmanager
def watchdog(seconds: int):
    """Fail the example if it runs longer than ``seconds`` (a hang, not slowness)."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - not on Windows
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(f"one input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _has_option(name: str) -> bool:
    return any(name in getattr(p, "opts", ()) for p in cli.check.params)


def run_check(folder: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with watchdog(SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.run(["check", ".", "--format", "json", *extra])
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


def check_properties(folder: Path) -> None:
    status, out, err = run_check(folder)
    assert status in (0, 1, 2), (status, err)
    assert "internal error" not in err, err
    assert "Traceback" not in out + err
    assert '"code": "rule-error"' not in out, out
    again = run_check(folder)
    assert again == (status, out, err), "the same input gave a different result"
    if _has_option("--no-cache"):
        assert run_check(folder, "--no-cache") == (status, out, err), "--no-cache changed the result"


@contextlib.contextmanager
def module(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory(prefix="rdspolicy-fuzz-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield folder


# ---------------------------------------------------------------- HCL from a grammar

NAMES = st.sampled_from(["a", "b", "x", "name", "engine", "tags", "env", "count", "each", "self"])
VARS = ["environment", "retention", "key", "cidrs", "flag", "items"]
LOCALS = ["a", "b", "c"]
FUNCTIONS = [
    "length", "upper", "lower", "format", "join", "split", "concat", "contains", "lookup", "merge",
    "coalesce", "element", "flatten", "keys", "values", "tostring", "tonumber", "tobool", "tolist",
    "toset", "tomap", "range", "max", "min", "abs", "replace", "substr", "trimspace", "jsonencode",
    "jsondecode", "cidrhost", "cidrsubnet", "regex", "regexall", "startswith", "try", "can", "one",
    "distinct", "reverse", "sort", "slice", "zipmap", "setproduct", "sum", "compact", "indent",
    "yamldecode", "base64decode", "formatlist", "parseint", "pow", "log", "index", "chunklist",
    "transpose", "strrev", "title", "file", "fileexists", "templatefile", "sensitive", "nonsensitive",
]
STRING_CHARS = st.lists(st.sampled_from(list('abcXYZ019 -_./:*"\\$%{}\n\tü') + ["${", "%{", "\x1b", "\u202e"]),
                        max_size=10).map("".join)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("${", "$${") \
        .replace("%{", "%%{") + '"'


literals = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: repr(float(f))),
    st.sampled_from(["true", "false", "null", "0", "1", "7", "30", "1e3", "-1"]),
    STRING_CHARS.map(_quote),
    st.sampled_from(['"postgres"', '"aurora-postgresql"', '"16.3"', '"15"', '"0.0.0.0/0"', '"10.0.0.0/16"',
                     '"production"', '"arn:aws:kms:eu-west-1:111122223333:key/abc"', '"default.postgres16"']),
)
references = st.one_of(
    st.sampled_from(VARS).map(lambda n: f"var.{n}"),
    st.sampled_from(LOCALS).map(lambda n: f"local.{n}"),
    st.sampled_from(["aws_db_instance.db.id", "aws_db_instance.db[0].arn", "aws_kms_key.k.arn",
                     "aws_security_group.sg.id", "count.index", "each.key", "each.value", "path.module",
                     "terraform.workspace", "data.aws_vpc.main.cidr_block", "module.m.out", "nope.x"]),
)


def _expressions(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]),
                  children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["!", "-"]), children).map(lambda t: f"{t[0]}{t[1]}"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(NAMES, children), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, children).map(lambda t: f"[for k, v in {t[0]} : {t[1]}]"),
        st.tuples(children, children, children).map(lambda t: f"{{for v in {t[0]} : tostring(v) => {t[1]} if {t[2]}}}"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, NAMES).map(lambda t: f"{t[0]}.{t[1]}"),
        children.map(lambda c: f"{c}[*].id"),
        st.tuples(children, children).map(lambda t: f'"pre-${{{t[0]}}}-%{{if {t[1]}}}yes%{{else}}no%{{endif}}"'),
        children.map(lambda c: f'"%{{for x in {c}}}${{x}},%{{endfor}}"'),
        children.map(lambda c: f"<<EOT\nline ${{{c}}}\nEOT\n"),
    )


_EXPRESSIONS = st.recursive(st.one_of(literals, references), _expressions, max_leaves=12)
expressions = st.deferred(lambda: _EXPRESSIONS)  # a short repr in reports

ATTRIBUTES = ["engine", "engine_version", "storage_encrypted", "kms_key_id", "multi_az", "deletion_protection",
              "backup_retention_period", "replicate_source_db", "snapshot_identifier", "parameter_group_name",
              "family", "identifier", "password", "master_password", "tags"]


def _body(attrs: list[tuple[str, str]]) -> str:
    seen: dict[str, str] = {}
    for name, value in attrs:
        seen.setdefault(name, value)  # a redefined attribute is a separate, tested case
    return "".join(f"  {name} = {value}\n" for name, value in seen.items())


resources = st.tuples(
    st.sampled_from(["aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_parameter_group",
                     "aws_rds_cluster_parameter_group", "aws_security_group", "aws_kms_key"]),
    st.sampled_from(["db", "k", "sg", "main"]),
    st.lists(st.tuples(st.sampled_from(ATTRIBUTES), expressions), max_size=6),
    st.sampled_from(["", "count", "for_each"]),
    st.one_of(st.none(), expressions),
    st.booleans(),
).map(lambda t: (
    f'resource "{t[0]}" "{t[1]}" {{\n'
    + (f"  {t[3]} = {t[4]}\n" if t[3] and t[4] is not None else "")
    + _body(t[2])
    + (f"  ingress {{\n    cidr_blocks = {t[4] or '[]'}\n  }}\n" if t[5] else "")
    + "}\n"
))
variables = st.tuples(st.sampled_from(VARS), st.one_of(st.none(), expressions),
                      st.sampled_from(["", "string", "number", "bool", "list(string)", "map(any)"]),
                      st.booleans()).map(
    lambda t: f'variable "{t[0]}" {{\n'
              + (f"  type = {t[2]}\n" if t[2] else "")
              + (f"  default = {t[1]}\n" if t[1] is not None else "")
              + ("  sensitive = true\n" if t[3] else "")
              + "}\n")
others = st.one_of(
    st.tuples(expressions, expressions).map(
        lambda t: f'resource "aws_security_group" "dyn" {{\n  dynamic "ingress" {{\n    for_each = {t[0]}\n'
                  f'    content {{\n      cidr_blocks = [{t[1]}]\n      from_port = ingress.key\n    }}\n  }}\n}}\n'),
    st.tuples(expressions, st.sampled_from(["./", "./sub", "../"])).map(
        lambda t: f'module "m" {{\n  source = "{t[1]}"\n  environment = {t[0]}\n}}\n'),
    st.just('data "aws_vpc" "main" {}\n'),
    st.tuples(st.sampled_from(["rds.force_ssl", "log_statement", "rds.log_retention_period"]), expressions).map(
        lambda t: f'resource "aws_db_parameter_group" "pg" {{\n  family = "postgres16"\n'
                  f'  parameter {{\n    name  = "{t[0]}"\n    value = {t[1]}\n  }}\n}}\n'),
)
locals_blocks = st.lists(st.tuples(st.sampled_from(LOCALS), expressions), max_size=3).map(
    lambda kv: "locals {\n" + _body(kv) + "}\n")
files = st.lists(st.one_of(resources, variables, locals_blocks, others), min_size=1, max_size=6).map(
    lambda blocks: "\n".join(dict.fromkeys(blocks)))
tfvars = st.lists(st.tuples(st.sampled_from(VARS), literals), max_size=4).map(
    lambda kv: "".join(f"{k} = {v}\n" for k, v in dict(kv).items()))


@FUZZ
@given(main=files, values=tfvars, sub=st.one_of(st.none(), files))
def test_generated_hcl(main, values, sub):
    data = {"main.tf": main.encode()}
    if values:
        data["environments/prod.tfvars"] = values.encode()
    if sub is not None:  # a module that main.tf may call
        data["sub/main.tf"] = sub.encode()
    with module(data) as folder:
        check_properties(folder)


# ---------------------------------------------------------------- mutated fixtures


def _fixture_modules() -> list[Path]:
    found = {p.parent for p in (ROOT / "fixtures").rglob("*.tf")} | {
        p.parent for p in (ROOT / "fixtures").rglob("*.tf.json")}
    return sorted(found)


FIXTURE_MODULES = _fixture_modules()
SYNTAX = [b"{", b"}", b"[", b"]", b"(", b")", b'"', b"=", b"\n", b"#", b"${", b"%{", b"<<EOT\n", b"\\", b",",
          b"\xff", b"\x00", b"\r\n", b"/*", b"...", b"?", b":"]


@st.composite
def mutations(draw):
    folder = draw(st.sampled_from(FIXTURE_MODULES))
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != "expected" and not p.name.endswith(".md")}
    target = draw(st.sampled_from(sorted(files)))
    data = bytearray(files[target])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["truncate", "duplicate", "swap", "delete", "insert"]))
        size = len(data)
        at = draw(st.integers(min_value=0, max_value=max(size - 1, 0)))
        if kind == "truncate":
            del data[at:]
        elif kind == "duplicate" and size:
            end = draw(st.integers(min_value=at, max_value=size))
            data[end:end] = data[at:end]
        elif kind == "swap" and size > 1:
            other = draw(st.integers(min_value=0, max_value=size - 1))
            data[at], data[other] = data[other], data[at]
        elif kind == "delete" and size:
            end = draw(st.integers(min_value=at, max_value=min(size, at + 40)))
            del data[at:end]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(SYNTAX))
    files[target] = bytes(data)
    return files


@FUZZ
@given(files=mutations())
def test_mutated_fixtures(files):
    with module(files) as folder:
        check_properties(folder)


def test_the_fuzz_inputs_reach_every_stage():
    # the generator is useful only if its output mostly parses and reaches the rules
    with module({"main.tf": b'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'}) as folder:
        status, out, _ = run_check(folder)
    assert status == 1 and '"rule": "RDS001"' in out
    assert FIXTURE_MODULES, "no fixtures to mutate"
