"""Timeline of Events: the live editor, usable while the incident is still going on.

Everything is driven from one entry line at the bottom. Adding an event doesn't
reload the postmortem: the new row is inserted into the loaded list in time
order and the frame recomputed from memory, so an entry costs milliseconds even
with ten thousand events on the timeline.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from models.entry import ENTRY_FORMS, Entry, actor_token, parse_entry
from models.enums import EventKind
from models.errors import PostmortemError
from models.history import Change
from models.logimport import choose_reference, plan_import
from models.metrics import Metrics
from models.tables import Postmortem, TimelineEvent
from models.timeparse import to_zone
from models.usertext import printable, shown
from tui.press_twice import PressTwice
from tui.screens.dialogs import ChoiceDialog
from tui.screens.import_preview import ImportPreview
from tui.screens.section import SectionScreen
from tui.widgets.entry_input import EntryInput
from tui.widgets.metrics_panel import MetricsPanel
from tui.widgets.text_input import TextInput
from tui.widgets.timeline_view import TimelineView

KIND_LABELS = {
    EventKind.STARTED: "started: impact began (milestone)",
    EventKind.DETECTED: "detected: someone or something noticed (milestone)",
    EventKind.NOTIFIED: "notified: responders were paged (milestone)",
    EventKind.RESPONDED: "responded: a responder engaged (milestone)",
    EventKind.MITIGATED: "mitigated: impact ended (milestone)",
    EventKind.RESOLVED: "resolved: the incident closed (milestone)",
    EventKind.ACTION: "action: something the responders did",
    EventKind.COMMUNICATION: "communication: an update to users or the company",
    EventKind.NOTE: "note: anything else",
}
LIST_ACTIONS = ("edit", "pick_kind", "delete", "milestones", "filter", "zone")
# How a line break in an event's text shows in the one-line entry while editing.
NEWLINE_MARK = " ⏎ "


def order_key(event: TimelineEvent) -> tuple[dt.datetime, int]:
    return (event.at, event.id or 0)


class TimelineScreen(SectionScreen):
    SECTION = "timeline"
    CSS_PATH = "timeline.tcss"
    AUTO_FOCUS = "#entry"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,e", "edit", "Edit", id="timeline.edit"),
        Binding("t", "pick_kind", "Kind…", id="timeline.kind"),
        Binding("d", "delete", "Delete (dd)", id="timeline.delete"),
        Binding("delete", "delete(True)", "Delete", show=False, id="timeline.delete_now"),
        Binding("m", "milestones", "Milestones", id="timeline.milestones"),
        Binding("slash", "filter", "Filter", id="timeline.filter"),
        Binding("z", "zone", "Zone/UTC", id="timeline.zone"),
        Binding("i", "focus_entry", "Entry line", id="timeline.entry", show=False),
        # In the entry line, the arrows still move the selection (it anchors +5m).
        Binding("up", "move(-1)", "Previous event", show=False, id="timeline.entry_up"),
        Binding("down", "move(1)", "Next event", show=False, id="timeline.entry_down"),
        Binding("escape", "escape", "Back", id="timeline.escape"),
    ]

    def __init__(self, workspace: Any) -> None:
        super().__init__(workspace)
        self.editing: int | None = None
        self._editing_text = ""  # what the entry line held when editing began
        self._delete = PressTwice()
        self._discard = PressTwice()
        self.entry_slot = self.slot("entry", "Entry line")
        self.edit_slot = self.slot("entry-edit", "Event being edited")

    def on_key(self, event: events.Key) -> None:
        """Any key between two d's disarms the first (``d j k d`` deletes nothing)."""
        self._delete.key(event.key)

    def compose_section(self) -> ComposeResult:
        with Horizontal(id="timeline-main"):
            with Vertical(id="timeline-left"):
                yield Static("", id="timeline-header", markup=False)
                yield TimelineView(id="timeline-view")
                yield Static("", id="timeline-detail", markup=False)
                yield TextInput(
                    placeholder="filter: words in the text or actor; escape clears",
                    compact=True,
                    id="timeline-filter",
                )
                yield Static("", id="entry-error", markup=False)
                yield Label("New event  ·  " + ENTRY_FORMS, id="entry-mode")
                yield EntryInput(
                    placeholder="14:32 Pager fired #detected @alertmanager",
                    compact=True,
                    id="entry",
                )
            yield MetricsPanel(id="timeline-side")

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    @property
    def entry(self) -> EntryInput:
        return self.query_one(EntryInput)

    def on_mount(self) -> None:
        self.query_one("#timeline-filter").display = False
        self.query_one("#entry-error").display = False
        super().on_mount()
        if (draft := self.entry_slot.draft) is not None:  # typed before it was last closed
            self.entry.value = draft.text
            self._error(draft.problem)

    def home(self) -> Widget:
        return self.view

    def on_unmount(self) -> None:
        self.edit_slot.clear()  # an edit can't outlive the screen it was made on

    def on_resize(self) -> None:
        self.query_one("#timeline-side").display = self.app.size.width >= 100
        self._show_header()

    # ------------------------------------------------------------------ show

    def show(
        self, pm: Postmortem, select: int | None = None, metrics: Metrics | None = None
    ) -> None:
        metrics = metrics or self.workspace.metrics()
        self.view.set_events(pm.events, tz=pm.timezone, started=metrics.started, select_id=select)
        self.query_one(MetricsPanel).show(metrics, self.view.display_zone)
        self._show_header()
        self._show_detail()

    def show_change(self, change: Change) -> None:
        ids = [row_id for table, row_id in change.rows if table == "timeline_event"]
        self.show(self.pm, select=ids[0] if ids else None)

    def _show_header(self) -> None:
        view = self.view
        filters = []
        if view.milestones_only:
            filters.append("milestones only")
        if view.text_filter:
            filters.append(f"filter {shown(view.text_filter, 30)}")
        counts = f"{', '.join(filters)}: {len(view.rows)} of {len(view.events)}" if filters else ""
        note = f"{counts} · " if counts else ""
        self.query_one("#timeline-header", Static).update(
            f"{view.header(view.scrollable_content_region.width).rstrip()}   "
            f"{note}times in {view.display_zone}"
        )

    def _show_detail(self) -> None:
        event = self.view.selected()
        detail = self.query_one("#timeline-detail", Static)
        if event is None:
            detail.update(
                "No events yet. Type one below: “14:32 Pager fired #detected”, or paste a chat log."
            )
            return
        local = to_zone(event.at, self.view.display_zone)
        who = f" · {printable(event.actor)}" if event.actor else ""
        detail.update(
            Text(f"{local:%a %d %b %Y %H:%M:%S %Z} · {event.kind}{who}\n{printable(event.text)}")
        )

    def on_timeline_view_highlighted(self, _message: TimelineView.Highlighted) -> None:
        self._show_detail()

    def _after_change(self, select: int | None) -> None:
        """Recompute the frame from the in-memory events: no reload from the database."""
        self.show(self.pm, select, self.refresh_frame())  # one pass over the events, not two

    # ------------------------------------------------------------------ entry line

    def _reference(self) -> tuple[dt.date | None, dt.datetime | None]:
        """The date a bare 14:32 falls on, and the event +5m counts from."""
        selected = self.view.selected()
        events = self.pm.events
        anchor = selected.at if selected else (events[-1].at if events else None)
        if selected is not None:
            return to_zone(selected.at, self.pm.timezone).date(), anchor
        started = self.workspace.metrics().started
        return (to_zone(started, self.pm.timezone).date() if started else None), anchor

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "timeline-filter":
            event.stop()
            self.set_focus(self.view)
            return
        if event.input.id != "entry":
            return
        event.stop()
        if not event.value.strip() and self.editing is None:
            return
        if self.editing is not None and event.value == self._editing_text:
            self._error("")  # enter on an unchanged event: nothing to save
            self._stop_editing(refocus=True)
            return
        reference, anchor = self._reference()
        try:
            entry = parse_entry(
                event.value,
                self.pm.timezone,
                now=self.workspace.clock(),
                reference=reference,
                anchor=anchor,
                started=self.workspace.metrics().started,
            )
            if self.editing is not None:
                row = self._update(self.editing, entry)
            else:
                row = self._insert(
                    entry.at, (entry.kind or EventKind.NOTE).value, entry.text, entry.actor or ""
                )
        except PostmortemError as exc:
            # The text stays in the line, with the reason right above it.
            self._error(" ".join(str(exc).split()))
            self.entry_slot.hold(event.value, " ".join(str(exc).split()))
            return
        self._error("")
        self._stop_editing(refocus=False)
        self.entry.value = ""
        self.entry_slot.clear()
        self._after_change(row.id)

    def _error(self, message: str) -> None:
        error = self.query_one("#entry-error", Static)
        error.update(message)
        error.display = bool(message)
        self.entry.set_class(bool(message), "-invalid")

    def _insert(self, at: dt.datetime, kind: str, text: str, actor: str) -> TimelineEvent:
        row = self.workspace.store.add(
            TimelineEvent(
                postmortem_id=self.workspace.pm_id, at=at, kind=kind, text=text, actor=actor
            )
        )
        events = self.pm.events
        events.insert(bisect.bisect_right(events, order_key(row), key=order_key), row)
        return row

    def _update(self, event_id: int, entry: Entry) -> TimelineEvent:
        """Save an edited event. What the line doesn't name stays as it was: no
        time keeps the time, no #tag the kind, no @name the actor (@- clears it)."""
        fields: dict[str, object] = {"text": entry.text.replace(NEWLINE_MARK, "\n")}
        if entry.timed:
            fields["at"] = entry.at
        if entry.kind is not None:
            fields["kind"] = entry.kind.value
        if entry.actor is not None:
            fields["actor"] = "" if entry.actor == "-" else entry.actor
        row = self.workspace.store.update(TimelineEvent, event_id, **fields)
        events = self.pm.events
        events[:] = [e for e in events if e.id != event_id]
        events.insert(bisect.bisect_right(events, order_key(row), key=order_key), row)
        return row

    # ------------------------------------------------------------------ editing

    def action_edit(self) -> None:
        event = self.view.selected()
        if event is None or event.id is None:
            return
        local = to_zone(event.at, self.pm.timezone)
        # Every part of the event is in the line, so nothing is lost by saving it:
        # a joined line's breaks as ⏎, an actor with spaces quoted.
        text = printable(event.text).replace("\n", NEWLINE_MARK)
        parts = [local.strftime("%Y-%m-%d %H:%M:%S"), text, f"#{event.kind}"]
        if event.actor:
            parts.append(actor_token(event.actor))
        self.editing = event.id
        self.entry.value = self._editing_text = " ".join(p for p in parts if p)
        self.entry.cursor_position = len(self.entry.value)  # typing appends
        self.query_one("#entry-mode", Label).update(
            f"Editing the {local:%H:%M} event  ·  enter saves · escape cancels"
        )
        self.entry.add_class("-editing")
        self.set_focus(self.entry)

    def _stop_editing(self, *, refocus: bool) -> None:
        if self.editing is None:
            return
        self.editing = None
        self.edit_slot.clear()
        self.query_one("#entry-mode", Label).update("New event  ·  " + ENTRY_FORMS)
        self.entry.remove_class("-editing")
        if refocus:
            self.entry.value = ""
            self.entry_slot.clear()
            self.set_focus(self.view)

    def action_escape(self) -> None:
        """Up one level, never through typed text: cancel an edit (twice if the
        text was changed), close the filter, leave the entry line for the list
        (its text stays), and only from the list go back to the library."""
        filter_box = self.query_one("#timeline-filter", Input)
        if self.editing is not None:
            if self.entry.value != self._editing_text and not self._discard.second("edit"):
                self._error("Escape again to drop your changes to this event; enter saves them")
                return
            self._error("")
            self._stop_editing(refocus=True)
        elif filter_box.display:
            filter_box.value = ""
            filter_box.display = False
            self.view.set_filter(text="")
            self._show_header()
            self.set_focus(self.view)
        elif self.focused is not self.view:
            self.set_focus(self.view)
        else:
            self.run_worker(self.pm_app.action_close_postmortem())

    # ------------------------------------------------------------------ list keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letter keys act on the list; in the entry line they are typing, so
        # they leave the footer until the list has focus.
        if action in LIST_ACTIONS:
            return self.view.has_focus
        return True

    def action_move(self, delta: int) -> None:
        self.view.cursor += delta

    def action_focus_entry(self) -> None:
        self.set_focus(self.entry)

    def action_pick_kind(self) -> None:
        """Change the kind by picking it from the list: a milestone moves the
        incident's metrics, so it is chosen, never cycled into by a stray key."""
        event = self.view.selected()
        if event is None or event.id is None:
            return
        event_id = event.id

        def picked(kind: str | None) -> None:
            if kind is None or kind == event.kind:
                return
            row = self.workspace.store.update(TimelineEvent, event_id, kind=kind)
            event.kind = row.kind
            self._after_change(event_id)

        self.app.push_screen(
            ChoiceDialog(
                f"Kind of the event {shown(event.text, 40)}",
                [(k.value, label) for k, label in KIND_LABELS.items()],
                current=event.kind,
            ),
            picked,
        )

    def action_delete(self, now: bool = False) -> None:
        event = self.view.selected()
        if event is None or event.id is None:
            return
        if not now and not self._delete.second(event.id):
            self.notify(f"Press d again to delete the event {shown(event.text, 40)}", timeout=3)
            return
        # The cursor stays where it was: on the next event, or the new last one.
        rows, cursor = self.view.rows, self.view.cursor
        following = rows[cursor + 1] if cursor + 1 < len(rows) else None
        if following is None and cursor:
            following = rows[cursor - 1]
        keep = self.view.events[following].id if following is not None else None
        self.workspace.store.delete(TimelineEvent, event.id)
        self.pm.events.remove(event)
        self._after_change(keep)
        self.notify(f"Deleted the event {shown(event.text, 40)}. ctrl+z brings it back.")

    def action_milestones(self) -> None:
        self.view.set_filter(milestones_only=not self.view.milestones_only)
        self._show_header()

    def action_filter(self) -> None:
        box = self.query_one("#timeline-filter", Input)
        box.display = True
        self.set_focus(box)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "timeline-filter":
            self.view.set_filter(text=event.value)
            self._show_header()
        elif event.input.id == "entry":
            self._discard.reset()
            if self.editing is None:
                # Unsent text is a draft: the header counts it, quitting asks, and
                # closing the postmortem keeps it for next time.
                self.entry_slot.hold(event.value)
            else:
                self.edit_slot.hold(event.value if event.value != self._editing_text else "")
            if self.query_one("#entry-error", Static).display:
                self._error("")

    def action_zone(self) -> None:
        self.view.show_utc = not self.view.show_utc
        self.show(self.pm)

    # ------------------------------------------------------------------ paste a log

    def on_entry_input_multi_line_paste(self, message: EntryInput.MultiLinePaste) -> None:
        """Preview a pasted log (models.logimport); Enter in the preview imports it."""
        now = self.workspace.clock()
        tz = self.pm.timezone
        reference, source = choose_reference(None, self.workspace.metrics().started, now, tz)
        try:
            plan = plan_import(
                message.text,
                tz,
                existing=((e.at, e.text, e.actor) for e in self.pm.events),
                reference=reference,
                date_source=source,
                now=now,
            )
        except PostmortemError as exc:
            self._error(f"Nothing added: {exc}")
            return
        if not plan.log.events and not plan.blocked:
            self._error(
                "Nothing added: no line of the paste starts with a time like 14:32, "
                f"2:32 PM or 2026-11-28T14:32Z ({plan.log.line_count} lines read)"
            )
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                self.notify("Import cancelled: nothing added", markup=False)
                return
            try:
                if plan.to_add:
                    self.workspace.store.add_events(self.workspace.pm_id, plan.rows())
            except PostmortemError as exc:
                self._error(str(exc))
                return
            self._error("")
            pm = self.workspace.reload()
            last = plan.to_add[-1].row() if plan.to_add else None
            select = next(
                (
                    e.id
                    for e in reversed(pm.events)
                    if last and (e.at, e.kind, e.text, e.actor) == last
                ),
                None,
            )
            self._after_change(select)
            self.notify(plan.summary(), markup=False, timeout=10)

        self.app.push_screen(ImportPreview(plan, self.pm.title), confirmed)
