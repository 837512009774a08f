"""No poisoning: whatever an older version or another program stored, the library works.

Each poison in tests/fuzz/poison.py is written with the stdlib sqlite3 into a
copy of the demo, beside a clean one. `list`, `export` and the app must keep
working for the clean one, and show the poisoned one with its invalid values
marked where they are and named in a message; a value the driver can't even
convert marks only its own postmortem as unreadable.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from models.errors import UnreadableError
from models.interchange import from_document
from models.metrics import compute
from models.store import open_store
from models.stored import problems, valid_time
from models.tables import ActionItem, Postmortem, TimelineEvent
from models.timefmt import INVALID_TIME, local_time
from tests.apphelpers import make_app, settle
from tests.fuzz.poison import POISONS, UNREADABLE, poisoned_library
from tests.test_hostile_input import run  # (exit, stdout, stderr)
from tui.sections import SECTIONS

# What a terminal would act on: C0 but tab and newline, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_printable(text: str) -> None:
    found = CONTROL.search(text)
    assert found is None, f"control character {found.group()!r} in output"


@pytest.fixture(scope="module")
def clean_markdown(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("clean") / "pm.db"
    poisoned_library(db, [])
    code, out, _ = run(db, "export", "1")
    assert code == 0
    return out


@pytest.mark.parametrize("name", list(POISONS))
def test_a_poisoned_postmortem_never_stops_the_others(
    tmp_path: Path, name: str, clean_markdown: str
) -> None:
    db = tmp_path / "pm.db"
    pm = poisoned_library(db, [name])[name]

    code, out, err = run(db, "list")
    assert code == 0, err
    assert_printable(out + err)
    rows = out.splitlines()[1:]
    assert len(rows) == 2 and any(row.split()[0] == "1" and "52m" in row for row in rows)
    assert all(line.startswith("postmortem: warning: ") for line in err.splitlines())

    code, out, err = run(db, "list", "--json")
    assert code == 0 and {row["id"] for row in json.loads(out)} == {1, pm}

    assert run(db, "export", "1") == (0, clean_markdown, "")
    for args in (("--format", "json"), ("--mermaid",)):
        assert run(db, "export", "1", *args)[0] == 0

    for args in ((), ("--format", "json"), ("--mermaid",)):
        code, out, err = run(db, "export", str(pm), *args)
        if name in UNREADABLE:
            assert code == 1 and err.count("\n") == 1 and "can't be read" in err, err
            continue
        assert code == 0, err
        assert_printable(out)
        assert err == "" or (err.count("\n") == 1 and err.startswith("postmortem: warning:"))
        if args == ("--format", "json"):
            json.loads(out)

    code, _, err = run(db, "delete", str(pm), "--yes")  # the way out, even when unreadable
    assert code == 0 and err.startswith(f"deleted {pm} "), err
    code, out, _ = run(db, "list", "--json")
    assert [row["id"] for row in json.loads(out)] == [1]


# Where each kind of invalid value is marked, and what the message names.
MARKED = {
    "started in year 1": (
        "⚠ invalid time 0001-01-01T00:00:00Z",
        "timeline[0].at: 0001-01-01T00:00:00Z is outside the accepted years, 1970 to 2099",
    ),
    "event in year 9999": ("⚠ invalid time 9999-12-31T23:59:59Z", "timeline[15].at: 9999"),
    "every event in 1969": ("left out of the metrics", "timeline[15].at: 1969-12-31T23:00:00Z"),
    "due in year 1": ("| 0001-01-01 |", "action_items[0].due: 0001-01-01 is outside"),
    "control characters in the title": ("# \ufffd\\[31mred\ufffd x", "title: holds the control"),
    "control characters in an event": ("a\ufffd\\]0;pwned\ufffdb", "timeline[0].text: holds"),
    "control characters in causes and whys": ("Why? \ufffd", "why_chains[0].whys[0]: holds"),
    "a count beyond the bound": ("9,223,372,036,854,775,807", "impact.users_affected: expected"),
    "unknown severity and status": ("| Severity | SEV9 |", "severity: expected one of SEV1"),
    "unknown event kind": ("| bogus |", "kind: expected one of started"),
    "unknown timezone": ("Times are in Mars/Olympus", "timezone: unknown timezone 'Mars/Olympus'"),
    "authors not a list": ("authors:\n- '5'", "authors: expected a list of strings, got int"),
    "counts as text": ("invalid: lots", "impact.users_affected: expected a whole number"),
    "unknown action fields": ("| P9 | x | gone |", "action_items[0].priority: expected one"),
    "unknown response section": ("_Not yet written._", "response.elsewhere[0]: expected one"),
}


@pytest.mark.parametrize("name", list(MARKED))
def test_invalid_values_are_marked_where_they_are_and_named(tmp_path: Path, name: str) -> None:
    db = tmp_path / "pm.db"
    pm = poisoned_library(db, [name])[name]
    where, message = MARKED[name]
    code, out, err = run(db, "export", str(pm))
    assert code == 0
    assert where in out
    unescaped = re.sub(r"\\(.)", r"\1", out)  # Markdown's backslash escapes undone
    assert "> **Warning:**" in out and message in unescaped
    assert err.startswith(f"postmortem: warning: postmortem {pm}: ") and err.count("\n") == 1
    assert "today's rules" in err and err.endswith("; exported as stored\n")
    store = open_store(str(db))
    try:
        assert any(message in p for p in problems(store.load(pm)))
        assert problems(store.load(1)) == []
    finally:
        store.close()


def test_the_library_says_which_postmortems_hold_invalid_data(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    ids = poisoned_library(db, ["started in year 1", "unknown timezone", "a list that is not JSON"])
    out = run(db, "list", "--json")[1]
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[1]["problems"] == []
    assert rows[ids["started in year 1"]]["problems"] == [
        "timeline: 1 event is outside the accepted years, 1970 to 2099"
    ]
    assert rows[ids["started in year 1"]]["started"] is None  # no milestone, not year 1
    assert rows[ids["unknown timezone"]]["problems"] == [
        "timezone: unknown timezone 'Mars/Olympus'"
    ]
    unreadable = rows[ids["a list that is not JSON"]]
    assert unreadable["status"] == "unreadable" and "can't be read" in unreadable["problems"][0]
    _code, out, err = run(db, "list")
    assert f"postmortem: warning: postmortem {ids['unknown timezone']}: timezone" in err


def test_invalid_utf8_reads_as_the_replacement_character(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    pm = poisoned_library(db, ["invalid UTF-8 in the title"])["invalid UTF-8 in the title"]
    store = open_store(str(db))
    try:
        assert store.load(pm).title == "\ufffdA\ufffd"
        assert [s.title for s in store.list_postmortems() if s.id == pm] == ["\ufffdA\ufffd"]
    finally:
        store.close()


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_an_unreadable_postmortem_is_named_and_can_be_deleted(tmp_path: Path, name: str) -> None:
    db = tmp_path / "pm.db"
    pm = poisoned_library(db, [name])[name]
    store = open_store(str(db))
    try:
        with pytest.raises(UnreadableError, match=f"postmortem {pm} can't be read"):
            store.load(pm)
        with pytest.raises(UnreadableError):
            store.delete_postmortem(pm)
        store.purge_postmortem(pm)
        assert [s.id for s in store.list_postmortems()] == [1]
        assert store.load(1).title.startswith("Checkout")
    finally:
        store.close()


def test_problems_name_paths_of_the_format() -> None:
    pm = Postmortem(title="ok\x1b", severity="SEV9", timezone="Nowhere/Land", authors=[1])
    pm.events = [
        TimelineEvent(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), kind="note", text="fine"),
        TimelineEvent(at=dt.datetime(1, 1, 1, tzinfo=dt.UTC), kind="weird", text="\x07"),
    ]
    pm.action_items = [ActionItem(title="t", due=dt.date(9999, 1, 1), priority="P2")]
    assert problems(pm) == [
        "title: holds the control character \\x1b at character 3",
        "severity: expected one of SEV1, SEV2, SEV3, SEV4, SEV5, got 'SEV9'",
        "timezone: unknown timezone 'Nowhere/Land'",
        "authors[0]: expected a string, got int",
        "timeline[0].at: 0001-01-01T00:00:00Z is outside the accepted years, 1970 to 2099",
        "timeline[0].kind: expected one of started, detected, notified, responded, mitigated, "
        "resolved, action, communication, note, got 'weird'",
        "timeline[0].text: holds the control character \\x07 at character 1",
        "action_items[0].due: 9999-01-01 is outside the accepted years, 1970 to 2099",
    ]


def test_times_out_of_range_are_no_milestone_and_never_shown_as_a_time() -> None:
    year_one = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    events = [
        TimelineEvent(at=year_one, kind="started"),
        TimelineEvent(at=dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC), kind="started"),
        TimelineEvent(at=dt.datetime(2026, 1, 1, 11, tzinfo=dt.UTC), kind="resolved"),
    ]
    metrics = compute(events, now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert metrics.impact_duration == 3600
    assert "1 event outside 1970 to 2099 left out of the metrics" in metrics.warnings
    assert local_time(year_one, "Europe/London") == INVALID_TIME
    assert local_time(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "Not/AZone") == "2026-01-01 00:00"


# ---------------------------------------------------------------- the app


# Poisons that can share a postmortem, so the app opens few of them (each takes seconds).
APP_GROUPS = [
    ["started in year 1", "due in year 1", "unknown action fields", "counts as text"],
    [
        "control characters in the title",
        "control characters in an event",
        "control characters in causes and whys",
        "unknown severity and status",
    ],
    ["unknown timezone", "authors not a list", "unknown response section", "event in year 9999"],
    ["every event in 1969", "unknown event kind", "invalid UTF-8 in the title", "empty title"],
]


@pytest.mark.parametrize("group", APP_GROUPS, ids=lambda group: group[0])
def test_the_app_opens_every_screen_of_a_poisoned_postmortem(
    tmp_path: Path, group: list[str]
) -> None:
    from tests.fuzz.poison import poison

    db = tmp_path / "pm.db"
    pm = poisoned_library(db, group[:1])[group[0]]
    for name in group[1:]:
        poison(db, pm, POISONS[name])
    asyncio.run(_visit_every_screen(db, [pm], clean=group is APP_GROUPS[0]))


def test_the_app_lists_an_unreadable_postmortem_and_deletes_it(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    pm = poisoned_library(db, ["a list that is not JSON"])["a list that is not JSON"]
    asyncio.run(_unreadable_in_the_app(db, pm))


async def _visit_every_screen(db: Path, poisoned: list[int], *, clean: bool) -> None:
    """Every screen of the poisoned postmortems (and of the clean demo, once)."""
    from tui.screens.library import LibraryScreen
    from tui.screens.timeline import TimelineScreen

    store = open_store(str(db))
    app = make_app(store)
    messages: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (messages.append(message), notify(message, **kw))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.screen.summaries) == len(poisoned) + 1
        assert_printable(app.export_screenshot())
        for pm_id in [1, *poisoned] if clean else poisoned:
            messages.clear()
            app.open_postmortem(pm_id)
            await settle(pilot)
            if pm_id != 1:
                assert any("today's rules" in m for m in messages), messages
            for section in SECTIONS:
                await pilot.press(section.key)
                await settle(pilot)
                assert_printable(app.export_screenshot())
                if isinstance(app.screen, TimelineScreen):
                    view = app.screen.view
                    lines = [
                        "".join(seg.text for seg in view.render_line(y))
                        for y in range(view.size.height)
                    ]
                    invalid = any(not valid_time(e.at) for e in view.events)
                    assert invalid == any(line.startswith("⚠ invalid") for line in lines)
            for _ in range(3):  # Escape goes up a level: out of a field, then to the library
                if isinstance(app.screen, LibraryScreen):
                    break
                await pilot.press("escape")
                await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
    store.close()


async def _unreadable_in_the_app(db: Path, pm_id: int) -> None:
    from tui.screens.dialogs import ConfirmDialog
    from tui.screens.library import LibraryScreen

    store = open_store(str(db))
    app = make_app(store)
    messages: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (messages.append(message), notify(message, **kw))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        app.open_postmortem(pm_id)
        await settle(pilot)
        assert app.screen is library and any("can't be read" in m for m in messages)
        library.query_one("#library-table").move_cursor(  # type: ignore[attr-defined]
            row=[s.id for s in library.summaries].index(pm_id)
        )
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # asked again: no undo for this one
        await pilot.press("y")
        await settle(pilot)
        assert pm_id not in [s.id for s in library.summaries]
    store.close()


def test_a_hostile_document_that_imports_shows_on_every_screen(tmp_path: Path) -> None:
    """Accepted text of every Unicode kind: stored as given, shown without harm."""
    from models.demo import DEMO

    doc = json.loads(json.dumps(DEMO))
    doc["title"] = "Fix [bold]x[/] \u202eevil\u202c e\u0301 👩‍👩‍👧 zero\u200bwidth"
    doc["timeline"][0]["text"] = "[@click=app.quit]y[/] " + "ﷺ" * 50
    doc["summary"] = "# heading?\n<script>alert(1)</script>\n```"
    store = open_store(str(tmp_path / "pm.db"))
    pm_id = store.save_new(from_document(doc))
    store.close()
    asyncio.run(_open_all(tmp_path, pm_id))


async def _open_all(tmp_path: Path, pm_id: int) -> None:
    store = open_store(str(tmp_path / "pm.db"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_postmortem(pm_id)
        await settle(pilot)
        for section in SECTIONS:
            await pilot.press(section.key)
            await settle(pilot)
            assert_printable(app.export_screenshot())
        assert app.is_running
    assert store.load(pm_id).title.startswith("Fix [bold]x[/]")
    store.close()
