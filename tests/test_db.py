"""Opening the database: where it lives, what is refused untouched, and migrations."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

import models.db as db
from models import migrations
from models.errors import DatabaseError
from models.store import open_store
from models.tables import TimelineEvent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_location_is_private(tmp_path: Path) -> None:
    store = open_store()
    target = db.resolve(None)
    assert target.is_default and target.path is not None
    assert target.path == tmp_path / "xdg" / "postmortem" / "postmortems.db"
    assert stat.S_IMODE(target.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.path.parent.stat().st_mode) == 0o700
    store.create_postmortem("hello")
    store.close()


def test_env_and_option_and_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "env.db"))
    assert db.resolve(None).path == tmp_path / "env.db"
    assert db.resolve(str(tmp_path / "opt.db")).path == tmp_path / "opt.db"
    url = f"sqlite:///{tmp_path / 'url.db'}"
    assert db.resolve(url).path == tmp_path / "url.db"
    assert db.resolve("sqlite://").path is None
    memory = open_store("sqlite://")
    memory.create_postmortem("in memory")
    assert [s.title for s in memory.list_postmortems()] == ["in memory"]
    open_store(url).create_postmortem("via url")
    assert stat.S_IMODE((tmp_path / "url.db").stat().st_mode) == 0o600


def test_sqlite_settings(store: object, db_path: Path) -> None:
    s = open_store(str(db_path))
    with s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == migrations.HEAD
        )


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes\n")
    before = digest(path)
    with pytest.raises(DatabaseError, match="is not a SQLite database"):
        open_store(str(path))
    assert digest(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "xdg"] == ["notes.txt"]


def test_directory_and_missing_parent(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a directory"):
        open_store(str(tmp_path))
    with pytest.raises(DatabaseError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "pm.db"))


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="some other program"):
        open_store(str(path))
    assert digest(path) == before


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    open_store(str(db_path)).create_postmortem("from the future")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0999_from_a_newer_app'")
    conn.commit()
    conn.close()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="newer version of postmortem"):
        open_store(str(db_path))
    assert digest(db_path) == before
    assert not list(db_path.parent.glob("*.bak"))


def test_locked_database_gives_a_clear_error(db_path: Path) -> None:
    first = open_store(str(db_path))
    first.create_postmortem("x")
    first.close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="locked by another program"):
            store = open_store(str(db_path), timeout=0.3)
            store.create_postmortem("blocked")
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_store_errors_while_locked_leave_data_consistent(db_path: Path) -> None:
    store = open_store(str(db_path), timeout=0.2)
    pm = store.create_postmortem("x")
    assert pm.id is not None
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError, match="locked"):
            store.update_postmortem(pm.id, summary="lost?")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.update_postmortem(pm.id, summary="saved")
    assert store.load(pm.id).summary == "saved"


def test_revisions_match_the_script_directory() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.SCRIPT_LOCATION))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == migrations.HEAD
    ordered = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(ordered) == migrations.REVISIONS


def test_models_match_migrations(db_path: Path) -> None:
    """A model change without a migration fails here, not on a user's machine."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from models.search.sqlite import NAMES

    store = open_store(str(db_path))
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_object": lambda _o, name, type_, *_: (
                    not (type_ == "table" and name in NAMES)
                )
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


EXTRA_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "0002_test_extra"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_item") as batch:
        batch.add_column(
            sa.Column("estimate_days", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("action_item") as batch:
        batch.drop_column("estimate_days")
"""


def test_upgrading_an_old_database_backs_up_and_loses_nothing(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open a database made at the current head with an app that has one revision more.

    The extra revision is real Alembic, in a copy of the script directory, so the
    whole path (detect old revision, back up, batch-migrate SQLite) runs for real.
    """
    from models.demo import DEMO
    from models.interchange import from_document, to_document

    old = open_store(str(db_path))
    pm_id = old.save_new(from_document(DEMO))
    before = to_document(old.load(pm_id))
    old.close()

    scripts = tmp_path / "migrations"
    shutil.copytree(db.SCRIPT_LOCATION, scripts)
    (scripts / "versions" / "0002_test_extra.py").write_text(
        EXTRA_MIGRATION.format(head=migrations.HEAD)
    )
    monkeypatch.setattr(db, "SCRIPT_LOCATION", scripts)
    monkeypatch.setattr(db, "known_revisions", lambda: (*migrations.REVISIONS, "0002_test_extra"))

    new = open_store(str(db_path))
    after = to_document(new.load(pm_id))
    for key in ("updated_at", "created_at"):
        assert after[key] == before[key]
    assert after == before
    with new.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0002_test_extra"
        )
        assert conn.execute(text("SELECT min(estimate_days) FROM action_item")).scalar() == 1
    backups = list(db_path.parent.glob("pm.db.*.bak"))
    assert len(backups) == 1 and migrations.HEAD in backups[0].name
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    kept = sqlite3.connect(backups[0])
    assert kept.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrations.HEAD
    assert kept.execute("SELECT count(*) FROM timeline_event").fetchone()[0] == len(
        DEMO["timeline"]
    )
    kept.close()


def test_concurrent_writers_wait_instead_of_failing(db_path: Path) -> None:
    """Two processes' worth of sessions (the app and a CLI import) share the file."""
    a = open_store(str(db_path))
    b = open_store(str(db_path))
    pm = a.create_postmortem("shared")
    assert pm.id is not None
    errors: list[BaseException] = []

    def writer(store: object, label: str) -> None:
        import datetime as dt

        try:
            for i in range(50):
                store.add(  # type: ignore[attr-defined]
                    TimelineEvent(
                        postmortem_id=pm.id, at=dt.datetime.now(dt.UTC), text=f"{label}{i}"
                    )
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s, n)) for s, n in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(a.load(pm.id).events) == 100


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real chmod 000 when not root; as root (CI) access() is simulated, since root reads all."""
    path = tmp_path / "secret.db"
    open_store(str(path)).close()
    before = digest(path)
    path.chmod(0o000)
    try:
        if os.geteuid() == 0:
            real_access = os.access
            monkeypatch.setattr(
                db.os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
            )
        with pytest.raises(DatabaseError, match=r"cannot read .*secret\.db: permission denied"):
            open_store(str(path))
    finally:
        path.chmod(0o600)
    assert digest(path) == before
