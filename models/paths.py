"""Where the database lives, decided without importing SQLAlchemy.

Split from models.db so the app can resolve its target and paint its first
frame while the heavy database stack is still loading.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "postmortem"
DEFAULT_FILENAME = "postmortems.db"
DEMO_FILENAME = "demo.db"
ENV_DB = "POSTMORTEM_DB"


PRIVATE_DIR_MODE = 0o700


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_path(APP_NAME))


def make_private(directory: Path) -> str | None:
    """Tighten the per-user data directory to 0700; returns a one-line notice, or None.

    The directory holds the database, its -wal and -shm files, the backups and any
    export saved there. SQLite gives its side files the database's mode, but a
    backup or a file another tool drops there follows the umask, so with 0755 any
    local user could list and read them. A directory we created is already 0700;
    one made by hand or unpacked from an archive may not be. It is ours (its name
    is the app's), so it is tightened rather than warned about on every run. One
    owned by someone else is left alone and reported.
    """
    try:
        st = directory.stat()
    except OSError:
        return None
    current = stat.S_IMODE(st.st_mode)
    if not current & 0o077:
        return None
    if st.st_uid != os.geteuid():
        return (
            f"warning: {directory} is readable by other users (mode {current:04o}) and "
            f"owned by someone else; make it private with: chmod 700 {directory}"
        )
    try:
        os.chmod(directory, PRIVATE_DIR_MODE)
    except OSError as exc:
        return f"warning: could not make {directory} private (mode {current:04o}): {exc.strerror}"
    return (
        f"note: made {directory} private (mode {current:04o} -> 0700); "
        "it holds your postmortems and their backups"
    )


@dataclass(frozen=True)
class Target:
    """Where the data lives: a SQLAlchemy URL, and the file behind it if any."""

    url: str
    path: Path | None
    is_default: bool = False

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.url


def _sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL, None for memory or other databases."""
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0] != "sqlite":
        return None
    database = rest[1:] if rest.startswith("/") else rest
    database = database.split("?")[0]
    if database in ("", ":memory:"):
        return None
    return Path(database).expanduser().resolve()


def resolve(db: str | None = None) -> Target:
    """--db beats $POSTMORTEM_DB beats the per-user default file."""
    value = db or os.environ.get(ENV_DB) or None
    if value is None:
        path = data_dir() / DEFAULT_FILENAME
        return Target(f"sqlite:///{path}", path, is_default=True)
    if "://" in value:
        return Target(value, _sqlite_file(value))
    path = Path(value).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)


def demo_target() -> Target:
    path = data_dir() / DEMO_FILENAME
    return Target(f"sqlite:///{path}", path, is_default=True)
