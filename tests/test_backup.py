"""`postmortem backup`: a checked, private, consistent copy, even while the app writes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from models.backup import backup_database
from models.interchange import to_document
from models.store import open_store
from tests.clihelpers import run
from tests.damage import damage_page, make_library, root_page, snapshot
from tests.test_cli import read_only_dir
from tui.cli import _size


def documents(db: Path) -> list[dict[str, object]]:
    store = open_store(str(db))
    try:
        return [to_document(store.load(s.id)) for s in store.list_postmortems()]
    finally:
        store.close()


def quick_check(db: Path) -> str:
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "pm.db"
    make_library(path)
    return path


def test_backup_beside_the_database_by_default(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(library.parent)
    code, out, err = run(capsys, "--db", str(library), "backup")
    assert code == 0, err
    written = Path(out.strip())
    assert written.parent == library.parent
    assert written.name.startswith("pm.db.") and written.name.endswith("Z.bak")
    size = _size(library.stat().st_size)  # the CLI's own rounding, kB or MB
    assert err == f"backed up 3 postmortems ({size}) from {library}\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert quick_check(written) == "ok"
    assert documents(written) == documents(library)
    after = snapshot(library.parent)
    del after[written.name]
    assert after == before  # the database untouched, no -wal or -shm left beside it


def test_backup_to_a_directory_a_file_and_never_over_a_file_unasked(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    code, out, _ = run(capsys, "--db", str(library), "backup", str(vault))
    assert code == 0 and Path(out.strip()).parent == vault
    target = vault / "named.db"
    assert run(capsys, "--db", str(library), "backup", str(target))[0] == 0
    target.write_bytes(b"keep me")
    code, out, err = run(capsys, "--db", str(library), "backup", str(target))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "already exists; use --force" in err and target.read_bytes() == b"keep me"
    assert run(capsys, "--db", str(library), "backup", str(target), "--force")[0] == 0
    assert documents(target) == documents(library)
    code, _, err = run(capsys, "--db", str(library), "backup", str(library), "--force")
    assert code == 1 and "is the database itself" in err
    code, _, err = run(capsys, "--db", str(library), "backup", str(tmp_path / "nope") + "/")
    assert code == 1 and "no such directory" in err
    leftovers = [p.name for p in vault.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_backup_refuses_what_it_cannot_copy_in_one_line(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "missing.db"), "backup")
    assert (
        code == 1 and err == f"postmortem: error: no database file at {tmp_path / 'missing.db'}\n"
    )
    assert not (tmp_path / "missing.db").exists()
    code, _, err = run(capsys, "--db", "sqlite://", "backup")
    assert code == 1 and "in memory" in err
    code, _, err = run(capsys, "--db", "postgresql+psycopg://u@localhost/pm", "backup")
    assert code == 1 and "pg_dump" in err
    ro = tmp_path / "ro"
    with read_only_dir(ro):
        code, out, err = run(capsys, "--db", str(library), "backup", str(ro))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "read-only file system" in err or "permission denied" in err


def test_a_backup_taken_while_the_app_writes_is_one_consistent_commit(library: Path) -> None:
    """A writer commits ten events at a time; every backup holds a whole number of commits."""
    writer = open_store(str(library))  # stays open: the -wal is in use, as with the app
    pm_id = writer.list_postmortems()[0].id
    base = len(writer.load(pm_id).events)
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        at = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
        try:
            while not stop.is_set():
                writer.add_events(pm_id, [(at, "note", f"line {i}", "bot") for i in range(10)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    copies = []
    try:
        for i in range(5):
            dest = library.parent / f"copy{i}.db"
            backup_database(library, dest)
            copies.append(dest)
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert errors == []
    counts = []
    for dest in copies:
        assert quick_check(dest) == "ok"
        conn = sqlite3.connect(dest)
        n = conn.execute("SELECT count(*) FROM timeline_event WHERE postmortem_id = ?", (pm_id,))
        counts.append(n.fetchone()[0])
        conn.close()
    assert all((c - base) % 10 == 0 for c in counts), counts
    assert counts[-1] > base  # the writer really was writing meanwhile


def test_restoring_a_backup_as_the_readme_says(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README: quit the app, move the damaged file and its -wal/-shm aside, copy the backup in."""
    wanted = documents(library)
    code, out, _ = run(capsys, "--db", str(library), "backup")
    saved = Path(out.strip())
    damage_page(library, root_page(library, "timeline_event"), "zeros")
    Path(f"{library}-wal").write_bytes(b"")  # a stale side file, as a crash leaves one
    code, _, err = run(capsys, "--db", str(library), "list")
    assert code == 1 and "is damaged" in err
    aside = tmp_path / "damaged"
    aside.mkdir()
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{library}{suffix}")
        if side.exists():
            shutil.move(side, aside / side.name)
    shutil.copyfile(saved, library)
    os.chmod(library, 0o600)
    assert documents(library) == wanted
