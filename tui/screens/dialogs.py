"""Modal dialogs: a yes/no confirmation, a one-line prompt, and a pick from a list.

Questions and choices often quote user text (a title, a cause), so every label
here is literal: never Textual markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from models.usertext import printable
from tui.drafts import DraftSlot
from tui.press_twice import PressTwice
from tui.widgets.text_input import TextInput


class ConfirmDialog(ModalScreen[bool]):
    """Deletes, overwrites and quitting with unsaved text come through here."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="dialog.no"),
    ]

    def __init__(
        self, question: str, confirm_label: str = "Delete", cancel_label: str = "Cancel"
    ) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Text(f"{self.confirm_label} (y)"), variant="error", id="yes")
                yield Button(Text(f"{self.cancel_label} (n)"), id="no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line. ``check`` returns an error message, or None when the value is
    fine; the dialog stays open with the text intact until it is. Escape with
    typed text asks for a second Escape before the text is thrown away."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        slot: DraftSlot | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.check = check
        self.slot = slot
        self._escape = PressTwice()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="question", markup=False)
            yield TextInput(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", classes="error", id="prompt-error", markup=False)
            yield Label("enter to accept · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(TextInput))
        self._show_error("")

    def _show_error(self, message: str) -> None:
        error = self.query_one("#prompt-error", Static)
        error.update(message)
        error.display = bool(message)

    def on_input_changed(self, event: TextInput.Changed) -> None:
        self._escape.reset()
        self._show_error("")
        if self.slot is not None:
            self.slot.hold(event.value if event.value != self.value else "")

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        problem = self.check(event.value) if self.check else None
        if problem:
            self._show_error(problem)
            return
        if self.slot is not None:
            self.slot.clear()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        typed = self.query_one(TextInput).value
        if typed.strip() and typed != self.value and not self._escape.second("discard"):
            self._show_error("Escape again to throw away what you typed; enter keeps it")
            return
        if self.slot is not None:
            self.slot.clear()
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few named choices; escape picks nothing."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.choice_cancel"),
        Binding("j", "cursor(1)", "Down", show=False, id="dialog.choice_down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="dialog.choice_up"),
        Binding("g", "jump(0)", "First", show=False, id="dialog.choice_first"),
        Binding("G", "jump(-1)", "Last", show=False, id="dialog.choice_last"),
    ]

    def __init__(
        self, title: str, choices: list[tuple[str, str]], *, current: str | None = None
    ) -> None:
        """``choices`` are (value, label) pairs, shown in order; ``current`` starts
        highlighted (the kind an event has now)."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="question", markup=False)
            yield OptionList(
                *(Option(Text(printable(label)), id=value) for value, label in self.choices)
            )
            yield Label("enter to choose · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        self.set_focus(options)
        self._highlight_current()
        # OptionList resets its highlight as it lays out: set it again after that.
        self.call_after_refresh(self._highlight_current)

    def _highlight_current(self) -> None:
        values = [value for value, _ in self.choices]
        if self.current in values:
            self.query_one(OptionList).highlighted = values.index(self.current)

    def action_jump(self, index: int) -> None:
        options = self.query_one(OptionList)
        options.highlighted = index % max(1, len(self.choices))

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
