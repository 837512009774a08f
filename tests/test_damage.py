"""A damaged database is refused in one line by every command and by the app, and never written.

The per-page test damages each page of a small library in turn, three ways. Wherever
SQLite's own ``PRAGMA quick_check`` sees the damage, every command must exit 1 with one
line naming the file and the way out, print nothing on stdout, and leave the directory
byte-for-byte as it was: no write to the file, no -wal or -shm beside it, no output file.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from models.db import DamagedDatabaseError, translate
from models.demo import DEMO
from models.store import open_store
from tests.damage import (
    KINDS,
    damage_page,
    make_library,
    page_count,
    root_page,
    snapshot,
    sqlite_sees_damage,
)
from tui.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    sys.stdin = io.StringIO("")
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:  # pragma: no cover - main always exits
        code = 0
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("library") / "pm.db"
    make_library(path)
    return path


@pytest.fixture
def headless_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """`postmortem` with no command runs the real app, headless."""
    from tui.app import PostmortemApp

    real_run = PostmortemApp.run

    def run_headless(self: PostmortemApp, *args: Any, **kwargs: Any) -> Any:
        kwargs["headless"] = True
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(PostmortemApp, "run", run_headless)


def commands(work: Path) -> dict[str, list[str]]:
    """Every command that opens the library, with arguments that would succeed on a whole one."""
    demo = work / "inputs" / "demo.json"
    chat = work / "inputs" / "chat.txt"
    if not demo.exists():
        demo.parent.mkdir()
        demo.write_text(json.dumps(DEMO))
        chat.write_text("[10:00] <alice> restarted the pool #mit\n")
    return {
        "list": ["list"],
        "list --json": ["list", "--json"],
        "export": ["export", "1"],
        "export json": ["export", "2", "--format", "json"],
        "export -o": ["export", "1", "-o", str(work / "db" / "out.md")],
        "import": ["import", str(demo)],
        "delete": ["delete", "2", "--yes"],
        "timeline import": ["timeline", "import", "1", str(chat)],
        "backup": ["backup"],
        "app": [],
    }


def refusal_problems(code: int, out: str, err: str, db: Path) -> list[str]:
    problems = []
    if code != 1:
        problems.append(f"exit {code}")
    if out:
        problems.append(f"stdout {out[:60]!r}")
    if not err.startswith("postmortem: error: ") or err.count("\n") != 1:
        problems.append(f"stderr is not one error line: {err[:200]!r}")
    elif "is damaged" not in err or str(db) not in err or ".recover" not in err:
        problems.append(f"not the damage message: {err[:200]!r}")
    if "internal error" in err or "Traceback" in err:
        problems.append("internal error")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_every_damaged_page_is_refused_by_every_command_and_the_app(
    kind: str,
    library: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    headless_app: None,
) -> None:
    work = tmp_path
    (work / "db").mkdir()
    db = work / "db" / "pm.db"
    cmds = commands(work)
    failures: list[str] = []
    seen = 0
    for page in range(1, page_count(library) + 1):
        shutil.copyfile(library, db)
        damage_page(db, page, kind)
        if not sqlite_sees_damage(db):
            continue
        seen += 1
        before = snapshot(db.parent)
        for name, args in cmds.items():
            code, out, err = run(["--db", str(db), *args], capsys)
            problems = refusal_problems(code, out, err, db)
            if snapshot(db.parent) != before:
                problems.append("the directory changed")
            if problems:
                failures.append(f"page {page} {kind}, {name}: {'; '.join(problems)}")
    # Pages on the free list hold no data, so damage there is no damage (the search
    # index's build leaves a few).
    conn = sqlite3.connect(f"{library.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    conn.close()
    assert seen >= page_count(library) - 2 - free, "the damage should be visible to quick_check"
    assert not failures, "\n".join(failures)


def test_the_check_runs_through_the_wal_of_a_running_app(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the app open (a -wal beside the file), the check reads through locks, not
    `immutable`, and still refuses a damaged file in one line."""
    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    damage_page(db, root_page(db, "timeline_event"), "zeros")
    holder = sqlite3.connect(db)  # another program holding the file open in WAL mode
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM sqlite_master").fetchall()
    try:
        assert Path(f"{db}-wal").exists()
        code, out, err = run(["--db", str(db), "list"], capsys)
        assert refusal_problems(code, out, err, db) == []
    finally:
        holder.close()


def test_damage_found_after_opening_is_refused_and_never_written(
    library: Path, tmp_path: Path
) -> None:
    """quick_check passed at open; the disk fails later. The first "malformed" is
    translated to the damage line, and from then on the store refuses every call
    without reaching the file."""
    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    store = open_store(str(db))
    damage_page(db, root_page(db, "postmortem"), "zeros")
    store.engine.dispose()  # drop cached pages, as a later connection would
    before = db.read_bytes()
    with pytest.raises(DamagedDatabaseError, match=r"pm\.db is damaged .*\.recover"):
        store.list_postmortems()
    calls: list[Callable[[], object]] = [
        lambda: store.create_postmortem("more"),
        lambda: store.delete_postmortem(1),
        lambda: store.load(1),
    ]
    for call in calls:
        with pytest.raises(DamagedDatabaseError):
            call()
    store.close()
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


@pytest.mark.parametrize(
    "message",
    [
        "database disk image is malformed",
        "file is not a database",
        "database corruption at line 71000 of [c1e3f3c8a3]",
    ],
)
def test_translate_names_the_file_and_the_way_out(message: str) -> None:
    err = translate(sqlite3.DatabaseError(message), "/data/pm.db")
    assert isinstance(err, DamagedDatabaseError)
    line = str(err)
    assert line.startswith("/data/pm.db is damaged (") and "\n" not in line
    assert "restore your latest backup" in line and "sqlite3 /data/pm.db .recover" in line


def test_quick_check_of_a_whole_file_passes_and_opens(library: Path, tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA quick_check")).scalar() == "ok"
    assert len(store.list_postmortems()) == 3
    store.close()


async def test_the_app_says_so_when_damage_surfaces_while_it_runs(
    library: Path, tmp_path: Path
) -> None:
    """Opened whole, damaged later: the library says so in one line and keeps running;
    opening a postmortem is refused the same way; the file is never written."""
    from tests.apphelpers import make_app, settle

    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    store = open_store(str(db))
    app = make_app(store)
    said: list[str] = []
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        damage_page(db, root_page(db, "postmortem"), "zeros")
        store.engine.dispose()
        before = db.read_bytes()
        await pilot.press("slash", "x")  # the filter reloads the list
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert app.is_running and app.workspace is None
    assert said and all("pm.db is damaged" in s and "\n" not in s for s in said), said
    assert db.read_bytes() == before
    store.close()


def test_verify_finds_damage_no_query_touches(library: Path, tmp_path: Path) -> None:
    """Junk written into pages while the app runs: no query need ever read them, so
    only a fresh quick_check (Store.verify) can say so; then every call is refused."""
    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    store = open_store(str(db))
    assert store.verify() is None
    damage_page(db, root_page(db, "why"), "noise")
    error = store.verify()
    assert error is not None and "pm.db is damaged" in str(error) and "\n" not in str(error)
    with pytest.raises(DamagedDatabaseError):
        store.create_postmortem("more")
    store.close()


async def test_the_app_checks_the_file_while_it_runs_and_at_exit(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app
    from tests.apphelpers import settle
    from tui.app import PostmortemApp
    from tui.autosave import SaveState

    monkeypatch.setattr(tui.app, "VERIFY_EVERY", 0.2)
    db = tmp_path / "pm.db"
    shutil.copyfile(library, db)
    app = PostmortemApp(lambda: open_store(str(db)))
    said: list[str] = []
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.1)
            if app.store_ready:
                break
        await settle(pilot, 0.5)
        assert said == [] and app.final_check() is None
        damage_page(db, root_page(db, "why"), "noise")
        for _ in range(50):
            await pilot.pause(0.1)
            if said:
                break
        assert said and "pm.db is damaged" in said[0], said
        assert app.save_state is SaveState.ERROR
    damage = app.final_check()
    assert damage is not None and "pm.db is damaged" in damage
