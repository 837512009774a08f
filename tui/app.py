"""The Textual application."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from models.store import Store
from models.timefmt import duration_words, local_time


class PostmortemApp(App[None]):
    TITLE = "postmortem"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", id="library")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Title", "Severity", "Status", "Started", "Duration", "Open actions")
        for s in self.store.list_postmortems():
            table.add_row(
                s.title,
                s.severity,
                s.status,
                local_time(s.started, s.timezone),
                duration_words(s.impact_duration),
                str(s.open_actions),
                key=str(s.id),
            )
