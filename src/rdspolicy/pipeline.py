"""The check pipeline, one way: discover -> parse -> evaluate -> models -> rules.

Each stage takes the previous stage's output; none reaches back.  The CLI calls
:func:`check` and hands the :class:`~rdspolicy.findings.Report` to a reporter.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Callable

import rdspolicy

from . import suppress
from . import syntax as S
from . import reads
from .cache import DEFAULT_MAX_BYTES, ParseCache, Parser, account
from .discover import ENV_FOLDERS, ModuleDir, discover, display_path, is_plan_path, load_module_dir
from .checks import run_rules
from .errors import Diagnostic, SourceError
from .evaluate import EnvSpec, Settings, evaluate_module, roots_of_calls
from .evaluate.declarations import local_module_calls
from .evaluate.inputs import InputValue
from .evaluate.loader import ModuleLoader
from .evaluate.overrides import apply_overrides, is_override
from .layout import environment_specs, folder_environment
from .fileio import cache_dir
from .incremental import Incremental
from .findings import EnvironmentInfo, Finding, PassedCheck, Report
from .models import build_model, construct
from .parse import parse_expression
from .record import Record
from .redact import Secrets
from .workers import fork_available, map_forked, pack, unpack
from .rule import Rule


class Options(Record):
    """How to run the pipeline: what to check and how.  The evaluate stage's own part is
    ``settings`` (:class:`~rdspolicy.evaluate.Settings`); the policy (which rules run, their
    severities and parameters) is in the rules given to :func:`check`, configured by
    :class:`~rdspolicy.config.Config`, which makes the whole of both."""

    _fields = ("paths", "settings", "debug", "exclude", "env_folders", "report_unused_ignores", "cache", "jobs",
               "as_of", "observe", "known_rules", "cache_max_bytes")

    def __init__(self, paths: list[str], settings: Settings | None = None, debug: bool = False,
                 exclude: Callable[[str], bool] | None = None, env_folders: tuple[str, ...] = ENV_FOLDERS,
                 report_unused_ignores: bool = False, cache: bool = True, jobs: int | None = None,
                 as_of: str | None = None, observe: Callable | None = None,
                 known_rules: list[Rule] | None = None, cache_max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.paths = paths
        self.settings = Settings() if settings is None else settings
        self.debug = debug
        self.exclude = exclude  # module folders not to check
        self.env_folders = env_folders
        self.report_unused_ignores = report_unused_ignores
        self.cache = cache  # the parse cache (--no-cache turns it off)
        self.jobs = jobs  # worker processes for parsing and evaluating (--jobs); None: one per core
        self.as_of = as_of  # the date rules judge "today" by (--as-of, YYYY-MM-DD); None: today
        # observe(module, environment, models): called for each environment evaluated, in
        # this process (rdspolicy fix reads where values come from); no stored results are
        # used then
        self.observe = observe
        # every rule loaded, the ones filtered out too (--select, --ignore, --framework): an
        # rdspolicy:ignore naming one of them is not "unknown"; None: the rules that run
        self.known_rules = known_rules
        self.cache_max_bytes = cache_max_bytes  # the cache folder's size bound (pruned beyond it)


class _Results(Record):
    _fields = ("findings", "environments", "diagnostics", "passes")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.environments: list[EnvironmentInfo] = []
        self.diagnostics: list[Diagnostic] = []
        self.passes: list[PassedCheck] = []  # one per passing verdict

    def run(self, options: Options, rules: list[Rule], module: str, env, var_files: list[str],
            source: str) -> None:
        """The rules over one environment's resource instances (a root and all it calls)."""
        models = [build_model(instance, env.name) for instance in env.instances]
        if options.observe is not None:
            options.observe(module, env, models)
        self.environments.append(construct(EnvironmentInfo,
            module=module, name=env.name, production=env.is_production, var_files=var_files,
            resources=len(models), source=source,
        ))
        env_findings, _, rule_errors = run_rules(
            rules, models, env.name, env.is_production, module, options.debug, passes=self.passes,
            declared_in={i.address: (i.decls, i.call) for i in env.instances if i.decls is not None},
            as_of=options.as_of,
        )
        self.findings += env_findings
        self.diagnostics += rule_errors

    def packed(self) -> tuple:
        """What a worker sends back (the models as plain values)."""
        return pack(self.findings), pack(self.environments), pack(self.passes), self.diagnostics

    def add(self, other: "_Results") -> None:
        self.findings += other.findings
        self.environments += other.environments
        self.passes += other.passes
        self.diagnostics += other.diagnostics

    def add_packed(self, packed: tuple) -> None:
        findings, environments, passes, diagnostics = packed
        self.findings += unpack(findings)
        self.environments += unpack(environments)
        self.passes += unpack(passes)
        self.diagnostics += diagnostics


# Root modules are evaluated by forked workers (``--jobs``) only when there is enough
# work to pay for starting them: weight = files x environments, summed over the roots
# (a root of the benchmark's corpus weighs 30 and takes ~15 ms; starting the workers
# and sending the results back costs ~0.1 s).
MIN_PARALLEL_WEIGHT = 600
CHUNKS_PER_WORKER = 4  # smaller pieces even out roots of different sizes


class _Root(Record):
    """A root module to evaluate: the module named in the results (a Terragrunt unit's
    folder, else the module's own), the module's folder and its environments."""

    _fields = ("label", "module", "specs")

    def __init__(self, label: str, module: ModuleDir, specs: list[EnvSpec]) -> None:
        self.label = label
        self.module = module
        self.specs = specs


def _chunks(roots: list[_Root], jobs: int, settings: Settings) -> list[list[_Root]]:
    """The root modules in contiguous pieces of about equal weight (so the results,
    joined in order, are in the order one process gives), or one piece when the work
    is too small or worker processes cannot be forked."""
    weights = [max(1, len(r.module.tf_files)) * max(1, len(r.specs)) for r in roots]
    total = sum(weights)
    if jobs < 2 or len(roots) < 2 or total < MIN_PARALLEL_WEIGHT or not fork_available():
        return [roots]
    target = total / min(len(roots), jobs * CHUNKS_PER_WORKER)
    chunks: list[list] = [[]]
    weight_of_last = 0
    for root, weight in zip(roots, weights):
        if chunks[-1] and weight_of_last + weight > target:
            chunks.append([])
            weight_of_last = 0
        chunks[-1].append(root)
        weight_of_last += weight
    return chunks


@contextmanager
def _no_cyclic_gc():
    """Python's cycle collector walks every live object on each full collection: with all
    parsed modules alive that made a run grow faster than its input (a 4x corpus took
    5.7x).  Syntax trees and models form no cycles, reference counting frees them; the
    few cycles made meanwhile are collected once the collector is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scanned(path: str, paths: list[str]) -> str:
    """The scanned path ``path`` lies in (the folder of a scanned file), for looking up
    folder names: the first that holds it, else ``path`` itself."""
    real = os.path.realpath(path)
    for given in paths:
        folder = os.path.realpath(given if os.path.isdir(given) else os.path.dirname(given) or ".")
        if os.path.commonpath([folder, real]) == folder:
            return folder
    return real


def _with_unit_modules(modules: list[ModuleDir], units: list, options: Options,
                       diagnostics: list[Diagnostic]) -> list[ModuleDir]:
    """``modules`` and the modules Terragrunt units run that the scan did not find
    (outside the scanned paths); a unit whose module cannot be evaluated is reported."""
    known = {os.path.realpath(m.path) for m in modules}
    added = []
    for unit in units:
        config, line, column = unit.source_site
        if unit.remote:
            diagnostics.append(Diagnostic(
                "warning", config, line, column,
                f'this Terragrunt unit runs "{unit.source}", which is not in its .terragrunt-cache folder '
                f'(run terragrunt init there first): it is not evaluated, and nothing inside it is checked',
                "module-not-evaluated"))
            continue
        if unit.module_dir is None:
            if unit.source is not None:
                diagnostics.append(Diagnostic(
                    "warning", config, line, column, "the source of this Terragrunt unit is not known: it is not "
                    "evaluated, and nothing inside it is checked", "module-not-evaluated"))
            continue
        real = os.path.realpath(unit.module_dir)
        if real in known:
            continue
        module = load_module_dir(unit.module_dir, options.env_folders, diagnostics)
        if not module.tf_files:
            what = (f'the folder "{unit.module_dir}" that its source "{unit.source}" names'
                    if unit.source is not None else "its folder")
            diagnostics.append(Diagnostic(
                "warning", config, line, column,
                f"this Terragrunt unit runs {what}, which holds no .tf or .tofu files: nothing is checked",
                "module-not-evaluated"))
            unit.module_dir = None
            continue
        known.add(real)
        added.append(module)
    return modules + added


def check(options: Options, rules: list[Rule]) -> Report:
    with _no_cyclic_gc():
        return _check(options, rules)


class _Loader(ModuleLoader):
    """The run's module loader: a folder of the scan gets the trees the run parsed (read
    when a call first needs them, not before), and each root module starts with no
    folder reported on yet, so that its diagnostics do not depend on which roots were
    evaluated before it in the same process (the report keeps each diagnostic once,
    where it first appears: the same as before)."""

    def __init__(self, parse: Callable[[str], S.File], scanned: dict[str, Callable[[], list[S.File]]]):
        super().__init__(parse, _list_tf_files, display_path)
        self._scanned: dict[str, tuple[str, Callable[[], list[S.File]]]] = {}
        for path, files in scanned.items():
            self._scanned.setdefault(self.real(path), (path, files))

    def load(self, directory: str):
        real = self.real(directory)
        if real not in self._loaded and real in self._scanned:
            path, files = self._scanned[real]
            self.add(path, files())
        return super().load(directory)

    def new_root(self) -> None:
        self._reported.clear()


def _list_tf_files(directory: str) -> list[str]:
    return load_module_dir(directory).tf_files


def _summary(file: S.File) -> tuple[tuple[str, ...], frozenset[str], bool]:
    """What the run needs of every scanned file, tree or no tree: its local module
    calls' sources, the secret literals written in it, whether it holds a directive."""
    found = Secrets()
    found.add_files([file])
    return (tuple(local_module_calls([file])), frozenset(found.values),
            any(suppress.MARKER in c.text for c in file.comments))


def _check(options: Options, rules: list[Rule]) -> Report:
    out = _Results()
    diagnostics = out.diagnostics
    plans = [p for p in options.paths if is_plan_path(p)]
    tf_paths = [p for p in options.paths if not is_plan_path(p)]
    unit_folders: list[str] = []
    modules, found = (discover(tf_paths, options.exclude, options.env_folders, unit_folders) if tf_paths
                      else ([], []))
    diagnostics += found
    settings = options.settings
    folder = cache_dir() if options.cache else None
    parser = Parser(ParseCache(folder) if folder is not None else None, options.jobs)
    units = []
    if unit_folders:
        from .terragrunt import load_units  # only for Terragrunt trees

        scanned = tuple(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in tf_paths)
        units = load_units(unit_folders, parser.parse, display_path, settings.root_dir, settings.env, diagnostics,
                           scanned)
        modules = _with_unit_modules(modules, units, options, diagnostics)
    # (rdspolicy fix observes every environment evaluated: nothing is reused for it)
    incremental = (Incremental(folder, options, rules, parser, _list_tf_files,
                               {module.path: module.tf_files for module in modules})
                   if folder is not None and options.observe is None else None)
    # every file of every module first, so that the cache misses are parsed together
    # (in parallel when worthwhile); each file is parsed once, however many environments
    wanted = list(settings.var_files)
    for module in modules:
        wanted += module.tf_files + module.auto_var_files + ([] if settings.var_files else module.env_var_files)
    parser.prepare(wanted)
    secrets = Secrets()
    if plans:
        from .plan import load_plan  # only for plan files (terraform show -json)
    for path in plans:  # terraform show -json: one environment each
        plan = load_plan(path, settings.environment, parser.parse, display_path)
        diagnostics += plan.diagnostics
        for env in plan.environments:
            secrets.add_instances(env.instances)
            out.run(options, rules, path, env, [], f"plan: {path}")
    # what the run needs of every scanned file (from the stored summaries on a warm run:
    # no tree is loaded for it); the trees themselves only where something reads them
    calls: dict[str, list[str]] = {}
    directives = []
    parsed: dict[str, list[str]] = {}
    for module in modules:
        sources: list[str] = []
        ok: list[str] = []
        for path in module.tf_files:
            try:
                if incremental is not None:
                    summary = incremental.summary(path, lambda path=path: _summary(parser.parse(path)))
                else:
                    summary = _summary(parser.parse(path))
            except SourceError as exc:
                diagnostics.append(exc.diagnostic())
                continue
            ok.append(path)
            module_calls, literals, marked = summary
            sources += module_calls
            secrets.values |= literals
            if marked:  # inline suppressions may sit in any scanned file, modules' files included
                directives += suppress.collect([parser.parse(path)])
        calls[module.path] = sources
        parsed[module.path] = ok
    if incremental is not None:
        incremental.save_index()
    # override files merged into the blocks they name (only modules that have them need
    # their trees now; their module calls are read from the merged blocks)
    merged: dict[str, list[S.File]] = {}
    for module in modules:
        if any(is_override(p) for p in parsed[module.path]):
            merged[module.path], found = apply_overrides([parser.parse(p) for p in parsed[module.path]])
            diagnostics += found
            calls[module.path] = local_module_calls(merged[module.path])

    def trees(path: str) -> list[S.File]:
        files = merged.get(path)
        return files if files is not None else [parser.parse(p) for p in parsed[path]]

    # one loader for the run: a module folder is parsed once however often it is called
    loader = _Loader(parser.parse, {module.path: (lambda path=module.path: trees(path)) for module in modules})
    roots = set(roots_of_calls(calls))
    # a Terragrunt unit's folder, and the module it runs, are checked through the unit
    by_real = {os.path.realpath(module.path): module for module in modules} if units else {}
    taken = {os.path.realpath(u.directory) for u in units} | {
        os.path.realpath(u.module_dir) for u in units if u.module_dir is not None}
    # those called by another module of the scan are checked through their callers
    root_modules = [_Root(module.path, module, environment_specs(module, settings,
                                                                 lambda path=module.path: _scanned(path, tf_paths)))
                    for module in modules
                    if module.path in roots and not (taken and os.path.realpath(module.path) in taken)]
    for unit in units:
        module = by_real.get(os.path.realpath(unit.module_dir)) if unit.module_dir is not None else None
        if module is None:
            continue
        name = folder_environment(unit.directory, _scanned(unit.directory, tf_paths), settings.environment_names)
        inputs = {key: InputValue(*value) for key, value in unit.inputs.items()}
        root_modules.append(_Root(unit.directory, module, [EnvSpec(list(settings.var_files), name,
                                                                   f"terragrunt: {unit.config}", inputs=inputs)]))

    def check_root(root: _Root, part: _Results, found: Secrets) -> None:
        module = root.module
        loader.new_root()
        var_files: list[S.File] = []

        def parse_recording(path: str) -> S.File:
            file = parser.parse(path)
            var_files.append(file)  # only var-files are parsed through here
            return file

        reads.folder(module.path)
        result = evaluate_module(
            module.path, trees(module.path), module.auto_var_files, root.specs, settings,
            parse_recording, parse_expression, loader,
        )
        part.diagnostics += result.diagnostics
        found.add_module(result, var_files, settings)
        for env in result.environments:
            part.run(options, rules, root.label, env, env.var_files, env.source)

    def evaluated(root: _Root, keep: bool) -> tuple:
        """(results, secrets) of one root, and what its evaluation read with digests
        when ``keep`` (for the result cache)."""
        part, found = _Results(), Secrets()
        with reads.recording() as seen:
            check_root(root, part, found)
        recorded = incremental.digests.all(seen) if keep else ()
        return part, found.values, recorded

    # the roots whose stored results still hold, and those to evaluate
    stored = [incremental.reuse(root) if incremental is not None else None for root in root_modules]
    todo = [root for root, payload in zip(root_modules, stored) if payload is None]
    keep = incremental is not None
    fresh: dict[int, tuple] = {}
    chunks = _chunks(todo, 1 if options.observe is not None else parser.jobs, settings)
    if len(chunks) > 1:
        def work(chunk: list) -> list:
            answers = []
            for root in chunk:
                part, values, recorded = evaluated(root, keep)
                answers.append((part.packed(), values, recorded))
            return answers

        for chunk, answers in zip(chunks, map_forked(work, chunks, min(parser.jobs, len(chunks)))):
            for root, (packed, values, recorded) in zip(chunk, answers):
                fresh[id(root)] = (None, packed, values, recorded)
    else:
        for root in todo:
            part, values, recorded = evaluated(root, keep)
            fresh[id(root)] = (part, part.packed() if keep else None, values, recorded)
    for root, payload in zip(root_modules, stored):
        if payload is not None:
            packed, values = payload
            out.add_packed(packed)
        else:
            part, packed, values, recorded = fresh[id(root)]
            if part is not None:
                out.add(part)
            else:
                out.add_packed(packed)
            if keep:
                incremental.keep(root, recorded, (packed, values))
        secrets.values |= values
    if folder is not None and parser.cache is not None:
        account(folder, parser.cache.written + (incremental.written if incremental is not None else 0),
                options.cache_max_bytes)
    findings = out.findings
    findings.sort(key=Finding.sort_key)
    diagnostics += suppress.apply(findings, directives, rules, options.report_unused_ignores,
                                  known=options.known_rules)
    findings, diagnostics = secrets.scrub_report(findings, diagnostics)
    # of values already validated: no second validation; each diagnostic once, in order
    report = Report.model_construct(findings=findings, environments=out.environments,
                                    diagnostics=list(dict.fromkeys(diagnostics)), rules=[r.id for r in rules],
                                    passed=len(out.passes), passed_checks=out.passes)
    report.keep_secrets(secrets)
    if rdspolicy.keep_until_exit is not None:
        rdspolicy.keep_until_exit.append((parser, modules, out, report))
        # and the cycle collector, back on for the reports, never walks them again (it
        # would on every full collection: a 4x corpus took 5.7x)
        gc.freeze()
    return report
