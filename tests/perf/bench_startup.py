"""Start-up: launch to the first painted library screen, against a bare Textual app.

    python tests/perf/bench_startup.py [--runs N]

Each sample is a fresh process. The clock starts at the process's first line
(before any import) and stops at Textual's Ready event, sent after the first
frame is displayed. Both apps run headless at 120x40 and compose the same
widgets: Header, an Input, a DataTable with the library's columns, a Static and
a Footer. The "rows on screen" figure also waits for the database to open in
its worker and the library's rows to be painted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BASELINE = """
import time; t0 = time.perf_counter()
import os
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Input, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Input(); yield DataTable(); yield Static("hint"); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        for c in ("Title", "Sev", "Status", "Started", "Impact", "Open"):
            t.add_column(c)
    def on_ready(self):
        print(f"{(time.perf_counter() - t0) * 1000:.1f}"); os._exit(0)
Bare().run(headless=True, size=(120, 40))
"""

OURS = """
import time; t0 = time.perf_counter()
import os, sys
from tui.app import PostmortemApp
def opener():
    from models.store import open_store
    return open_store(sys.argv[1])
class Bench(PostmortemApp):
    def on_ready(self):
        if sys.argv[2] == "paint":
            print(f"{(time.perf_counter() - t0) * 1000:.1f}"); os._exit(0)
    def _store_ready_cb(self, store):
        super()._store_ready_cb(store)
        def done():
            print(f"{(time.perf_counter() - t0) * 1000:.1f}"); os._exit(0)
        self.call_after_refresh(done)
Bench(opener).run(headless=True, size=(120, 40))
"""


def sample(code: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from models.demo import DEMO
    from models.interchange import from_document
    from models.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        store = open_store(db)
        for i in range(25):
            store.save_new(from_document({**DEMO, "title": f"{DEMO['title']} {i}"}))
        store.close()
        results: dict[str, list[float]] = {"baseline": [], "paint": [], "rows": []}
        for _ in range(args.runs):  # interleaved, so drift hits all three alike
            results["baseline"].append(sample(BASELINE))
            results["paint"].append(sample(OURS, db, "paint"))
            results["rows"].append(sample(OURS, db, "rows"))
    base = statistics.median(results["baseline"])
    print(f"{'what':52} {'median ms':>9} {'x baseline':>10}")
    for key, label in (
        ("baseline", "bare Textual app, same widgets: first frame"),
        ("paint", "postmortem library: first frame"),
        ("rows", "postmortem library: 25 rows on screen (db opened)"),
    ):
        ms = statistics.median(results[key])
        print(f"{label:52} {ms:9.0f} {ms / base:10.2f}")


if __name__ == "__main__":
    main()
