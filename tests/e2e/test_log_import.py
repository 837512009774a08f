"""A chat log pasted into the entry line, as a terminal pastes it: preview, then Enter or Escape.

At 80x24, with CR line ends (tmux's ``paste-buffer -p``), the preview must show
the events and the warnings before anything is written; Enter writes them (the
database is read with sqlite3, not through the app), Escape writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, query
from tests.e2e.test_paste import new_postmortem

pytestmark = pytest.mark.e2e

LOG = "\n".join(
    [
        "#inc-4821 checkout 502s",
        "--- Log opened Fri Nov 27 14:50:00 2026",
        "PagerDuty APP [2:57 PM]",
        "Triggered: checkout 5xx above 2% #detected",
        "15:02 <@alice> @bob can you look at pgbouncer?",
        "15:04 < bob> looking; pool is saturated",
        "  max_client_conn reached on pgb-2",
        "15:19 <alice> rolled back #mit",
        "--- Log closed Fri Nov 27 15:30:00 2026",
    ]
)


def open_preview(t: Terminal) -> str:
    new_postmortem(t)
    t.press("f3")
    t.wait_for("New event")
    t.paste(LOG, newline="\r")
    t.wait_for("Import 4 events")
    t.wait_for("enter adds 4 events")
    return t.settle()


def test_a_pasted_log_is_previewed_with_its_warnings_then_imported(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(80, 24))
    screen = open_preview(t)
    assert "PagerDuty" in screen and "Triggered: checkout 5x" in screen
    assert "2 lines left out" in screen
    assert "1 line joined to the event above" in screen
    assert "enter adds 4 events" in screen
    assert query(tmp_path / "pm.db", "SELECT count(*) FROM timeline_event") == [(0,)]
    t.press("enter")
    t.wait_for("added 4 events;")
    assert t.quit() == 0
    rows = query(tmp_path / "pm.db", "SELECT at, kind, actor, text FROM timeline_event ORDER BY at")
    assert [(at[11:16], kind, actor) for at, kind, actor, _ in rows] == [
        ("14:57", "detected", "PagerDuty"),
        ("15:02", "note", "alice"),
        ("15:04", "note", "bob"),
        ("15:19", "mitigated", "alice"),
    ]
    assert [r[0][:10] for r in rows] == ["2026-11-27"] * 4
    assert rows[1][3] == "@bob can you look at pgbouncer?"
    assert rows[2][3] == "looking; pool is saturated\nmax_client_conn reached on pgb-2"


def test_escape_in_the_preview_writes_nothing(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(80, 24))
    open_preview(t)
    t.press("escape")
    t.wait_for("Import cancelled")
    t.wait_gone("Import 4 events")
    assert t.quit() == 0
    assert query(tmp_path / "pm.db", "SELECT count(*) FROM timeline_event") == [(0,)]
