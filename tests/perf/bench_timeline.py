"""The live timeline at 10,000 events, against a bare Textual app in the same run.

    python tests/perf/bench_timeline.py [--events N] [--repeat N]

Measures, medians of several repeats:
  * loading the postmortem from SQLite (not part of the screen's budget);
  * opening the timeline screen once the data is loaded, to its first paint,
    against a bare app pushing a screen with one Static;
  * adding an event through the entry line (parse, commit, insert, metrics,
    frame), as CPU time inside the app's handler, and as CPU from keypress to
    paint against the same keypress in a bare app (that one includes Pilot's
    own per-key cost, identical in both);
  * moving the cursor, the same two ways;
  * a 10,000-line chat-log import (parse + bulk insert).
Not a test: a loaded CI machine would make timed assertions flaky.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual.app import App  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import Static  # noqa: E402

from models.chatlog import parse_chat_log  # noqa: E402
from models.demo import DEMO  # noqa: E402
from models.interchange import from_document  # noqa: E402
from models.store import Store, open_store  # noqa: E402
from tui.app import PostmortemApp  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


class Bare(App[None]):
    def compose(self) -> Any:
        yield Static("0", id="n")

    def on_key(self) -> None:
        label = self.query_one("#n", Static)  # App.query_one searches the default screen
        label.update(str(int(str(label.content)) + 1))


def build(path: str, events: int) -> tuple[Store, int]:
    store = open_store(path)
    pm_id = store.save_new(from_document(DEMO))
    start = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
    store.add_events(
        pm_id,
        [
            (
                start + dt.timedelta(seconds=37 * i),
                "note",
                f"log line {i}: worker {i % 13} reported queue depth {i % 997}",
                "bot",
            )
            for i in range(events)
        ],
    )
    return store, pm_id


async def bare_numbers(repeat: int) -> tuple[float, float]:
    """(open a screen to first paint in ms, CPU ms per keypress to paint)."""
    opens, keys = [], []
    for _ in range(repeat):
        app = Bare()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            t0 = time.perf_counter()
            await app.push_screen(Screen())
            app.screen.mount(Static("a screen"))
            await pilot.pause()
            opens.append((time.perf_counter() - t0) * 1000)
            for _ in range(10):
                c0 = time.process_time()
                await pilot.press("x")
                await pilot.pause()
                keys.append((time.process_time() - c0) * 1000)
    return statistics.median(opens), statistics.median(keys)


async def our_numbers(store: Store, pm_id: int, repeat: int) -> dict[str, float]:
    from tui.screens.timeline import TimelineScreen
    from tui.widgets.timeline_view import TimelineView
    from tui.workspace import Workspace

    loads, opens, add_handler, add_key, move_handler, move_key = [], [], [], [], [], []
    for r in range(repeat):
        app = PostmortemApp(store, clock=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            t0 = time.perf_counter()
            workspace = Workspace(store, pm_id, app.clock)
            loads.append((time.perf_counter() - t0) * 1000)
            app.workspace = workspace
            t0 = time.perf_counter()
            screen = TimelineScreen(workspace)
            app.install_screen(screen, f"timeline-{pm_id}")
            await app.push_screen(screen)
            await pilot.pause()
            opens.append((time.perf_counter() - t0) * 1000)
            assert isinstance(app.screen, TimelineScreen)
            view = app.screen.query_one(TimelineView)
            assert len(view.events) > 1000

            from textual.widgets import Input

            entry = app.screen.query_one("#entry", Input)
            for i in range(10):
                entry.value = f"+{i + 1}m benchmark event {r}-{i} #note @bench"
                c0 = time.process_time()
                app.screen.on_input_submitted(Input.Submitted(entry, entry.value))
                add_handler.append((time.process_time() - c0) * 1000)
                await pilot.pause()
                entry.value = f"+{i + 1}m benchmark key {r}-{i}"
                c0 = time.process_time()
                await pilot.press("enter")
                await pilot.pause()
                add_key.append((time.process_time() - c0) * 1000)
            view.focus()
            await pilot.pause()
            for _ in range(20):
                c0 = time.process_time()
                view.action_move(-1)
                move_handler.append((time.process_time() - c0) * 1000)
                await pilot.pause()
                c0 = time.process_time()
                await pilot.press("up")
                await pilot.pause()
                move_key.append((time.process_time() - c0) * 1000)
    med = statistics.median
    return {
        "load": med(loads),
        "open": med(opens),
        "add_handler": med(add_handler),
        "add_key": med(add_key),
        "move_handler": med(move_handler),
        "move_key": med(move_key),
    }


def bulk_import(store: Store, pm_id: int, lines: int) -> float:
    start = dt.datetime(2026, 11, 27, 8, 0)
    text = "\n".join(
        f"[{(start + dt.timedelta(seconds=3 * i)):%H:%M:%S}] <bot{i % 7}> line {i} | with a pipe"
        for i in range(lines)
    )
    t0 = time.perf_counter()
    log = parse_chat_log(text, "Europe/London", reference=dt.date(2026, 11, 27), now=NOW)
    store.add_events(pm_id, log.rows())
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, pm_id = build(str(Path(tmp) / "bench.db"), args.events)
        bare_open, bare_key = asyncio.run(bare_numbers(args.repeat))
        ours = asyncio.run(our_numbers(store, pm_id, args.repeat))
        other = store.create_postmortem("import target").id
        assert other is not None
        imported = bulk_import(store, other, 10_000)
    n = f"{args.events:,}"
    rows = [
        (f"load the postmortem ({n} events) from SQLite", ours["load"], None, ""),
        ("bare app: push a screen, first paint", bare_open, None, ""),
        (f"open the timeline screen ({n} events), first paint", ours["open"], bare_open, "≤ 300"),
        ("add an event: CPU in the app's handler", ours["add_handler"], None, "≤ 30"),
        ("add an event: CPU keypress → paint", ours["add_key"], bare_key, ""),
        ("move the cursor: CPU in the app's handler", ours["move_handler"], None, "≤ 15"),
        ("move the cursor: CPU keypress → paint", ours["move_key"], bare_key, ""),
        ("bare app: CPU keypress → paint (Pilot's cost)", bare_key, None, ""),
        ("import a 10,000-line chat log (parse + insert)", imported, None, "< 1000"),
    ]
    print(f"{'what':56} {'ms':>8} {'x bare':>7} {'target':>7}")
    for label, ms, base, target in rows:
        ratio = f"{ms / base:.2f}" if base else ""
        print(f"{label:56} {ms:8.1f} {ratio:>7} {target:>7}")


if __name__ == "__main__":
    main()
