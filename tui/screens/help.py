"""Help: every key of the screen it was opened from, as that screen sees them now."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.sections import SECTIONS


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table(
            title=f"Keys: {self.target.sub_title or self.target.title or 'this screen'}",
            expand=True,
            show_edge=False,
            box=None,
            padding=(0, 2),
        )
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        seen: set[tuple[str, str]] = set()
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action.startswith("app.open_section"):
                continue
            shown = self.app.get_key_display(binding)
            if (shown, binding.description) not in seen:
                seen.add((shown, binding.description))
                table.add_row(shown or key, binding.description)
        if self.target.name and "-" in (self.target.name or ""):
            for section in SECTIONS:
                table.add_row(section.key, f"Go to {section.title}")
            table.add_row("ctrl+pagedown / ctrl+pageup", "Next / previous section")
        table.add_row("ctrl+p", "Command palette: every action by name")
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
