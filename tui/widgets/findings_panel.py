"""Review findings on the Overview: what `postmortem check` would report.

One line per finding, like a linter; the highlighted one's reason is shown
under the list, and enter opens the section (and row) it is about.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Label, Static

from models.check import Finding
from models.usertext import printable
from tui.widgets.vim_lists import VimDataTable

RULE_STYLE = {
    "blaming": "bold magenta",
    "overdue": "bold red",
    "milestone": "yellow",
    "incomplete": "cyan",
    "owner": "yellow",
    "due": "yellow",
}


class FindingsPanel(Vertical):
    class Open(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield Label("Ready for review?", classes="panel-title", id="findings-title")
        yield VimDataTable(cursor_type="row", id="findings-table", show_header=False)
        yield Static("", id="findings-why", markup=False, classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("rule", key="rule", width=10)
        table.add_column("finding", key="finding")

    def show(self, findings: Sequence[Finding], problem: str = "") -> None:
        self.findings = list(findings)
        table = self.query_one(DataTable)
        table.clear()
        title = self.query_one("#findings-title", Label)
        if not self.findings:
            title.update("Ready for review: no findings (the same checks as `postmortem check`)")
        else:
            n = len(self.findings)
            title.update(
                f"Ready for review? {n} finding{'s' if n != 1 else ''} "
                "(as `postmortem check`; enter opens the place)"
            )
        for f in self.findings:
            table.add_row(
                Text(f.rule, style=RULE_STYLE.get(f.rule, "")),
                Text(printable(f"{f.place}: {f.message}"), overflow="ellipsis", no_wrap=True),
            )
        table.styles.height = max(1, min(len(self.findings), 12))
        table.display = bool(self.findings)
        self._show_why(problem)

    def _show_why(self, problem: str = "") -> None:
        why = self.query_one("#findings-why", Static)
        row = self.query_one(DataTable).cursor_row
        text = problem
        if not text and self.findings and 0 <= row < len(self.findings):
            text = f"why: {self.findings[row].why}"
        why.update(printable(text))
        why.display = bool(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_why()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.findings):
            self.post_message(self.Open(self.findings[row]))
