"""Alembic migrations for the postmortem schema.

REVISIONS lists every revision, oldest first. Start-up compares the database's
revision with it directly, so the common case (already up to date) never imports
Alembic, and a revision we don't know means a newer app wrote the file. A test
checks that this tuple matches the script directory.
"""

REVISIONS: tuple[str, ...] = (
    "0001_baseline",
    "0002_autoincrement",
    "0003_search_index",
    "0004_related_links",
)
HEAD = REVISIONS[-1]
