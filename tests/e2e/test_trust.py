"""Issue 8 in a real terminal: nothing typed, pasted or undone is lost or changed.

Each test drives the installed app in a pty at human speed (30-150 ms a key,
randomised), reads the screen through pyte, and checks the database with
sqlite3 afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.flows import new_postmortem
from tests.e2e.terminal import Terminal, query

pytestmark = pytest.mark.e2e


def test_action_items_typed_at_human_speed_keep_every_field(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """At 20-200 ms a key, tickets were saved as 'PAY-' and owners vanished."""
    t = term(size=(120, 40))
    new_postmortem(t, "Payments double charge")
    t.press("f7")
    t.wait_for("No action items yet")
    items = [(f"Fix {n}", f"owner{n}", "+2w", f"PAY-{n}9") for n in range(1, 7)]
    for title, owner, due, ticket in items:
        t.press("a")
        t.wait_for("New action item")
        t.type(title, low=0.02, high=0.2)
        t.press("enter")
        t.type(owner, low=0.02, high=0.2)  # focus is on Owner at once
        t.press("tab")
        t.type(due, low=0.02, high=0.2)
        t.press("tab")
        t.type(ticket, low=0.02, high=0.2)
        t.press("escape")  # back to the table
    t.wait_for(items[-1][0])
    assert t.quit() == 0
    rows = query(
        tmp_path / "pm.db", "SELECT title, owner, due, ticket FROM action_item ORDER BY position"
    )
    today = dt.date.today()
    assert [(r[0], r[1], r[3]) for r in rows] == [(a, b, d) for a, b, _, d in items]
    for row in rows:
        assert dt.date.fromisoformat(row[2]) - today in (dt.timedelta(days=14), dt.timedelta(13))


@pytest.mark.parametrize(
    ("section", "tabs", "label", "typed", "message"),
    [
        ("f5", 0, "Users", "10²", "is not a count like 18,400 or 18k"),
        ("f5", 1, "Tickets", "lots", "is not a count like 18,400 or 18k"),
        ("f5", 2, "SLO budget", "1e9", "not a percentage like 38.5"),
        ("f2", 3, "Timezone", "Mars/Olympus", "unknown timezone"),
        ("f2", 7, "Started", "25:99", "not a valid clock time"),
    ],
)
def test_a_refused_value_shows_its_message_and_the_header_says_so(
    term: Callable[..., Terminal],
    tmp_path: Path,
    section: str,
    tabs: int,
    label: str,
    typed: str,
    message: str,
) -> None:
    t = term(size=(80, 24))
    new_postmortem(t, "Refusals")
    t.press(section)
    t.wait_for(label)
    t.press(*["tab"] * tabs, "end", *["backspace"] * 20)  # to the field, emptied
    t.type(typed)
    row = next(line for line in t.wait_for(typed).splitlines() if typed in line)
    assert row.rsplit("│", 1)[-1].strip().startswith(label)  # typed where we meant
    t.press("tab")  # leave the field: the message must stay on screen
    screen = t.wait_for(message)
    assert f"not saved: {label}" in screen
    assert typed in screen  # the text stays in the field
    assert t.quit_asking() == 0  # quitting names the unsaved field and asks first


def test_entry_line_refusal_is_visible_and_the_text_is_not_glued(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """Enter on '#res' (resolved or responded?) seemed to do nothing; the next
    event typed was appended to it and saved as one garbled event."""
    t = term(size=(80, 24))
    new_postmortem(t, "Entry line")
    t.press("f3")
    t.wait_for("New event")
    t.type("15:45 Rollback verified #res")
    t.press("enter")
    t.wait_for("#res is ambiguous")
    assert "15:45 Rollback verified #res" in t.text()
    for _ in "#res":
        t.press("backspace")
    t.type("#resolved")
    t.press("enter")
    t.wait_for("Rollback verified")
    t.wait_gone("is ambiguous")
    t.type("15:50 Status page updated #comm")
    t.press("enter")
    t.wait_for("Status page updated")
    assert t.quit() == 0
    rows = query(tmp_path / "pm.db", "SELECT text, kind FROM timeline_event ORDER BY at")
    assert rows == [("Rollback verified", "resolved"), ("Status page updated", "communication")]


def test_escape_and_ctrl_q_never_drop_unsent_entry_text(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(120, 40))
    new_postmortem(t, "Escape")
    t.press("f3")
    t.wait_for("New event")
    t.type("14:02 db failover started")
    t.press("escape")  # leaves the entry line for the list; the text stays
    t.settle()
    assert "14:02 db failover started" in t.text() and "New event" in t.text()
    assert "not sent yet: Entry line" in t.text()
    t.press("escape")  # from the list: to the library, the text kept as a draft
    t.wait_for("kept as drafts")
    t.press("enter")  # open it again: the draft is back in the entry line
    t.wait_for("Timezone")
    t.press("f3")
    t.wait_for("14:02 db failover started")
    t.press("ctrl+q")
    screen = t.wait_for("Not saved: Entry line")
    assert "'14:02 db failover started'" in screen
    t.press("n")  # stay
    t.wait_gone("Not saved: Entry line")
    t.press("enter")  # the entry line still has focus: send it
    t.wait_for(lambda s: "not saved" not in s and "db failover started" in s)
    assert t.quit() == 0
    assert query(tmp_path / "pm.db", "SELECT text FROM timeline_event") == [
        ("db failover started",)
    ]


def test_a_stray_escape_while_typing_never_reaches_the_library(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """One Escape landed a user among the library's one-letter commands: the
    words they went on typing created a postmortem and wrote an export."""
    t = term(size=(80, 24))
    new_postmortem(t, "Stray escape")
    t.type(" (draft)")  # the title field has focus
    t.press("escape")
    t.type("and then the node exited")  # n, d, e... in the library these act
    t.settle()
    assert "Timezone" in t.text()  # still on the Overview
    t.click_text("Summary (Markdown)", below=2)  # into the summary, a TextArea
    t.type("Consumers stalled")
    t.press("escape")
    t.type("dne")
    t.wait_for("Consumers stalled")
    assert "Timezone" in t.text()
    assert t.quit() == 0
    db = tmp_path / "pm.db"
    assert query(db, "SELECT title, summary FROM postmortem") == [
        ("Stray escape (draft)", "Consumers stalled")
    ]
    assert not list(t.home.glob("*.md")) and not list(t.home.glob("*.json"))


def test_delete_the_newest_item_add_one_then_undo_both_and_redo(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """Undo failed for good with 'UNIQUE constraint failed: action_item.id'."""
    t = term(size=(120, 40))
    new_postmortem(t, "Undo")
    t.press("f7")
    t.wait_for("No action items yet")
    for title in ("First", "Second"):
        t.press("a")
        t.wait_for("New action item")
        t.type(title)
        t.press("enter")
        t.press("escape")
        t.wait_for(title)
    db = tmp_path / "pm.db"
    second_id = query(db, "SELECT id FROM action_item WHERE title='Second'")[0][0]
    t.press("G", "d")  # G: the last row, as in vim
    t.wait_for("Press d again")
    t.press("d")
    t.wait_for("Deleted 'Second'")
    t.press("a")
    t.wait_for("New action item")
    t.type("Third")
    t.press("enter")
    t.press("escape")
    t.wait_for("Third")
    t.press("ctrl+z")  # the add of Third
    t.wait_for("Undone: added the")
    t.wait_gone("Third")
    t.press("ctrl+z")  # the delete of Second: back with its old id
    t.wait_for("Undone: deleted the")
    t.wait_for("Second")
    assert "Could not" not in t.text()
    assert query(db, "SELECT id, title FROM action_item ORDER BY position") == [
        (second_id - 1, "First"),
        (second_id, "Second"),
    ]
    t.press("ctrl+y", "ctrl+y")
    t.wait_for("Third")
    t.wait_gone("Second")
    assert t.quit() == 0
    assert [r[0] for r in query(db, "SELECT title FROM action_item ORDER BY position")] == [
        "First",
        "Third",
    ]


def test_clearing_a_milestone_names_the_event_and_undo_brings_it_back(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(120, 40))
    new_postmortem(t, "Milestones")
    t.press("f3")
    t.wait_for("New event")
    t.type("2026-11-27 09:15 Queue depth alarm #started")
    t.press("enter")
    t.wait_for("Queue depth alarm")
    t.press("f2")
    t.wait_for("Started")
    t.press(*["tab"] * 7, "end", *["backspace"] * len("2026-11-27 09:15"))  # to Started
    t.press("tab")
    screen = t.wait_for("Cleared started: deleted the")  # the toast names the event
    assert "Queue" in screen  # (the toast wraps its lines)
    assert query(tmp_path / "pm.db", "SELECT count(*) FROM timeline_event") == [(0,)]
    t.press("ctrl+z")
    t.wait_for("2026-11-27 09:15")  # the field shows it again at once
    assert query(tmp_path / "pm.db", "SELECT text FROM timeline_event") == [("Queue depth alarm",)]
    assert t.quit() == 0


def test_a_multi_line_paste_into_a_one_line_field_keeps_every_line(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """Pasting three service names kept one; list fields join with ', ', others with a space."""
    t = term(size=(120, 40))
    new_postmortem(t, "Pastes")
    t.click_field("Services")
    t.paste("checkout-api\nworker\npgbouncer\n", newline="\r")
    t.press("tab")
    t.wait_for("checkout-api, worker, pgbouncer")
    t.click_field("Title")
    t.press("end")
    t.paste(" after\r\nthe deploy \x1b[31mred\x07")  # CRLF, and control codes
    t.press("tab")
    t.wait_for("Pastes after the deploy [31mred")
    assert t.quit() == 0
    rows = query(tmp_path / "pm.db", "SELECT title, services FROM postmortem")
    assert rows == [("Pastes after the deploy [31mred", '["checkout-api", "worker", "pgbouncer"]')]


@pytest.mark.parametrize(
    ("section", "where", "typed"),
    [
        ("f2", "Title", "Checkout 502s after the pool change"),
        ("f5", "Revenue", "about 41k of abandoned checkouts"),
        ("f7", "Ticket", "PAY-9"),
    ],
)
def test_typing_across_autosaves_is_never_overwritten(
    term: Callable[..., Terminal], tmp_path: Path, section: str, where: str, typed: str
) -> None:
    """Pauses longer than the autosave delay mid-word: every save and redraw
    happens while the user is still typing in the field."""
    t = term(size=(120, 40))
    new_postmortem(t, "x")
    if section == "f7":
        t.press("f7")
        t.wait_for("No action items yet")
        t.press("a")
        t.wait_for("New action item")
        t.type("Pin the pool size")
        t.press("enter")
        t.wait_for("Action item 1 of 1")
    else:
        t.press(section)
        t.wait_for(where)
    t.click_field(where)
    t.press("end", *["backspace"] * 5)
    for n, ch in enumerate(typed):
        t.type(ch)
        if n % 4 == 3:
            t.pump(0.7)  # the autosave fires and the screen redraws mid-word
    t.press("tab")
    t.settle()
    assert t.quit() == 0
    column, table = {
        "Title": ("title", "postmortem"),
        "Revenue": ("revenue_impact", "postmortem"),
        "Ticket": ("ticket", "action_item"),
    }[where]
    assert query(tmp_path / "pm.db", f"SELECT {column} FROM {table}") == [(typed,)]
