"""What the 5 Whys and Fishbone panes share: a tree to edit, an inline editor
under it, and one way to report a write to the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import events
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.drafts import DraftSlot
from tui.press_twice import PressTwice
from tui.widgets.inline_editor import InlineEditor

if TYPE_CHECKING:
    from models.history import History
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

    def __init__(
        self, workspace: Workspace, *, id: str, history: History, slot: DraftSlot | None = None
    ) -> None:
        """``history`` groups multi-row writes into one undo step; ``slot`` keeps
        the inline editor's text as a draft while it is open."""
        super().__init__(id=id)
        self.workspace = workspace
        self.history = history
        self.slot = slot
        self._delete = PressTwice()

    def on_key(self, event: events.Key) -> None:
        """Any key between two d's disarms the first (``d j k d`` deletes nothing)."""
        self._delete.key(event.key)

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

    def _after_delete(self) -> D | None:
        """Where the cursor goes when the selected node is deleted: the next
        sibling, else the previous one, else the parent. Never back to the top."""
        node = self.nodes.cursor_node
        if node is None or node.parent is None:
            return None
        siblings = list(node.parent.children)
        index = siblings.index(node)
        if index + 1 < len(siblings):
            return siblings[index + 1].data
        if index:
            return siblings[index - 1].data
        return node.parent.data

    def confirm_delete(self, target: object, what: str) -> bool:
        """d deletes on its second press (as vim's dd): the first one says what."""
        if self._delete.second(target):
            return True
        self.notify(f"Press d again to delete {what}", timeout=3)
        return False

    def _changed(self, select: Any = None) -> None:
        """After a write: reload (the timeline can't have changed), tell the screen, redraw."""
        pm = self.workspace.reload(events=False)
        self.post_message(self.Changed(self))
        self.show(pm, select)

    def on_inline_editor_cancelled(self, message: InlineEditor.Cancelled) -> None:
        message.stop()
        self.screen.set_focus(self.nodes)

    def focus_main(self) -> None:
        self.screen.set_focus(self.nodes)
