"""Text the user typed that is not in the database yet, so it is never lost unseen.

A value a field refuses (``abc`` in Users, ``14:3`` in Started) stays in the
field with its message, and an event typed in the entry line stays until it is
added. Both are drafts: they are listed in the header ("✗ 1 field not saved:
Users"), survive switching sections and closing a postmortem, come back when
the field is shown again, and make quitting ask first.

Drafts live in memory for the life of the app. They are keyed by postmortem,
by field, and by the row a field belongs to (an action item's Due), so a form
that moves to another row doesn't carry one row's text into another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Draft:
    pm_id: int | None  # None: the library (a new postmortem's title being typed)
    key: str  # the field's key, with the row it belongs to: "a-due:17"
    label: str  # what the header and the quit question call it: "Due (action item 2)"
    text: str
    problem: str  # why it was refused, or "" for text not sent yet


class Drafts:
    def __init__(self, on_change: Callable[[], None] = lambda: None) -> None:
        self._drafts: dict[tuple[int | None, str], Draft] = {}
        self._on_change = on_change

    def put(self, draft: Draft) -> None:
        key = (draft.pm_id, draft.key)
        if self._drafts.get(key) != draft:
            self._drafts[key] = draft
            self._on_change()

    def drop(self, pm_id: int | None, key: str) -> None:
        if self._drafts.pop((pm_id, key), None) is not None:
            self._on_change()

    def get(self, pm_id: int | None, key: str) -> Draft | None:
        return self._drafts.get((pm_id, key))

    def of(self, pm_id: int | None) -> list[Draft]:
        return [d for (pm, _), d in self._drafts.items() if pm == pm_id]

    def all(self) -> list[Draft]:
        return list(self._drafts.values())

    def forget_postmortem(self, pm_id: int) -> None:
        """The postmortem is gone (deleted): its drafts have nowhere to go."""
        for key in [k for k in self._drafts if k[0] == pm_id]:
            del self._drafts[key]
        self._on_change()


def summary(drafts: list[Draft], limit: int = 3) -> str:
    """'Users', 'Users, Due and 2 more': the header's list of unsaved fields."""
    labels = [d.label for d in drafts]
    if len(labels) <= limit:
        return ", ".join(labels)
    return f"{', '.join(labels[:limit])} and {len(labels) - limit} more"


@dataclass
class DraftSlot:
    """One editor's place in the drafts: an inline editor, the entry line, a dialog.

    Editors hold text only while open; they keep it here so that quitting asks
    first and the header counts it, and clear it when the text is sent or
    dropped. Fields (tui.widgets.field) talk to Drafts directly because they
    also keep a draft per row."""

    drafts: Drafts
    pm_id: int | None
    key: str
    label: str

    def hold(self, text: str, problem: str = "") -> None:
        if text.strip():
            self.drafts.put(Draft(self.pm_id, self.key, self.label, text, problem))
        else:
            self.clear()

    def clear(self) -> None:
        self.drafts.drop(self.pm_id, self.key)

    @property
    def draft(self) -> Draft | None:
        return self.drafts.get(self.pm_id, self.key)
