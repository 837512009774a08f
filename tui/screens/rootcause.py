"""Root Cause Analysis: 5 Whys chains and the Fishbone builder, on two tabs."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import SQLModel
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, TabbedContent, TabPane

from models.tables import FishboneCategory, FishboneCause, Postmortem, Why, WhyChain
from tui.screens.section import SectionScreen
from tui.widgets.fishbone_pane import FishbonePane
from tui.widgets.tree_pane import TreePane
from tui.widgets.whys_pane import WhysPane

# The tree nodes' kinds, by the table a restored row comes from.
RESTORED_KINDS: dict[type[SQLModel], str] = {
    WhyChain: "chain",
    Why: "why",
    FishboneCategory: "category",
    FishboneCause: "cause",
}


class RootCauseScreen(SectionScreen):
    SECTION = "rootcause"
    CSS_PATH = "rootcause.tcss"
    AUTO_FOCUS = "#whys-tree"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "tab('whys')", "5 Whys", id="rootcause.whys"),
        Binding("b", "tab('fishbone')", "Fishbone", id="rootcause.fishbone"),
    ]

    def __init__(self, workspace: Any) -> None:
        super().__init__(workspace)

    def compose_section(self) -> ComposeResult:
        with TabbedContent(id="rootcause-tabs"):
            with TabPane("5 Whys (w)", id="whys"):
                yield WhysPane(self.workspace)
            with TabPane("Fishbone (b)", id="fishbone"):
                yield FishbonePane(self.workspace)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 100, "narrow")

    def show(self, pm: Postmortem) -> None:
        self.query_one(WhysPane).show(pm)
        self.query_one(FishbonePane).show(pm)

    def show_restored(self, table: type[SQLModel], row_id: int) -> None:
        kind = RESTORED_KINDS.get(table)
        select = (kind, row_id) if kind else None
        whys_rows = table in (WhyChain, Why)
        self.query_one(WhysPane).show(self.pm, select if whys_rows else None)
        self.query_one(FishbonePane).show(self.pm, None if whys_rows else select)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab":  # letters are typing in an editor or the effect field
            return not isinstance(self.focused, Input)
        return True

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        pane = self.query_one(WhysPane) if tab == "whys" else self.query_one(FishbonePane)
        pane.focus_main()

    def on_tree_pane_changed(self, message: TreePane.Changed) -> None:
        self.refresh_frame()
        if isinstance(message.pane, WhysPane):  # f sends a why to the fishbone
            self.query_one(FishbonePane).show(self.pm)
