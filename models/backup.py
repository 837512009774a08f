"""Backups: a consistent copy of the database, taken while the app may be writing to it.

SQLite's online backup API (https://sqlite.org/backup.html) copies every page
inside one read transaction, so the copy is the database as of one commit, even
with the app adding events meanwhile (in WAL mode a reader doesn't block
writers). Copying the file with ``cp`` would not be: a commit could land
between the first page and the last, and the -wal file holds commits the main
file doesn't have yet.

The copy is made in a private directory beside the destination, checked with
``PRAGMA quick_check``, made 0600 (it is the whole library, like the database)
and only then moved into place, never over an existing file unless asked.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from models import safefile
from models.db import (
    check_header,
    classify,
    damaged,
    inspect_file,
    quick_check,
    read_untouched,
    translate,
)
from models.errors import DatabaseError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    postmortems: int
    size: int  # bytes


def default_name(database: Path, now: dt.datetime | None = None) -> str:
    """``postmortems.db.20261128T120000Z.bak``: beside the database, sorting by time (UTC)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{database.name}.{stamp}.bak"


def backup_database(
    source: Path,
    dest: Path,
    *,
    label: str | None = None,
    overwrite: bool = False,
    timeout: float | None = None,
) -> BackupResult:
    """Copy the SQLite database ``source`` to ``dest`` (a file path) consistently.

    The source must be a whole postmortem database of any revision (a newer app's
    too: a copy is harmless, and wanted before a downgrade); it is read
    without leaving a trace (models.db.read_untouched). Raises DamagedDatabaseError
    for a damaged source, DatabaseError for another program's file or a locked one,
    safefile.TargetExistsError when ``dest`` exists and ``overwrite`` is false, and
    safefile.WriteError when the destination can't be written.
    """
    label = label or str(source)
    check_header(source, label)
    found = inspect_file(source, label, timeout=timeout)
    classify(found.tables, found.revision, label, allow_newer=True)
    if found.problem is not None:
        raise damaged(label, found.problem)
    safefile.check_destination(dest, overwrite=overwrite)
    with safefile.private_workdir(dest.parent) as work:
        copy = Path(work) / "backup.db"

        def read(conn: sqlite3.Connection) -> None:
            out = sqlite3.connect(copy)
            try:
                conn.backup(out)  # pages=-1: every page in one step, one snapshot
            finally:
                out.close()

        try:
            read_untouched(source, read, timeout=timeout)
        except sqlite3.Error as exc:
            message = str(exc).lower()
            # The source is opened read-only: a write failure is the destination's.
            if any(w in message for w in ("full", "readonly", "unable to open", "i/o")):
                raise safefile.WriteError(f"cannot write {dest}: {message}") from exc
            raise translate(exc, label) from exc
        count = _verify(copy, dest)
        try:
            fd = os.open(copy, os.O_RDONLY)
            try:
                os.fchmod(fd, safefile.PRIVATE_MODE)
                os.fsync(fd)
            finally:
                os.close(fd)
            size = copy.stat().st_size
            safefile.publish(copy, dest, overwrite=overwrite)
        except OSError as exc:
            raise safefile.WriteError(f"cannot write {dest}: {safefile.reason(exc)}") from exc
    safefile.fsync_dir(dest.parent)
    return BackupResult(dest, count, size)


def _verify(copy: Path, dest: Path) -> int:
    """quick_check the copy before it replaces anything; returns how many postmortems it holds."""
    conn = sqlite3.connect(copy)
    try:
        problem = quick_check(conn)
        if problem is not None:
            raise DatabaseError(
                f"the copy for {dest} failed its check ({problem}); nothing was written"
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "postmortem" not in tables:
            return 0
        return int(conn.execute("SELECT count(*) FROM postmortem").fetchone()[0])
    finally:
        conn.close()
