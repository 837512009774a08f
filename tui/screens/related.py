"""What the Overview adds for issue 12: related incidents and review findings.

A mixin for OverviewScreen, so the Overview's own file only composes the two
panels and calls :meth:`RelatedSection.show_related` from ``show``. Writes go
through the store (Store.link / Store.unlink): committed at once, undone with
ctrl+z on this postmortem like any other change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.blameless import Language, load_language
from models.errors import PostmortemError
from models.related import Suggestion, linked_ids, links, suggest
from tui.widgets.findings_panel import FindingsPanel
from tui.widgets.related_panel import RelatedPanel

if TYPE_CHECKING:
    from tui.screens.section import SectionScreen

    Base = SectionScreen
else:
    Base = object


class RelatedSection(Base):
    _suggested: tuple[frozenset[int], list[Suggestion]] | None = None
    _language: tuple[Language, str] | None = None

    def show_related(self) -> None:
        """Refresh both panels from the workspace's copy of the postmortem."""
        pm = self.pm
        known = frozenset(linked_ids(pm))
        if self._suggested is None or self._suggested[0] != known:
            self._suggested = (known, self._suggestions(known))
        for panel in self.query(RelatedPanel):
            panel.show(links(pm), self._suggested[1])
        self.show_findings()

    def _suggestions(self, known: frozenset[int]) -> list[Suggestion]:
        from models.library import incidents

        try:
            with self.workspace.store.session() as s:
                library = incidents(s.connection())
        except PostmortemError:
            return []
        return suggest(self.workspace.pm_id, library, exclude=known)

    def show_findings(self) -> None:
        from models.check import check

        if self._language is None:
            try:
                self._language = (load_language(), "")
            except PostmortemError as exc:
                self._language = (Language(), f"⚠ {exc}; the built-in word list is used")
        language, problem = self._language
        findings = check(self.pm, now=self.workspace.clock(), language=language)
        for panel in self.query(FindingsPanel):
            panel.show(findings, problem)

    # ------------------------------------------------------------------ messages

    def _linked(self, write: Any, done: str) -> None:
        try:
            write()
        except PostmortemError as exc:
            self.notify(str(exc), title="Could not change the link", severity="error")
            return
        self.after_write()
        self.show_related()
        self.notify(f"{done}. ctrl+z takes it back.", timeout=4)

    def on_related_panel_decided(self, event: RelatedPanel.Decided) -> None:
        event.stop()
        store, pm_id = self.workspace.store, self.workspace.pm_id
        words = {
            "related": "Linked as related",
            "recurrence_of": "Marked as a recurrence",
            "not_related": "Dismissed; it won't be suggested again",
        }
        self._linked(lambda: store.link(pm_id, event.other_id, event.kind), words[event.kind])

    def on_related_panel_removed(self, event: RelatedPanel.Removed) -> None:
        event.stop()
        store, pm_id = self.workspace.store, self.workspace.pm_id
        self._linked(lambda: store.unlink(pm_id, event.link_id), "Link removed")

    def on_related_panel_link_requested(self, event: RelatedPanel.LinkRequested) -> None:
        event.stop()
        from tui.screens.link_dialog import LinkDialog

        store, pm_id = self.workspace.store, self.workspace.pm_id

        def chosen(other: int | None) -> None:
            if other is not None:
                self._linked(lambda: store.link(pm_id, other, "related"), "Linked as related")

        self.app.push_screen(
            LinkDialog(store, pm_id, "Link a related postmortem (r on it then: recurrence of)"),
            chosen,
        )

    def on_related_panel_open(self, event: RelatedPanel.Open) -> None:
        event.stop()
        app = self.pm_app
        other = event.pm_id

        async def go() -> None:
            await app.action_close_postmortem()
            app.open_postmortem(other)

        self.run_worker(go())

    def on_findings_panel_open(self, event: FindingsPanel.Open) -> None:
        event.stop()
        f = event.finding
        reveal = (f.table, f.row_id, "") if f.table and f.row_id is not None else None
        if f.table == "postmortem":
            field = {
                "title": "title",
                "summary": "summary",
                "description": "impact_description",
                "fishbone effect": "fishbone_effect",
            }.get(f.field, "")
            reveal = ("postmortem", self.workspace.pm_id, field)
        self.pm_app.action_open_section(f.section, reveal)
