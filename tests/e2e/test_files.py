"""Files, in a real terminal: a damaged library ends the app in one line, and saving an
export from the Export screen never writes through a link planted beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.damage import damage_page, make_library, root_page, snapshot
from tests.e2e.terminal import Terminal

pytestmark = pytest.mark.e2e

SECRET = "the victim's own data\n"


def test_the_app_on_a_damaged_library_exits_with_one_line_and_writes_nothing(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "pm.db"
    make_library(db)
    # The timeline's root page: today's main showed the library as if nothing happened.
    damage_page(db, root_page(db, "timeline_event"), "zeros")
    before = snapshot(folder)
    t = term(db=db, size=(100, 30))
    assert t.wait_exit(timeout=20) == 1
    line = printed_line(t, "postmortem: error: ")
    assert line.startswith(f"postmortem: error: {db} is damaged (")
    assert "restore your latest backup" in line and f"sqlite3 {db} .recover" in line
    assert "Traceback" not in t.text() and "No postmortems yet" not in t.text()
    assert snapshot(folder) == before


def printed_line(t: Terminal, start: str) -> str:
    """The line printed from ``start`` on, put back together where the terminal wrapped it.

    It is printed after the app has left the screen, wherever the cursor was, and wraps
    at the terminal's width: full rows, concatenated, rebuild it exactly."""
    rows = t.screen.display
    for i, row in enumerate(rows):
        at = row.find(start)
        if at >= 0:
            return (row[at:] + "".join(rows[i + 1 :])).rstrip()
    raise AssertionError(f"{start!r} is not on the screen:\n{t.text()}")


def test_saving_an_export_ignores_links_planted_in_the_directory(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    db = tmp_path / "pm.db"
    make_library(db, copies=1)
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text(SECRET)
    # Today's main saved through ".report.md.tmp": a link there redirected the write.
    (shared / ".report.md.tmp").symlink_to(victim)
    t = term(db=db, size=(120, 40))
    t.wait_for("Checkout 502s")
    t.press("e")  # the library's export key
    t.wait_for("s save")
    t.press("s")
    t.wait_for("Save markdown to")
    t.press("ctrl+u")
    t.type(str(shared / "report.md"), low=0.005, high=0.03)
    t.press("enter")
    t.wait_for("Saved")
    assert t.quit() == 0
    assert victim.read_text() == SECRET
    report = shared / "report.md"
    assert not report.is_symlink() and report.read_text().startswith("---\ntitle: Checkout 502s")
    assert (shared / ".report.md.tmp").is_symlink()  # the planted link, left as it was
    assert sorted(p.name for p in shared.iterdir()) == [".report.md.tmp", "report.md"]
