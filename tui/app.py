"""The Textual application: screens, navigation, autosave and the global keys."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.screen import Screen

from models.errors import PostmortemError
from models.history import Change, History
from models.usertext import shown
from tui.autosave import Autosaver, SaveState
from tui.drafts import Drafts, summary
from tui.ordered_input import OrderedInputApp
from tui.safe_output import ControlCharacterFilter
from tui.sections import BY_ID, SECTIONS

if TYPE_CHECKING:
    # Imported for types only: models.store pulls in SQLModel (~0.3-0.7 s), which
    # the app loads in a worker after the first frame instead.
    from models.store import Store
    from tui.workspace import Workspace

# section id -> "module:Class", imported on first visit so start-up stays light.
SECTION_SCREENS = {
    "overview": "tui.screens.overview:OverviewScreen",
    "timeline": "tui.screens.timeline:TimelineScreen",
    "rootcause": "tui.screens.rootcause:RootCauseScreen",
    "impact": "tui.screens.impact:ImpactScreen",
    "response": "tui.screens.response:ResponseScreen",
    "actions": "tui.screens.actions:ActionsScreen",
    "export": "tui.screens.export:ExportScreen",
}


HERE = Path(__file__).parent
# Seconds between checks of the database file for damage (Store.verify, ~15 ms).
VERIFY_EVERY = 30.0


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PostmortemApp(OrderedInputApp):
    TITLE = "postmortem"
    # Absolute, so a subclass defined elsewhere (tests, benchmarks) finds them too.
    CSS_PATH: ClassVar = [
        HERE / "app.tcss",
        HERE / "widgets" / "incident_header.tcss",
        HERE / "widgets" / "navigator.tcss",
        HERE / "widgets" / "field.tcss",
        HERE / "widgets" / "editable_list.tcss",
        HERE / "widgets" / "timeline_view.tcss",
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help", priority=True),
        Binding("question_mark", "help", "Help", id="app.help.question", show=False),
        Binding("ctrl+s", "save", "Save", id="app.save", priority=True, show=False),
    ]

    # Escape on the zoomed fishbone goes to the screen, which unzooms and puts the
    # cursor back in the tree; Textual's own handling left focus on the drawing.
    ESCAPE_TO_MINIMIZE = False

    save_state: reactive[SaveState] = reactive(SaveState.SAVED)

    def __init__(
        self,
        store: Store | Callable[[], Store],
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        open_pm: int | None = None,
    ) -> None:
        """``store`` is a ready Store, or a function that opens one: the app then
        paints its first frame at once and opens the database in a thread."""
        super().__init__()
        self._store: Store | None = None if callable(store) else store
        self._opener = store if callable(store) else None
        self.error_message: str | None = None
        self.clock = clock
        self.save_message = ""
        self.autosave = Autosaver(self, self._on_save_state)
        self.workspace: Workspace | None = None
        # Every committed change, from any screen, lands here (Store.listeners).
        self.history = History()
        # Text typed but not stored: refused values, the entry line, open editors.
        self.drafts = Drafts(on_change=self._on_drafts_changed)
        self._open_pm = open_pm
        self._store_opened = asyncio.Event()
        self._control_filter = ControlCharacterFilter()
        if self._store is not None:
            self._store.listeners.append(self.history.record)

    async def ready_for(self, event: events.Event) -> None:
        """Keys typed while the library is still opening wait for it instead of
        being dropped (see on_event for quitting, which never waits)."""
        if self._store is None and not self._store_opened.is_set():
            await self._store_opened.wait()

    async def on_event(self, event: events.Event) -> None:
        # Nothing typed before the data is open can hold unsaved text, so quitting
        # then goes at once rather than behind keys that wait for a slow database.
        opening = self._store is None and not self._store_opened.is_set()
        if opening and isinstance(event, events.Key) and event.key in ("ctrl+q", "ctrl+c"):
            self.exit()
            return
        await super().on_event(event)

    def get_default_screen(self) -> Screen[None]:
        from tui.screens.library import LibraryScreen

        return LibraryScreen()

    @property
    def store(self) -> Store:
        assert self._store is not None, "the store is still opening"
        return self._store

    @property
    def store_ready(self) -> bool:
        return self._store is not None

    def on_mount(self) -> None:
        if self._opener is not None:
            self._open_store()
        elif self._open_pm is not None:
            self.call_after_refresh(self.open_postmortem, self._open_pm)

    @work(thread=True, exit_on_error=False)
    def _open_store(self) -> None:
        assert self._opener is not None
        try:
            store = self._opener()
        except PostmortemError as exc:
            self.call_from_thread(self._store_failed, str(exc))
            return
        except Exception as exc:  # a bug, but the terminal must be restored first
            self.call_from_thread(
                self._store_failed, f"internal error: {type(exc).__name__}: {exc}"
            )
            return
        self.call_from_thread(self._store_ready_cb, store)

    def _store_ready_cb(self, store: Store) -> None:
        from tui.screens.library import LibraryScreen

        self._store = store
        self.set_interval(VERIFY_EVERY, self._verify, name="verify database")
        store.listeners.append(self.history.record)
        self._store_opened.set()
        for notice in store.notices:
            self.notify(notice, timeout=10)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.reload()
        if self._open_pm is not None:
            self.open_postmortem(self._open_pm)

    def _store_failed(self, message: str) -> None:
        """The CLI prints this after the terminal is restored, as one line."""
        self.error_message = message
        self._store_opened.set()
        # Not at once: a fast failure can arrive while the first screen is still mounting.
        self.call_after_refresh(self.exit, None, 1)

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _verify(self) -> None:
        """quick_check the file off the UI thread (Store.verify); damage found is
        shown at once and stays in the header, and nothing more is written."""
        store = self._store
        if store is None or store.damaged is not None:
            return
        if (error := store.verify()) is not None:
            self.call_from_thread(self.show_damage, str(error))

    def final_check(self) -> str | None:
        """At exit: the one line for damage found in the file, if any. The CLI
        prints it and exits non-zero, so "✓ saved" is never the last word on a
        file that can no longer be trusted."""
        store = self._store
        error = store.verify() if store is not None else None
        return str(error) if error is not None else None

    def show_damage(self, message: str) -> None:
        self._on_save_state(SaveState.ERROR, "database damaged: nothing more is saved")
        self.notify(message, title="The database is damaged", severity="error", timeout=60)

    # ------------------------------------------------------------------ autosave

    def _on_save_state(self, state: SaveState, message: str) -> None:
        self.save_message = message
        self.save_state = state
        self._show_save_state()

    def _on_drafts_changed(self) -> None:
        self._show_save_state()

    def _show_save_state(self) -> None:
        from tui.screens.section import SectionScreen

        if self.is_running and isinstance(self.screen, SectionScreen):
            self.screen.show_save_state()

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), self._control_filter]

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        """Notifications often quote user text: never read it as markup."""
        kwargs["markup"] = False
        super().notify(message, **kwargs)  # type: ignore[arg-type]

    def flush(self) -> bool:
        return self.autosave.flush()

    def history_step(self, scope: int | None, *, undo: bool) -> Change | None:
        """Undo or redo the newest step of ``scope`` (a postmortem, None for the
        library). Returns the step, or None after saying why nothing happened:
        there was nothing to undo, or it couldn't be done (the step is kept)."""
        self.flush()
        verb = "undo" if undo else "redo"
        move = self.history.undo if undo else self.history.redo
        try:
            change = move(self.store, scope)
        except PostmortemError as exc:
            self.notify(f"Could not {verb}: {exc}", severity="error", timeout=8)
            return None
        if change is None:
            self.notify(f"Nothing to {verb}")
        return change

    def action_save(self) -> None:
        """Everything valid is already queued as it is typed: ctrl+s just writes it now."""
        if self.flush():
            self.notify("saved", timeout=2)
        else:
            self.notify(self.save_message or "not saved", severity="error")

    async def action_quit(self) -> None:
        """Quit; if typed text isn't stored anywhere (a refused value, the entry
        line, an open editor), ask first and name it."""
        from tui.screens.dialogs import ConfirmDialog

        self.flush()
        drafts = self.drafts.all()
        if not drafts:
            self.exit()
            return
        if any(isinstance(s, ConfirmDialog) for s in self.screen_stack):
            return  # already asking
        named = "; ".join(f"{d.label} {shown(d.text, 30)}" for d in drafts[:3])
        more = f" and {len(drafts) - 3} more" if len(drafts) > 3 else ""

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                f"Not saved: {named}{more}. Quit and lose it?",
                confirm_label="Quit",
                cancel_label="Stay",
            ),
            answered,
        )

    # ------------------------------------------------------------------ navigation

    def open_postmortem(
        self, pm_id: int, section: str = "overview", reveal: tuple[str, int, str] | None = None
    ) -> None:
        """Open a postmortem at ``section``; ``reveal`` (table, row id, field) selects
        that row there once it shows (a search hit, an action item)."""
        from models.stored import problems, summary
        from tui.screens.section import SectionScreen
        from tui.workspace import Workspace

        self.flush()
        try:
            workspace = Workspace(self.store, pm_id, self.clock)
        except PostmortemError as exc:  # damaged or locked since, or a value that can't be read
            self.notify(str(exc), title="Can't open", severity="error", markup=False, timeout=30)
            return
        self.workspace = workspace
        screen = self._section_screen(section)
        if reveal is not None and isinstance(screen, SectionScreen):
            screen.pending_reveal = reveal
        self.push_screen(screen)
        if found := problems(workspace.pm):
            self.notify(
                summary(found, limit=2) + ". Each is marked where it is; editing it fixes it.",
                title="Stored data breaks today's rules",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def _section_screen(self, section_id: str) -> Screen[None]:
        assert self.workspace is not None
        name = f"{section_id}-{self.workspace.pm_id}"
        if self.is_screen_installed(name):
            return self.get_screen(name)
        module, _, cls_name = SECTION_SCREENS[section_id].partition(":")
        screen: Screen[None] = getattr(import_module(module), cls_name)(self.workspace)
        self.install_screen(screen, name)
        return screen

    def action_open_section(
        self, section_id: str, reveal: tuple[str, int, str] | None = None
    ) -> None:
        """Go to a section of the open postmortem; ``reveal`` (table, row id, field)
        selects that row there (a review finding)."""
        from tui.screens.section import SectionScreen

        if self.workspace is None or section_id not in BY_ID:
            return
        self.flush()
        target = self._section_screen(section_id)
        if reveal is not None and isinstance(target, SectionScreen):
            section: SectionScreen = target
            if section is self.screen:
                section.reveal(*reveal)
            else:
                section.pending_reveal = reveal
        if target is not self.screen:
            self.switch_screen(target)

    async def action_close_postmortem(self) -> None:
        self.flush()
        if self.workspace is None:
            return
        pm_id = self.workspace.pm_id
        kept = self.drafts.of(pm_id)
        if kept:
            self.notify(
                f"Not saved, kept as drafts until you quit: {summary(kept)}. "
                f"They come back when you open “{self.workspace.pm.title}” again.",
                severity="warning",
                timeout=8,
            )
        await self.pop_screen()
        for section in SECTIONS:
            name = f"{section.id}-{pm_id}"
            if self.is_screen_installed(name):
                self.uninstall_screen(name)
        self.workspace.close()
        self.workspace = None

    # ------------------------------------------------------------------ help, palette

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New postmortem", "Start a new postmortem", self._palette_new)
        if self.workspace is not None:
            for section in SECTIONS:
                yield SystemCommand(
                    f"Go to {section.title}",
                    f"Jump to the {section.title} section ({section.key})",
                    lambda s=section.id: self.action_open_section(s),
                )
            yield SystemCommand(
                "Export",
                "Preview, save or copy this postmortem",
                lambda: self.action_open_section("export"),
            )
        else:
            yield SystemCommand(
                "Export",
                "Export the selected postmortem",
                partial(self._run_action_on, screen, "export"),
            )
        yield SystemCommand("Help", "Every key of this screen", self.action_help)
        # The screen's own actions (and those of its section widgets, such as the
        # response lists), not the plumbing of whichever input has focus.
        seen = {"quit", "help", "save", "command_palette", "open_section"}
        for active in screen.active_bindings.values():
            b = active.binding
            name = b.action.split("(")[0].removeprefix("app.").removeprefix("screen.")
            # Ours all carry ids (for remapping); Textual's screen plumbing has none.
            own = active.node is screen or getattr(active.node, "IN_PALETTE", False)
            if not own or not b.id or not active.enabled or not b.description or name in seen:
                continue
            seen.add(name)
            where = screen.sub_title or "this screen"
            yield SystemCommand(
                b.description,
                f"{where}: {b.key_display or b.key}",
                partial(self._run_action_on, active.node, b.action),
            )

    def _palette_new(self) -> None:
        async def go() -> None:
            from tui.screens.library import LibraryScreen

            if self.workspace is not None:
                await self.action_close_postmortem()
            if isinstance(self.screen, LibraryScreen):
                self.screen.action_new()

        self.call_later(go)

    def _run_action_on(self, node: DOMNode, action: str) -> None:
        self.call_later(self.run_action, action, node)
