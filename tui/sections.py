"""The sections of a postmortem, in order, with the keys that jump to them.

Section keys are priority bindings, so they work while a text field has focus:
someone writing the summary can jump to the timeline without leaving the field
first. They are function keys because alt+digit is unusable in a terminal:
Textual reads ESC+2 as "™" (as macOS's Option+2 types it), so it never fires.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    key: str

    @property
    def key_display(self) -> str:
        return self.key.upper()


SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "f2"),
    Section("timeline", "Timeline", "f3"),
    Section("rootcause", "Root Cause", "f4"),
    Section("impact", "Impact", "f5"),
    Section("response", "Response", "f6"),
    Section("actions", "Action Items", "f7"),
    Section("export", "Export", "f8"),
)
BY_ID = {s.id: s for s in SECTIONS}


def neighbour(section_id: str, step: int) -> str:
    ids = [s.id for s in SECTIONS]
    return ids[(ids.index(section_id) + step) % len(ids)]
