"""Benchmark: rdspolicy against python-hcl2 alone, terraform fmt and Checkov, side by side.

    python bench/run.py [--roots 50,200] [--repeat 3] [--checkov-venv bench/.venv-checkov]
                        [--monorepo /work/shared/corpus] [--copies 160] [--only pacs,copies,monorepo,roots]

Run it with the Python of the environment where rdspolicy is installed (a wheel
install, ``pip install .``, not an editable one).  It measures these folders:

* ``fixtures/pacs`` (the reference guide's Terraform, one root, three environments);
* ``--copies`` copies of ``fixtures/pacs`` (default 160), each a root module, each
  file of each copy made unique by a first comment line (so no parse is shared);
* the monorepo corpus (``--monorepo``: the folder holding ``materialise.py`` and
  ``projects/``; every terraform-aws-modules project side by side, laid out with
  ``materialise.py --no-init`` as a repository is before ``terraform init``);
* for each ``--roots`` size, a generated corpus (root modules of ten files, made by
  ``bench/generate.py``).

For each folder it runs, one after the other:

* ``rdspolicy check`` cold: an empty cache folder (the compiled grammar comes with the
  package), then warm: the same command again; then warm after an edit: before each
  run one comment line in one file is changed (a new text each time), the rest as it
  was (not for the generated corpora unless ``--edit-roots``);
* python-hcl2 alone: ``hcl2.loads`` on the same ``.tf`` and ``.tfvars`` files in one
  process, single-threaded: the floor this design reaches without the cache;
* ``terraform fmt -check -recursive`` (when terraform is installed): a native reference;
* Checkov (installed by this script into its own virtual environment; skipped with a
  message when that fails) with the matching checks selected.

Each is a fresh process; the table gives its wall time, CPU time (user + system, its
workers included) and peak resident memory (of the largest process), the best of
``--repeat`` runs by wall time, and the ratios the performance targets are stated in.
The machine and its load are printed first: on a shared machine, compare the CPU times.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

ROOT = HERE.parent
PACS = ROOT / "fixtures" / "pacs"
# Checkov's checks for what rdspolicy checks: RDS encryption (CKV_AWS_16), Multi-AZ
# (CKV_AWS_157), deletion protection (CKV_AWS_293), backups (CKV_AWS_133), and the
# security-group checks: descriptions (CKV_AWS_23), ingress from 0.0.0.0/0 to 22, 3389,
# 80 and all ports (CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277), and groups
# attached to a resource (CKV2_AWS_5).
CHECKOV_CHECKS = "CKV_AWS_16,CKV_AWS_157,CKV_AWS_293,CKV_AWS_133,CKV_AWS_23,CKV_AWS_24,CKV_AWS_25," \
                 "CKV_AWS_260,CKV_AWS_277,CKV2_AWS_5"
# the eight of them comparable to RDS001/003/004/005/006, as issue 18 states its targets
CHECKOV_CHECKS_8 = "CKV_AWS_16,CKV_AWS_157,CKV_AWS_293,CKV_AWS_133,CKV_AWS_24,CKV_AWS_25,CKV_AWS_260,CKV_AWS_277"
MONOREPO = Path("/work/shared/corpus")

HCL2_ALONE = """
import sys, hcl2
paths = open(sys.argv[1]).read().split("\\n")
for path in paths:
    with open(path, encoding="utf-8") as handle:
        hcl2.loads(handle.read())
"""


def _environment(env: dict | None) -> dict:
    """Byte-code is written and used, as after a normal install (some shells set
    PYTHONDONTWRITEBYTECODE, which makes every Python tool compile itself each run)."""
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(command: list[str], env: dict | None = None, cwd: str | None = None) -> dict:
    """Wall time, CPU time (the process and the children it waited for) and peak RSS."""
    env = _environment(env)
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=sink, stderr=sink, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        tail = sink.read()[-400:].decode("utf-8", "replace")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024,
            "rc": process.returncode, "tail": tail}


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def repeat(n: int, command, env=None, cwd=None, before=None) -> dict:
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(measure(command, env, cwd))
    walls = sorted(r["wall"] for r in runs)
    return dict(best(runs), median=walls[len(walls) // 2], runs=len(runs))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}, "
            f"Python {platform.python_version()}; load average {load}")


def checkov_binary(venv: Path) -> Path | None:
    binary = venv / "bin" / "checkov"
    if binary.exists():
        return binary
    print(f"installing Checkov into {venv} (once) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "checkov"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"Checkov skipped: it could not be installed ({exc})")
        return None
    return binary if binary.exists() else None


def pacs_copies(folder: Path, copies: int) -> Path:
    """``copies`` copies of fixtures/pacs under ``folder``, each file of each copy with a
    first comment line naming its copy (so no two files have the same text); returns
    the file the one-edit run changes (in the first copy)."""
    if folder.exists():
        shutil.rmtree(folder)
    for i in range(copies):
        target = folder / f"copy-{i:03d}"
        for source in sorted(PACS.rglob("*")):
            if source.is_file():
                out = target / source.relative_to(PACS)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(f"# copy {i:03d}\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / "copy-000" / "rds-basic.tf"


def terraform_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.suffix in (".tf", ".tfvars") and p.is_file())


class Bench:
    def __init__(self, args):
        self.args = args
        self.rdspolicy = str(Path(sys.executable).parent / "rdspolicy")
        self.terraform = shutil.which("terraform")
        self.checkov = None if args.no_checkov else checkov_binary(Path(args.checkov_venv))
        self.work = Path(tempfile.mkdtemp(prefix="rdspolicy-bench-"))
        # each cold run starts from an empty cache folder: the compiled grammar comes
        # with the package (hcl2-grammar.bin)
        # python-hcl2 compiles its own grammar on first use: do that before timing it
        subprocess.run([sys.executable, "-c", "import hcl2; hcl2.loads('a = 1')"], check=True, env=_environment(None))
        self.rows: list[tuple[str, str, dict]] = []

    def fresh_cache(self) -> Path:
        cache = self.work / "cache"
        if cache.exists():
            shutil.rmtree(cache)
        cache.mkdir()
        return cache

    def run_folder(self, label: str, folder: Path, repeat_n: int, edit: Path | None = None,
                   hcl2: bool = True, checkov: bool = True, checks: str = CHECKOV_CHECKS) -> dict:
        files = terraform_files(folder)
        results: dict[str, dict] = {}
        cache = self.work / "cache"
        env = dict(os.environ, RDSPOLICY_CACHE_DIR=str(cache))
        check = [self.rdspolicy, "check", "--format", "json", "-o", os.devnull, str(folder)]
        print(f"\n## {label}: {len(files)} files, {sum(Path(f).stat().st_size for f in files) / 1024:.0f} KiB",
              flush=True)
        # the native reference first and last, so that a drift of the machine's speed shows
        if self.terraform:
            fmt = [self.terraform, "fmt", "-check", "-recursive", str(folder)]
            results["terraform fmt -check"] = repeat(repeat_n, fmt)
        results["rdspolicy cold"] = repeat(repeat_n, check, env, before=self.fresh_cache)
        self.fresh_cache()
        measure(check, env)
        results["rdspolicy warm"] = repeat(repeat_n, check, env)
        if edit is not None:
            original = edit.read_text(encoding="utf-8")
            edits = iter(range(1, 10 ** 6))

            def one_edit() -> None:  # one comment line changed: a new text, the same findings
                edit.write_text(f"# bench edit {next(edits)}\n" + original, encoding="utf-8")

            results["rdspolicy warm, one file edited"] = repeat(repeat_n, check, env, before=one_edit)
            edit.write_text(original, encoding="utf-8")
            measure(check, env)
        if self.args.jobs_one:
            results["rdspolicy warm, --jobs 1"] = repeat(repeat_n, check + ["--jobs", "1"], env)
            results["rdspolicy cold, --jobs 1"] = repeat(repeat_n, check + ["--jobs", "1"], env,
                                                         before=self.fresh_cache)
        if hcl2 and not self.args.no_hcl2:
            listing = self.work / "files.txt"
            listing.write_text("\n".join(files))
            results["python-hcl2 alone"] = repeat(repeat_n, [sys.executable, "-c", HCL2_ALONE, str(listing)])
        if self.terraform:
            again = repeat(repeat_n, fmt)
            first = results["terraform fmt -check"]
            runs = first["runs"] + again["runs"]
            results["terraform fmt -check"] = dict(best([first, again]), runs=runs,
                                                   median=sorted([first["median"], again["median"]])[0])
        if self.checkov and checkov:
            ck_env = dict(os.environ, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="ERROR")
            results["checkov"] = repeat(
                max(1, min(repeat_n, self.args.checkov_repeat)),
                [str(self.checkov), "-d", str(folder), "--framework", "terraform", "--check", checks,
                 "--quiet", "--compact", "--skip-download"], ck_env)
        for name, r in results.items():
            print(f"| {name:<26} | {r['wall']:7.2f} s | {r['cpu']:7.2f} s | {r['rss']:6.0f} MiB | exit {r['rc']} "
                  f"| median wall of {r['runs']}: {r['median']:.2f} s |", flush=True)
            if r["rc"] not in (0, 1, 3):
                print("    " + r["tail"].replace("\n", "\n    "))
        self.ratios(results)
        return {"files": len(files), "results": results}

    def ratios(self, results: dict) -> None:
        cold, warm = results["rdspolicy cold"], results["rdspolicy warm"]
        lines = []
        if "python-hcl2 alone" in results:
            hcl2 = results["python-hcl2 alone"]
            cores = min(self.args.cores, os.cpu_count() or 1)
            lines.append(f"cold / (python-hcl2 alone / {cores} cores): "
                         f"wall {cold['wall'] / (hcl2['wall'] / cores):.2f}, cpu-based "
                         f"{cold['cpu'] / hcl2['cpu']:.2f} (cold CPU / python-hcl2 CPU)")
        if "checkov" in results:
            ck = results["checkov"]
            lines.append(f"Checkov / cold: wall {ck['wall'] / cold['wall']:.1f}x, cpu {ck['cpu'] / cold['cpu']:.1f}x; "
                         f"Checkov / warm: wall {ck['wall'] / warm['wall']:.1f}x, cpu {ck['cpu'] / warm['cpu']:.1f}x; "
                         f"peak memory cold {cold['rss']:.0f} MiB vs Checkov {ck['rss']:.0f} MiB")
        if "terraform fmt -check" in results:
            tf = results["terraform fmt -check"]
            for name in ("rdspolicy cold", "rdspolicy warm", "rdspolicy warm, one file edited"):
                if name in results:
                    r = results[name]
                    lines.append(f"{name[10:]} / terraform fmt: wall {r['wall'] / tf['wall']:.2f}x "
                                 f"(medians {r['median'] / tf['median']:.2f}x), "
                                 f"cpu {r['cpu'] / max(tf['cpu'], 1e-3):.2f}x")
        for line in lines:
            print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roots", default="50,200",
                        help="corpus sizes in root modules (ten files each), comma-separated (default 50,200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is shown (default 3)")
    parser.add_argument("--checkov-repeat", type=int, default=1, help="runs of Checkov (default 1: it is slow)")
    parser.add_argument("--checkov-venv", default=str(HERE / ".venv-checkov"))
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--jobs-one", action="store_true", help="also run rdspolicy warm and cold with --jobs 1 (one process)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1,
                        help="cores rdspolicy uses, for the python-hcl2 ratio (default: all)")
    parser.add_argument("--corpus", default=str(HERE / ".corpus"), help="where corpora are generated")
    parser.add_argument("--monorepo", default=str(MONOREPO),
                        help="the public corpus (materialise.py and projects/); skipped when absent")
    parser.add_argument("--copies", type=int, default=160, help="copies of fixtures/pacs (default 160)")
    parser.add_argument("--only", default="pacs,copies,monorepo,roots",
                        help="what to measure, comma-separated: pacs, copies, monorepo, roots")
    parser.add_argument("--checkov-monorepo", action="store_true",
                        help="also run Checkov on the monorepo (it took 396 s there)")
    parser.add_argument("--no-hcl2", action="store_true", help="skip python-hcl2 alone")
    args = parser.parse_args()
    only = set(args.only.split(","))

    print(f"machine: {machine()}")
    bench = Bench(args)
    version = repeat(max(args.repeat, 5), [bench.rdspolicy, "--version"])
    print(f"\nrdspolicy --version: {version['wall']:.3f} s wall, {version['cpu']:.3f} s CPU (best of "
          f"{max(args.repeat, 5)}; median {version['median']:.3f} s)")
    summary = {}
    if "pacs" in only:
        summary["pacs"] = bench.run_folder("fixtures/pacs (three environments)", PACS, max(args.repeat, 10))
    if "copies" in only and args.copies:
        folder = Path(args.corpus) / f"pacs-{args.copies}"
        edit = pacs_copies(folder, args.copies)
        bench.run_folder(f"{args.copies} unique copies of fixtures/pacs", folder, args.repeat, edit=edit,
                         hcl2=False, checks=CHECKOV_CHECKS_8)
    monorepo = Path(args.monorepo)
    if "monorepo" in only and (monorepo / "materialise.py").is_file():
        folder = Path(args.corpus) / "monorepo"
        if folder.exists():
            shutil.rmtree(folder)
        subprocess.run([sys.executable, str(monorepo / "materialise.py"), str(folder), "--no-init"], check=True)
        # the edit: a comment in the rds module's main file, which every rds example reads
        bench.run_folder("monorepo: every terraform-aws-modules project (materialise.py --no-init)", folder,
                         args.repeat, edit=folder / "tam-rds" / "main.tf", hcl2=False,
                         checkov=args.checkov_monorepo, checks=CHECKOV_CHECKS_8)
    for roots in (int(x) for x in args.roots.split(",") if x and "roots" in only):
        folder = Path(args.corpus) / f"roots-{roots}"
        generate(str(folder), roots)
        summary[roots] = bench.run_folder(f"corpus of {roots} root modules", folder / "roots", args.repeat)
    sizes = [k for k in summary if k != "pacs"]
    for small, large in zip(sizes, sizes[1:]):
        a, b = summary[small], summary[large]
        factor = b["files"] / a["files"]
        print(f"\ngrowth {a['files']} -> {b['files']} files ({factor:.1f}x):")
        for name in a["results"]:
            if name in b["results"]:
                ra, rb = a["results"][name], b["results"][name]
                print(f"  {name:<26} wall {rb['wall'] / ra['wall']:5.2f}x  cpu {rb['cpu'] / max(ra['cpu'], 1e-3):5.2f}x")
    print(f"\nmachine at the end: {machine()}")
    shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()
