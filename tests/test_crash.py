"""kill -9 during a burst of writes: the file stays intact and every commit survives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import datetime as dt, sys
from models.store import open_store
from models.tables import TimelineEvent
store = open_store(sys.argv[1])
now = lambda: dt.datetime.now(dt.UTC)
pm = store.create_postmortem("burst")
print("pm", pm.id, flush=True)
i = 0
while True:
    ev = store.add(TimelineEvent(postmortem_id=pm.id, at=now(), text=f"event {i}"))
    store.update_postmortem(pm.id, summary=f"summary {i}")
    if i % 10 == 0:
        store.add_events(pm.id, [(now(), "note", f"bulk {i}-{j}", "") for j in range(50)])
    print("ack", i, ev.id, flush=True)
    i += 1
"""


@pytest.mark.slow
def test_kill_9_during_writes_loses_no_commit(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    acked: list[int] = []
    deadline = time.monotonic() + 30
    started_at: float | None = None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        parts = line.split()
        if parts[0] == "ack":
            acked.append(int(parts[1]))
            started_at = started_at or time.monotonic()
            if time.monotonic() - started_at > 1.0:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert acked, proc.stderr.read() if proc.stderr else "writer printed nothing"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    texts = {row[0] for row in conn.execute("SELECT text FROM timeline_event")}
    assert {f"event {i}" for i in acked} <= texts
    summary = conn.execute("SELECT summary FROM postmortem").fetchone()[0]
    assert int(summary.split()[1]) >= acked[-1]
    conn.close()

    # And the app's own opener accepts the file afterwards.
    from models.store import open_store

    store = open_store(str(db))
    assert len(store.load(1).events) >= len(acked)
