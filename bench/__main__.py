"""python -m bench [name ...]: run benchmarks, each in its own process and database.

With no name, every benchmark runs in turn. Results go to bench/results/<name>.json
and the summary table in bench/README.md.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

BENCHMARKS = ["provisioning", "routing", "footprint", "penduduk", "provinsi", "migrate", "surat", "keuangan", "backup"]


def main(argv: list[str]) -> int:
    names = [a for a in argv if a] or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    if len(names) == 1:
        module = importlib.import_module(f"bench.{names[0]}")
        module.main()
        return 0
    failed = []
    for name in names:
        # A fresh interpreter per benchmark: Django is set up against its own database.
        if subprocess.run([sys.executable, "-m", "bench", name], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
