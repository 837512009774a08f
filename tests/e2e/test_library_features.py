"""The library's search, its Action Items screen and Insights, in a real terminal,
on a generated library of 60 postmortems; the database checked with sqlite3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from models.store import open_store
from tests.e2e.terminal import Terminal, query
from tests.library import build

pytestmark = pytest.mark.e2e


@pytest.fixture
def library(tmp_path: Path) -> Path:
    db = tmp_path / "pm.db"
    store = open_store(str(db))
    build(store, 60, seed=21, today=dt.datetime.now(dt.UTC).date())
    store.close()
    return db


def statuses(db: Path) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in query(db, "SELECT id, status, owner FROM action_item")}


def test_search_from_the_library_and_open_the_match(
    term: Callable[..., Terminal], library: Path
) -> None:
    t = term(size=(120, 40))
    t.wait_for("Action items")  # the library's footer
    t.press("/")
    t.type("cl_wai")  # half a word already finds it
    screen = t.wait_for("cl_waiting")
    assert "match · enter opens at the match" in screen and "rootcause/cause" in screen, screen
    t.press("enter")  # to the results
    t.press("enter")  # open at the match
    screen = t.wait_for("Fishbone")
    assert "No alert on pgbouncer cl_waiting" in screen
    t.press("escape")
    t.wait_for("Action items")
    # a timeline hit opens the timeline with that event selected
    t.press("/")
    t.type('"synthetic check" ')
    t.wait_for("timeline/event")
    t.press("enter", "enter")
    screen = t.wait_for("Synthetic check for api.internal fails")
    assert "Timeline" in screen
    assert t.quit() == 0
    assert query(library, "SELECT count(*) FROM postmortem")[0][0] == 60  # nothing written


def test_filter_and_edit_on_the_library_action_items(
    term: Callable[..., Terminal], library: Path
) -> None:
    before = statuses(library)
    t = term(size=(120, 40))
    t.wait_for("Action items")
    t.press("a")
    t.wait_for("action items, every postmortem")
    t.press("!")
    screen = t.wait_for("· overdue ·")
    overdue = query(
        library,
        "SELECT count(*) FROM action_item WHERE status IN ('open', 'in_progress') "
        "AND due < date('now')",
    )[0][0]
    assert f"{overdue} of {len(before)} action items" in screen or overdue == 0
    t.press("s")  # the first overdue item moves to the next status, at once
    t.settle()
    after = statuses(library)
    changed = [i for i in before if before[i] != after[i]]
    assert len(changed) == 1
    item = changed[0]
    t.press("ctrl+z")  # undone here, in that postmortem's history
    t.wait_for("Undone")
    assert statuses(library)[item] == before[item]
    t.press("e")
    t.wait_for("who drives it")
    t.press("ctrl+u")
    t.type("Zoe Example")
    t.press("enter")
    t.settle()
    assert statuses(library)[item][1] == "Zoe Example"
    t.press("enter")  # to the item in its postmortem
    t.wait_for("Zoe Example")
    t.wait_for("Action item")
    t.press("escape")
    t.wait_for("action items, every postmortem")
    assert t.quit() == 0
    assert statuses(library)[item] == (before[item][0], "Zoe Example")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_insights_renders(
    term: Callable[..., Terminal], library: Path, size: tuple[int, int]
) -> None:
    t = term(size=size)
    t.wait_for("Insights")
    t.press("i")
    screen = t.wait_for("Incidents per month, by severity")
    assert "60 postmortems, all time" in screen
    assert "SEV1" in screen and "SEV3" in screen  # the chart's legend
    if size == (120, 40):
        assert "Median time to detect, mitigate, resolve (h)" in screen
        assert "Durations over every period" in screen
    t.press("b")
    t.wait_for("Incidents per quarter, by severity")
    for _ in range(20):
        if "By service" in t.settle(0.2):
            break
        t.press("j")
    screen = t.wait_for("By service")
    assert "Traceback" not in screen
    assert t.quit() == 0


def until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait for the app's write to reach the file (a busy machine is slow)."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the database never showed the change")
        time.sleep(0.1)


def links_in(db: Path) -> list[tuple[int, int, str]]:
    return [
        (r[0], r[1], r[2])
        for r in query(db, "SELECT postmortem_id, other_id, kind FROM postmortem_link ORDER BY id")
    ]


def test_confirm_recurrence_and_dismiss_related_suggestions(
    term: Callable[..., Terminal], library: Path
) -> None:
    t = term(size=(120, 40))
    t.wait_for("Action items")
    t.press("enter")  # the first postmortem of the library
    t.wait_for("Related incidents")
    t.wait_for("suggested?")
    for _ in range(30):  # tab to the suggestions: the footer offers to link
        t.press("tab")
        if "Link a postmortem" in t.settle(0.2):
            break
    t.press("y")  # confirm the first: a link, shown on both sides
    until(lambda: len(links_in(library)) == 1)
    (link,) = links_in(library)
    pm_id, other, kind = link
    assert kind == "related"
    t.press("r")  # the link row: now "recurrence of"
    until(lambda: links_in(library) == [(pm_id, other, "recurrence_of")])
    assert links_in(library) == [(pm_id, other, "recurrence_of")]
    t.press("down", "n")  # dismiss the next suggestion: never suggested again
    until(lambda: len(links_in(library)) == 2)
    dismissed = [x for x in links_in(library) if x[2] == "not_related"]
    assert len(dismissed) == 1
    t.press("ctrl+z")  # the dismissal comes back as a suggestion
    t.wait_for("Undone")
    assert links_in(library) == [(pm_id, other, "recurrence_of")]
    # the other side shows the link: back up to the library (Escape goes up a
    # level at a time) and search for it
    for _ in range(4):
        t.press("escape")
        if "Action items" in t.settle(0.3):
            break
    t.press("/")
    t.type(f"(#{other})")
    t.press("enter", "enter")
    screen = t.wait_for("Related incidents")
    assert f"#{pm_id} " in screen, screen
    assert t.quit() == 0
    assert links_in(library) == [(pm_id, other, "recurrence_of")]
