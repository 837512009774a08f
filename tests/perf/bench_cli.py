"""Benchmark the command line against bare baselines measured in the same run.

    python tests/perf/bench_cli.py [--runs N]

Prints medians in milliseconds and ratios. Not a test: timing assertions don't
belong in the suite, since a busy CI machine would make them flaky.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def build(db: Path, events: int) -> None:
    from models.demo import DEMO
    from models.interchange import from_document
    from models.store import open_store

    store = open_store(str(db))
    pm_id = store.save_new(from_document(DEMO))
    start = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    store.add_events(
        pm_id,
        [
            (start + dt.timedelta(seconds=7 * i), "note", f"log line {i} | with a pipe", "bot")
            for i in range(events - len(DEMO["timeline"]))
        ],
    )
    for i in range(20):
        store.save_new(from_document({**DEMO, "title": f"{DEMO['title']} {i}"}))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    cli = [py, "-c", "from tui.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build(db, 1000)
        print(f"setup: 21 postmortems, one with 1,000 events ({(time.perf_counter() - t0):.2f} s)")
        env = {**os.environ, "POSTMORTEM_DB": str(db)}
        rows = [
            ("python -c pass", median_ms([py, "-c", "pass"], args.runs)),
            ("python -c 'import sqlmodel'", median_ms([py, "-c", "import sqlmodel"], args.runs)),
            ("postmortem list (21 postmortems)", median_ms([*cli, "list"], args.runs, env)),
            ("postmortem list --json", median_ms([*cli, "list", "--json"], args.runs, env)),
            (
                "postmortem export 1 (1,000 events, md)",
                median_ms([*cli, "export", "1"], args.runs, env),
            ),
            (
                "postmortem export 1 --format json",
                median_ms([*cli, "export", "1", "--format", "json"], args.runs, env),
            ),
        ]
        base = rows[1][1]
        print(f"{'what':44} {'median ms':>10} {'x import sqlmodel':>18}")
        for name, ms in rows:
            print(f"{name:44} {ms:10.0f} {ms / base:18.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
