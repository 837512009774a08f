"""The Fishbone builder: a tree of categories and causes, and the live diagram.

The tree is where the editing happens; the diagram beside it is redrawn by
models.fishbone.render after every change, at the pane's width, the same
function the Markdown export uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from models.errors import PostmortemError
from models.fishbone import PRESETS, from_tables, missing_categories, render
from models.rules import check_fields
from models.tables import FishboneCategory, FishboneCause, Postmortem
from models.usertext import printable, shown
from tui.drafts import DraftSlot
from tui.screens.dialogs import ChoiceDialog
from tui.widgets.field import Field
from tui.widgets.inline_editor import InlineEditor
from tui.widgets.reorder_tree import ReorderTree
from tui.widgets.tree_pane import TreePane

if TYPE_CHECKING:
    from models.history import History
    from tui.workspace import Workspace

MakeField = Callable[..., Field]

NodeData = tuple[str, int]  # ("category" | "cause", row id)
# Narrower panes scroll sideways (or zoom with z) rather than squeeze the bones:
# each column of bones gets at least this many cells, plus room for the head.
CELLS_PER_BONE_COLUMN = 22
HEAD_CELLS = 28
MAX_DIAGRAM_WIDTH = 220


class DiagramScroll(ScrollableContainer):
    ALLOW_MAXIMIZE = True  # z shows the diagram full screen


class CauseTree(ReorderTree[NodeData]):
    """x marks a root cause ([x], as a checklist). Not space: in less, space pages
    down, and a reader paging through the causes must not flip flags."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "toggle_root", "Root cause", id="fishbone.toggle_root"),
    ]

    def action_toggle_root(self) -> None:
        pane = next(a for a in self.ancestors if isinstance(a, FishbonePane))
        pane.action_toggle_root()


class FishbonePane(TreePane[NodeData]):
    EDITOR_ID = "fishbone-editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_category", "Add category", id="fishbone.add_category"),
        Binding("c", "add_cause", "Add cause", id="fishbone.add_cause"),
        Binding("r", "rename", "Rename", id="fishbone.rename"),
        Binding("d", "delete", "Delete (dd)", id="fishbone.delete"),
        Binding("p", "preset", "Preset", id="fishbone.preset"),
        Binding("z", "zoom", "Zoom", id="fishbone.zoom"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        history: History,
        make_field: MakeField,
        slot: DraftSlot | None = None,
    ) -> None:
        """``make_field`` builds the effect field with the screen's autosave and drafts."""
        super().__init__(workspace, id="fishbone-pane", history=history, slot=slot)
        self.make_field = make_field

    def compose(self) -> ComposeResult:
        yield self.make_field(
            "Effect",
            key="fishbone-effect",
            placeholder="the problem at the fish's head, e.g. “Checkout 502s for 52 min”",
            parse=lambda t: check_fields("postmortem", {"fishbone_effect": t})["fishbone_effect"],
            save=lambda value, _: self._save_effect(value),
        )
        with Horizontal(id="fishbone-main"):
            tree = CauseTree("Fishbone", id="fishbone-tree")
            tree.show_root = False
            tree.auto_expand = False
            yield tree
            with DiagramScroll(id="diagram-scroll"):
                yield Static("", id="diagram")
        yield InlineEditor(id="fishbone-editor", slot=self.slot)
        yield Static(
            "a category · c cause · enter rename · x root · dd delete · p preset · z zoom",
            classes="hint pane-hint",
        )

    @property
    def nodes(self) -> CauseTree:
        return self.query_one(CauseTree)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.editor.is_open:
            return False
        if action in ("add_category", "add_cause", "rename", "delete", "move", "preset"):
            return self.nodes.has_focus or self.query_one("#diagram-scroll").has_focus
        return True

    # ------------------------------------------------------------------ show

    def show(self, pm: Postmortem, select: NodeData | None = None) -> None:
        self.query_one("#field-fishbone-effect", Field).set_value(pm.fishbone_effect)
        tree = self.nodes
        current = select or (tree.cursor_node.data if tree.cursor_node else None)
        tree.clear()
        wanted: TreeNode[NodeData] | None = None

        def add_causes(parent: TreeNode[NodeData], causes: list[FishboneCause]) -> None:
            nonlocal wanted
            for cause in causes:
                assert cause.id is not None
                label = Text()
                if cause.root_cause:
                    label.append("★ ", style="bold red")
                label.append(printable(cause.text), style="bold" if cause.root_cause else "")
                node = parent.add(
                    label, data=("cause", cause.id), expand=True, allow_expand=bool(cause.children)
                )
                if current == ("cause", cause.id):
                    wanted = node
                add_causes(node, cause.children)

        for category in pm.categories:
            assert category.id is not None
            node = tree.root.add(
                Text(printable(category.name), style="bold"),
                data=("category", category.id),
                expand=True,
            )
            if current == ("category", category.id):
                wanted = node
            add_causes(node, category.causes)
        # A rebuilt tree has no lines until it is laid out: place the cursor after.
        self.call_after_refresh(self._place_cursor, wanted)
        self.redraw()

    def redraw(self) -> None:
        pm = self.workspace.pm
        scroll = self.query_one("#diagram-scroll")
        columns = (len(pm.categories) + 1) // 2
        readable = min(MAX_DIAGRAM_WIDTH, CELLS_PER_BONE_COLUMN * columns + HEAD_CELLS)
        width = max(readable, scroll.size.width - 2)
        lines = render(pm.fishbone_effect, from_tables(pm.categories), width)
        text = Text(printable("\n".join(lines)))
        text.highlight_regex(r"★ [^│╲╱┃\n]*", style="bold red")
        text.highlight_regex(r"[┏┓┗┛┃━]+", style="bold")
        self.query_one("#diagram", Static).update(text)

    def on_resize(self) -> None:
        self.redraw()

    def _save_effect(self, value: str) -> None:
        self.workspace.store.update_postmortem(self.workspace.pm_id, fishbone_effect=value)
        self._changed()

    # ------------------------------------------------------------------ editing

    def action_add_category(self) -> None:
        self.editor.open("New category (e.g. Monitoring)", "", ("add_category",))

    def action_add_cause(self) -> None:
        data = self._selected()
        if data is None:
            self.notify("Add a category first (a), or apply a preset (p)")
            return
        where = "under the category" if data[0] == "category" else "under the selected cause"
        self.editor.open(f"New cause {where}", "", ("add_cause", *data))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        self.action_rename()

    def action_rename(self) -> None:
        data = self._selected()
        if data is None:
            return
        pm = self.workspace.pm
        if data[0] == "category":
            name = next(c.name for c in pm.categories if c.id == data[1])
            self.editor.open("Rename category", name, ("rename", *data))
        else:
            cause = self._find_cause(data[1])
            self.editor.open("Edit cause", cause.text if cause else "", ("rename", *data))

    def _find_cause(self, cause_id: int) -> FishboneCause | None:
        def search(causes: list[FishboneCause]) -> FishboneCause | None:
            for cause in causes:
                if cause.id == cause_id:
                    return cause
                found = search(cause.children)
                if found:
                    return found
            return None

        for category in self.workspace.pm.categories:
            if found := search(category.causes):
                return found
        return None

    def on_inline_editor_done(self, message: InlineEditor.Done) -> None:
        message.stop()
        text = " ".join(message.value.split())
        purpose = message.purpose
        store = self.workspace.store
        select: NodeData | None = None
        try:
            if not text:
                raise PostmortemError("Type a name; escape cancels")
            if purpose[0] == "add_category":
                category = store.add(
                    FishboneCategory(postmortem_id=self.workspace.pm_id, name=text)
                )
                select = ("category", category.id) if category.id else None
            elif purpose[0] == "add_cause":
                kind, parent = purpose[1], purpose[2]
                cause = (
                    FishboneCause(category_id=parent, text=text)
                    if kind == "category"
                    else FishboneCause(parent_id=parent, text=text)
                )
                added = store.add(cause)
                select = ("cause", added.id) if added.id else None
            elif purpose[0] == "rename":
                kind, row_id = purpose[1], purpose[2]
                if kind == "category":
                    store.update(FishboneCategory, row_id, name=text)
                else:
                    store.update(FishboneCause, row_id, text=text)
                select = (kind, row_id)
        except PostmortemError as exc:
            message.editor.show_error(str(exc))
            return
        message.editor.close()
        self._changed(select)
        self.screen.set_focus(self.nodes)

    def action_toggle_root(self) -> None:
        data = self._selected()
        if data is None or data[0] != "cause":
            self.notify("Only a cause can be a root cause")
            return
        cause = self._find_cause(data[1])
        if cause is not None:
            self.workspace.store.update(FishboneCause, data[1], root_cause=not cause.root_cause)
            self._changed(data)

    def action_delete(self) -> None:
        data = self._selected()
        if data is None:
            return
        cls = FishboneCategory if data[0] == "category" else FishboneCause
        if data[0] == "category":
            name = next((c.name for c in self.workspace.pm.categories if c.id == data[1]), "")
            what = f"the category {shown(name, 40)}"
        else:
            cause = self._find_cause(data[1])
            what = f"the cause {shown(cause.text if cause else '', 40)}"
        if not self.confirm_delete(data, what):
            return
        following = self._after_delete()
        self.workspace.store.delete(cls, data[1])
        self._changed(following)
        self.notify(f"Deleted {what} and everything under it. ctrl+z brings it back.")

    def action_move(self, delta: int) -> None:
        data = self._selected()
        if data is None:
            return
        cls = FishboneCategory if data[0] == "category" else FishboneCause
        if self.workspace.store.move(cls, data[1], delta):
            self._changed(data)

    def action_preset(self) -> None:
        existing = [c.name for c in self.workspace.pm.categories]
        choices = [
            (
                name,
                f"{name}: {', '.join(cats)}"
                + ("" if missing_categories(name, existing) else " (all present)"),
            )
            for name, cats in PRESETS.items()
        ]

        def chosen(preset: str | None) -> None:
            if preset is None:
                return
            added = missing_categories(preset, [c.name for c in self.workspace.pm.categories])
            with self.history.group(f"added the {preset} preset's categories", "rootcause"):
                for name in added:
                    self.workspace.store.add(
                        FishboneCategory(postmortem_id=self.workspace.pm_id, name=name)
                    )
            self._changed()
            self.notify(
                f"Added {len(added)} categories; existing causes are untouched"
                if added
                else "Every category of that preset is already here"
            )

        self.app.push_screen(ChoiceDialog("Add a preset set of categories", choices), chosen)

    def action_zoom(self) -> None:
        scroll = self.query_one("#diagram-scroll")
        if self.screen.maximized is scroll:
            self.screen.minimize()
            self.screen.set_focus(self.nodes)
        else:
            self.screen.maximize(scroll, container=False)
            self.screen.set_focus(scroll)  # the tree is hidden now: arrows scroll, z comes back
        self.call_after_refresh(self.redraw)
