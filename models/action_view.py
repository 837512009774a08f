"""Choosing and ordering action items across the library: the library's Action
Items screen and `postmortem actions` apply the same filters the same way.

* ``open_only``: open or in progress (not done, not won't do);
* ``overdue``: open with a due date before today in the postmortem's zone;
* ``owner``: None for anyone, "" for items nobody owns, else owners containing
  the text (case-blind), so ``priya`` finds "Priya Raman";
* ``priority``: one of P0-P3, or None for any;
* ``service``: items of postmortems listing that service (case-blind);
* ``sort``: "due" (earliest first, undated last, then priority) or "priority"
  (P0 first, then earliest due).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from models.library import ActionRow

SORTS = ("due", "priority")


@dataclass(frozen=True)
class ActionFilter:
    open_only: bool = True
    overdue: bool = False
    owner: str | None = None
    priorities: frozenset[str] = frozenset()
    service: str | None = None
    sort: str = "due"

    def accepts(self, row: ActionRow, now: dt.datetime) -> bool:
        if self.open_only and not row.is_open:
            return False
        if self.overdue and not row.is_overdue(now):
            return False
        if self.owner is not None:
            have = row.owner.strip().casefold()
            wanted = self.owner.strip().casefold()
            if (not wanted and have) or (wanted and wanted not in have):
                return False
        if self.priorities and row.priority not in self.priorities:
            return False
        if self.service is not None:
            services = {s.strip().casefold() for s in row.pm_services}
            if self.service.strip().casefold() not in services:
                return False
        return True

    def key(self, row: ActionRow) -> tuple[Any, ...]:
        due = row.due or dt.date.max
        if self.sort == "priority":
            return (row.priority, due, row.pm_id, row.position)
        return (due, row.priority, row.pm_id, row.position)

    def apply(self, rows: Iterable[ActionRow], now: dt.datetime) -> list[ActionRow]:
        """The rows this filter accepts, in its order."""
        return sorted((r for r in rows if self.accepts(r, now)), key=self.key)

    def describe(self) -> str:
        """'open · overdue · owner Priya · P0, P1 · service kafka · by due date'"""
        parts = ["overdue" if self.overdue else "open" if self.open_only else "all"]
        if self.owner is not None:
            parts.append(f"owner {self.owner}" if self.owner.strip() else "no owner")
        if self.priorities:
            parts.append(", ".join(sorted(self.priorities)))
        if self.service is not None:
            parts.append(f"service {self.service}")
        parts.append("by priority" if self.sort == "priority" else "by due date")
        return " · ".join(parts)

    def next_priority(self) -> ActionFilter:
        """Any, then P0, P1, P2, P3 alone, then any again: one key walks them."""
        order = [frozenset(), *(frozenset({p}) for p in ("P0", "P1", "P2", "P3"))]
        index = order.index(self.priorities) if self.priorities in order else 0
        return replace(self, priorities=order[(index + 1) % len(order)])
