"""Command line: ``rdspolicy check``, ``rdspolicy rules``, ``rdspolicy explain``,
``rdspolicy config``, ``rdspolicy init``, ``rdspolicy --version``; shell completion
(``_RDSPOLICY_COMPLETE=bash_source rdspolicy``, click's) completes rule ids and formats.

Exit statuses: 0 no failing finding; 1 failing findings; 2 a usage error, or an input
that could not be read or parsed (everything else is still checked and reported).
Tracebacks are shown only with ``--debug``.  Heavy modules are imported inside the
commands so that ``--version`` and ``--help`` start quickly.
"""

from __future__ import annotations

import datetime
import os
import sys

import click

from . import __version__
from .report import FORMATS, printable  # names only: no reporter is imported until used

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_CHOICES = ["critical", "high", "medium", "low"]  # rule.SEVERITIES, not imported: startup


def _output_options(command):
    """``--output-FORMAT FILE`` for every format: more reports from the same run."""
    for name in reversed(list(FORMATS)):
        command = click.option(
            f"--output-{name}", f"output_{name}", metavar="FILE", type=click.Path(dir_okay=False),
            help=f"Also write the {name} report to FILE (any number of these in one run).",
        )(command)
    return command


def _complete_rules(ctx, param, incomplete: str):
    """Shell completion of rule ids (and names), the last of a comma-separated list."""
    from click.shell_completion import CompletionItem

    from .plugins import load_rules

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    items = []
    for rule in load_rules().rules:
        for word in (rule.id, rule.name):
            if word.lower().startswith(last.lower()):
                items.append(CompletionItem(prefix + word, help=rule.summary))
    return items


def _view_options(command):
    """What the reports for people show (issue 16): grouping, the text format's
    layout, which severities, how quiet, and whether findings set the exit status."""
    for decorator in reversed((
        click.option("--output-format", "output_format", type=click.Choice(["concise", "full"]),
                     default="concise", show_default=True,
                     help="Text: one line per finding (concise), or with the whole message, the "
                          "offending lines and the rule's fix (full)."),
        click.option("--statistics", is_flag=True,
                     help="Text: print the number of findings per rule, severity and status instead of "
                          "the findings."),
        click.option("--severity", "min_severity", type=click.Choice(SEVERITY_CHOICES), metavar="LEVEL",
                     help="Report only findings of this severity or above (critical, high, medium, low); "
                          "the exit status still follows --fail-on."),
        click.option("--no-group", "no_group", is_flag=True,
                     help="Text, Markdown, HTML and GitHub: one line per environment instead of one "
                          "finding listing the environments it occurs in."),
        click.option("-q", "--quiet", is_flag=True, help="Text: print only the findings and the errors."),
        click.option("--exit-zero", "exit_zero", is_flag=True,
                     help="Exit 0 even when findings fail (2 still means an error)."),
    )):
        command = decorator(command)
    return command


def _text_width(stream) -> int | None:
    """The columns a text report may use on a terminal (COLUMNS, else the terminal's
    size); None, no limit, for a pipe or a file."""
    if hasattr(stream, "isatty") and stream.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


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


def config_options(command):
    """Options of every command that reads the configuration (see config.py)."""
    for decorator in reversed((
        click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Read the configuration from FILE instead of the .rdspolicy.hcl found "
                          "in the scanned folder or above it (up to the repository root)."),
        click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                     help="Override one configuration value, e.g. --set RDS005.severity=high, "
                          "--set 'production_environments=[\"prod\", \"live\"]' (repeatable)."),
        click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                     help="Load the rules in the Python files of this folder (repeatable)."),
        click.option("--trust-repo-config", is_flag=True,
                     help="Let a .rdspolicy.hcl inside the scanned repository load its rule packs "
                          "(Python code). Off by default: scanning a pull request must not run its code."),
    )):
        command = decorator(command)
    return command


def _configured_rules(paths, config_file, sets, rules_dirs, trust_repo_config, exclude=()):
    """(configuration, loaded rules, the rules that run, errors to report) or a usage error.
    The loaded rules are the effective ones (the configuration's enabled, severity and
    parameters resolved into them): every command and reporter gets these."""
    from . import config as C
    from .plugins import load_rules

    try:
        cfg = C.load(list(paths), config_file=config_file, trust_repo_config=trust_repo_config)
        C.apply_command_line(cfg, sets=list(sets), rules_dirs=list(rules_dirs), exclude=list(exclude))
    except C.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    untrusted = cfg.untrusted_packs()
    dirs = [] if untrusted else [d for d, _ in cfg.rules_dirs()]
    loaded = load_rules(rules_dirs=dirs)
    try:
        C.resolve_rules(cfg, loaded.rules, unknown_ids_ok=bool(untrusted or loaded.errors))
    except C.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    loaded.rules = cfg.effective_rules(loaded.rules)
    return cfg, loaded, [r for r in loaded.rules if r.enabled], untrusted + loaded.errors


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
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
@click.option("--workspace", "workspaces", multiple=True, metavar="NAME",
              help="Check each root module in this Terraform workspace, one environment each (repeatable; "
                   "default: TF_WORKSPACE, the configured workspaces, or terraform.tfstate.d/ beside the module).")
@click.option("--unknown", "unknown_policy", type=click.Choice(["report", "fail"]), default="report",
              show_default=True, help="Whether a verdict that depends on an unknown value fails the run.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep parsed files in the user cache folder (RDSPOLICY_CACHE_DIR overrides it).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Parse, and evaluate root modules, with up to N processes when there is enough work "
                   "(default: one per core this process may use).")
@click.option("--framework", type=click.Choice(["hipaa", "fsbp", "cis"]),
              help="Run only the rules mapped to controls of this framework.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="The date engine support is judged on (default: today), for reproducible runs.")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="low", show_default=True,
              help="Exit 1 only for failing findings of this severity or above.")
@click.option("--select", "select", multiple=True, metavar="RULE", shell_complete=_complete_rules,
              help="Run only this rule (id or name; repeatable, or comma-separated: RDS001,RDS003).")
@click.option("--ignore", "ignore", multiple=True, metavar="RULE", shell_complete=_complete_rules,
              help="Do not run this rule (id or name; repeatable, or comma-separated).")
@click.option("--root", type=click.Path(exists=True, file_okay=False),
              help="Folder that file paths in SARIF, JUnit, GitHub and GitLab reports are relative to "
                   "[default: the git top-level of the first path, else the current folder].")
@click.option("--automation-id", metavar="ID",
              help="SARIF runs[0].automationDetails.id (GitHub: the analysis category, e.g. rdspolicy/prod).")
@_output_options
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@config_options
@click.option("--exclude", multiple=True, metavar="PATTERN",
              help="Do not check module folders matching this glob (repeatable; replaces the configured list).")
@click.option("--report-unused-ignores", is_flag=True,
              help="Report rdspolicy:ignore comments that suppress nothing.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not recorded in this baseline; recorded ones that are gone are reported as fixed.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record the current findings in FILE (sorted JSON) for --baseline, print how many, "
                   "and exit 0.")
@click.option("--fix", "apply_fixes", is_flag=True,
              help="First apply the automatic fixes (as rdspolicy fix --write), then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: also apply the unsafe fixes.")
@_view_options
def check(apply_fixes=False, unsafe_fixes=False, **opts) -> None:
    """Check the Terraform under PATHS (folders or files; default: the current folder)."""
    fix = {"write": True, "then_check": True, "unsafe_fixes": unsafe_fixes} if apply_fixes else None
    sys.exit(_run_check(fix=fix, **opts))


# rdspolicy fix takes check's inputs (not its report options)
_REPORT_ONLY = {"fmt", "output", "unknown_policy", "color", "root", "automation_id", "fail_on", "write_baseline",
                "apply_fixes", "unsafe_fixes",
                "output_format", "statistics", "min_severity", "no_group", "quiet", "exit_zero"}


_FIX_OPTIONS = [
    click.Option(["--write"], is_flag=True, help="Apply the fixes (default: only print the diff)."),
    click.Option(["--diff", "show_diff"], is_flag=True, help="With --write: print the diff too."),
    click.Option(["--unsafe-fixes"], is_flag=True,
                 help="Also apply the unsafe fixes (those that replace or restart the database or cut off access)."),
    click.Option(["--add-ignore"], is_flag=True,
                 help='Write # rdspolicy:ignore RULE reason="..." above each block that still fails (needs --reason).'),
    click.Option(["--reason"], metavar="TEXT", help="The reason written with --add-ignore."),
]


@main.command("fix", params=[p for p in check.params if p.name not in _REPORT_ONLY
                             and not p.name.startswith("output_")] + _FIX_OPTIONS)
def fix_command(write, show_diff, unsafe_fixes, add_ignore, reason, **opts) -> None:
    """Repair the Terraform under PATHS: each failing finding's value is traced to where it
    is written for its environment (the resource, a var-file, a variable's default, a
    module call) and edited there, formatting and comments kept.  Prints a unified diff
    and exits 1 when there is something to fix; --write applies it."""
    if add_ignore and not (reason or "").strip():
        raise click.UsageError("--add-ignore needs --reason \"...\": a suppression says why")
    fix = {"write": write, "diff": show_diff, "unsafe_fixes": unsafe_fixes, "add_ignore": add_ignore,
           "reason": reason}
    sys.exit(_run_check(fmt="text", output=None, unknown_policy="report", color=None, fix=fix, **opts))


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


def _apply_baseline(report, path):
    from . import baseline

    try:
        return baseline.apply(report.findings, path)
    except baseline.BaselineError as exc:
        raise click.ClickException(str(exc)) from None


def _run_check(*, paths, fmt, output, var_files, cli_vars, environment, unknown_policy, color, debug, workspaces=(),
               config_file=None, sets=(), rules_dirs=(), trust_repo_config=False, exclude=(),
               report_unused_ignores=False, baseline_file=None, write_baseline=None,
               framework=None, as_of=None, fail_on="low", select=(), ignore=(), root=None, automation_id=None,
               cache=True, jobs=None, fix=None, output_format="concise", statistics=False, min_severity=None,
               no_group=False, quiet=False, exit_zero=False, **outputs) -> int:
    from .errors import Diagnostic
    from .evaluate import ENVIRONMENT_NAMES, Settings
    from .evaluate.inputs import parse_cli_var
    from .pipeline import Options
    from .pipeline import check as run_pipeline
    from .report import render
    from .report.common import SEVERITY_RANK, find_root
    from .selection import select_rules

    for text in cli_vars:
        try:
            parse_cli_var(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--var")
    for path in var_files:
        if not os.path.isfile(path):
            raise click.BadParameter(f"{path}: no such file", param_hint="--var-file")
    if as_of is not None:
        try:
            as_of = datetime.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise click.BadParameter(f"{as_of!r} is not a date like 2026-11-27", param_hint="--as-of") from None
    paths = paths or (".",)

    cfg, loaded, rules, pack_errors = _configured_rules(paths, config_file, sets, rules_dirs, trust_repo_config,
                                                        exclude)
    # --select picks among all the loaded rules (the command line wins over the configuration);
    # --ignore drops rules; a misspelt rule: check nothing, but still report the inputs' errors
    kept, rule_errors = select_rules(loaded.rules, select, ignore)
    kept_ids = {k.id for k in kept}
    # a rule --select picks runs, so it is enabled (SARIF's rule entries say so)
    rules = [r if r.enabled else r.configured(enabled=True) for r in kept] if select else [
        r for r in rules if r.id in kept_ids]
    if rule_errors:
        rules = []
    if framework is not None:
        rules = [r for r in rules if r.in_framework(framework)]
    settings = Settings(var_files=list(var_files), cli_vars=list(cli_vars), environment=environment,
                        root_dir=os.getcwd(), input_order=_input_order(var_files, cli_vars),
                        production_names=frozenset(n.lower() for n in cfg.value("production_environments")),
                        environment_variables=tuple(cfg.value("environment_variables")),
                        workspaces=list(workspaces), configured_workspaces=list(cfg.value("workspaces")),
                        environment_names=ENVIRONMENT_NAMES | {n.lower() for n in cfg.value("environment_names")})
    options = Options(paths=list(paths), settings=settings, debug=debug, as_of=as_of, exclude=cfg.excluder(),
                      cache_max_bytes=_cache_bound(cfg),
                      env_folders=tuple(cfg.value("environment_folders")),
                      report_unused_ignores=report_unused_ignores,
                      cache=cache, jobs=jobs, known_rules=loaded.rules)

    def run_report(options, rules, apply_baseline: bool = True):
        report = run_pipeline(options, rules)
        report.framework = framework
        for message in reversed(rule_errors):
            report.diagnostics.insert(0, Diagnostic("error", "<command line>", 0, 0, message, "unknown-rule"))
        for message in reversed(pack_errors):
            report.diagnostics.insert(0, Diagnostic("error", "<rule packs>", 0, 0, message, "rule-pack"))
        if baseline_file and apply_baseline:
            report.fixed = _apply_baseline(report, baseline_file)
        return report

    if fix is not None:  # rdspolicy fix, or check --fix (then the check's report)
        from .fix.command import run_fix

        status = run_fix(fix, options, rules, run_report)
        if not fix.get("then_check"):
            return status
    report = run_report(options, rules, apply_baseline=False)
    if write_baseline:
        from . import baseline

        try:
            count = baseline.write(report.findings, write_baseline)
        except OSError as exc:
            raise click.FileError(write_baseline, hint=exc.strerror or str(exc)) from None
        recorded = len(report.failed) + len(report.unknown)
        click.echo(f"rdspolicy: recorded {recorded} finding{'' if recorded == 1 else 's'} in {write_baseline} "
                   f"({count} entr{'y' if count == 1 else 'ies'})")
    if baseline_file:
        report.fixed = _apply_baseline(report, baseline_file)

    shown, view = report, {"group": not no_group, "output_format": output_format,
                           "statistics_only": statistics, "quiet": quiet}
    if min_severity is not None:  # a view: the exit status is judged on every finding below
        from .report.grouping import group

        floor = SEVERITY_RANK[min_severity]
        below = [f for f in report.findings if SEVERITY_RANK[f.severity] < floor]
        shown = report.model_copy(update={"findings": [f for f in report.findings
                                                       if SEVERITY_RANK[f.severity] >= floor]})
        view.update(severity=min_severity,
                    hidden=len(group([f for f in below if f.suppression is None], not no_group)))
    render_options = {"root": root or find_root(paths), "automation_id": automation_id, **view}
    reports = [(fmt, output)] + [(name[len("output_"):], path) for name, path in outputs.items() if path]
    if write_baseline and not output:  # the baseline is what was asked for; other files still written
        reports = reports[1:]
    for report_fmt, path in reports:
        try:
            stream = open(path, "w", encoding="utf-8") if path else sys.stdout
        except OSError as exc:  # a folder that does not exist, no permission: the user's to fix
            raise click.FileError(path, hint=exc.strerror or str(exc)) from None
        try:
            text = render(report_fmt, shown, color=_use_color(stream, color) and report_fmt == "text",
                          rules=rules, width=None if path else _text_width(stream), **render_options)
            stream.write(text)
        finally:
            if path:
                stream.close()
    if fmt != "text" or output or write_baseline:
        # people still see why the exit status is 2
        for diag in report.diagnostics:
            if diag.severity == "error":
                click.echo(f"{printable(diag.location())}: error: {printable(diag.message)}", err=True)
    if report.has_errors:
        return EXIT_ERROR
    if exit_zero or write_baseline:
        return EXIT_OK
    failing = report.failed + (report.unknown if unknown_policy == "fail" else [])
    failing = [f for f in failing if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]]
    # code that is not evaluated at all (an unfetched module, files of a kind rdspolicy does
    # not read) is as unknown as a verdict that depends on an unknown value
    if unknown_policy == "fail" and report.not_evaluated:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if failing else EXIT_OK


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown: the rule reference (docs/rules.md).")
@config_options
def rules_command(fmt, config_file, sets, rules_dirs, trust_repo_config) -> None:
    """List the rules: id, name, severity and summary."""
    import json

    cfg, loaded, selected, errors = _configured_rules((".",), config_file, sets, rules_dirs, trust_repo_config)
    loaded.errors = errors
    running = {r.id for r in selected}
    if fmt == "markdown":
        from .ruledoc import markdown

        click.echo(markdown(loaded.rules, loaded.packs, cfg), nl=False)
    elif fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary,
             "resource_types": list(r.resource_types), "controls": list(r.controls),
             "pack": loaded.packs.get(r.id), "enabled": r.id in running}
            for r in loaded.rules
        ], indent=2))
    else:
        width = max((len(r.name) for r in loaded.rules), default=4)
        for r in loaded.rules:
            off = "" if r.id in running else "  (disabled by the configuration)" if (
                r.declared or r).enabled else "  (disabled)"
            click.echo(f"{r.id}  {r.name:<{width}}  {r.severity:<8}  {r.summary}{off}")
    for message in loaded.errors:
        click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR if loaded.errors else EXIT_OK)


@main.command("explain")
@click.argument("rule", shell_complete=_complete_rules)
@config_options
def explain_command(rule, config_file, sets, rules_dirs, trust_repo_config) -> None:
    """Explain RULE (an id like RDS003 or a name): why, what it checks, its parameters,
    examples and controls."""
    from .ruledoc import explain
    from .selection import select_rules

    cfg, loaded, _, errors = _configured_rules((".",), config_file, sets, rules_dirs, trust_repo_config)
    # by id or name, as --select finds it (a comma-separated list explains each)
    found, unknown = select_rules(loaded.rules, [rule], where=("explain", "explain"))
    for message in errors:
        click.echo(f"error: {message}", err=True)
    if unknown:
        raise click.ClickException("; ".join(unknown))
    click.echo("\n".join(explain(r, loaded.packs.get(r.id), cfg) for r in found), nl=False)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@main.command("config")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_options
@click.option("--exclude", multiple=True, metavar="PATTERN", help="As for check.")
def config_command(paths, fmt, config_file, sets, rules_dirs, trust_repo_config, exclude) -> None:
    """Print the effective configuration for checking PATHS (default: the current
    folder), and where each value comes from."""
    import json

    from . import config as C

    cfg, loaded, _, errors = _configured_rules(paths or (".",), config_file, sets, rules_dirs,
                                               trust_repo_config, exclude)
    if fmt == "json":
        click.echo(json.dumps(C.as_json(cfg, loaded.rules), indent=2))
    else:
        click.echo(C.describe(cfg, loaded.rules), nl=False)
    for message in errors:
        click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


def _cache_bound(cfg) -> int:
    from .cache import MAX_SIZE_VARIABLE, max_bytes

    try:
        return max_bytes(cfg.value("cache_max_size"))
    except ValueError as exc:
        where = MAX_SIZE_VARIABLE if os.environ.get(MAX_SIZE_VARIABLE) else \
            f"cache_max_size ({cfg.settings['cache_max_size'].source})"
        raise click.ClickException(f"{where}: {exc}") from None


@main.group("cache")
def cache_group() -> None:
    """The cache folder: parsed files, root modules' results, file summaries
    ($XDG_CACHE_HOME/rdspolicy, else ~/.cache/rdspolicy; RDSPOLICY_CACHE_DIR overrides it)."""


@cache_group.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_options
def cache_info_command(fmt, config_file, sets, rules_dirs, trust_repo_config) -> None:
    """Where the cache folder is, how big, how many entries, and its size bound."""
    import json

    from . import cache as C
    from . import config as config_module
    from .fileio import cache_dir

    try:
        cfg = config_module.load(["."], config_file=config_file, trust_repo_config=trust_repo_config)
        config_module.apply_command_line(cfg, sets=list(sets), rules_dirs=list(rules_dirs))
    except config_module.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    found = C.info(cache_dir(), _cache_bound(cfg))
    if fmt == "json":
        click.echo(json.dumps({"folder": found.folder, "bytes": found.bytes, "entries": found.entries,
                               "parse_entries": found.parse_entries, "result_entries": found.result_entries,
                               "max_bytes": found.max_bytes}, indent=2))
        return
    click.echo(f"folder:   {found.folder}{'' if os.path.isdir(found.folder) else ' (not made yet)'}\n"
               f"size:     {_size(found.bytes)} of at most {_size(found.max_bytes)}\n"
               f"entries:  {found.entries} ({found.parse_entries} parsed files, "
               f"{found.result_entries} root modules' results)")


@cache_group.command("clear")
def cache_clear_command() -> None:
    """Remove everything rdspolicy stored in the cache folder."""
    from . import cache as C
    from .fileio import cache_dir

    removed, freed = C.clear(cache_dir())
    click.echo(f"removed {removed} files ({_size(freed)}) from {cache_dir()}")


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024 or unit == "MB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} MB"  # pragma: no cover


PRE_COMMIT_SNIPPET = """\
repos:
  - repo: local  # rdspolicy installed beside pre-commit (pip install rdspolicy's checkout or Git URL)
    hooks:
      - id: rdspolicy
        name: rdspolicy
        entry: rdspolicy check
        language: system
        files: '\\.(tf|tfvars)(\\.json)?$'
        exclude: '(^|/)\\.terraform/'
        require_serial: true
"""

GITHUB_JOB = """\
jobs:
  rdspolicy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - uses: OWNER/rdspolicy@REF  # where you keep rdspolicy (its action.yml): a tag or commit
        with:
          paths: .
          sarif-file: rdspolicy.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: success() || failure()
        with:
          sarif_file: rdspolicy.sarif
"""


@main.command("init")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@config_options
def init_command(folder, config_file, sets, rules_dirs, trust_repo_config) -> None:
    """Write FOLDER/.rdspolicy.hcl (default: the current folder) with every setting in
    force, commented out, and print a pre-commit hook and a GitHub Actions job.  An
    existing file is left alone."""
    from . import config as C

    path = os.path.normpath(os.path.join(folder, C.CONFIG_NAME))
    if os.path.exists(path):
        raise click.ClickException(f"{path} exists; rdspolicy init does not overwrite it "
                                   "(`rdspolicy config` prints what is in force)")
    cfg, loaded, _, errors = _configured_rules((folder,), config_file, sets, rules_dirs, trust_repo_config)
    for message in errors:
        click.echo(f"error: {message}", err=True)
    body = [line for line in C.describe(cfg, loaded.rules).splitlines() if not line.startswith("# ")]
    while body and not body[0].strip():
        body.pop(0)
    text = "\n".join([
        f"# rdspolicy configuration, written by `rdspolicy init` (rdspolicy {__version__}).",
        "# Every setting is shown with the value in force, commented out: uncomment a line (a rule's",
        "# setting with its rule \"...\" { and } lines) and change it. `rdspolicy config` prints what is",
        "# in force and where it comes from; docs/configuration.md describes each setting.",
        "",
        *[f"# {line}" if line.strip() else "" for line in body],
    ]).rstrip("\n") + "\n"
    try:
        with open(path, "x", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise click.FileError(path, hint=exc.strerror or str(exc)) from None
    click.echo(f"Wrote {path}: every setting commented out, with the value in force.\n")
    click.echo("A pre-commit hook (.pre-commit-config.yaml):\n")
    click.echo(PRE_COMMIT_SNIPPET)
    click.echo("A GitHub Actions job (.github/workflows/rdspolicy.yml):\n")
    click.echo(GITHUB_JOB, nl=False)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


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
    """The console script: run, flush the output, and end the process without tearing
    the interpreter down (freeing each parsed tree and model of a large run one by one
    took several percent of its time; the operating system reclaims it all at once).
    Files the run wrote are closed by then; no atexit handler of ours is skipped."""
    import rdspolicy

    rdspolicy.keep_until_exit = []
    status = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe: what could be written was
        sys.exit(status)
    os._exit(status)
