"""Libraries holding what an older version or another program stored.

Each poison is SQL run on one postmortem's rows (``:pm`` is its id) through
the stdlib ``sqlite3``, as another program would, bypassing every rule of the
app. A library built by :func:`poisoned_library` holds the clean demo as
postmortem 1, then one postmortem per poison.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models.demo import DEMO
from models.interchange import from_document
from models.store import open_store

# Written by an older version: readable values that today's rules refuse. Each
# must be shown as invalid where it is, with a message.
OLDER_VERSION: dict[str, str] = {
    "started in year 1": (
        "UPDATE timeline_event SET at = '0001-01-01 00:00:00.000000' "
        "WHERE postmortem_id = :pm AND kind = 'started'"
    ),
    "event in year 9999": (
        "UPDATE timeline_event SET at = '9999-12-31 23:59:59.000000' "
        "WHERE id = (SELECT max(id) FROM timeline_event WHERE postmortem_id = :pm)"
    ),
    "every event in 1969": (
        "UPDATE timeline_event SET at = '1969-12-31 23:00:00.000000' WHERE postmortem_id = :pm"
    ),
    "due in year 1": "UPDATE action_item SET due = '0001-01-01' WHERE postmortem_id = :pm",
    "control characters in the title": (
        "UPDATE postmortem SET title = char(27) || '[31mred' || char(7) || char(10) || 'x' "
        "WHERE id = :pm"
    ),
    "control characters in an event": (
        "UPDATE timeline_event SET text = 'a' || char(27) || ']0;pwned' || char(7) || 'b', "
        "actor = char(155) || 'c' WHERE postmortem_id = :pm"
    ),
    "control characters in causes and whys": (
        "UPDATE fishbone_cause SET text = char(27) || '[2J' || text WHERE category_id IN "
        "(SELECT id FROM fishbone_category WHERE postmortem_id = :pm); "
        "UPDATE fishbone_category SET name = name || char(127) WHERE postmortem_id = :pm; "
        "UPDATE why SET text = char(0) || text WHERE chain_id IN "
        "(SELECT id FROM why_chain WHERE postmortem_id = :pm); "
        "UPDATE why_chain SET problem = char(27) || 'c' || problem WHERE postmortem_id = :pm; "
        "UPDATE response_item SET text = text || char(27) || '[?1049h' WHERE postmortem_id = :pm; "
        "UPDATE action_item SET owner = char(8) || owner, ticket = char(27) || 'P' "
        "WHERE postmortem_id = :pm; "
        "UPDATE postmortem SET summary = char(27) || '[5m' || summary, "
        "impact_description = char(7), fishbone_effect = char(27) WHERE id = :pm"
    ),
    "a count beyond the bound": (
        "UPDATE postmortem SET users_affected = 9223372036854775807 WHERE id = :pm"
    ),
}

# Written by another program: values of the wrong kind for their column.
ANOTHER_PROGRAM: dict[str, str] = {
    "unknown severity and status": (
        "UPDATE postmortem SET severity = 'SEV9', status = 'weird|' WHERE id = :pm"
    ),
    "unknown event kind": (
        "UPDATE timeline_event SET kind = 'bogus' WHERE postmortem_id = :pm AND kind = 'started'"
    ),
    "unknown timezone": "UPDATE postmortem SET timezone = 'Mars/Olympus' WHERE id = :pm",
    "authors not a list": "UPDATE postmortem SET authors = '5', tags = '[1, null]' WHERE id = :pm",
    "counts as text": (
        "UPDATE postmortem SET users_affected = 'lots', slo_budget_consumed_pct = 'nan' "
        "WHERE id = :pm"
    ),
    "unknown action fields": (
        "UPDATE action_item SET priority = 'P9', kind = 'x', status = 'gone' "
        "WHERE postmortem_id = :pm"
    ),
    "unknown response section": (
        "UPDATE response_item SET section = 'elsewhere' WHERE postmortem_id = :pm"
    ),
    "invalid UTF-8 in the title": (
        "UPDATE postmortem SET title = CAST(x'ff41c3' AS TEXT) WHERE id = :pm"
    ),
    "time in another format": (
        "UPDATE timeline_event SET at = '2026-11-27T13:55:00+00:00' "
        "WHERE postmortem_id = :pm AND kind = 'started'"
    ),
    "empty title": "UPDATE postmortem SET title = '' WHERE id = :pm",
}

# Values the database driver can't convert at all: the postmortem is listed as
# unreadable, opening or exporting it says so, and the others are unaffected.
UNREADABLE: dict[str, str] = {
    "a time that is not a time": (
        "UPDATE timeline_event SET at = 'garbage' WHERE postmortem_id = :pm AND kind = 'started'"
    ),
    "a time whose offset leaves the calendar": (
        "UPDATE timeline_event SET at = '0001-01-01T00:00:00+01:00' "
        "WHERE postmortem_id = :pm AND kind = 'started'"
    ),
    "a list that is not JSON": "UPDATE postmortem SET authors = 'not json' WHERE id = :pm",
    "an impossible due date": "UPDATE action_item SET due = '9999-99-99' WHERE postmortem_id = :pm",
}

POISONS: dict[str, str] = {**OLDER_VERSION, **ANOTHER_PROGRAM, **UNREADABLE}


def poison(db: Path, pm_id: int, sql: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.executescript(sql.replace(":pm", str(pm_id)))
        conn.commit()
    finally:
        conn.close()


def poisoned_library(db: Path, names: list[str]) -> dict[str, int]:
    """A library: the clean demo as postmortem 1, then one postmortem per poison
    in ``names``. Returns each poison's postmortem id."""
    store = open_store(str(db))
    try:
        store.save_new(from_document(DEMO))
        ids = {name: store.save_new(from_document(DEMO)) for name in names}
    finally:
        store.close()
    for name, pm_id in ids.items():
        poison(db, pm_id, POISONS[name])
    return ids
