"""One load measurement in a fresh process (run by the bench_*.py scripts, not by hand).

    python benchmarks/loadworker.py LOADER FILE_LIST

LOADER is ``pyyaml`` (``yaml.load(f, Loader=yaml.CSafeLoader)``, GC untouched),
``pyyaml-nogc`` (the same with the garbage collector disabled), ``ruamel-rt``
(``YAML(typ='rt').load(f)``), ``orjson`` (``orjson.loads(f.read())``, the file opened in
binary, GC untouched) or ``orjson-nogc``. FILE_LIST names one YAML (or JSON) file a line.
Every loaded document is kept alive until the end, as a validator keeps them, so the
collector sees the whole heap. Prints one JSON object: seconds (open + read + parse of
every file; interpreter start-up and library import excluded), bytes, files, maxrss_kb.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def _loader(name: str) -> Callable[[IO[Any]], Any]:
    if name in ("pyyaml", "pyyaml-nogc"):
        import yaml

        def load_pyyaml(f: IO[str]) -> Any:
            return yaml.load(f, Loader=yaml.CSafeLoader)

        return load_pyyaml
    if name == "ruamel-rt":
        from ruamel.yaml import YAML

        rt = YAML(typ="rt")
        load_rt: Callable[[IO[str]], Any] = rt.load
        return load_rt
    if name in ("orjson", "orjson-nogc"):
        import orjson

        def load_orjson(f: IO[bytes]) -> Any:
            return orjson.loads(f.read())

        return load_orjson
    raise SystemExit(f"unknown loader {name!r}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    name, list_file = argv
    paths = [Path(line) for line in Path(list_file).read_text("utf-8").splitlines() if line]
    load = _loader(name)
    if name.endswith("-nogc"):
        gc.disable()
    binary = name.startswith("orjson")
    docs: list[Any] = []
    t0 = time.perf_counter()
    for path in paths:
        with path.open("rb") if binary else path.open(encoding="utf-8") as f:
            docs.append(load(f))
    seconds = time.perf_counter() - t0
    result = {
        "loader": name,
        "seconds": seconds,
        "bytes": sum(p.stat().st_size for p in paths),
        "files": len(paths),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(result))
    sys.stdout.flush()
    # Skip the teardown of a heap of a million objects: the process exit frees it.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
