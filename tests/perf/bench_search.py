"""Search latency and statistics time on a library of 1,000 realistic postmortems.

    python tests/perf/bench_search.py [--runs N] [--postmortems N] [--db FILE]

Builds the library with tests/library.py through the store (every postmortem
saved and indexed as the app and `postmortem import` do), or reuses ``--db``.
Then, interleaved in one run and repeated N times:

* search, for several kinds of query (a rare word, a common word, a prefix, a
  phrase, words with a filter):
  - baseline: the bare stdlib ``sqlite3`` asking FTS5 the same question, the
    best 20 documents by bm25 with a snippet each, nothing else;
  - ``Store.search``: parsing, filters, ranking with field weights, grouping by
    postmortem, snippets and each postmortem's facts (what `postmortem search`
    and the library's ``/`` show);
* statistics:
  - baseline: bare ``sqlite3`` reading the same columns (milestones, services,
    tags, fishbone, action items) and ``statistics.median`` over time to detect;
  - ``models.stats.load``: every figure of `postmortem stats` and Insights;
* the whole ``postmortem search`` and ``postmortem stats --json`` processes, beside
  ``postmortem list`` for scale.

Prints medians in milliseconds, wall and CPU time (the CPU time of processes
run counts too), and ratios to the baseline. Not a test: timing
assertions don't belong in the suite, since a busy CI machine would make them flaky.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

QUERIES = [  # (label, what a user types, the bare FTS5 expression, a service filter)
    ("rare word", "cl_waiting", '"cl_waiting"', None),
    ("common word", "pool", '"pool"', None),
    ("prefix", "pgbounc*", '"pgbounc" *', None),
    ("phrase", '"connection pool"', '"connection pool"', None),
    ("words + filter", "consumer lag service:kafka", '"consumer" AND "lag"', "kafka"),
]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: on a shared, busy
    machine wall time mostly measures the other tenants (NOTES.md)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def build(db: Path, count: int) -> float:
    from models.store import open_store
    from tests.library import build as make

    start = time.perf_counter()
    store = open_store(str(db))
    make(store, count, seed=1000)
    store.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--postmortems", type=int, default=1000)
    parser.add_argument("--db", type=Path, help="reuse (or build into) this file")
    args = parser.parse_args()

    from models.stats import load
    from models.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "library.db"
        if not db.exists():
            seconds = build(db, args.postmortems)
            print(f"built {args.postmortems} postmortems in {seconds:.0f} s")
        conn = sqlite3.connect(db)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("postmortem", "timeline_event", "action_item", "search_doc")
        }
        conn.close()
        print(
            f"library: {counts['postmortem']} postmortems, {counts['timeline_event']} events, "
            f"{counts['action_item']} action items, {counts['search_doc']} indexed documents, "
            f"{db.stat().st_size / 1e6:.1f} MB"
        )
        store = open_store(str(db))
        bare = sqlite3.connect(db)

        def bare_search(expression: str, service: str | None) -> Callable[[], None]:
            sql = (
                "SELECT search_fts.rowid, snippet(search_fts, 0, '[', ']', '…', 12) FROM search_fts"
            )
            where = " WHERE search_fts MATCH ?"
            params: tuple[str, ...] = (expression,)
            if service:  # the same filter, in SQL over the same tables
                sql += " JOIN search_doc d ON d.id = search_fts.rowid"
                where += (
                    " AND d.pm_id IN (SELECT p.id FROM postmortem p, json_each(p.services) s"
                    "  WHERE lower(s.value) = ?)"
                )
                params += (service,)
            sql += where + " ORDER BY rank LIMIT 20"

            def run() -> None:
                assert bare.execute(sql, params).fetchall()

            return run

        def ours_search(text: str) -> Callable[[], None]:
            def run() -> None:
                assert store.search(text, limit=20).results

            return run

        def bare_stats() -> None:
            ms: dict[int, dict[str, str]] = {}
            for pm, kind, first in bare.execute(
                "SELECT postmortem_id, kind, min(at) FROM timeline_event WHERE kind IN"
                " ('started','detected','mitigated','resolved') GROUP BY postmortem_id, kind"
            ):
                ms.setdefault(pm, {})[kind] = first
            bare.execute(
                "SELECT id, severity, services, tags, created_at FROM postmortem"
            ).fetchall()
            bare.execute("SELECT postmortem_id, name FROM fishbone_category").fetchall()
            bare.execute("SELECT text FROM fishbone_cause WHERE root_cause").fetchall()
            bare.execute("SELECT postmortem_id, status, due FROM action_item").fetchall()
            ttd = [
                (
                    dt.datetime.fromisoformat(m["detected"])
                    - dt.datetime.fromisoformat(m["started"])
                ).total_seconds()
                for m in ms.values()
                if "detected" in m and "started" in m
            ]
            statistics.median(ttd)

        now = dt.datetime.now(dt.UTC)

        def ours_stats() -> None:
            with store.session() as s:
                assert load(s.connection(), now=now).postmortems

        exe = [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db)]

        def process(*words: str) -> Callable[[], None]:
            def run() -> None:
                subprocess.run(
                    [*exe, *words], check=True, capture_output=True, env=os.environ.copy()
                )

            return run

        cases: list[tuple[str, str, Callable[[], None]]] = []
        for label, text, expression, service in QUERIES:
            cases.append((f"search {label}", "baseline", bare_search(expression, service)))
            cases.append((f"search {label}", "ours", ours_search(text)))
        cases.append(("stats", "baseline", bare_stats))
        cases.append(("stats", "ours", ours_stats))
        cases.append(("process", "postmortem list (for scale)", process("list")))
        cases.append(("process", "postmortem search pgbouncer", process("search", "pgbouncer")))
        cases.append(("process", "postmortem stats --json", process("stats", "--json")))

        samples: dict[tuple[str, str], list[float]] = {(g, n): [] for g, n, _ in cases}
        cpu: dict[tuple[str, str], list[float]] = {(g, n): [] for g, n, _ in cases}
        for fn in (c[2] for c in cases):
            fn()  # warm the page cache and the imports
        for _ in range(args.runs):
            for group, name, fn in cases:  # interleaved: a busy moment hits every case alike
                start, used = time.perf_counter(), _cpu_seconds()
                fn()
                samples[(group, name)].append((time.perf_counter() - start) * 1000)
                cpu[(group, name)].append((_cpu_seconds() - used) * 1000)
        print(f"{'what':42} {'wall ms':>8} {'p90 ms':>8} {'x base':>7} {'cpu ms':>8} {'x base':>7}")
        groups = dict.fromkeys(g for g, _, _ in cases)
        for group in groups:
            base = samples.get((group, "baseline"))
            base_cpu = cpu.get((group, "baseline"))
            for (g, name), values in samples.items():
                if g != group:
                    continue
                med = statistics.median(values)
                p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
                used = statistics.median(cpu[(g, name)])
                ratio = f"{med / statistics.median(base):7.2f}" if base else f"{'':>7}"
                cpu_ratio = f"{used / statistics.median(base_cpu):7.2f}" if base_cpu else f"{'':>7}"
                label = f"{group}: {name}"
                print(f"{label:42} {med:8.1f} {p90:8.1f} {ratio} {used:8.1f} {cpu_ratio}")
        store.close()
        bare.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
