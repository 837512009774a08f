"""What the check at open costs, on a library of 1,000 postmortems.

    python tests/perf/bench_open.py [--runs N] [--postmortems N]

Interleaved in one run, each repeated N times:

* baseline: the bare stdlib doing the same SQLite work, ``sqlite3.connect`` and
  ``PRAGMA quick_check`` (what any tool would pay to know the file is whole);
* ``models.db.check_file``: header, schema and revision, quick_check, read
  ``immutable`` with a fingerprint before and after (what every open pays);
* ``open_engine`` as a whole (check, then the WAL engine and its first connection);
* ``postmortem list``, the whole process, for scale.

Prints medians in milliseconds and ratios. Not a test: timing assertions don't
belong in the suite, since a busy CI machine would make them flaky.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def build(db: Path, count: int) -> None:
    from models.demo import DEMO
    from models.interchange import from_document
    from models.store import open_store

    store = open_store(str(db))
    for i in range(count):
        store.save_new(from_document({**DEMO, "title": f"{DEMO['title']} {i}"}))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postmortems", type=int, default=1000)
    args = parser.parse_args()

    from models.db import check_file, open_engine
    from models.paths import resolve

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "library.db"
        t0 = time.perf_counter()
        build(db, args.postmortems)
        conn = sqlite3.connect(db)
        pages, events = (
            conn.execute("PRAGMA page_count").fetchone()[0],
            conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0],
        )
        conn.close()
        size = db.stat().st_size
        print(
            f"setup: {args.postmortems} postmortems, {events} events, {pages} pages, "
            f"{size / 1e6:.1f} MB ({time.perf_counter() - t0:.1f} s)"
        )

        def bare() -> None:
            c = sqlite3.connect(db)
            assert c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            c.close()

        def ours() -> None:
            assert check_file(db, str(db)) is None

        def whole_open() -> None:
            engine = open_engine(resolve(str(db)))
            with engine.connect():
                pass
            engine.dispose()

        cli = [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db), "list"]

        def listing() -> None:
            subprocess.run(cli, check=True, capture_output=True, env=os.environ.copy())

        cases: list[tuple[str, Callable[[], None]]] = [
            ("baseline: sqlite3 connect + quick_check", bare),
            ("check_file (schema + quick_check, no trace)", ours),
            ("open_engine (check + WAL engine)", whole_open),
            ("postmortem list (whole process)", listing),
        ]
        samples: dict[str, list[float]] = {name: [] for name, _ in cases}
        for _ in range(args.runs):
            for name, fn in cases:  # interleaved: a busy moment hits every case alike
                start = time.perf_counter()
                fn()
                samples[name].append((time.perf_counter() - start) * 1000)
        base = statistics.median(samples[cases[0][0]])
        print(f"{'what':46} {'median ms':>10} {'x baseline':>11}")
        for name, _ in cases:
            ms = statistics.median(samples[name])
            print(f"{name:46} {ms:10.1f} {ms / base:11.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
