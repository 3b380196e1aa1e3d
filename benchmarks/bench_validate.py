"""Benchmark `dutylist validate` against plain YAML loading (run by `make bench`).

    python benchmarks/bench_validate.py [--entries 100000] [--runs 3] [--only cold,warm]

Generates (or reuses, under .bench/data/) a flat catalogue of 100,000 entries, then times,
each run in a fresh process:

  pyyaml          yaml.load(f, Loader=yaml.CSafeLoader) over every YAML file, GC untouched
  pyyaml-nogc     the same with the garbage collector disabled (information only)
  ruamel-rt       YAML(typ='rt').load over ~5% of the bytes, extrapolated linearly by bytes
  startup         dutylist --help: the command's start-up floor (information only)
  cold            dutylist validate --root ROOT LABEL after deleting ROOT/.dutylist/
  warm            the same after a cold run, with one unit file's content changed
  warm-unchanged  the same with nothing changed (information only)

and prints seconds (median of the runs), MB/s and peak memory of each, and the ratios with
the targets. It reports and never gates: the exit status is 0 unless the harness itself
breaks. Results also go to .bench/validate.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _harness import (
    DEFAULT_CACHE,
    LABEL,
    Measurement,
    dataset,
    dutylist_command,
    ensure_cache_dir,
    environment,
    fmt,
    judge,
    measure_all,
    repeat,
    run_child,
    tail,
    time_loads,
    write_report,
)

MEASUREMENTS = ("pyyaml", "pyyaml-nogc", "ruamel-rt", "startup", "cold", "warm", "warm-unchanged")

# (name, numerator, denominator, operator, threshold)
TARGETS = (
    ("PyYAML C load / cold validate", "pyyaml", "cold", ">=", 5.0),
    ("ruamel.yaml rt load / cold validate", "ruamel-rt", "cold", ">=", 50.0),
    ("warm (1 file changed) / cold validate", "warm", "cold", "<=", 0.10),
)


class Bench:
    def __init__(self, root: Path, runs: int, budget: float, ruamel_fraction: float) -> None:
        self.root = root
        self.vdir = root / LABEL
        self.runs = runs
        self.budget = budget
        self.ruamel_fraction = ruamel_fraction
        self.files = sorted(
            p
            for p in self.vdir.rglob("*.yaml")
            if not any(part.startswith(".") for part in p.relative_to(self.vdir).parts)
        )
        self.total_bytes = sum(p.stat().st_size for p in self.files)
        self.cache_filled = False
        self.dutylist = dutylist_command()

    # a, b: library loads -------------------------------------------------------------

    def load(self, name: str, loader: str, what: str, files: list[Path]) -> Measurement:
        m = Measurement(name, what, mb=self.total_bytes / 1e6)
        subset_bytes = sum(p.stat().st_size for p in files)
        m.measured_mb = subset_bytes / 1e6
        m.scale = self.total_bytes / subset_bytes
        return time_loads(m, loader, files, self.runs, self.budget)

    def ruamel_subset(self) -> list[Path]:
        """Evenly spaced unit files, ``fraction`` of them (at least one): deterministic, and
        about that fraction of the bytes, since unit files are of similar size."""
        units = [p for p in self.files if p.parent.name == "units"]
        count = max(1, round(len(units) * self.ruamel_fraction))
        return [units[int((i + 0.5) * len(units) / count)] for i in range(count)]

    # c, d: the dutylist command ---------------------------------------------------------

    def validate_cmd(self) -> list[str]:
        return [str(self.dutylist), "validate", "--root", str(self.root), LABEL]

    def clear_cache(self) -> None:
        shutil.rmtree(self.root / ".dutylist", ignore_errors=True)
        self.cache_filled = False

    def validate(self, name: str, what: str, before: Callable[[], None], cmd: list[str] | None = None) -> Measurement:
        """Time ``cmd`` (default: the validate command), calling ``before`` ahead of each run;
        every run must exit 0."""
        m = Measurement(name, what, mb=self.total_bytes / 1e6, measured_mb=self.total_bytes / 1e6)
        fills_cache = cmd is None
        cmd = cmd or self.validate_cmd()
        rss: list[int] = []

        def once() -> float:
            before()
            run = run_child(cmd, timeout=600)
            if run.returncode != 0 or run.timed_out:
                why = "timed out" if run.timed_out else f"exit status {run.returncode}"
                raise RuntimeError(f"`{' '.join(cmd)}` {why}\nstderr:\n{tail(run.stderr)}\nstdout:\n{tail(run.stdout)}")
            self.cache_filled |= fills_cache
            rss.append(run.maxrss_kb)
            return run.wall

        try:
            m.runs = repeat(self.runs, self.budget, once)
        except RuntimeError as exc:
            m.ok, m.error = False, str(exc)
        m.maxrss_mib = max(rss, default=0) / 1024
        return m

    def warm_target(self) -> Path:
        units = [p for p in self.files if p.parent.name == "units"]
        return units[len(units) // 2]

    def measure_warm(self) -> Measurement:
        target = self.warm_target()
        original = target.read_bytes()
        counter = iter(range(1, 1_000_000))
        stamp = time.time_ns()

        def change_one_file() -> None:
            # A new comment each run: the content differs from anything cached before.
            target.write_bytes(original + f"# bench-warm {stamp} {next(counter)}\n".encode())

        what = f"dutylist validate, cache filled, {target.name} changed"
        if error := self.fill_cache():
            return Measurement("warm", what, mb=self.total_bytes / 1e6, ok=False, error=error)
        try:
            return self.validate("warm", what, change_one_file)
        finally:
            target.write_bytes(original)

    def fill_cache(self) -> str | None:
        """Make sure a validate run has filled the cache; an error message if it failed."""
        if self.cache_filled:
            return None
        self.clear_cache()
        run = run_child(self.validate_cmd(), timeout=600)
        if run.returncode != 0:
            return f"filling the cache failed (exit {run.returncode}):\n{tail(run.stderr)}"
        self.cache_filled = True
        return None

    def measure(self, name: str) -> Measurement:
        if name == "pyyaml":
            return self.load(name, "pyyaml", "PyYAML CSafeLoader, GC on", self.files)
        if name == "pyyaml-nogc":
            return self.load(name, "pyyaml-nogc", "PyYAML CSafeLoader, GC off", self.files)
        if name == "ruamel-rt":
            subset = self.ruamel_subset()
            return self.load(name, "ruamel-rt", f"ruamel.yaml rt, {len(subset)} files", subset)
        if name == "startup":
            cmd = [str(self.dutylist), "--help"]
            m = self.validate(name, "dutylist --help (start-up, imports)", lambda: None, cmd)
            m.mb = m.measured_mb = 0.0
            return m
        if name == "cold":
            return self.validate(name, "dutylist validate, no cache", self.clear_cache)
        if name == "warm":
            return self.measure_warm()
        if name == "warm-unchanged":
            what = "dutylist validate, cache filled, no change"
            if error := self.fill_cache():
                return Measurement(name, what, mb=self.total_bytes / 1e6, ok=False, error=error)
            return self.validate(name, what, lambda: None)
        raise ValueError(name)


def targets(results: dict[str, Measurement]) -> list[dict[str, Any]]:
    rows = []
    for title, num, den, op, threshold in TARGETS:
        a, b = results.get(num), results.get(den)
        row: dict[str, Any] = {"target": title, "operator": op, "threshold": threshold}
        if a is None or b is None:
            row |= {"ratio": None, "status": "n/a", "note": "not measured"}
        elif a.seconds is None or b.seconds is None:
            failed = [m.name for m in (a, b) if m.seconds is None]
            row |= {"ratio": None, "status": "FAIL", "note": f"{', '.join(failed)} failed"}
        else:
            ratio = a.seconds / b.seconds
            row |= {"ratio": ratio, "status": judge(ratio, op, threshold), "note": ""}
        rows.append(row)
    return rows


def print_report(bench: Bench, results: dict[str, Measurement], rows: list[dict[str, Any]]) -> None:
    print()
    print(f"catalogue: {bench.vdir}  ({len(bench.files)} files, {bench.total_bytes / 1e6:.1f} MB)")
    header = ("measurement", "MB", "runs", "seconds", "MB/s", "peak MiB")
    print("{:<16} {:>6} {:>4} {:>9} {:>7} {:>9}  what".format(*header))
    for m in results.values():
        mark = "*" if m.scale != 1.0 else " "
        print(
            f"{m.name:<16} {m.mb:>6.1f} {len(m.runs):>4} {fmt(m.seconds, '9.2f')}{mark}"
            f"{fmt(m.mb_per_s, '7.2f')} {m.maxrss_mib:>9.0f}  {m.what}"
        )
    for m in results.values():
        if m.scale != 1.0 and m.seconds is not None:
            print(
                f"* {m.name} is EXTRAPOLATED: timed on {m.measured_mb:.2f} MB "
                f"({100 / m.scale:.1f}% of the bytes) at {m.seconds / m.scale:.2f} s, then scaled "
                f"linearly by bytes (x{m.scale:.1f}); its peak memory is the subset's."
            )
    print("seconds: median of the runs. pyyaml*, ruamel-rt: time inside the process to open, read")
    print("and parse the files (start-up and imports excluded); startup, cold, warm*: wall time of")
    print("the whole `dutylist` command. peak MiB: max ru_maxrss over the runs (wait4).")
    print()
    print(f"{'target':<40} {'ratio':>8} {'goal':>8}  status")
    for row in rows:
        goal = f"{row['operator']} {row['threshold']:g}"
        ratio = fmt(row["ratio"], "8.2f")
        print(f"{row['target']:<40} {ratio} {goal:>8}  {row['status']}  {row['note']}".rstrip())
    for m in results.values():
        if m.error:
            print(f"\n{m.name} FAILED:\n{m.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=100.0,
        help="seconds per measurement after which no further run is started",
    )
    parser.add_argument("--ruamel-fraction", type=float, default=0.05)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--only",
        default=",".join(MEASUREMENTS),
        help=f"comma-separated subset of: {', '.join(MEASUREMENTS)}",
    )
    args = parser.parse_args(argv)
    wanted = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = sorted(set(wanted) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(unknown)}")

    ensure_cache_dir(args.cache_dir)
    env = environment(("PyYAML", "ruamel.yaml", "ruamel.yaml.clib", "pydantic", "dutylist"))
    root = dataset(args.cache_dir, args.entries, args.seed)
    bench = Bench(root, args.runs, args.budget, args.ruamel_fraction)
    if any(m in wanted for m in ("cold", "warm", "warm-unchanged")) and not bench.dutylist.exists():
        print(f"warning: {bench.dutylist} not found; the validate measurements will fail")
    print(f"{env['cpus']} CPUs, load average {env['loadavg_start'][0]:.2f}; runs up to {args.runs}")

    # fixed order: warm relies on the cache cold leaves behind
    results = measure_all([name for name in MEASUREMENTS if name in wanted], bench.measure)
    env["loadavg_end"] = os.getloadavg()

    rows = targets(results)
    print_report(bench, results, rows)
    write_report(
        args.cache_dir / "validate.json",
        "validate",
        {
            "entries": args.entries,
            "seed": args.seed,
            "runs": args.runs,
            "budget": args.budget,
            "ruamel_fraction": args.ruamel_fraction,
        },
        env,
        dataset={
            "root": str(root),
            "label": LABEL,
            "files": len(bench.files),
            "bytes": bench.total_bytes,
        },
        command=bench.validate_cmd(),
        measurements={name: m.to_json() for name, m in results.items()},
        targets=rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
