"""5 Whys: chains of "why?" from a problem down to a root cause.

Each chain is a problem statement and its answers in order; the pane shows
them as a tree to edit and draws the selected one as a ladder, the last answer
marked as that chain's root cause. Writes go through the store; the screen is
told with a Changed message so the frame (completeness, header) follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from models.errors import PostmortemError
from models.fishbone import PRESETS
from models.tables import FishboneCategory, FishboneCause, Postmortem, Why, WhyChain
from models.usertext import printable, shown
from tui.drafts import DraftSlot
from tui.screens.dialogs import ChoiceDialog
from tui.widgets.inline_editor import InlineEditor
from tui.widgets.reorder_tree import ReorderTree
from tui.widgets.tree_pane import TreePane

if TYPE_CHECKING:
    from models.history import History
    from tui.workspace import Workspace

NodeData = tuple[str, int, int]  # ("chain" | "why", row id, chain id)
FEW_WHYS = 3


class WhysPane(TreePane[NodeData]):
    EDITOR_ID = "whys-editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_chain", "New chain", id="whys.new_chain"),
        Binding("e,r", "edit", "Edit", id="whys.edit"),
        Binding("d", "delete", "Delete (dd)", id="whys.delete"),
        Binding("f", "to_fishbone", "To fishbone", id="whys.to_fishbone"),
    ]

    def __init__(
        self, workspace: Workspace, *, history: History, slot: DraftSlot | None = None
    ) -> None:
        super().__init__(workspace, id="whys-pane", history=history, slot=slot)

    def compose(self) -> ComposeResult:
        with Horizontal(id="whys-main"):
            tree: ReorderTree[NodeData] = ReorderTree("5 Whys", id="whys-tree")
            tree.show_root = False
            tree.auto_expand = False
            yield tree
            with VerticalScroll(id="ladder-scroll"):
                yield Static("", id="ladder")
        yield InlineEditor(id="whys-editor", slot=self.slot)
        yield Static(
            "n chain · enter add why · e edit · dd delete · shift+↑↓ move · f to fishbone",
            classes="hint pane-hint",
        )

    @property
    def nodes(self) -> Tree[NodeData]:
        return self.query_one("#whys-tree", Tree)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.editor.is_open  # keys are typing while the editor is open

    # ------------------------------------------------------------------ show

    def show(self, pm: Postmortem, select: tuple[str, int] | None = None) -> None:
        tree = self.nodes
        current = select or self._selected_key()
        tree.clear()
        wanted: TreeNode[NodeData] | None = None
        for chain in pm.why_chains:
            assert chain.id is not None
            node = tree.root.add(
                Text.assemble(("Problem: ", "bold"), printable(chain.problem) or "—"),
                data=("chain", chain.id, chain.id),
                expand=True,
            )
            if current == ("chain", chain.id):
                wanted = node
            for i, why in enumerate(chain.whys, 1):
                assert why.id is not None
                label = Text(f"Why {i}: {printable(why.text)}")
                if i == len(chain.whys):
                    label.append("  ◀ root cause", style="bold red")
                leaf = node.add_leaf(label, data=("why", why.id, chain.id))
                if current == ("why", why.id):
                    wanted = leaf
        # A rebuilt tree has no lines until it is laid out: place the cursor after.
        self.call_after_refresh(self._place_cursor, wanted)

    def cursor_placed(self) -> None:
        self._show_ladder()

    def _selected_key(self) -> tuple[str, int] | None:
        node = self.nodes.cursor_node
        return (node.data[0], node.data[1]) if node and node.data else None

    def _chain(self, chain_id: int) -> WhyChain | None:
        return next((c for c in self.workspace.pm.why_chains if c.id == chain_id), None)

    def _show_ladder(self) -> None:
        ladder = self.query_one("#ladder", Static)
        data = self._selected()
        chain = self._chain(data[2]) if data else None
        if chain is None:
            ladder.update(
                "No 5 Whys chain yet.\n\nPress n and state the problem, e.g. "
                "“Customers got 502s at checkout”, then enter to answer “why?”."
            )
            return
        text = Text()
        text.append("Problem\n", style="bold underline")
        text.append(f"{printable(chain.problem) or '—'}\n")
        for i, why in enumerate(chain.whys, 1):
            # non-breaking spaces: the ladder's indent must survive rendering
            text.append("\u00a0\u00a0\u00a0│ why?\n\u00a0\u00a0\u00a0▼\n", style="dim")
            root = i == len(chain.whys)
            text.append(f"{i}. ", style="bold")
            text.append(printable(why.text), style="bold red" if root else "")
            text.append("   ◀ root cause\n" if root else "\n", style="bold red")
        if len(chain.whys) < FEW_WHYS:
            asked = len(chain.whys)
            so_far = "No answer yet" if not asked else f"Only {asked} answer{'s' * (asked > 1)}"
            text.append(
                f"\n{so_far}: press enter and keep asking “why?”. "
                "Most root causes sit three to five whys down.",
                style="italic yellow",
            )
        ladder.update(text)

    def on_tree_node_highlighted(self, _event: Tree.NodeHighlighted[NodeData]) -> None:
        self._show_ladder()

    # ------------------------------------------------------------------ editing

    def action_new_chain(self) -> None:
        self.editor.open("New chain: what is the problem?", "", ("new_chain",))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        """enter: add a why under the selected one (or at the end of the chain)."""
        event.stop()
        data = event.node.data
        if data is None:
            return
        self._ask_why(data[2], data[1] if data[0] == "why" else None)

    def _ask_why(self, chain_id: int, after: int | None) -> None:
        chain = self._chain(chain_id)
        n = (len(chain.whys) if chain else 0) + 1
        self.editor.open(
            f"Why {n}? (why did the line above happen)", "", ("add_why", chain_id, after)
        )

    def action_edit(self) -> None:
        data = self._selected()
        if data is None:
            return
        chain = self._chain(data[2])
        if chain is None:
            return
        if data[0] == "chain":
            self.editor.open("Problem statement", chain.problem, ("edit_chain", chain.id))
        else:
            why = next(w for w in chain.whys if w.id == data[1])
            self.editor.open("Why", why.text, ("edit_why", why.id))

    def on_inline_editor_done(self, message: InlineEditor.Done) -> None:
        message.stop()
        text = " ".join(message.value.split())
        purpose = message.purpose
        store = self.workspace.store
        pm_id = self.workspace.pm_id
        select: tuple[str, int] | None = None
        try:
            if purpose[0] == "new_chain":
                if not text:
                    raise PostmortemError("State the problem first, e.g. “Checkout returned 502s”")
                chain = store.add(WhyChain(postmortem_id=pm_id, problem=text))
                select = ("chain", chain.id) if chain.id else None
            elif purpose[0] == "add_why":
                if not text:
                    raise PostmortemError("Type the answer to “why?”")
                why = store.add(Why(chain_id=purpose[1], text=text), after=purpose[2])
                select = ("why", why.id) if why.id else None
            elif purpose[0] == "edit_chain":
                store.update(WhyChain, purpose[1], problem=text)
                select = ("chain", purpose[1])
            elif purpose[0] == "edit_why":
                if not text:
                    raise PostmortemError("A why can't be empty; d deletes it")
                store.update(Why, purpose[1], text=text)
                select = ("why", purpose[1])
        except PostmortemError as exc:
            message.editor.show_error(str(exc))
            return
        message.editor.close()
        self._changed(select)
        self.screen.set_focus(self.nodes)
        if purpose[0] in ("new_chain", "add_why") and select is not None:
            # Keep asking: the next why opens at once, before another key is read.
            chain_id = select[1] if select[0] == "chain" else purpose[1]
            after = select[1] if select[0] == "why" else None
            self._ask_why(chain_id, after)

    def action_delete(self) -> None:
        data = self._selected()
        if data is None:
            return
        store = self.workspace.store
        chain = self._chain(data[2])
        if data[0] == "why":
            why = next((w for w in chain.whys if w.id == data[1]), None) if chain else None
            what = f"the why {shown(why.text if why else '', 40)}"
            cls: type[Why] | type[WhyChain] = Why
        else:
            what = f"the chain {shown(chain.problem if chain else '', 40)} and its whys"
            cls = WhyChain
        # dd, as everywhere: the first d only says what the second will do, and
        # ctrl+z brings a deleted chain back whole.
        if not self.confirm_delete((data[0], data[1]), what):
            return
        following = self._after_delete()
        store.delete(cls, data[1])
        self._changed(following[:2] if following else ("chain", data[2]) if cls is Why else None)
        self.notify(f"Deleted {what}. ctrl+z brings it back.")

    def action_move(self, delta: int) -> None:
        data = self._selected()
        if data is not None and data[0] == "why" and self.workspace.store.move(Why, data[1], delta):
            self._changed(("why", data[1]))

    def action_to_fishbone(self) -> None:
        data = self._selected()
        chain = self._chain(data[2]) if data else None
        if data is None or data[0] != "why" or chain is None:
            self.notify("Select a why to send it to the fishbone")
            return
        why = next(w for w in chain.whys if w.id == data[1])
        existing = [(str(c.id), c.name) for c in self.workspace.pm.categories]
        present = {name.casefold() for _, name in existing}
        offered = existing + [
            (f"new:{name}", f"{name} (new category)")
            for name in PRESETS["Software"]
            if name.casefold() not in present
        ]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            store = self.workspace.store
            with self.history.group(f"sent {shown(why.text, 40)} to the fishbone", "rootcause"):
                self._send(store, value, why.text)
            self._changed(("why", data[1]))
            self.notify("Added to the fishbone as a cause")

        self.app.push_screen(
            ChoiceDialog(f"Send {shown(why.text, 40)} to which category?", offered), chosen
        )

    def _send(self, store: Any, value: str, text: str) -> None:
        """Add ``text`` as a cause under the chosen category, creating it if new."""
        if value.startswith("new:"):
            category = store.add(
                FishboneCategory(
                    postmortem_id=self.workspace.pm_id, name=value.removeprefix("new:")
                )
            )
            category_id = category.id
        else:
            category_id = int(value)
        store.add(FishboneCause(category_id=category_id, text=text))
