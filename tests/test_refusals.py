"""Refused files are left exactly as they were, and each refusal names what the file is."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

import models.db as db
import models.paths as paths
from models import migrations
from models.db import read_untouched
from models.errors import DatabaseError
from models.store import open_store
from tests.clihelpers import run
from tests.damage import damage_page, make_library, root_page, snapshot


def wal_database(path: Path, *statements: str) -> None:
    """A database in WAL mode, as any app using SQLite well would leave it, closed cleanly."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    assert not Path(f"{path}-wal").exists()


def another_apps_alembic_database(path: Path) -> None:
    wal_database(
        path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
        "CREATE TABLE user (id INTEGER PRIMARY KEY, email TEXT)",
        "CREATE TABLE invoice (id INTEGER PRIMARY KEY, user_id INTEGER)",
    )


def newer_postmortem_database(path: Path) -> None:
    make_library(path, copies=1)
    head = int(migrations.HEAD.split("_")[0])
    wal_database(path, f"UPDATE alembic_version SET version_num = '{head + 1:04d}_from_the_future'")


def not_sqlite(path: Path) -> None:
    path.write_text("my precious notes\n")


def other_program(path: Path) -> None:
    wal_database(path, "CREATE TABLE recipes (name TEXT)")


def damaged(path: Path) -> None:
    make_library(path, copies=1)
    damage_page(path, root_page(path, "timeline_event"), "zeros")


CASES = {
    "another app's Alembic database": (
        another_apps_alembic_database,
        "is not a postmortem database (schema 'ae1027a6acf' of some other program",
    ),
    "a newer postmortem": (newer_postmortem_database, "written by a newer version of postmortem"),
    "not SQLite": (not_sqlite, "is not a SQLite database"),
    "another program's SQLite": (other_program, "is not a postmortem database"),
    "damaged": (damaged, "is damaged"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_file_is_left_exactly_as_it_was_with_nothing_beside_it(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = CASES[case]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "pm.db"
    make(path)
    before = snapshot(folder)
    with pytest.raises(DatabaseError, match=message.replace("(", r"\(")):
        open_store(str(path))
    assert snapshot(folder) == before
    commands = [["list"], ["export", "1"], ["backup", str(tmp_path / "copy.db")], []]
    for command in commands:
        if case == "a newer postmortem" and command[0:1] == ["backup"]:
            continue  # a copy is harmless, and wanted before going back to an older app
        code, out, err = run(capsys, "--db", str(path), *command)
        assert code == 1 and out == "" and err.count("\n") == 1, (command, err)
        assert message in err, (command, err)
        assert snapshot(folder) == before, command


def test_a_newer_postmortem_database_can_still_be_backed_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pm.db"
    newer_postmortem_database(path)
    code, _, err = run(capsys, "--db", str(path), "backup", str(tmp_path / "copy.db"))
    assert code == 0, err
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert (
        copy.execute("SELECT version_num FROM alembic_version")
        .fetchone()[0]
        .endswith("_from_the_future")
    )
    assert copy.execute("SELECT count(*) FROM postmortem").fetchone()[0] == 1
    copy.close()


def test_our_tables_with_a_revision_from_outside_our_history_are_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    make_library(path, copies=1)
    wal_database(path, "UPDATE alembic_version SET version_num = 'ae1027a6acf'")
    with pytest.raises(DatabaseError, match="is not a postmortem database"):
        open_store(str(path))


def test_every_known_revision_is_numbered_in_order() -> None:
    """The newer-version rule reads the number of a revision: keep REVISIONS numbered."""
    numbers = []
    for revision in migrations.REVISIONS:
        match = db.NUMBERED_REVISION.fullmatch(revision)
        assert match, f"{revision} is not named like 0001_baseline"
        numbers.append(int(match.group(1)))
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_the_next_revision_of_ours_is_newer_and_then_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a database from the next release looks like, before and after this app learns
    its revision (nothing is hard-coded: the rule follows migrations.REVISIONS)."""
    path = tmp_path / "pm.db"
    make_library(path, copies=1)
    head = int(migrations.HEAD.split("_")[0])
    following = f"{head + 1:04d}_next"
    wal_database(path, f"UPDATE alembic_version SET version_num = '{following}'")
    with pytest.raises(DatabaseError, match="newer version of postmortem"):
        open_store(str(path))
    monkeypatch.setattr(db, "known_revisions", lambda: (*migrations.REVISIONS, following))
    assert len(open_store(str(path)).list_postmortems()) == 1


def test_a_read_that_races_a_writer_is_done_again(tmp_path: Path) -> None:
    library = tmp_path / "pm.db"
    make_library(library, copies=1)
    calls: list[int] = []

    def read(conn: object) -> int:
        calls.append(1)
        if len(calls) == 1:  # a writer touches the file while we read
            os.utime(library, ns=(1, 1))
        return len(calls)

    assert read_untouched(library, read) == 2


# ------------------------------------------------------------------ the data directory


def test_an_existing_data_directory_open_to_others_is_made_private(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = paths.data_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    code, _, err = run(capsys, "list")
    assert code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    notes = [line for line in err.splitlines() if "private" in line]
    assert notes == [
        f"postmortem: note: made {folder} private (mode 0755 -> 0700); "
        "it holds your postmortems and their backups"
    ]
    code, _, err = run(capsys, "list")
    assert "private" not in err  # said once: there is nothing left to say


def test_a_data_directory_owned_by_someone_else_is_reported_not_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = paths.data_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    monkeypatch.setattr(paths.os, "geteuid", lambda: 4242)
    store = open_store()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert len(store.notices) == 1 and store.notices[0].startswith("warning: ")
    assert "chmod 700" in store.notices[0]
    store.close()


def test_a_database_elsewhere_leaves_its_directory_alone(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    folder.chmod(0o755)
    open_store(str(folder / "pm.db")).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


async def test_the_app_shows_the_notice(tmp_path: Path) -> None:
    from tui.app import PostmortemApp

    folder = paths.data_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    said: list[str] = []

    def opener():  # type: ignore[no-untyped-def]
        return open_store()

    app = PostmortemApp(opener)
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):  # the store opens in a thread: a new library is migrated first
            await pilot.pause(0.1)
            if app.store_ready:
                break
        await pilot.pause(0.1)
    assert any("made" in s and "private" in s for s in said), said
