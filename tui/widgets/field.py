"""A labelled field that checks what is typed and autosaves what is valid.

Three promises, each one kept here rather than by every screen:

* **A refusal is visible.** Invalid text stays in the field with a one-line
  message right under it, and is recorded as a draft (see tui.drafts), so the
  header says what is unsaved until it is fixed. Nothing invalid is written.
  Time fields wait for the user to leave the field before complaining, because
  "14:3" is only wrong until the next keystroke.
* **Typing is never overwritten.** A refresh (after a save, a reload, a resize)
  never writes into the field that has focus, and never replaces a draft. Only
  an explicit undo overrules both (:func:`overruling`).
* **A value goes to the row it was typed for.** A form that shows one row at a
  time (an action item) tells the field which row it shows (``scope``); the
  save is bound to that row when it is scheduled, and drafts are kept per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur
from textual.suggester import Suggester
from textual.widgets import Label, Static, TextArea

from models.errors import PostmortemError
from models.usertext import printable, shown
from tui.autosave import Autosaver
from tui.drafts import Draft, Drafts
from tui.widgets.text_input import TextBox, TextInput

Parse = Callable[[str], Any]
Save = Callable[[Any, Any], object]  # (value, scope): scope is the row, or None

_OVERRULE: ContextVar[bool] = ContextVar("field_overrule", default=False)


@contextmanager
def overruling() -> Iterator[None]:
    """Within this block, fields show the stored value even if focused or holding
    a draft, when that value changed: an undo must show what it restored."""
    token = _OVERRULE.set(True)
    try:
        yield
    finally:
        _OVERRULE.reset(token)


def _one_line(exc: PostmortemError) -> str:
    message = getattr(exc, "problem", None) or str(exc)
    return " ".join(message.split())


class Field(Vertical):
    def __init__(
        self,
        label: str,
        *,
        key: str,
        parse: Parse,
        save: Save,
        autosave: Autosaver,
        drafts: Drafts,
        pm_id: int,
        placeholder: str = "",
        suggester: Suggester | None = None,
        complain_while_typing: bool = True,
        joiner: str = " ",
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"field {classes}".strip(), id=f"field-{key}")
        self.label = label
        self.key = key
        self.parse = parse
        self.save = save
        self.autosave = autosave
        self.drafts = drafts
        self.pm_id = pm_id
        self.placeholder = placeholder
        self.suggester = suggester
        self.complain_while_typing = complain_while_typing
        self.joiner = joiner
        self.scope: Any = None
        self.scope_label = ""
        self._saved: str | None = None  # the stored text, or what was last scheduled to be
        self._loading = False
        self._error = Static("", classes="field-error", markup=False)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            yield TextInput(
                placeholder=self.placeholder,
                suggester=self.suggester,
                compact=True,
                joiner=self.joiner,
                id=f"input-{self.key}",
            )
        yield self._error

    def on_mount(self) -> None:
        self._error.display = False

    @property
    def input(self) -> TextInput:
        return self.query_one(TextInput)

    @property
    def error(self) -> str:
        return str(self._error.content) if self._error.display else ""

    @property
    def draft_key(self) -> str:
        return self.key if self.scope is None else f"{self.key}:{self.scope}"

    @property
    def draft(self) -> Draft | None:
        return self.drafts.get(self.pm_id, self.draft_key)

    # ------------------------------------------------------------------ show

    def set_value(self, text: str, *, scope: Any = None, scope_label: str = "") -> None:
        """Show the stored ``text`` of the row ``scope``, unless the user's own text
        must stay: a draft for that row, or typing in progress in this field."""
        # The first value shown, or another row's, is a load, not a refresh.
        switching = scope != self.scope or self._saved is None
        changed = text != self._saved
        self.scope, self.scope_label = scope, scope_label
        self._saved = text
        if _OVERRULE.get() and changed:
            self.drafts.drop(self.pm_id, self.draft_key)
            self._write(text)
            self._show_error("")
            return
        draft = self.draft
        if draft is not None:
            if switching or not self.input.has_focus:
                self._write(draft.text)
                self._show_error(draft.problem)
            return
        if self.input.has_focus and not switching:
            return  # the user is typing here: their text wins
        self._show_error("")
        self._write(text)

    def _write(self, text: str) -> None:
        text = printable(text)  # stored before control characters were refused
        if self.input.value != text:
            self._loading = True
            self.input.value = text
            self.input.cursor_position = len(text)  # typing after focusing appends

    def _show_error(self, message: str) -> None:
        self._error.update(message)
        self._error.display = bool(message)
        self.set_class(bool(message), "-invalid")

    # ------------------------------------------------------------------ check and save

    def _check(self, text: str, *, complain: bool) -> None:
        try:
            value = self.parse(text)
        except PostmortemError as exc:
            self.autosave.cancel(self._save_key())
            problem = _one_line(exc)
            label = f"{self.label} ({self.scope_label})" if self.scope_label else self.label
            self.drafts.put(Draft(self.pm_id, self.draft_key, label, text, problem))
            if complain:
                self._show_error(problem)
            return
        self.drafts.drop(self.pm_id, self.draft_key)
        self._show_error("")
        if text != self._saved:
            self._saved = text
            scope, save = self.scope, self.save
            self.autosave.schedule(self._save_key(), lambda: save(value, scope))

    def _save_key(self) -> str:
        return f"field:{self.pm_id}:{self.draft_key}"

    def on_input_changed(self, event: TextInput.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            return
        self._check(event.value, complain=self.complain_while_typing)

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        self._check(event.value, complain=True)
        self.autosave.flush()

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self._check(self.input.value, complain=True)
        self.autosave.flush()

    def describe_draft(self) -> str:
        """The one line the quit question uses for this field's unsaved text."""
        draft = self.draft
        return f"{draft.label} {shown(draft.text, 30)}" if draft else ""


class TextAreaField(Vertical):
    """Multi-line free text (summary, impact description); every edit autosaves."""

    def __init__(
        self, label: str, *, key: str, save: Callable[[str], object], autosave: Autosaver
    ) -> None:
        super().__init__(classes="field textarea-field", id=f"field-{key}")
        self.label = label
        self.key = key
        self.save = save
        self.autosave = autosave
        self._loading = False
        self._saved: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield TextBox(soft_wrap=True, show_line_numbers=False, id=f"input-{self.key}")

    @property
    def text_area(self) -> TextArea:
        return self.query_one(TextBox)

    def set_value(self, text: str) -> None:
        first = self._saved is None
        changed = text != self._saved
        self._saved = text
        if self.text_area.text == text:
            return
        if self.text_area.has_focus and not first and not (_OVERRULE.get() and changed):
            return  # the user is typing here: their text wins
        self._loading = True
        self.text_area.load_text(printable(text))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            return
        text = event.text_area.text
        self._saved = text
        self.autosave.schedule(f"textarea:{self.key}", lambda: self.save(text))

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self.autosave.flush()
