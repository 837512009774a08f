"""What reading stored data defensively costs, against bare baselines in the same run.

    python tests/perf/bench_stored.py [--runs N]

* load: a 10,000-event postmortem read through the store, whose SQLite
  connections decode text with a replacement for invalid UTF-8 (models.db),
  against the same store with sqlite3's default decoding.
* audit: models.stored.problems over that postmortem (every value against
  the import rules), against one bare regex scan of the same texts.
* list: the library of 1,000 postmortems (with the query that counts events
  outside the accepted years), against one bare sqlite3 SELECT of its rows.

Runs are interleaved, medians in milliseconds. Not a test: timings on a shared
machine vary; compare the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event


def build(db: Path) -> int:
    from models.demo import DEMO
    from models.interchange import from_document
    from models.store import open_store

    store = open_store(str(db))
    pm_id = store.save_new(from_document(DEMO))
    start = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    store.add_events(
        pm_id,
        [
            (start + dt.timedelta(seconds=7 * i), "note", f"log line {i} | é 👩‍👩‍👧", "bot")
            for i in range(10_000 - len(DEMO["timeline"]))
        ],
    )
    for i in range(999):
        store.save_new(from_document({**DEMO, "title": f"{DEMO['title']} {i}", "timeline": []}))
    store.close()
    return pm_id


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    from models.store import open_store
    from models.stored import problems

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        pm_id = build(db)
        ours = open_store(str(db))
        bare = open_store(str(db))

        @event.listens_for(bare.engine, "connect")
        def default_decoding(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.text_factory = str

        bare.engine.dispose()  # new connections get the listener
        pm = ours.load(pm_id)
        texts = [e.text for e in pm.events] + [e.actor for e in pm.events]
        forbidden = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

        def bare_list() -> None:
            conn = sqlite3.connect(db)
            conn.execute("SELECT * FROM postmortem").fetchall()
            conn.close()

        pairs: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
            "load 10,000 events": (lambda: ours.load(pm_id), lambda: bare.load(pm_id)),
            "audit 10,000 events": (
                lambda: problems(pm),
                lambda: [forbidden.search(t) for t in texts],
            ),
            "list 1,000 postmortems": (ours.list_postmortems, bare_list),
        }
        samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in pairs}
        for _ in range(args.runs):
            for name, (fn, baseline) in pairs.items():
                samples[name][0].append(timed(fn))
                samples[name][1].append(timed(baseline))
        print(f"{'what':26} {'ours ms':>9} {'baseline ms':>12} {'ratio':>7}")
        for name, (mine, base) in samples.items():
            a, b = statistics.median(mine), statistics.median(base)
            print(f"{name:26} {a:9.1f} {b:12.1f} {a / b:7.2f}")
        ours.close()
        bare.close()


if __name__ == "__main__":
    main()
