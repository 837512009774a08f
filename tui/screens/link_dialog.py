"""Pick a postmortem to link: search as you type, enter picks the highlighted one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from models.errors import PostmortemError
from models.usertext import printable
from tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from models.store import Store


class LinkDialog(ModalScreen[int | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="link.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="link.down"),
        Binding("up", "move(-1)", "Up", show=False, id="link.up"),
    ]

    def __init__(self, store: Store, pm_id: int, title: str) -> None:
        super().__init__()
        self.store = store
        self.pm_id = pm_id
        self.title_text = title
        self.ids: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="question", markup=False)
            yield TextInput(placeholder="search: words, service:, tag:, sev:…", id="link-query")
            yield OptionList(id="link-results")
            yield Static("", classes="error", id="link-error", markup=False)
            yield Label("enter links the highlighted one · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(TextInput))
        self._search("")

    def _search(self, text: str) -> None:
        from models.search.query import QueryError
        from tui.screens.library import as_you_type

        options = self.query_one(OptionList)
        error = self.query_one("#link-error", Static)
        try:
            if text.strip():
                found = self.store.search(
                    as_you_type(text), limit=30, per_postmortem=1, lenient=True
                )
                rows = [(r.pm_id, r.title, r.facts.day.isoformat()) for r in found.results]
            else:
                rows = [
                    (s.id, s.title, s.started.date().isoformat() if s.started else "—")
                    for s in self.store.list_postmortems()[:30]
                ]
        except (QueryError, PostmortemError) as exc:
            error.update(str(exc))
            return
        error.update("")
        rows = [r for r in rows if r[0] != self.pm_id]
        self.ids = [r[0] for r in rows]
        options.clear_options()
        options.add_options(
            [
                Option(Text(f"#{pm_id}  {day}  {printable(title)}"), id=str(pm_id))
                for pm_id, title, day in rows
            ]
        )
        if rows:
            options.highlighted = 0

    def on_input_changed(self, event: TextInput.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.ids:
            self.dismiss(self.ids[options.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
