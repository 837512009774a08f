"""a full-text index of every postmortem's text

Creates ``search_doc`` (one row per indexed field of a row, kept current by the
store in the same transaction as each edit) and, on SQLite, the FTS5 table
``search_fts`` over it with the triggers that keep the two in step (see
models/search/sqlite.py). Then indexes everything already in the database, so
an upgraded library is searchable at once.

Other engines get no index here: PostgreSQL's full-text search comes with its
own migration when that backend lands (issue 11), and until then the store
keeps no documents there and a search says it isn't available.

Revision ID: 0003_search_index
Revises: 0002_autoincrement
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_search_index"
down_revision: str | None = "0002_autoincrement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    from models.search import sqlite
    from models.search.rebuild import rebuild

    sqlite.create(bind)
    rebuild(bind, sqlite.SqliteBackend())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    from models.search import sqlite

    sqlite.drop(bind)
