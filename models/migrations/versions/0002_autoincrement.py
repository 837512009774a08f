"""ids are never reused: AUTOINCREMENT on every table

SQLite hands out the largest rowid + 1, so after the newest row is deleted its
id comes back for the next insert. Undo puts deleted rows back with their old
ids, and failed with "UNIQUE constraint failed" whenever a new row had taken
one. AUTOINCREMENT keeps the high-water mark in sqlite_sequence instead, so an
id is never handed out twice. PostgreSQL's sequences already behave so.

SQLite can only add AUTOINCREMENT by rebuilding each table (batch mode copies
rows, indexes and foreign keys). models.db runs migrations with foreign keys
off, as SQLite's documented table-rebuild procedure requires: with them on,
dropping the old parent table would cascade-delete every child row.

Revision ID: 0002_autoincrement
Revises: 0001_baseline
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence

import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders sqlmodel types such as AutoString)
from alembic import op

revision: str = "0002_autoincrement"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "postmortem",
    "timeline_event",
    "why_chain",
    "why",
    "fishbone_category",
    "fishbone_cause",
    "response_item",
    "action_item",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
