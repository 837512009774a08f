"""Finding, checking, opening and migrating the database.

Order matters here. An existing file is inspected first, in a way that leaves no
trace (:func:`read_untouched`): is it SQLite, is it ours and of which revision,
and does ``PRAGMA quick_check`` find it whole? A file refused for any reason
(not SQLite, another program's, from a newer app, damaged) stays byte-identical,
with no -wal or -shm file left beside it. Only then is the real engine opened
with WAL, foreign keys and a busy timeout, and the schema upgraded, after a
backup copy.

Cost of the check at open: ``quick_check`` reads every page once. On a library
of 1,000 postmortems (7 MB, 16,000 timeline events) :func:`check_file` takes as
long as a bare ``sqlite3.connect`` + ``quick_check`` (medians 12 ms against 15 ms
on a quiet machine, 29 against 27 on a busy one), about 1.5% of the whole
``postmortem list`` process (tests/perf/bench_open.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from models import migrations
from models.errors import DatabaseError
from models.paths import Target, make_private, resolve
from models.usertext import shown

__all__ = ["DamagedDatabaseError", "Target", "open_engine", "resolve"]

ENV_TIMEOUT = "POSTMORTEM_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 5.0
SQLITE_MAGIC = b"SQLite format 3\x00"
# Module-level so a test can point it at a copy holding an extra revision.
SCRIPT_LOCATION = Path(__file__).parent / "migrations"
# Tables every revision of our schema has had; another program's database that
# also uses Alembic lacks them.
CORE_TABLES = frozenset({"postmortem", "timeline_event"})
# Our revision ids are numbered, "0001_baseline", "0002_...": a newer app's
# revision has a higher number than our head. A test keeps REVISIONS to this.
NUMBERED_REVISION = re.compile(r"(\d{4})_\w+")

T = TypeVar("T")


class DamagedDatabaseError(DatabaseError):
    """SQLite can see that the file is damaged. It must not be written to again."""


def lock_timeout() -> float:
    raw = os.environ.get(ENV_TIMEOUT)
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


# --------------------------------------------------------------------------- files


def check_header(path: Path, label: str) -> None:
    """Refuse, untouched, a file that doesn't start like SQLite (empty is a new database)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read {label}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_MAGIC:
        raise DatabaseError(f"{label} is not a SQLite database; refusing to touch it")


def _prepare_file(path: Path, *, create_parent: bool, notices: list[str] | None = None) -> bool:
    """Check the file can be used; create it (0600) if missing. Returns True if new.

    ``create_parent`` is set for the per-user data directory, which is also made
    private (0700) if it exists with wider permissions; ``notices`` receives the
    one line saying so."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if create_parent and path.parent.is_dir():
        notice = make_private(path.parent)
        if notice and notices is not None:
            notices.append(notice)
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"cannot read {path}: permission denied")
        check_header(path, str(path))
        if not os.access(path, os.W_OK):
            raise DatabaseError(f"cannot write {path}: the file is read-only")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise DatabaseError(
                f"cannot write in {path.parent}: SQLite keeps its journal beside the database"
            )
        return False
    parent = path.parent
    if not parent.exists():
        if not create_parent:
            raise DatabaseError(f"cannot create {path}: directory {parent} does not exist")
        try:
            parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {parent}: {exc.strerror or exc}") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DatabaseError(f"cannot create {path}: directory {parent} is read-only")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    return True


# --------------------------------------------------------------------------- errors


def damaged(label: str, detail: str) -> DamagedDatabaseError:
    """The one line for a damaged file: what SQLite saw, and the two ways out."""
    import shlex

    detail = " ".join(detail.replace("*** in database main ***", "").split())[:120]
    quoted = shlex.quote(label)
    return DamagedDatabaseError(
        f"{label} is damaged ({detail}) and was left as it is; restore your latest backup, "
        f"or get out what is readable with "
        f"`postmortem salvage {quoted}` or `sqlite3 {quoted} .recover`"
    )


def translate(exc: BaseException, label: str) -> DatabaseError:
    """Turn a driver error into one line a person can act on."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in message or "busy" in message:
        return DatabaseError(
            f"{label} is locked by another program (waited {lock_timeout():g} s); "
            "close it and try again"
        )
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return damaged(label, message.splitlines()[0] if message else "malformed")
    if "readonly" in message or "read-only" in message:
        return DatabaseError(f"cannot write {label}: it is read-only")
    if "unable to open" in message:
        return DatabaseError(f"cannot open {label}: check the path and its permissions")
    if "disk" in message and "full" in message:
        return DatabaseError(f"cannot write {label}: the disk is full")
    return DatabaseError(f"database error on {label}: {message.splitlines()[0]}")


@contextmanager
def db_errors(label: str) -> Iterator[None]:
    try:
        yield
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        raise translate(exc, label) from exc


# --------------------------------------------------------------------------- inspection


class _Fingerprint(NamedTuple):
    inode: int
    size: int
    mtime_ns: int
    in_use: bool  # a -wal or -journal beside it: another connection has it open, or crashed


def _fingerprint(path: Path) -> _Fingerprint:
    st = path.stat()
    in_use = any(os.path.lexists(f"{path}{suffix}") for suffix in ("-wal", "-journal"))
    return _Fingerprint(st.st_ino, st.st_size, st.st_mtime_ns, in_use)


def _uri(path: Path, *, immutable: bool) -> str:
    # as_uri() percent-encodes, so a path holding '?', '#' or '%' stays a path.
    return f"{path.absolute().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def read_untouched(
    path: Path, read: Callable[[sqlite3.Connection], T], *, timeout: float | None = None
) -> T:
    """Run ``read`` on a read-only connection that leaves the file and its directory as they were.

    A plain read-only connection to a WAL database creates -wal and -shm files that
    it can't remove when it closes (https://sqlite.org/wal.html, "Read-Only
    Databases"). When no -wal exists, no connection has the file open, so it is read
    ``immutable``, which creates nothing; the file's inode, size and mtime are
    compared before and after, and a read that raced a writer is done again. When a
    -wal exists (the app is running), the ordinary read-only connection takes the
    usual locks and sees a consistent snapshot; its side files exist already.

    Raises sqlite3.Error from ``read`` or from opening the file.
    """
    timeout = lock_timeout() if timeout is None else timeout
    for attempt in range(4):
        before = _fingerprint(path)
        immutable = not before.in_use and attempt < 3
        conn = sqlite3.connect(
            _uri(path, immutable=immutable), uri=True, timeout=timeout, check_same_thread=False
        )
        # quick_check quotes damaged bytes; never let them become a UnicodeDecodeError.
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        error: sqlite3.Error | None = None
        result: T | None = None
        try:
            result = read(conn)
        except sqlite3.Error as exc:
            error = exc
        finally:
            conn.close()
        if not immutable or _fingerprint(path) == before:
            if error is not None:
                raise error
            return result  # type: ignore[return-value]
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Inspection:
    """What a database file holds: its tables, Alembic revision, and the first problem
    ``PRAGMA quick_check`` reported (None when it found none, or was not run)."""

    tables: frozenset[str]
    revision: str | None
    problem: str | None


def _tables_and_revision(conn: sqlite3.Connection) -> tuple[frozenset[str], str | None]:
    tables = frozenset(
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    )
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return tables, revision


def quick_check(conn: sqlite3.Connection) -> str | None:
    """The first problem ``PRAGMA quick_check`` reports, or None for a whole file.

    quick_check verifies every b-tree page, free list and record format in one pass
    over the file (https://sqlite.org/pragma.html#pragma_quick_check); it does not
    compare indexes with their tables, which integrity_check does at about 1.5x the cost.
    Raises sqlite3.Error when the damage stops it from running at all."""
    rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    first = str(rows[0][0]) if rows else "ok"
    return None if first == "ok" else first


def inspect_file(path: Path, label: str, *, timeout: float | None = None) -> Inspection:
    """Read the schema of an existing SQLite file and, when it may be ours, quick_check it.

    Leaves no trace (:func:`read_untouched`). Raises DamagedDatabaseError when SQLite
    can't read the file's structure, DatabaseError when it is locked or unreadable."""

    def read(conn: sqlite3.Connection) -> Inspection:
        tables, revision = _tables_and_revision(conn)
        ours_or_blank = not tables or tables >= CORE_TABLES
        return Inspection(tables, revision, quick_check(conn) if ours_or_blank else None)

    try:
        return read_untouched(path, read, timeout=timeout)
    except sqlite3.Error as exc:
        raise translate(exc, label) from exc
    except OSError as exc:  # gone or unreadable between the checks and the read
        raise DatabaseError(f"cannot read {label}: {exc.strerror or exc}") from exc


def known_revisions() -> tuple[str, ...]:
    return migrations.REVISIONS


def _is_later_revision(revision: str) -> bool:
    """A revision of ours that this app doesn't know yet: numbered after our head."""
    later = NUMBERED_REVISION.fullmatch(revision)
    head = NUMBERED_REVISION.fullmatch(known_revisions()[-1])
    return bool(later and head and int(later.group(1)) > int(head.group(1)))


def classify(
    tables: frozenset[str], revision: str | None, label: str, *, allow_newer: bool = False
) -> str | None:
    """The revision to upgrade from ('' for a blank database), None when current.

    Raises DatabaseError for another program's database (its tables, or an Alembic
    revision that is not in our history) and, unless ``allow_newer``, for one from a
    newer postmortem (which is then returned as current)."""
    if revision is None:
        if tables:
            raise DatabaseError(
                f"{label} is not a postmortem database (it belongs to some other program); "
                "refusing to touch it"
            )
        return ""
    if revision in known_revisions():
        return None if revision == known_revisions()[-1] else revision
    if tables >= CORE_TABLES and _is_later_revision(revision):
        if allow_newer:
            return None
        raise DatabaseError(
            f"{label} was written by a newer version of postmortem (schema {revision}); "
            "upgrade postmortem to open it"
        )
    raise DatabaseError(
        f"{label} is not a postmortem database (schema {revision!r} of some other program "
        "that uses Alembic); refusing to touch it"
    )


def check_file(path: Path, label: str, *, timeout: float | None = None) -> str | None:
    """Everything that must hold before an existing file is opened for writing.

    Returns the revision to upgrade from ('' for a blank file), None when current.
    Raises DamagedDatabaseError or DatabaseError (one line each); the file is untouched."""
    found = inspect_file(path, label, timeout=timeout)
    from_revision = classify(found.tables, found.revision, label)
    if found.problem is not None:
        raise damaged(label, found.problem)
    return from_revision


# --------------------------------------------------------------------------- engines


# Text that isn't valid UTF-8 (another program wrote it) reads with U+FFFD in
# place of the bad bytes, as every text tool shows it; with the default, one such
# value fails every query that reads its column, so the whole library. C-level
# partial: no Python frame per value (~40k values for 10,000 events).
_decode_text = partial(str, encoding="utf-8", errors="replace")


def _sqlite_pragmas(timeout: float, *, wal: bool) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.text_factory = _decode_text
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        if wal:
            # WAL + synchronous=NORMAL: a committed transaction survives the process
            # being killed at any moment (not a power cut) at ~0.5 ms per commit.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return on_connect


def _engine(target: Target, timeout: float) -> Engine:
    url = make_url(target.url)
    if url.get_backend_name() != "sqlite":
        return create_engine(target.url)
    if target.path is None:  # in-memory: one shared connection, or each session sees nothing
        engine = create_engine(
            target.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas(timeout, wal=False))
        return engine
    engine = create_engine(
        target.url, connect_args={"timeout": timeout, "check_same_thread": False}
    )
    event.listen(engine, "connect", _sqlite_pragmas(timeout, wal=True))
    return engine


def schema_revision(engine: Engine) -> tuple[frozenset[str], str | None]:
    """(tables, alembic revision or None) of a database reached through an engine."""
    with engine.connect() as conn:
        tables = frozenset(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return tables, None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return tables, (row[0] if row else None)


def backup(path: Path, revision: str) -> Path:
    """Copy the database beside itself before a migration (see models.backup)."""
    from models.backup import backup_database

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    backup_database(path, dest, label=str(path))
    return dest


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # SQLite's table-rebuild procedure needs foreign keys off (outside any
            # transaction), or dropping an old parent table cascades to its children.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # end the autobegun transaction; the pragma is already in effect
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"the upgrade would break {len(broken)} references; nothing was changed"
                        )
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _url_engine(target: Target, timeout: float) -> Engine:
    """The engine, or one line saying why a URL typed as --db can't give one."""
    try:
        return _engine(target, timeout)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseError(
            f"{_url_for_message(target.url)} is not a database URL postmortem can open "
            "(use a file path, or e.g. postgresql+psycopg://user@host/db)"
        ) from exc
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            f"the database driver for {_url_for_message(target.url)} is not installed ({exc.name})"
        ) from exc


def _url_for_message(url: str) -> str:
    """A URL quoted for a message, its password hidden even when it can't be parsed."""
    try:
        return shown(make_url(url).render_as_string(hide_password=True))
    except Exception:  # not even a URL: keep the scheme, hide the rest
        return shown(url.partition("://")[0] + "://…")


def open_engine(
    target: Target, *, timeout: float | None = None, notices: list[str] | None = None
) -> Engine:
    """Check, create or migrate the database and return a ready engine.

    Raises DamagedDatabaseError or DatabaseError, one line each, with the file left
    as it was. ``notices`` receives one-line notes worth showing (a data directory
    made private)."""
    timeout = lock_timeout() if timeout is None else timeout
    label = target.label
    try:
        return _open_engine(target, timeout, label, notices)
    except OSError as exc:  # the path itself can't be used: a name too long, a loop of links
        raise DatabaseError(f"cannot open {label}: {exc.strerror or exc}") from exc


def _open_engine(target: Target, timeout: float, label: str, notices: list[str] | None) -> Engine:
    with db_errors(label):
        if target.path is not None:
            new = _prepare_file(target.path, create_parent=target.is_default, notices=notices)
            from_revision = "" if new else check_file(target.path, label, timeout=timeout)
            engine = _engine(target, timeout)
        else:
            engine = _url_engine(target, timeout)
            from_revision = classify(*schema_revision(engine), label)
        if from_revision is not None:
            if from_revision and target.path is not None:
                backup(target.path, from_revision)
            upgrade(engine)
        return engine
