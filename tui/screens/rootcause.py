"""Root Cause Analysis: 5 Whys chains and the Fishbone diagram."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from models.markdown import root_cause_section
from models.tables import Postmortem
from tui.screens.section import SectionScreen


class RootCauseScreen(SectionScreen):
    SECTION = "rootcause"
    AUTO_FOCUS = "#rootcause-view"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_section(self) -> ComposeResult:
        with VerticalScroll(id="rootcause-view"):
            yield Markdown("", id="rootcause-markdown")

    def show(self, pm: Postmortem) -> None:
        self.query_one("#rootcause-markdown", Markdown).update(root_cause_section(pm))
