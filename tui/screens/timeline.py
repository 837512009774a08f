"""Timeline of Events: the live editor, usable while the incident is still going on."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from models.entry import ENTRY_FORMS, parse_entry
from models.enums import EventKind
from models.errors import PostmortemError
from models.tables import Postmortem, TimelineEvent
from models.timefmt import offset_words
from models.timeparse import to_zone
from tui.screens.section import SectionScreen


class TimelineScreen(SectionScreen):
    SECTION = "timeline"
    CSS_PATH = "timeline.tcss"
    AUTO_FOCUS = "#entry"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "delete", "Delete", id="timeline.delete"),
        Binding("i", "focus_entry", "Entry line", id="timeline.entry"),
    ]

    def compose_section(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="events")
        yield Static("", id="entry-error", classes="field-error")
        yield Input(placeholder=f"add an event: {ENTRY_FORMS}", compact=True, id="entry")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (
            ("time", "Time"),
            ("offset", "T+"),
            ("kind", "Kind"),
            ("text", "Event"),
            ("actor", "Actor"),
        ):
            table.add_column(label, key=key)
        super().on_mount()

    def show(self, pm: Postmortem, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        started = self.workspace.metrics().started
        last_day = None
        for event in pm.events:
            local = to_zone(event.at, pm.timezone)
            time = local.strftime("%H:%M:%S" if local.second else "%H:%M")
            if local.date() != last_day:
                time = f"{local:%Y-%m-%d} {time}"
                last_day = local.date()
            offset = offset_words((event.at - started).total_seconds()) if started else ""
            kind = f"[b]{event.kind}[/b]" if EventKind(event.kind).is_milestone else event.kind
            table.add_row(time, offset, kind, event.text, event.actor, key=str(event.id))
        ids = [e.id for e in pm.events]
        if select in ids:
            table.move_cursor(row=ids.index(select))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "entry" or not event.value.strip():
            return
        event.stop()
        pm = self.pm
        error = self.query_one("#entry-error", Static)
        try:
            entry = parse_entry(
                event.value,
                pm.timezone,
                now=self.workspace.clock(),
                anchor=pm.events[-1].at if pm.events else None,
            )
            row = self.workspace.store.add(
                TimelineEvent(
                    postmortem_id=self.workspace.pm_id,
                    at=entry.at,
                    kind=(entry.kind or EventKind.NOTE).value,
                    text=entry.text,
                    actor=entry.actor or "",
                )
            )
        except PostmortemError as exc:
            error.update(str(exc))
            return
        error.update("")
        event.input.value = ""
        self.after_write()
        self.show(self.pm, select=row.id)

    def action_focus_entry(self) -> None:
        self.query_one("#entry", Input).focus()

    def action_delete(self) -> None:
        table = self.query_one(DataTable)
        if not self.pm.events or not table.has_focus:
            return
        event = self.pm.events[table.cursor_row]
        assert event.id is not None
        self.workspace.undo.push(
            f"event “{event.text[:40]}”", self.workspace.store.delete(TimelineEvent, event.id)
        )
        self.after_write()
        self.show(self.pm)
