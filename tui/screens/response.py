"""Response Evaluation: what went well, what went wrong, where we got lucky."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import ListView, Static

from models.enums import ResponseSection
from models.history import Change
from models.tables import Postmortem, ResponseItem
from models.usertext import shown
from tui.screens.section import SectionScreen
from tui.widgets.editable_list import EditableList

LISTS = (
    (ResponseSection.WENT_WELL, "What went well", "Alerts that fired, runbooks that worked…"),
    (ResponseSection.WENT_WRONG, "What went wrong", "Where time was lost, what misled us…"),
    (ResponseSection.LUCKY, "Where we got lucky", "What saved us that we can't count on…"),
)


class ResponseScreen(SectionScreen):
    SECTION = "response"
    CSS_PATH = "response.tcss"
    AUTO_FOCUS = "#list-went_well ListView"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_section(self) -> ComposeResult:
        with Vertical(id="response-lists"):
            for section, title, hint in LISTS:
                yield EditableList(
                    title,
                    empty_hint=f"Nothing yet: press a to add. {hint}",
                    id=f"list-{section.value}",
                    slot=self.slot(f"list-{section.value}", title),
                )
        keys = "a add · enter edit · dd delete · shift+↑↓ move · tab next list · ctrl+z undo"
        yield Static(keys, classes="hint")

    def show(self, pm: Postmortem, select: int | None = None) -> None:
        for section, _, _ in LISTS:
            items = [(i.id, i.text) for i in pm.response(section.value) if i.id is not None]
            self.query_one(f"#list-{section.value}", EditableList).show(items, select=select)

    def show_change(self, change: Change) -> None:
        ids = [row_id for table, row_id in change.rows if table == "response_item"]
        self.show(self.pm, select=ids[0] if ids else None)

    def home(self) -> Widget:
        lists = [w for w in self.query(EditableList) if w.list_view.has_focus]
        return lists[0].list_view if lists else self.query(ListView).first()

    def _section_of(self, widget: EditableList) -> str:
        assert widget.id is not None
        return widget.id.removeprefix("list-")

    def _done(self, select: int | None = None) -> None:
        self.after_write()
        self.show(self.pm, select)

    def on_editable_list_added(self, event: EditableList.Added) -> None:
        row = ResponseItem(
            postmortem_id=self.workspace.pm_id,
            section=self._section_of(event.source),
            text=event.text,
        )
        if self.write("add the item", lambda: self.workspace.store.add(row, after=event.after)):
            self._done(row.id)

    def on_editable_list_edited(self, event: EditableList.Edited) -> None:
        if self.write(
            "save the item",
            lambda: self.workspace.store.update(ResponseItem, event.item_id, text=event.text),
        ):
            self._done(event.item_id)

    def on_editable_list_deleted(self, event: EditableList.Deleted) -> None:
        text = dict(event.source.items).get(event.item_id, "")
        self.workspace.store.delete(ResponseItem, event.item_id)
        self._done(event.following)
        self.notify(f"Deleted {shown(text, 40)}. ctrl+z brings it back.")

    def on_editable_list_moved(self, event: EditableList.Moved) -> None:
        if self.workspace.store.move(ResponseItem, event.item_id, event.delta):
            self._done(event.item_id)
