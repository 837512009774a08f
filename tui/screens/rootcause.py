"""Root Cause Analysis: 5 Whys chains and the Fishbone builder, on two tabs."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, TabbedContent, TabPane, Tree

from models.history import Change
from models.tables import Postmortem
from tui.screens.section import SectionScreen
from tui.widgets.fishbone_pane import FishbonePane
from tui.widgets.tree_pane import TreePane
from tui.widgets.whys_pane import WhysPane

# The tree nodes' kinds, by the table a changed row is in.
NODE_KINDS: dict[str, str] = {
    "why_chain": "chain",
    "why": "why",
    "fishbone_category": "category",
    "fishbone_cause": "cause",
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
        # Opened at a search hit on the fishbone: start there, focus included, or
        # the 5 Whys tree's auto-focus would switch the tab back afterwards.
        reveal = self.pending_reveal
        fishbone = reveal is not None and reveal[0] not in ("why_chain", "why")
        if fishbone:
            self.AUTO_FOCUS = "#fishbone-tree"  # type: ignore[misc]
        with TabbedContent(id="rootcause-tabs", initial="fishbone" if fishbone else "whys"):
            history = self.pm_app.history
            with TabPane("5 Whys (w)", id="whys"):
                yield WhysPane(
                    self.workspace,
                    history=history,
                    slot=self.slot("whys-editor", "5 Whys editor"),
                )
            with TabPane("Fishbone (b)", id="fishbone"):
                yield FishbonePane(
                    self.workspace,
                    history=history,
                    make_field=self.make_field,
                    slot=self.slot("fishbone-editor", "Fishbone editor"),
                )

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 100, "narrow")

    def show(self, pm: Postmortem) -> None:
        self.query_one(WhysPane).show(pm)
        self.query_one(FishbonePane).show(pm)

    def show_change(self, change: Change) -> None:
        rows = [(NODE_KINDS[t], i) for t, i in change.rows if t in NODE_KINDS]
        select = rows[0] if rows else None
        whys_rows = select is not None and select[0] in ("chain", "why")
        self.query_one(WhysPane).show(self.pm, select if whys_rows else None)
        self.query_one(FishbonePane).show(self.pm, None if whys_rows else select)

    def reveal(self, table: str, row_id: int, field: str = "") -> None:
        """A search hit opens the tab that holds it: 5 Whys or the fishbone."""
        self.query_one(TabbedContent).active = (
            "whys" if table in ("why_chain", "why") else "fishbone"
        )
        super().reveal(table, row_id, field)

    def action_leave(self) -> None:
        if self.maximized is not None:  # the zoomed fishbone: unzoom, back to the tree
            self.query_one(FishbonePane).action_zoom()
            return
        super().action_leave()

    def home(self) -> Widget:
        tabs = self.query_one(TabbedContent)
        pane = self.query_one(WhysPane) if tabs.active == "whys" else self.query_one(FishbonePane)
        tree: Tree[object] = pane.nodes  # type: ignore[assignment]
        return tree

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
