"""What the 5 Whys and Fishbone panes share: a tree to edit, an inline editor
under it, and one way to report a write to the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.widgets.inline_editor import InlineEditor

if TYPE_CHECKING:
    from models.tables import Postmortem
    from tui.workspace import Workspace

D = TypeVar("D")


class TreePane(Vertical, Generic[D]):
    IN_PALETTE: ClassVar[bool] = True  # the pane's keys are the section's actions
    EDITOR_ID: ClassVar[str] = ""

    class Changed(Message):
        """Something was written; the screen refreshes its frame and the other pane."""

        def __init__(self, pane: TreePane[Any]) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, workspace: Workspace, *, id: str) -> None:
        super().__init__(id=id)
        self.workspace = workspace

    @property
    def nodes(self) -> Tree[D]:
        raise NotImplementedError

    @property
    def editor(self) -> InlineEditor:
        return self.query_one(f"#{self.EDITOR_ID}", InlineEditor)

    def show(self, pm: Postmortem, select: Any = None) -> None:
        raise NotImplementedError

    def _place_cursor(self, node: TreeNode[D] | None) -> None:
        """Call after the tree is rebuilt and laid out: a fresh tree has no lines
        before that, so moving its cursor any earlier silently does nothing."""
        tree = self.nodes
        if node is not None:
            tree.move_cursor(node)
        elif tree.cursor_line < 0 and tree.root.children:
            tree.move_cursor_to_line(0)
        self.cursor_placed()

    def cursor_placed(self) -> None:
        """Hook: the selection is final after a rebuild."""

    def _selected(self) -> D | None:
        node = self.nodes.cursor_node
        return node.data if node is not None else None

    def _changed(self, select: Any = None) -> None:
        """After a write: reload (the timeline can't have changed), tell the screen, redraw."""
        pm = self.workspace.reload(events=False)
        self.post_message(self.Changed(self))
        self.show(pm, select)

    def on_inline_editor_cancelled(self, message: InlineEditor.Cancelled) -> None:
        message.stop()
        self.nodes.focus()

    def focus_main(self) -> None:
        self.nodes.focus()
