"""The sections of a postmortem, in order, with the keys that jump to them.

Section keys are priority bindings, so they work while a text field has focus:
someone writing the summary can jump to the timeline without leaving the field
first.
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
        return self.key.replace("alt+", "M-")


SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "alt+1"),
    Section("timeline", "Timeline", "alt+2"),
    Section("rootcause", "Root Cause", "alt+3"),
    Section("impact", "Impact", "alt+4"),
    Section("response", "Response", "alt+5"),
    Section("actions", "Action Items", "alt+6"),
    Section("export", "Export", "alt+7"),
)
BY_ID = {s.id: s for s in SECTIONS}


def neighbour(section_id: str, step: int) -> str:
    ids = [s.id for s in SECTIONS]
    return ids[(ids.index(section_id) + step) % len(ids)]
