"""Command line: ``rdspolicy check``, ``rdspolicy rules``, ``rdspolicy --version``.

Exit statuses: 0 no failing finding; 1 failing findings; 2 a usage error, or an input
that could not be read or parsed (everything else is still checked and reported).
Tracebacks are shown only with ``--debug``.  Heavy modules are imported inside the
commands so that ``--version`` and ``--help`` start quickly.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .report import FORMATS, printable  # names only: no reporter is imported until used

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _use_color(stream, option: bool | None) -> bool:
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rdspolicy", message="%(prog)s %(version)s")
def main() -> None:
    """Check Terraform for PostgreSQL on AWS RDS and Aurora against a compliance policy."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(),
              help="A variables file for the one environment to check (repeatable). "
                   "Without it, each *.tfvars found beside the module or in environments/ is one environment.")
@click.option("--var", "cli_vars", multiple=True, metavar="NAME=VALUE",
              help="Set an input variable, as terraform -var does (repeatable).")
@click.option("--environment", metavar="NAME", help="Name of the environment (overrides the detected name).")
@click.option("--unknown", "unknown_policy", type=click.Choice(["report", "fail"]), default="report",
              show_default=True, help="Whether a verdict that depends on an unknown value fails the run.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(**opts) -> None:
    """Check the Terraform under PATHS (folders or files)."""
    sys.exit(_run_check(**opts))


def _input_order(var_files, cli_vars) -> list[tuple[str, str]] | None:
    """--var-file and --var in the order they were written (Terraform applies them so);
    None when the command line is not at hand."""
    ctx = click.get_current_context(silent=True)
    argv = (ctx.find_root().obj or {}).get("argv") if ctx is not None else None
    if argv is None:
        return None
    order: list[tuple[str, str]] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            break
        for option, kind in (("--var-file", "var-file"), ("--var", "var")):
            if arg == option:
                value = next(args, None)
                if value is not None:
                    order.append((kind, value))
                break
            if arg.startswith(option + "="):
                order.append((kind, arg[len(option) + 1:]))
                break
    if sorted(v for k, v in order if k == "var-file") != sorted(var_files) or sorted(
        v for k, v in order if k == "var"
    ) != sorted(cli_vars):
        return None  # not understood: fall back to var-files, then vars
    return order


def _run_check(*, paths, fmt, output, var_files, cli_vars, environment, unknown_policy, color, debug) -> int:
    from .errors import Diagnostic
    from .evaluate import Settings
    from .evaluate.inputs import parse_cli_var
    from .pipeline import Options
    from .pipeline import check as run_pipeline
    from .plugins import load_rules
    from .report import render

    for text in cli_vars:
        try:
            parse_cli_var(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--var")
    for path in var_files:
        if not os.path.isfile(path):
            raise click.BadParameter(f"{path}: no such file", param_hint="--var-file")

    loaded = load_rules()
    settings = Settings(var_files=list(var_files), cli_vars=list(cli_vars), environment=environment,
                        root_dir=os.getcwd(), input_order=_input_order(var_files, cli_vars))
    report = run_pipeline(Options(paths=list(paths), settings=settings, debug=debug), loaded.rules)
    for message in loaded.errors:
        report.diagnostics.insert(0, Diagnostic("error", "<rule packs>", 0, 0, message, "rule-pack"))

    try:
        stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:  # a folder that does not exist, no permission: the user's to fix
        raise click.FileError(output, hint=exc.strerror or str(exc)) from None
    try:
        text = render(fmt, report, color=_use_color(stream, color) and fmt == "text", rules=loaded.rules)
        stream.write(text)
    finally:
        if output:
            stream.close()
    if fmt != "text" or output:
        # people still see why the exit status is 2
        for diag in report.diagnostics:
            if diag.severity == "error":
                click.echo(f"{printable(diag.location())}: error: {printable(diag.message)}", err=True)
    if report.has_errors:
        return EXIT_ERROR
    failing = report.failed + (report.unknown if unknown_policy == "fail" else [])
    return EXIT_FINDINGS if failing else EXIT_OK


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt) -> None:
    """List the rules: id, name, severity and summary."""
    import json

    from .plugins import load_rules

    loaded = load_rules()
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary,
             "resource_types": list(r.resource_types), "pack": loaded.packs.get(r.id)}
            for r in loaded.rules
        ], indent=2))
    else:
        width = max((len(r.name) for r in loaded.rules), default=4)
        for r in loaded.rules:
            click.echo(f"{r.id}  {r.name:<{width}}  {r.severity:<8}  {r.summary}")
    for message in loaded.errors:
        click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR if loaded.errors else EXIT_OK)


def run(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and return the exit status; no traceback unless --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    # long chains of locals are evaluated recursively; deeper than this is reported as
    # too deep, never a crash
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))
    try:
        main.main(args=args, prog_name="rdspolicy", standalone_mode=False, obj={"argv": args})
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: say so plainly
        if debug:
            raise
        click.echo(f"rdspolicy: internal error: {type(exc).__name__}: {printable(str(exc))} "
                   f"(run with --debug for details)", err=True)
        return EXIT_ERROR
    return EXIT_OK


def console_main() -> None:
    sys.exit(run())
