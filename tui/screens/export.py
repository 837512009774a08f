"""Export: a live preview of the Markdown (or JSON), saved to a file or copied.

The Markdown widget builds one widget per block (~15 ms each), so a long
timeline would freeze the screen for minutes. Past PREVIEW_LIMIT lines the
preview switches to a read-only source view, which loads 10,000 lines in well
under a second.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Markdown, TextArea

from models.errors import PostmortemError
from models.exports import render
from models.safefile import write_file
from models.slug import slugify
from models.tables import Postmortem
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.section import SectionScreen

PREVIEW_LIMIT = 300  # lines rendered as Markdown; above it, the source view
EXTENSIONS = {"markdown": "md", "json": "json"}
FORMAT_NAMES = {"markdown": "Markdown", "json": "JSON"}


def preview_markdown(content: str) -> str:
    """Front matter would render as a rule and a heading: show it as a YAML block instead."""
    if content.startswith("---\n"):
        end = content.find("\n---\n", 4)
        if end != -1:
            return f"```yaml\n{content[4:end]}\n```\n{content[end + 5 :]}"
    return content


def write_export(path: Path, content: str, *, overwrite: bool = False) -> None:
    """The CLI's writer (models.safefile): an unpredictable temporary name that is
    never a planted link, fsync, rename. Raises WriteError (one line)."""
    write_file(path, content, overwrite=overwrite)


class ExportScreen(SectionScreen):
    SECTION = "export"
    CSS_PATH = "export.tcss"
    AUTO_FOCUS = "#export-markdown-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save_file", "Save to file", id="export.save"),
        Binding("c", "copy", "Copy", id="export.copy"),
        Binding("j", "toggle_format", "JSON / Markdown", id="export.toggle_format"),
        Binding("m", "toggle_mermaid", "Mermaid", id="export.toggle_mermaid"),
    ]

    def __init__(self, workspace: object) -> None:
        super().__init__(workspace)  # type: ignore[arg-type]
        self.format = "markdown"
        self.with_mermaid = False
        self.content = ""

    def compose_section(self) -> ComposeResult:
        with Horizontal(id="export-bar"):
            yield Label("", id="export-format", markup=False)
            yield Label("s save · c copy · j JSON/Markdown · m Mermaid", classes="hint")
        with VerticalScroll(id="export-markdown-scroll"):
            # Links in user text must not open a browser from a preview.
            yield Markdown("", id="export-markdown", open_links=False)
        yield TextArea(
            "", read_only=True, soft_wrap=False, show_line_numbers=True, id="export-source"
        )

    def show(self, pm: Postmortem) -> None:
        self.content = render(
            pm, self.format, now=self.workspace.clock(), with_mermaid=self.with_mermaid
        )
        lines = self.content.count("\n")
        as_markdown = self.format == "markdown" and lines <= PREVIEW_LIMIT
        scroll = self.query_one("#export-markdown-scroll", VerticalScroll)
        source = self.query_one("#export-source", TextArea)
        scroll.display, source.display = as_markdown, not as_markdown
        if as_markdown:
            self.query_one("#export-markdown", Markdown).update(preview_markdown(self.content))
        else:
            source.load_text(self.content)
        view = "rendered" if as_markdown else "source"
        why = (
            f" (over {PREVIEW_LIMIT} lines, shown as source)"
            if self.format == "markdown" and not as_markdown
            else ""
        )
        mermaid = " · + Mermaid fishbone" if self.with_mermaid and self.format == "markdown" else ""
        self.query_one("#export-format", Label).update(
            f"{FORMAT_NAMES.get(self.format, self.format)}{mermaid} · {lines} lines · {view}{why}"
        )

    def default_path(self) -> str:
        return f"./{slugify(self.pm.title)}.{EXTENSIONS[self.format]}"

    def action_toggle_format(self) -> None:
        self.format = "json" if self.format == "markdown" else "markdown"
        self.show(self.pm)

    def action_toggle_mermaid(self) -> None:
        self.with_mermaid = not self.with_mermaid
        self.show(self.pm)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.content)
        self.notify(f"Copied {self.format} ({self.content.count(chr(10))} lines) to the clipboard")

    def action_save_file(self) -> None:
        def check(text: str) -> str | None:
            path = Path(text.strip()).expanduser()
            if not text.strip():
                return "A file name is needed"
            if path.is_dir():
                return f"{path} is a directory"
            if not path.parent.exists():
                return f"Directory {path.parent} does not exist"
            return None

        def chosen(text: str | None) -> None:
            if text is None:
                return
            path = Path(text.strip()).expanduser()
            if os.path.lexists(path):
                self.app.push_screen(
                    ConfirmDialog(f"{path} exists. Overwrite it?", confirm_label="Overwrite"),
                    lambda yes: self._save(path, overwrite=True) if yes else None,
                )
            else:
                self._save(path)

        self.app.push_screen(
            PromptDialog(f"Save {self.format} to", self.default_path(), check=check), chosen
        )

    def _save(self, path: Path, *, overwrite: bool = False) -> None:
        try:
            write_export(path, self.content, overwrite=overwrite)
        except PostmortemError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Saved {path}", markup=False)
