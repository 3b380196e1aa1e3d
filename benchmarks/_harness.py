"""What the benchmarks share (imported by bench_validate.py, bench_compile.py and bench_diff.py).

- ``run_child``: one command in a fresh process under a tiny launcher that reaps it with
  ``wait4``, giving wall time and peak memory (``ru_maxrss``: the largest single process);
  optionally also the sampled peak of the summed RSS of its whole process tree.
- ``Measurement`` and ``repeat``: runs of one measurement, median seconds, peak memory.
- ``dataset``: a generated catalogue root under ``.bench/data/``, made once per
  (mode, entries, seed, generator source).
- ``environment``, ``write_report``, ``fmt``, ``judge``: the printing and the JSON results.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CACHE = REPO / ".bench"
LABEL = "2025"

# --- running children -------------------------------------------------------------------


@dataclass
class ChildRun:
    returncode: int
    wall: float
    maxrss_kb: int
    stdout: str
    stderr: str
    timed_out: bool = False
    tree_rss_kb: int = 0  # sampled peak of the summed RSS of the command's processes


# Peak memory of one child. ru_maxrss carries over the RSS of whatever process forked the
# child (Linux keeps the pre-exec high-water mark), so a child forked straight from this
# process would report at least this process's size, and getrusage(RUSAGE_CHILDREN) is
# the max over every child so far. So each command runs under this small launcher
# (python -I -S, ~9 MB): it forks and execs the command, reaps it with wait4 (peak RSS
# of the command and the descendants it waited for) and writes "<maxrss_kb> <seconds>".
_LAUNCHER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        print(f"cannot run {argv[0]}: {exc}", file=sys.stderr, flush=True)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as f:
    f.write(f"{usage.ru_maxrss} {wall}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_INTERVAL = 0.05


def tree_rss_kb(root: int) -> int:
    """Summed RSS (KiB) of the descendants of process ``root`` (the launcher), found through
    ``/proc/PID/task/TID/children``. Pages shared between processes (forked workers) are
    counted once per process, so this errs high."""
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as f:
                    stack.extend(int(child) for child in f.read().split())
            if pid != root:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    total += int(f.read().split()[1]) * _PAGE_KB
        except (OSError, IndexError):  # gone meanwhile
            continue
    return total


TREE_SAMPLING = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


# Commands run as users run them: an installed package has its bytecode (pip compiles it
# at install), so a machine-wide PYTHONDONTWRITEBYTECODE (set on these sandboxes) would
# charge every timed run with compiling dutylist's modules from source.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_COMPILED = False


def precompile() -> None:
    """Byte-compile dutylist and its environment once, as ``pip install`` does."""
    global _COMPILED
    if _COMPILED:
        return
    import sysconfig

    import dutylist

    targets = [str(Path(dutylist.__file__).parent), sysconfig.get_paths()["purelib"]]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *targets], check=False, env=CHILD_ENV)
    _COMPILED = True


def run_child(cmd: list[str], timeout: float, sample_tree: bool = False) -> ChildRun:
    """Run ``cmd`` (``cmd[0]`` an absolute path) in its own session under the launcher;
    wall time is measured in the launcher, from fork to reaping. With ``sample_tree``, this
    process also samples the summed RSS of the command's process tree every
    ``SAMPLE_INTERVAL`` seconds (``tree_rss_kb``; 0 where /proc cannot tell)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rusage") as usage,
    ):
        precompile()
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, usage.name, *cmd]
        proc = subprocess.Popen(
            launcher, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True, env=CHILD_ENV
        )
        sample_tree = sample_tree and TREE_SAMPLING
        deadline = time.monotonic() + timeout
        tree_kb = 0
        returncode: int | None = None
        while returncode is None:
            left = deadline - time.monotonic()
            try:
                returncode = proc.wait(min(left, SAMPLE_INTERVAL) if sample_tree else left)
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    break
                tree_kb = max(tree_kb, tree_rss_kb(proc.pid))
        timed_out = returncode is None
        if returncode is None:
            os.killpg(proc.pid, signal.SIGKILL)
            returncode = proc.wait()
        fields = usage.read().split()
        out.seek(0)
        err.seek(0)
        maxrss_kb = int(fields[0]) if fields else 0
        return ChildRun(
            returncode=returncode,
            wall=float(fields[1]) if fields else float("nan"),
            maxrss_kb=maxrss_kb,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            timed_out=timed_out,
            tree_rss_kb=max(tree_kb, maxrss_kb) if sample_tree else 0,
        )


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def dutylist_command() -> Path:
    """The `dutylist` installed beside this interpreter (the same virtualenv)."""
    return Path(sys.executable).parent / "dutylist"


# --- measurements -----------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    what: str
    mb: float = 0.0  # MB (10^6 bytes) of input the figure stands for
    runs: list[float] = field(default_factory=list)
    maxrss_mib: float = 0.0
    scale: float = 1.0  # >1: measured on a subset, seconds multiplied by this
    measured_mb: float = 0.0
    ok: bool = True
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.runs) * self.scale if self.ok and self.runs else None

    @property
    def mb_per_s(self) -> float | None:
        s = self.seconds
        return self.mb / s if s and self.mb else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {
            "seconds": self.seconds,
            "mb_per_s": self.mb_per_s,
            "extrapolated": self.scale != 1.0,
        }


def repeat(runs: int, budget: float, once: Callable[[], float]) -> list[float]:
    """Up to ``runs`` runs; stop early once ``budget`` seconds have gone (at least one)."""
    times: list[float] = []
    start = time.perf_counter()
    for _ in range(runs):
        times.append(once())
        if time.perf_counter() - start + times[-1] > budget:
            break
    return times


M = TypeVar("M", bound=Measurement)


def time_loads(m: Measurement, loader: str, files: list[Path], runs: int, budget: float) -> Measurement:
    """Time ``loader`` on ``files`` in a fresh worker process per run (loadworker.py): the
    worker reports the seconds to open, read and parse; peak memory comes from wait4."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("".join(f"{p}\n" for p in files))
        list_file = f.name
    worker = [sys.executable, str(HERE / "loadworker.py"), loader, list_file]
    rss: list[int] = []

    def once() -> float:
        run = run_child(worker, timeout=900)
        if run.returncode != 0:
            raise RuntimeError(f"{loader} worker failed:\n{tail(run.stderr)}")
        rss.append(run.maxrss_kb)
        return float(json.loads(run.stdout)["seconds"])

    try:
        m.runs = repeat(runs, budget, once)
    except RuntimeError as exc:
        m.ok, m.error = False, str(exc)
    finally:
        os.unlink(list_file)
    m.maxrss_mib = max(rss, default=0) / 1024
    return m


def measure_all(names: Iterable[str], measure: Callable[[str], M]) -> dict[str, M]:
    """``measure(name)`` for each name in order, with a progress line each."""
    results: dict[str, M] = {}
    for name in names:
        print(f"  {name} ...", end="", flush=True)
        results[name] = m = measure(name)
        status = "unavailable" if getattr(m, "unavailable", False) else "failed"
        print(f" {fmt(m.seconds, '.2f')} s" if m.ok else f" {status}", flush=True)
    return results


# --- the data set -----------------------------------------------------------------------


def dataset(cache: Path, entries: int, seed: int, mode: str = "flat") -> Path:
    """A catalogue root, generated once per (mode, entries, seed, generator source)."""
    digest = hashlib.sha256()
    for module in ("generate.py", "generate_vocab.py"):
        digest.update((HERE / module).read_bytes())
    source_hash = digest.hexdigest()[:10]
    prefix = f"{mode}-{entries}-seed{seed}-"
    data = cache / "data"
    root = data / f"{prefix}{source_hash}"
    if (root / ".complete").exists():
        return root
    data.mkdir(parents=True, exist_ok=True)
    for stale in data.glob(f"{prefix}*"):  # older generator versions
        shutil.rmtree(stale)
    tmp = data / f".tmp-{prefix}{source_hash}"
    shutil.rmtree(tmp, ignore_errors=True)
    # In a child process, so this one stays small (its RSS would not matter for the figures,
    # see _LAUNCHER, but there is no reason to keep 200 MB of generator state around).
    t0 = time.perf_counter()
    cmd = [sys.executable, str(HERE / "generate.py"), str(tmp), "--entries", str(entries)]
    if mode != "flat":
        cmd += ["--mode", mode]
    subprocess.run([*cmd, "--label", LABEL, "--seed", str(seed)], check=True)
    (tmp / ".complete").write_text("")
    tmp.rename(root)
    print(f"generated {root} in {time.perf_counter() - t0:.1f} s")
    return root


def ensure_cache_dir(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")  # keeps generated data out of git without a root .gitignore


# --- report -----------------------------------------------------------------------------


def fmt(value: float | None, spec: str) -> str:
    """``format(value, spec)``, or a dash as wide as the spec asks (spec like "9.2f")."""
    if value is None:
        width = spec.split(".")[0].rstrip(",_")
        return "-".rjust(int(width) if width.isdigit() else 1)
    return format(value, spec)


def judge(value: float, op: str, threshold: float) -> str:
    passed = value >= threshold if op == ">=" else value <= threshold
    return "PASS" if passed else "FAIL"


def environment(packages: Iterable[str]) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for package in packages:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "packages": versions,
    }


def write_report(out: Path, benchmark: str, params: dict[str, Any], env: dict[str, Any], **rest: Any) -> None:
    """Write the JSON results (benchmark, time, params, environment, then ``rest``)."""
    env.setdefault("loadavg_end", os.getloadavg())
    report = {
        "benchmark": benchmark,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "params": params,
        "environment": env,
        **rest,
    }
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
