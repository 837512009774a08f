"""Where the database lives, decided without importing SQLAlchemy.

Split from models.db so the app can resolve its target and paint its first
frame while the heavy database stack is still loading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "postmortem"
DEFAULT_FILENAME = "postmortems.db"
DEMO_FILENAME = "demo.db"
ENV_DB = "POSTMORTEM_DB"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_path(APP_NAME))


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
