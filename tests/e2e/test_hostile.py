"""Hostile imports, then the app in a real terminal: the library still works for the others.

A user imports a document that would have poisoned the library (an event in
year 1 in Europe/London) and one full of hostile but valid text, and another
tool has left an event in year 1 in a third postmortem. The installed
`postmortem` is then run in a pseudo-terminal, typed at human speed: every
postmortem is listed, the poisoned one opens with its invalid time marked,
and the clean one takes a new event that lands in the database.
"""

from __future__ import annotations

import copy
import json
import re
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from models.demo import DEMO
from tests.e2e.terminal import Terminal, executable, query

pytestmark = pytest.mark.e2e


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [executable(), "--db", str(db), *args], capture_output=True, text=True, timeout=60
    )


LIBRARY = re.compile(r"Title\s+Sev\s+Status\s+Started")


def to_library(t: Terminal) -> None:
    """Escape goes up a level at a time (list, section, library)."""
    for _ in range(4):
        t.press("escape")
        try:
            t.wait_for(LIBRARY, timeout=3)
            return
        except AssertionError:
            continue
    t.wait_for(LIBRARY)


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_hostile_import_leaves_the_library_working_in_the_terminal(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    db = tmp_path / "pm.db"
    demo = tmp_path / "demo.json"
    demo.write_text(json.dumps(DEMO))
    assert cli(db, "import", str(demo)).returncode == 0

    # 1. The document that broke every listing: refused in one line, nothing written.
    poison = copy.deepcopy(DEMO)
    poison["timezone"] = "Europe/London"
    poison["timeline"][0]["at"] = "0001-01-01T00:00:00Z"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(poison))
    before = dump(db)
    refused = cli(db, "import", str(bad))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "timeline[0].at" in refused.stderr and "internal error" not in refused.stderr
    assert dump(db) == before

    # 2. Hostile but valid text is accepted as it is.
    hostile = copy.deepcopy(DEMO)
    hostile["title"] = "Markup [bold]x[/] \u202eRTL\u202c 👩\u200d👩\u200d👧 e\u0301"
    hostile["timeline"][1]["text"] = "[@click=app.quit]not an action[/]"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile, ensure_ascii=False), encoding="utf-8-sig")  # with a BOM
    assert cli(db, "import", str(path)).returncode == 0

    # 3. What an older version stored: a third postmortem whose start is in year 1.
    assert cli(db, "import", str(demo)).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE postmortem SET title = 'Year one import' WHERE id = 3")
    conn.execute(
        "UPDATE timeline_event SET at = '0001-01-01 00:00:00.000000' "
        "WHERE postmortem_id = 3 AND kind = 'started'"
    )
    conn.commit()
    conn.close()
    listed = cli(db, "list")
    assert listed.returncode == 0 and "Year one import" in listed.stdout
    assert "postmortem: warning: postmortem 3: timeline: 1 event" in listed.stderr

    t = term(size=(120, 40), db=db)
    screen = t.wait_for("Year one import")
    assert "Checkout 502s after connection pool change" in screen
    assert "Markup [bold]x[/]" in screen  # literally, not as bold

    # The poisoned one opens, with its invalid time marked where it is.
    # Its title was changed behind the store's back, so the search index doesn't
    # know it; with no readable start it is listed first.
    t.press("g", "enter")
    t.wait_for("today's rules")
    t.press("f3")
    t.wait_for("⚠ invalid")
    to_library(t)

    # The clean one still takes a new event.
    t.press("/")
    t.type("connection")  # only the clean one's title says so
    t.press("enter")
    t.press("enter")
    t.wait_for("Timezone")
    t.press("f3")
    t.wait_for("New event")
    t.type("15:45 Rollback verified again #resolved")
    t.press("enter")
    t.wait_for(lambda screen: "resolved      Rollback verified again" in screen)
    assert t.quit() == 0

    assert query(
        db,
        "SELECT postmortem_id, kind FROM timeline_event WHERE text = 'Rollback verified again'",
    ) == [(1, "resolved")]
    assert query(
        db, "SELECT at FROM timeline_event WHERE postmortem_id = 3 AND kind = 'started'"
    ) == [("0001-01-01 00:00:00.000000",)]


def test_a_database_argument_the_app_cannot_use_is_one_line_after_the_terminal_is_restored(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(["--db", "nosuch://x/y"], db=None)
    assert t.wait_exit(30) == 1
    screen = t.text()
    assert "postmortem: error: 'nosuch://x/y' is not a database URL" in screen, screen
    assert "internal error" not in screen and "Traceback" not in screen


def test_a_usage_error_holding_escape_codes_is_one_plain_line(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    # Click used to print four lines; the mistyped text reached the terminal as typed.
    t = term(["\x1b[31mboom\x07"])
    assert t.wait_exit(30) == 2
    screen = t.text()
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines == [
        "postmortem: error: No such command '\\x1b[31mboom\\x07'. (see 'postmortem --help')"
    ]
    assert b"\x1b[31m" not in bytes(t.raw) and b"\x07" not in bytes(t.raw)


def test_times_past_2099_typed_or_pasted_are_refused_and_nothing_is_written(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    db = tmp_path / "pm.db"
    demo = tmp_path / "demo.json"
    demo.write_text(json.dumps(DEMO))
    assert cli(db, "import", str(demo)).returncode == 0
    before = dump(db)
    t = term(size=(120, 40), db=db)
    t.wait_for("Checkout 502s")
    t.press("enter")
    t.wait_for("Timezone")
    t.press("f3")
    t.wait_for("New event")
    t.type("2100-01-01 00:30 the future")
    t.press("enter")
    t.wait_for("outside the accepted years, 1970 to 2099")
    assert "2100-01-01 00:30 the future" in t.text()  # the text stays to be corrected
    t.press("ctrl+u")
    t.paste("14:00 <alice> pager\n2099-12-31 23:59 -0100 <bob> next year\n")
    t.wait_for("can't be read")
    assert "outside the accepted years" in t.text()
    t.press("enter")  # refused lines block the import
    t.press("escape")
    t.wait_for("Import cancelled")
    assert t.quit() == 0
    assert dump(db) == before
