"""A Tree whose shift+up/down reorder the selected node instead of jumping to a sibling.

Textual's Tree binds shift+up/down itself, and the focused widget's bindings
win, so a pane's reorder keys never arrived. The pane that owns the tree
implements ``action_move(delta)``. j and k move the cursor, as in every list of
the app (tui.widgets.vim_lists).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.widgets import Tree

T = TypeVar("T")


class ReorderTree(Tree[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up", "reorder(-1)", "Move up", id="tree.move_up", show=False),
        Binding("shift+down", "reorder(1)", "Move down", id="tree.move_down", show=False),
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("g", "scroll_home", "First", show=False, id="tree.first"),
        Binding("G", "scroll_end", "Last", show=False, id="tree.last"),
    ]

    def action_reorder(self, delta: int) -> None:
        for ancestor in self.ancestors:
            move = getattr(ancestor, "action_move", None)
            if callable(move):
                move(delta)
                return
