"""Finding, checking, opening and migrating the database.

Order matters here. A file we might refuse (not SQLite, from a newer app, not
ours) is inspected through a read-only connection first, so refusing it can
never modify it. Only then is the real engine opened with WAL, foreign keys and
a busy timeout, and the schema upgraded, after a backup copy.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool, StaticPool

from models import migrations
from models.paths import Target, resolve
from models.usertext import shown

__all__ = ["Target", "open_engine", "resolve"]
from models.errors import DatabaseError

ENV_TIMEOUT = "POSTMORTEM_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 5.0
SQLITE_MAGIC = b"SQLite format 3\x00"
# Module-level so a test can point it at a copy holding an extra revision.
SCRIPT_LOCATION = Path(__file__).parent / "migrations"


def lock_timeout() -> float:
    raw = os.environ.get(ENV_TIMEOUT)
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


# --------------------------------------------------------------------------- files


def _prepare_file(path: Path, *, create_parent: bool) -> bool:
    """Check the file can be used; create it (0600) if missing. Returns True if new."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"cannot read {path}: permission denied")
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if header and header != SQLITE_MAGIC:
            raise DatabaseError(f"{path} is not a SQLite database; refusing to touch it")
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


def translate(exc: BaseException, label: str) -> DatabaseError:
    """Turn a driver error into one line a person can act on."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in message or "busy" in message:
        return DatabaseError(
            f"{label} is locked by another program (waited {lock_timeout():g} s); "
            "close it and try again"
        )
    if "not a database" in message or "malformed" in message:
        return DatabaseError(f"{label} is not a usable SQLite database ({message})")
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


def _engine(target: Target, timeout: float, *, readonly: bool = False) -> Engine:
    url = make_url(target.url)
    if url.get_backend_name() != "sqlite":
        return create_engine(target.url, poolclass=NullPool if readonly else None)
    if target.path is None:  # in-memory: one shared connection, or each session sees nothing
        engine = create_engine(
            target.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas(timeout, wal=False))
        return engine
    if readonly:
        uri = f"sqlite:///file:{target.path}?mode=ro&uri=true"
        engine = create_engine(uri, poolclass=NullPool, connect_args={"timeout": timeout})
        event.listen(engine, "connect", _sqlite_pragmas(timeout, wal=False))
        return engine
    engine = create_engine(
        target.url, connect_args={"timeout": timeout, "check_same_thread": False}
    )
    event.listen(engine, "connect", _sqlite_pragmas(timeout, wal=True))
    return engine


def known_revisions() -> tuple[str, ...]:
    return migrations.REVISIONS


def schema_revision(engine: Engine) -> tuple[bool, str | None]:
    """(has any tables, alembic revision or None)."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return bool(tables), None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return True, (row[0] if row else None)


def _check_schema(engine: Engine, label: str) -> str | None:
    """Return the revision to upgrade from ('' for a blank database), None if current."""
    has_tables, revision = schema_revision(engine)
    if revision is None:
        if has_tables:
            raise DatabaseError(
                f"{label} is a database of some other program (no postmortem schema); "
                "refusing to touch it"
            )
        return ""
    if revision not in known_revisions():
        raise DatabaseError(
            f"{label} was written by a newer version of postmortem (schema {revision}); "
            "upgrade postmortem to open it"
        )
    return None if revision == known_revisions()[-1] else revision


def backup(path: Path, revision: str) -> Path:
    """Copy the database beside itself before a migration, via SQLite's backup API
    so the copy is consistent even with a WAL file present."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    os.chmod(dest, 0o600)
    return dest


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


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


def open_engine(target: Target, *, timeout: float | None = None) -> Engine:
    """Check, create or migrate the database and return a ready engine."""
    timeout = lock_timeout() if timeout is None else timeout
    label = target.label
    try:
        return _open_engine(target, timeout, label)
    except OSError as exc:  # the path itself can't be used: a name too long, a loop of links
        raise DatabaseError(f"cannot open {label}: {exc.strerror or exc}") from exc


def _open_engine(target: Target, timeout: float, label: str) -> Engine:
    with db_errors(label):
        if target.path is not None:
            new = _prepare_file(target.path, create_parent=target.is_default)
            from_revision = (
                "" if new else _check_schema(_engine(target, timeout, readonly=True), label)
            )
        else:
            from_revision = None
        engine = _url_engine(target, timeout)
        if target.path is None:
            from_revision = _check_schema(engine, label)
        if from_revision is not None:
            if from_revision and target.path is not None:
                backup(target.path, from_revision)
            upgrade(engine)
        return engine
