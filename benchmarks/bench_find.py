"""Benchmark `dutylist find` at province scale: every query answers in <= 1 s after loading.

    python benchmarks/bench_find.py [--entries 1000000] [--runs 5] [--stress]

Generates (or reuses, under .bench/data/) the province catalogue of bench_compile.py
(`generate.py --mode province`: ~3,000 townships sharing one ~330-item template, 2-5 local
items each, ~40 departments: ~1,000,000 entries, ~11,000 distinct items), compiles it once
to .bench/find-out/province/list.json (not timed; reused while the data set and the
dutylist version stay the same), then, in one fresh worker process:

  load     read list.json and build the find index (`FindIndex`), once: what
           `dutylist find` does before it can answer
  queries  each query below, --runs times on that index (median): the search and the hits
           built for display (`run_find` after loading; no rendering)

Queries are drawn from the data, so they hit: `exact` (an item's whole name), `substring`
(four characters of a name), `tasks` (six characters of a tasks text), `words` (two words,
one from a name, one from a tasks text), `fuzzy` (a long name with a character left out:
no exact or substring hit, the fuzzy tier answers), `common` (工作, in thousands of items),
`one-char` (的), `narrowed` (the substring query with --unit), `no-match`. Target: every
query <= 1 s after loading. Also, for information: `cli`, the wall time of `dutylist find
QUERY LIST --format json` as a user runs it (start-up, load and one query).

--stress runs the same on a flat catalogue of the same size (`--mode flat`: every entry its
own item, 1,000,000 distinct items with long tasks texts; its compile takes ~1 min), for
information: the bound holds for the distinct items a real province has, not for this.

It reports and never gates: the exit status is 0 unless the harness itself breaks. Results
also go to .bench/find.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _harness import (
    DEFAULT_CACHE,
    LABEL,
    dataset,
    dutylist_command,
    ensure_cache_dir,
    environment,
    fmt,
    judge,
    run_child,
    tail,
    write_report,
)

QUERY_SECONDS = 1.0  # target: each query at most this, after loading


# --- the worker (a fresh process: load once, then every query) ---------------------------


def pick_queries(index: Any) -> list[dict[str, Any]]:
    """Queries drawn from the data (deterministic): each should hit, in the tier it names."""
    items = index.items
    names = [str(item.variants[0].data()["name"]) for item in items]
    tasks = next((t for item in items[len(items) // 2 :] if (t := item.variants[0].data().get("tasks"))), "")
    long_name = max(names, key=len)
    middle = names[len(names) // 2]
    township = next(u["id"] for u in index.manifest["units"] if u["kind"] != "department")
    cut = len(long_name) // 2
    return [
        {"name": "exact", "query": middle},
        {"name": "substring", "query": long_name[2:6]},
        {"name": "tasks", "query": tasks[4:10]},
        {"name": "words", "query": f"{long_name[:2]} {tasks[4:7]}"},
        {"name": "fuzzy", "query": long_name[:cut] + long_name[cut + 1 :]},
        {"name": "common", "query": "工作"},
        {"name": "one-char", "query": "的"},
        {"name": "narrowed", "query": long_name[2:6], "units": [township]},
        {"name": "no-match", "query": "火星移民xyzzy"},
    ]


def worker(list_json: Path, runs: int) -> dict[str, Any]:
    from dutylist.find import FindIndex, hit_of, load_version
    from dutylist.source.limits import Limits

    t0 = time.perf_counter()
    loaded = load_version(str(list_json), list_json.parent, Limits(), False)
    assert loaded.side is not None
    index = FindIndex(loaded.side.manifest, loaded.side.blocks())
    load = time.perf_counter() - t0
    out: dict[str, Any] = {"load_seconds": load, "items": len(index.items), "queries": []}
    for q in pick_queries(index):
        units = tuple(q.get("units", ()))
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            matches, total = index.search(q["query"], units, (), 20)
            hits = [hit_of(index, m, units, ()) for m in matches]
            times.append(time.perf_counter() - t)
        first = hits[0] if hits else None
        out["queries"].append(
            q | {
                "runs": times,
                "seconds": statistics.median(times),
                "total": total,
                "first": f"{first.id} ({first.match})" if first else None,
            }
        )  # fmt: skip
    out["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# --- the parent ----------------------------------------------------------------------------


def compiled_list(root: Path, out: Path) -> tuple[Path | None, str | None]:
    """ROOT/2025 compiled to OUT/list.json, once per data set and dutylist version."""
    import dutylist

    list_json = out / "list.json"
    stamp = out / "source.txt"
    source = f"{root}\n{dutylist.__version__}\n"
    if list_json.exists() and stamp.exists() and stamp.read_text("utf-8") == source:
        return list_json, None
    cmd = [str(dutylist_command()), "compile", LABEL, "--root", str(root), "--out", str(out), "--no-cache", "--force"]
    t0 = time.perf_counter()
    run = run_child([*cmd, "--format", "json"], timeout=1200)
    if run.returncode != 0 or run.timed_out:
        return None, f"`{' '.join(cmd)}` failed (exit {run.returncode}):\n{tail(run.stderr)}"
    stamp.write_text(source, "utf-8")
    print(f"  compiled {list_json} in {time.perf_counter() - t0:.1f} s")
    return list_json, None


def measure(mode: str, list_json: Path, runs: int) -> dict[str, Any]:
    """The worker's figures, and the wall time of one `dutylist find` run."""
    run = run_child([sys.executable, str(Path(__file__).resolve()), "--worker", str(list_json), str(runs)], 1800)
    if run.returncode != 0 or run.timed_out:
        return {"mode": mode, "error": f"worker failed (exit {run.returncode}):\n{tail(run.stderr)}"}
    result: dict[str, Any] = json.loads(run.stdout)
    result["mode"] = mode
    result["worker_maxrss_mib"] = run.maxrss_kb / 1024
    query = next(q["query"] for q in result["queries"] if q["name"] == "substring")
    script = 'exec "$0" "$@" > /dev/null'  # the shell execs dutylist: wait4 reports dutylist itself
    command = [str(dutylist_command()), "find", query, str(list_json), "--format", "json"]
    cli = run_child(["/bin/sh", "-c", script, *command], 600)
    result["cli"] = {"query": query, "seconds": cli.wall, "maxrss_mib": cli.maxrss_kb / 1024, "exit": cli.returncode}
    return result


def print_report(result: dict[str, Any]) -> list[dict[str, Any]]:
    mode = result["mode"]
    if "error" in result:
        print(f"\n{mode}: {result['error']}")
        return []
    print(
        f"\n{mode}: {result['items']:,} distinct items; load (read + index) {result['load_seconds']:.2f} s; "
        f"worker peak {result['worker_maxrss_mib']:.0f} MiB"
    )
    print(f"  {'query':<10} {'seconds':>8} {'total':>9}  {'first hit':<28} text")
    rows = []
    for q in result["queries"]:
        first = q["first"] or "-"
        units = f"  --unit {' '.join(q['units'])}" if q.get("units") else ""
        print(f"  {q['name']:<10} {q['seconds']:>8.4f} {q['total']:>9,}  {first:<28} {q['query']}{units}")
        status = judge(q["seconds"], "<=", QUERY_SECONDS)
        rows.append({"mode": mode, "query": q["name"], "seconds": q["seconds"], "status": status})
    cli = result["cli"]
    print(
        f"  cli: `dutylist find {cli['query']} list.json -f json` {fmt(cli['seconds'], '.2f')} s wall "
        f"(start-up + load + query), peak {cli['maxrss_mib']:.0f} MiB, exit {cli['exit']}"
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries of the catalogue")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each query (median)")
    parser.add_argument("--stress", action="store_true", help="also a flat catalogue: every entry its own item")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--worker", nargs=2, metavar=("LIST_JSON", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), int(args.worker[1])), ensure_ascii=False))
        return 0

    ensure_cache_dir(args.cache_dir)
    env = environment(("orjson", "rapidfuzz", "opencc", "dutylist"))
    print(f"{env['cpus']} CPUs, load average {env['loadavg_start'][0]:.2f}; {args.runs} runs per query")
    t_start = time.perf_counter()
    results = []
    rows: list[dict[str, Any]] = []
    for mode in ("province", "flat") if args.stress else ("province",):
        root = dataset(args.cache_dir, args.entries, args.seed, mode=mode)
        list_json, error = compiled_list(root, args.cache_dir / "find-out" / mode)
        result = {"mode": mode, "error": error} if list_json is None else measure(mode, list_json, args.runs)
        results.append(result)
        rows += print_report(result)
    print(f"\n{'target':<36} {'value':>9} {'goal':>9}  status")
    for r in rows:
        note = "" if r["mode"] == "province" else "  (stress: information)"
        target = f"{r['mode']} {r['query']} query"
        print(f"{target:<36} {r['seconds']:>7.3f} s {'<= 1 s':>9}  {r['status']}{note}")
    print(f"\nwhole benchmark: {time.perf_counter() - t_start:.0f} s")
    write_report(
        args.cache_dir / "find.json",
        "find",
        {"entries": args.entries, "seed": args.seed, "runs": args.runs, "stress": args.stress},
        env,
        results=results,
        targets=rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
