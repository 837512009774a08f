"""What the full-text index holds: which text of which row, and where it shows.

One *document* per non-empty text field of a row, keyed ``(table, row id,
field)``, so a hit names the section and the row it came from and the app can
open the postmortem there. List fields (services, tags, authors) are one
document each, their items joined with ", ".

This module is pure data: the SQLite backend (:mod:`models.search.sqlite`), the
rebuild at migration time and any later backend (PostgreSQL, issue 11) all index
exactly what :func:`documents` returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    """One indexed field: the section that shows it, how a hit names it, and its
    weight in ranking (a match in a title says more than one in a long summary)."""

    section: str
    label: str
    weight: float = 1.0


RESPONSE_LABELS = {
    "went_well": "went well",
    "went_wrong": "went wrong",
    "lucky": "where we got lucky",
}

INDEXED: dict[str, dict[str, FieldSpec]] = {
    "postmortem": {
        "title": FieldSpec("overview", "title", 4.0),
        "services": FieldSpec("overview", "services", 2.0),
        "tags": FieldSpec("overview", "tags", 2.0),
        "authors": FieldSpec("overview", "authors"),
        "summary": FieldSpec("overview", "summary"),
        "fishbone_effect": FieldSpec("rootcause", "fishbone effect", 1.5),
        "impact_description": FieldSpec("impact", "impact"),
        "revenue_impact": FieldSpec("impact", "revenue impact"),
        "data_loss": FieldSpec("impact", "data loss"),
    },
    "timeline_event": {
        "text": FieldSpec("timeline", "event"),
        "actor": FieldSpec("timeline", "actor"),
    },
    "why_chain": {"problem": FieldSpec("rootcause", "5 Whys problem", 1.5)},
    "why": {"text": FieldSpec("rootcause", "why", 1.2)},
    "fishbone_category": {"name": FieldSpec("rootcause", "fishbone category")},
    "fishbone_cause": {"text": FieldSpec("rootcause", "cause", 1.2)},
    "response_item": {"text": FieldSpec("response", "response")},
    "action_item": {
        "title": FieldSpec("actions", "action item", 1.2),
        "owner": FieldSpec("actions", "owner"),
        "ticket": FieldSpec("actions", "ticket"),
    },
}
LIST_FIELDS = frozenset({"services", "tags", "authors"})


def spec(table: str, field: str) -> FieldSpec:
    """Raises KeyError for a field that isn't indexed."""
    return INDEXED[table][field]


def label(table: str, field: str, data: Mapping[str, Any] | None = None) -> str:
    """How a hit names its place: 'timeline event', 'action item owner', 'went wrong'."""
    if table == "response_item" and data is not None:
        return RESPONSE_LABELS.get(str(data.get("section")), "response")
    return spec(table, field).label


def documents(table: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``[(field, text)]`` to index for one row's column values; [] for a table
    that isn't indexed. Blank text is left out: nothing can match it."""
    fields = INDEXED.get(table)
    if not fields:
        return []
    out: list[tuple[str, str]] = []
    for name in fields:
        value = data.get(name)
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value if str(v).strip())
        elif isinstance(value, str):
            text = value
        else:
            continue
        if text.strip():
            out.append((name, text))
    return out
