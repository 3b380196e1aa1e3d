"""Benchmark `dutylist diff` at province scale, and the diff engine against DeepDiff.

    python benchmarks/bench_diff.py [--entries 1000000] [--runs 2] [--only diff,orjson,engine]

(a) Generates (or reuses, under .bench/data/) a province catalogue 2025 of ~1,000,000 entries
    and its evolved next version 2026 (`generate.py --mode evolve`: ~5% of the items changed,
    a known number of each kind), compiles both (not timed), then, each run in a fresh
    process:

      check   dutylist diff A/list.json B/list.json --format json, once, not timed: its
              summary must equal the counts the evolve step made (mismatches are printed)
      diff    the same with stdout to /dev/null: wall time and peak memory of the command
      orjson  orjson.loads(open(B/list.json, 'rb').read()) in a worker, GC on (as
              bench_compile.py): ONE of the two lists, open + read + parse

    Targets: diff / orjson <= 1, diff peak <= 1.5 GB.

(b) In this process, two 10,000-entry versions (generated and evolved the same way, compiled
    in memory): the engine (`diff_sides` on the two compiled lists, median of a few runs
    after a warm-up) against `DeepDiff(base_by_id, head_by_id)` on the same entries as
    dicts keyed by (unit, id), parsed beforehand and not timed. Target: DeepDiff / engine
    >= 100.

It reports and never gates: the exit status is 0 unless the harness itself breaks. Results
also go to .bench/diff.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generate
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
    repeat,
    run_child,
    tail,
    time_loads,
    write_report,
)

from dutylist.compiled import read_manifest

MEASUREMENTS = ("diff", "orjson", "engine")
NEXT_LABEL = str(int(LABEL) + 1)
DIFF_RATIO = 1.0  # target: diff / orjson load at most this
DIFF_PEAK_GB = 1.5  # target: diff peak memory at most this many GB (10^9 bytes)
DEEPDIFF_RATIO = 100.0  # target: DeepDiff / engine at least this
ENGINE_ENTRIES = 10_000


@dataclass
class Run(Measurement):
    entries: int | None = None  # entries of one side


def summary_mismatches(summary: dict[str, int], expected: dict[str, int]) -> list[str]:
    """Kinds whose count differs, as 'kind: got N, expected M'."""
    kinds = sorted(set(summary) | set(expected))
    return [
        f"{k}: got {summary.get(k)}, expected {expected.get(k)}" for k in kinds if summary.get(k) != expected.get(k)
    ]


# --- (a) the command at province scale ----------------------------------------------------


class Province:
    def __init__(self, root: Path, out: Path, runs: int, budget: float) -> None:
        self.root = root
        self.out = out
        self.runs = runs
        self.budget = budget
        self.dutylist = dutylist_command()
        self.lists = {label: out / label / "list.json" for label in (LABEL, NEXT_LABEL)}
        self.expected: dict[str, int] = json.loads(generate.expected_path(root, NEXT_LABEL).read_text("utf-8"))
        self.entries: dict[str, int] = {}
        self.check: str | None = None
        self.mismatches: list[str] = []
        self.check_run: dict[str, Any] = {}

    def compile(self) -> str | None:
        """Compile both versions (not timed); an error message if one fails."""
        shutil.rmtree(self.out, ignore_errors=True)
        for label, path in self.lists.items():
            cmd = [str(self.dutylist), "compile", label, "--root", str(self.root), "--out", str(path.parent)]
            t0 = time.perf_counter()
            run = run_child([*cmd, "--no-cache", "--force"], timeout=600)
            if run.returncode != 0 or run.timed_out:
                return f"`{' '.join(cmd)}` failed (exit {run.returncode}):\n{tail(run.stderr)}"
            self.entries[label] = int(read_manifest(path)["entries"])
            print(f"  compiled {label}: {self.entries[label]:,} entries in {time.perf_counter() - t0:.1f} s")
        return None

    def diff_cmd(self) -> list[str]:
        return [str(self.dutylist), "diff", str(self.lists[LABEL]), str(self.lists[NEXT_LABEL]), "--format", "json"]

    def run_check(self) -> None:
        """One diff run with its output kept: does the summary say what evolve made?"""
        run = run_child(self.diff_cmd(), timeout=900)
        self.check_run = {"seconds": run.wall, "maxrss_mib": run.maxrss_kb / 1024, "returncode": run.returncode}
        if run.returncode != 0 or run.timed_out:
            self.check = f"diff failed (exit {run.returncode}):\n{tail(run.stderr)}"
            return
        try:
            summary = json.loads(run.stdout)["summary"]
        except (ValueError, KeyError, TypeError) as exc:
            self.check = f"cannot read the summary of diff --format json: {exc!r}"
            return
        self.mismatches = summary_mismatches(summary, self.expected)
        self.check = "ok: the summary equals the evolve counts" if not self.mismatches else "MISMATCH"

    def measure_diff(self) -> Run:
        mb = sum(p.stat().st_size for p in self.lists.values()) / 1e6
        m = Run("diff", "dutylist diff A B --format json > /dev/null", mb=mb, measured_mb=mb)
        m.entries = self.entries.get(NEXT_LABEL)
        # the shell execs dutylist, so wait4 reports dutylist itself
        script = 'exec "$0" "$@" > /dev/null'
        cmd = ["/bin/sh", "-c", script, *self.diff_cmd()]
        rss: list[int] = []

        def once() -> float:
            run = run_child(cmd, timeout=900)
            if run.returncode != 0 or run.timed_out:
                raise RuntimeError(f"diff exit {run.returncode}:\n{tail(run.stderr)}")
            rss.append(run.maxrss_kb)
            return run.wall

        try:
            m.runs = repeat(self.runs, self.budget, once)
        except RuntimeError as exc:
            m.ok, m.error = False, str(exc)
        m.maxrss_mib = max(rss, default=0) / 1024
        return m

    def measure_orjson(self) -> Run:
        path = self.lists[NEXT_LABEL]
        mb = path.stat().st_size / 1e6
        m = Run("orjson", f"orjson.loads(read {NEXT_LABEL}/list.json), GC on", mb=mb, measured_mb=mb)
        m.entries = self.entries.get(NEXT_LABEL)
        return time_loads(m, "orjson", [path], self.runs, self.budget)


# --- (b) the engine against DeepDiff ------------------------------------------------------


def measure_engine(entries: int, seed: int, fraction: float, runs: int) -> tuple[Run, Run, dict[str, Any]]:
    """The engine and DeepDiff on the same two in-memory versions; and what the engine found."""
    from deepdiff import DeepDiff

    from dutylist.compile import CompileOptions, compile_ref
    from dutylist.diff.engine import diff_sides
    from dutylist.diff.index import Side
    from dutylist.source.spec import resolve

    base = generate.build_province(entries, LABEL, seed)
    head, expected = generate.evolve(base, NEXT_LABEL, seed, fraction)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate.write_version(base, root)
        generate.write_version(head, root)
        listings = []
        for label in (LABEL, NEXT_LABEL):
            result = compile_ref(resolve(label, root), CompileOptions(root=root, use_cache=False))
            if result.listing is None:
                raise RuntimeError(f"{label} does not compile: {[str(d) for d in result.diagnostics[:5]]}")
            listings.append(result.listing)
    a, b = listings

    def engine() -> Any:
        return diff_sides(Side(a.manifest, LABEL, None, a), Side(b.manifest, NEXT_LABEL, None, b))

    found = engine()  # warm-up: imports deepdiff (for field diffs) and fills caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        engine()
        times.append(time.perf_counter() - t0)
    e = Run("engine", "diff_sides on two in-memory compiled lists", runs=times, entries=len(b.lines))

    base_by_id = {(x["unit"], x["id"]): x for x in a.entries()}
    head_by_id = {(x["unit"], x["id"]): x for x in b.entries()}
    t0 = time.perf_counter()
    dd = DeepDiff(base_by_id, head_by_id)
    d = Run("deepdiff", "DeepDiff(base_by_id, head_by_id), dicts keyed by (unit, id)", entries=len(b.lines))
    d.runs = [time.perf_counter() - t0]
    info = {
        "entries": [len(a.lines), len(b.lines)],
        "expected": expected,
        "summary": found.summary(),
        "mismatches": summary_mismatches(found.summary(), expected),
        "deepdiff_reports": {k: len(v) for k, v in dd.items()},
    }
    return e, d, info


# --- report -------------------------------------------------------------------------------


def row(title: str, value: float | None, unit: str, op: str, threshold: float, note: str = "") -> dict[str, Any]:
    return {
        "target": title,
        "value": value,
        "unit": unit,
        "operator": op,
        "threshold": threshold,
        "status": judge(value, op, threshold) if value is not None else "n/a",
        "note": note,
    }


def targets(
    results: dict[str, Run], province: Province | None, engine_info: dict[str, Any] | None
) -> list[dict[str, Any]]:
    rows = []
    d, o = results.get("diff"), results.get("orjson")
    ratio = d.seconds / o.seconds if d and o and d.seconds and o.seconds else None
    rows.append(row("diff / orjson load", ratio, "", "<=", DIFF_RATIO))
    peak = d.maxrss_mib * 2**20 / 1e9 if d and d.ok and d.runs else None
    rows.append(row("diff peak memory", peak, "GB", "<=", DIFF_PEAK_GB))
    if province is not None and province.check is not None:
        ok = province.check.startswith("ok")
        rows.append(row("diff summary = evolve counts", 1.0 if ok else 0.0, "", ">=", 1.0, province.check))
    e, dd = results.get("engine"), results.get("deepdiff")
    speedup = dd.seconds / e.seconds if e and dd and e.seconds and dd.seconds else None
    rows.append(row("DeepDiff / engine", speedup, "", ">=", DEEPDIFF_RATIO))
    if engine_info is not None:
        ok = not engine_info["mismatches"]
        note = "ok" if ok else "; ".join(engine_info["mismatches"])
        rows.append(row("engine summary = evolve counts", 1.0 if ok else 0.0, "", ">=", 1.0, note))
    return rows


def print_report(results: dict[str, Run], rows: list[dict[str, Any]], province: Province | None) -> None:
    print()
    header = ("measurement", "runs", "seconds", "MB", "MB/s", "entries", "peak MiB")
    print("{:<12} {:>4} {:>8} {:>7} {:>7} {:>10} {:>9}  what".format(*header))
    for m in results.values():
        print(
            f"{m.name:<12} {len(m.runs):>4} {fmt(m.seconds, '8.3f')} {m.mb:>7.1f} {fmt(m.mb_per_s, '7.1f')}"
            f" {fmt(m.entries, '10,')} {fmt(m.maxrss_mib or None, '9.0f')}  {m.what}"
        )
    print("seconds: median of the runs. diff: wall time of the whole command (start-up included);")
    print("orjson: open + read + parse inside the worker; engine, deepdiff: inside this process.")
    print("peak MiB: ru_maxrss from wait4 (the command itself); MB: the list.json files read.")
    if province is not None and province.check_run:
        c = province.check_run
        print(f"check run (output kept): {c['seconds']:.2f} s, {c['maxrss_mib']:.0f} MiB; {province.check}")
        for line in province.mismatches:
            print(f"  mismatch {line}")
    print()
    print(f"{'target':<32} {'value':>9} {'goal':>9}  status")
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        value = "-" if r["value"] is None else f"{r['value']:.2f}{unit}"
        goal = f"{r['operator']} {r['threshold']:g}{unit}"
        note = r["note"] if r["status"] != "PASS" or not r["note"].startswith("ok") else ""
        print(f"{r['target']:<32} {value:>9} {goal:>9}  {r['status']}  {note}".rstrip())
    for m in results.values():
        if m.error:
            print(f"\n{m.name} FAILED:\n{m.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries of each province version")
    parser.add_argument("--engine-entries", type=int, default=ENGINE_ENTRIES, help="entries of each (b) version")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2, help="runs per measurement (median)")
    parser.add_argument("--engine-runs", type=int, default=5, help="engine runs in (b) (median)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per measurement after which no run starts")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--only", default=",".join(MEASUREMENTS), help=f"subset of: {', '.join(MEASUREMENTS)}")
    args = parser.parse_args(argv)
    wanted = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = sorted(set(wanted) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(unknown)}")

    ensure_cache_dir(args.cache_dir)
    env = environment(("orjson", "deepdiff", "dutylist"))
    print(f"{env['cpus']} CPUs, load average {env['loadavg_start'][0]:.2f}; runs up to {args.runs}")
    t_start = time.perf_counter()
    results: dict[str, Run] = {}
    province: Province | None = None
    root: Path | None = None
    if "diff" in wanted or "orjson" in wanted:
        root = dataset(args.cache_dir, args.entries, args.seed, mode="evolve")
        province = Province(root, args.cache_dir / "diff-out", args.runs, args.budget)
        changes = ", ".join(f"{k} {n}" for k, n in province.expected.items() if n)
        print(f"{root}: {LABEL} and {NEXT_LABEL}; made: {changes}")
        error = province.compile()
        if error:
            for name in ("diff", "orjson"):
                if name in wanted:
                    results[name] = Run(name, "", ok=False, error=error)
        else:
            if "diff" in wanted:
                print("  diff (check run, output kept) ...", flush=True)
                province.run_check()
                print("  diff ...", end="", flush=True)
                results["diff"] = province.measure_diff()
                print(f" {fmt(results['diff'].seconds, '.2f')} s", flush=True)
            if "orjson" in wanted:
                print("  orjson ...", end="", flush=True)
                results["orjson"] = province.measure_orjson()
                print(f" {fmt(results['orjson'].seconds, '.2f')} s", flush=True)
    engine_info: dict[str, Any] | None = None
    if "engine" in wanted:
        print(f"  engine and DeepDiff on {args.engine_entries:,} entries ...", end="", flush=True)
        try:
            e, d, engine_info = measure_engine(args.engine_entries, args.seed, 0.05, args.engine_runs)
            results["engine"], results["deepdiff"] = e, d
            print(f" {fmt(e.seconds, '.3f')} s, {fmt(d.seconds, '.2f')} s", flush=True)
        except RuntimeError as exc:
            results["engine"] = Run("engine", "", ok=False, error=str(exc))
    rows = targets(results, province, engine_info)
    print_report(results, rows, province)
    print(f"\nwhole benchmark: {time.perf_counter() - t_start:.0f} s")
    write_report(
        args.cache_dir / "diff.json",
        "diff",
        {
            "entries": args.entries,
            "engine_entries": args.engine_entries,
            "seed": args.seed,
            "runs": args.runs,
            "engine_runs": args.engine_runs,
            "budget": args.budget,
        },
        env,
        dataset={
            "root": str(root) if root else None,
            "labels": [LABEL, NEXT_LABEL],
            "entries": province.entries if province else None,
            "expected": province.expected if province else None,
            "list_json_bytes": {k: p.stat().st_size for k, p in province.lists.items() if p.exists()}
            if province
            else None,
        },
        check={"run": province.check_run, "result": province.check, "mismatches": province.mismatches}
        if province
        else None,
        engine=engine_info,
        commands={"diff": province.diff_cmd() if province else None},
        measurements={name: m.to_json() for name, m in results.items()},
        targets=rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
