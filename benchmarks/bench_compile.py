"""Benchmark `dutylist compile` at province scale and `dutylist stats` on its output.

    python benchmarks/bench_compile.py [--entries 1000000] [--runs 3] [--only compile,stats]

Generates (or reuses, under .bench/data/) a province catalogue (`generate.py --mode
province`: ~3,000 townships sharing one ~330-item template, ~1,000,000 entries once
expanded), then times, each run in a fresh process:

  startup      dutylist --help: the command's start-up floor (information only)
  compile      dutylist compile LABEL --root ROOT --out OUT --no-cache --force, after
               deleting OUT; entries/s from the manifest on list.json's first line
  orjson       orjson.loads(open(OUT/list.json, 'rb').read()), timed inside the worker
               (open + read + parse, start-up excluded), GC untouched
  orjson-nogc  the same with the garbage collector disabled (information only)
  stats        dutylist stats OUT/list.json --format json, wall time of the whole command

and prints seconds (median of the runs), throughput and peak memory of each, and the
targets: cold compile <= 30 s and <= 3 GB peak (absolute), stats / orjson <= 1. Until
`dutylist stats --help` works, stats is reported as unavailable. It reports and never
gates: the exit status is 0 unless the harness itself breaks. Results also go to
.bench/compile.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
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

MEASUREMENTS = ("startup", "compile", "orjson", "orjson-nogc", "stats")
NEEDS_OUTPUT = ("orjson", "orjson-nogc", "stats")
COMPILE_SECONDS = 30.0  # target: cold compile at most this many seconds
COMPILE_PEAK_GB = 3.0  # target: cold compile peak memory at most this many GB (10^9 bytes)
STATS_RATIO = 1.0  # target: stats / orjson load at most this


@dataclass
class Run(Measurement):
    """A measurement with the compile bench's extras."""

    entries: int | None = None  # entries of the compiled list, from its manifest
    tree_mib: float | None = None  # sampled peak of the summed RSS of the process tree
    unavailable: bool = False  # the command does not exist (yet)
    check: str | None = None  # stats: does its output agree with the manifest (not timed)

    @property
    def entries_per_s(self) -> float | None:
        s = self.seconds
        return self.entries / s if s and self.entries else None

    def to_json(self) -> dict[str, Any]:
        return super().to_json() | {"entries_per_s": self.entries_per_s}


def read_manifest(list_json: Path) -> dict[str, Any]:
    """The manifest of a compiled list: its first line is ``{"manifest": {...},``."""
    with list_json.open("rb") as f:
        first = f.readline().rstrip()
    if not first.endswith(b","):
        raise ValueError(f"{list_json}: first line is not '{{\"manifest\": {{...}},'")
    manifest = json.loads(first[:-1] + b"}")["manifest"]
    if not isinstance(manifest, dict):
        raise ValueError(f"{list_json}: manifest is not an object")
    return manifest


class Bench:
    def __init__(self, root: Path, out: Path, runs: int, budget: float) -> None:
        self.root = root
        self.vdir = root / LABEL
        self.out = out
        self.list_json = out / "list.json"
        self.runs = runs
        self.budget = budget
        self.files = sorted(self.vdir.rglob("*.yaml"))
        self.yaml_bytes = sum(p.stat().st_size for p in self.files)
        self.dutylist = dutylist_command()
        self.output_ready = False  # OUT written by this run's dutylist
        self.manifest: dict[str, Any] = {}
        self.last_stdout = ""

    def compile_cmd(self) -> list[str]:
        out = str(self.out)
        return [str(self.dutylist), "compile", LABEL, "--root", str(self.root), "--out", out, "--no-cache", "--force"]

    def stats_cmd(self) -> list[str]:
        return [str(self.dutylist), "stats", str(self.list_json), "--format", "json"]

    @property
    def json_mb(self) -> float:
        return self.list_json.stat().st_size / 1e6 if self.output_ready else 0.0

    def clear_output(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)
        self.output_ready = False

    def command(
        self,
        name: str,
        what: str,
        cmd: list[str],
        mb: float,
        before: Callable[[], None] | None = None,
        sample_tree: bool = False,
    ) -> Run:
        """Time ``cmd`` (wall time of the whole command, ``before()`` ahead of each run);
        every run must exit 0."""
        m = Run(name, what, mb=mb, measured_mb=mb)
        rss: list[int] = []
        tree: list[int] = []

        def once() -> float:
            if before is not None:
                before()
            run = run_child(cmd, timeout=600, sample_tree=sample_tree)
            if run.returncode != 0 or run.timed_out:
                why = "timed out" if run.timed_out else f"exit status {run.returncode}"
                raise RuntimeError(f"`{' '.join(cmd)}` {why}\nstderr:\n{tail(run.stderr)}\nstdout:\n{tail(run.stdout)}")
            rss.append(run.maxrss_kb)
            tree.append(run.tree_rss_kb)
            self.last_stdout = run.stdout
            return run.wall

        try:
            m.runs = repeat(self.runs, self.budget, once)
        except RuntimeError as exc:
            m.ok, m.error = False, str(exc)
        m.maxrss_mib = max(rss, default=0) / 1024
        if sample_tree and any(tree):
            m.tree_mib = max(tree) / 1024
        return m

    def measure_compile(self) -> Run:
        m = self.command(
            "compile",
            "dutylist compile --no-cache, OUT deleted",
            self.compile_cmd(),
            self.yaml_bytes / 1e6,
            before=self.clear_output,
            sample_tree=True,
        )
        if m.ok:
            try:
                self.manifest = read_manifest(self.list_json)
                m.entries = int(self.manifest["entries"])
                self.output_ready = True
            except (OSError, ValueError, KeyError, TypeError) as exc:
                m.ok, m.error = False, f"cannot read the manifest of {self.list_json}: {exc}"
        return m

    def ensure_output(self) -> str | None:
        """Make sure this run compiled OUT (when `compile` was not measured); an error if not."""
        if self.output_ready:
            return None
        self.clear_output()
        run = run_child(self.compile_cmd(), timeout=600)
        if run.returncode != 0 or run.timed_out:
            return f"`{' '.join(self.compile_cmd())}` failed (exit {run.returncode}):\n{tail(run.stderr)}"
        try:
            self.manifest = read_manifest(self.list_json)
        except (OSError, ValueError) as exc:
            return f"cannot read the manifest of {self.list_json}: {exc}"
        self.output_ready = True
        return None

    def load(self, name: str, loader: str, what: str) -> Run:
        m = Run(name, what, mb=self.json_mb, measured_mb=self.json_mb)
        time_loads(m, loader, [self.list_json], self.runs, self.budget)
        return m

    def stats_available(self) -> str | None:
        """None if `dutylist stats --help` works, else why not."""
        try:
            run = subprocess.run(
                [str(self.dutylist), "stats", "--help"], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`dutylist stats --help` failed: {exc}"
        if run.returncode != 0:
            return f"`dutylist stats --help` exit status {run.returncode}:\n{tail(run.stderr or run.stdout, 5)}"
        return None

    def check_stats(self, stdout: str) -> str:
        """Whether the JSON that stats printed sums to the manifest's entry count."""
        try:
            total = sum(json.loads(stdout)["totals"].values())
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return f"cannot read the output of stats as JSON with totals: {exc!r}"
        entries = self.manifest.get("entries")
        if total != entries:
            return f"totals sum to {total:,}, the manifest says {entries:,} entries"
        return f"ok: totals sum to the manifest's {total:,} entries"

    def measure(self, name: str) -> Run:
        if name == "startup":
            return self.command(name, "dutylist --help (start-up, imports)", [str(self.dutylist), "--help"], 0.0)
        if name == "compile":
            return self.measure_compile()
        what = {
            "orjson": "orjson.loads(read list.json), GC on",
            "orjson-nogc": "orjson.loads(read list.json), GC off",
            "stats": "dutylist stats list.json --format json",
        }[name]
        if name == "stats" and (why := self.stats_available()):
            return Run(name, what, ok=False, error=why, unavailable=True)
        if error := self.ensure_output():
            return Run(name, what, ok=False, error=error)
        if name == "stats":
            m = self.command(name, what, self.stats_cmd(), self.json_mb)
            if m.ok:
                m.check = self.check_stats(self.last_stdout)
            return m
        return self.load(name, name, what)


# --- report -----------------------------------------------------------------------------


def targets(results: dict[str, Run]) -> list[dict[str, Any]]:
    """Rows of the target table. A value of None is FAIL when a measurement failed and
    n/a when it was not measured or its command does not exist yet."""

    def row(
        title: str, value: float | None, unit: str, op: str, threshold: float, note: str, na: bool
    ) -> dict[str, Any]:
        status = judge(value, op, threshold) if value is not None else ("n/a" if na else "FAIL")
        return {
            "target": title,
            "value": value,
            "unit": unit,
            "operator": op,
            "threshold": threshold,
            "status": status,
            "note": "" if value is not None else note,
        }

    c = results.get("compile")
    seconds = c.seconds if c else None
    peak_gb = c.maxrss_mib * 2**20 / 1e9 if c and c.ok and c.runs else None
    note = "not measured" if c is None else "compile failed"
    rows = [
        row("cold compile, seconds", seconds, "s", "<=", COMPILE_SECONDS, note, c is None),
        row("cold compile, peak memory", peak_gb, "GB", "<=", COMPILE_PEAK_GB, note, c is None),
    ]

    s, o = results.get("stats"), results.get("orjson")
    ratio = s.seconds / o.seconds if s and o and s.seconds and o.seconds else None
    if s is None or o is None:
        note, na = "not measured", True
    elif s.unavailable:
        note, na = "dutylist stats unavailable", True
    else:
        note, na = ", ".join(f"{m.name} failed" for m in (s, o) if m.seconds is None), False
    rows.append(row("stats / orjson load", ratio, "", "<=", STATS_RATIO, note, na))
    return rows


def print_report(bench: Bench, results: dict[str, Run], rows: list[dict[str, Any]]) -> None:
    print()
    print(f"catalogue: {bench.vdir}  ({len(bench.files)} files, {bench.yaml_bytes / 1e6:.1f} MB of YAML)")
    if bench.output_ready:
        entries = bench.manifest.get("entries")
        print(f"compiled:  {bench.list_json}  ({bench.json_mb:.1f} MB, {entries:,} entries)")
    header = ("measurement", "runs", "seconds", "MB", "MB/s", "entries/s", "peak MiB", "tree MiB")
    print("{:<12} {:>4} {:>8} {:>7} {:>7} {:>10} {:>9} {:>9}  what".format(*header))
    for m in results.values():
        print(
            f"{m.name:<12} {len(m.runs):>4} {fmt(m.seconds, '8.2f')} {m.mb:>7.1f} {fmt(m.mb_per_s, '7.1f')}"
            f" {fmt(m.entries_per_s, '10,.0f')} {m.maxrss_mib:>9.0f} {fmt(m.tree_mib, '9.0f')}  {m.what}"
        )
    print("seconds: median of the runs. orjson*: time inside the process to open, read and parse")
    print("list.json (start-up and imports excluded); startup, compile, stats: wall time of the")
    print("whole `dutylist` command. MB: input read (YAML for compile, list.json otherwise).")
    print("peak MiB: max ru_maxrss over the runs (wait4: the largest single process of the tree);")
    print("tree MiB: peak of the summed RSS of the command's processes, sampled every 50 ms.")
    for m in results.values():
        if m.check:
            print(f"{m.name} output: {m.check}")
    print()
    print(f"{'target':<28} {'value':>9} {'goal':>9}  status")
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        value = "-" if r["value"] is None else f"{r['value']:.{2 if unit else 3}f}{unit}"
        goal = f"{r['operator']} {r['threshold']:g}{unit}"
        print(f"{r['target']:<28} {value:>9} {goal:>9}  {r['status']}  {r['note']}".rstrip())
    for m in results.values():
        if m.error:
            print(f"\n{m.name} {'UNAVAILABLE' if m.unavailable else 'FAILED'}:\n{m.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=40.0,
        help="seconds per measurement after which no further run is started",
    )
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
    env = environment(("orjson", "pydantic", "PyYAML", "dutylist"))
    root = dataset(args.cache_dir, args.entries, args.seed, mode="province")
    bench = Bench(root, args.cache_dir / "compile-out", args.runs, args.budget)
    if not bench.dutylist.exists():
        print(f"warning: {bench.dutylist} not found; the dutylist measurements will fail")
    print(f"{env['cpus']} CPUs, load average {env['loadavg_start'][0]:.2f}; runs up to {args.runs}")

    # fixed order: orjson and stats read the list.json that compile leaves behind
    results = measure_all([name for name in MEASUREMENTS if name in wanted], bench.measure)
    rows = targets(results)
    print_report(bench, results, rows)
    write_report(
        args.cache_dir / "compile.json",
        "compile",
        {"entries": args.entries, "seed": args.seed, "runs": args.runs, "budget": args.budget},
        env,
        dataset={
            "root": str(root),
            "label": LABEL,
            "mode": "province",
            "files": len(bench.files),
            "yaml_bytes": bench.yaml_bytes,
            "list_json": str(bench.list_json),
            "list_json_bytes": bench.list_json.stat().st_size if bench.output_ready else None,
            "entries": bench.manifest.get("entries"),
        },
        commands={"compile": bench.compile_cmd(), "stats": bench.stats_cmd()},
        measurements={name: m.to_json() for name, m in results.items()},
        targets=rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
