"""Impact Assessment: users, services, business; the duration comes from the timeline."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.numbers import parse_count, parse_percent, show_count, show_percent
from models.tables import Postmortem
from models.timefmt import duration_words
from tui.screens.section import SectionScreen
from tui.widgets.field import Field, TextAreaField


class ImpactScreen(SectionScreen):
    SECTION = "impact"
    CSS_PATH = "impact.tcss"
    AUTO_FOCUS = "#input-users_affected"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_section(self) -> ComposeResult:
        with VerticalScroll(id="impact-fields"):
            yield Static("", id="impact-duration", classes="readonly")
            yield self.make_field(
                "Users",
                key="users_affected",
                placeholder="users affected, e.g. 18,400 or 18k",
                parse=lambda t: parse_count(t, "users affected"),
                save=lambda v, _: self._update(users_affected=v),
            )
            yield self.make_field(
                "Tickets",
                key="support_tickets",
                placeholder="support tickets opened",
                parse=lambda t: parse_count(t, "support tickets"),
                save=lambda v, _: self._update(support_tickets=v),
            )
            yield self.make_field(
                "SLO budget",
                key="slo_budget_consumed_pct",
                placeholder="% of the error budget consumed; may exceed 100",
                parse=lambda t: parse_percent(t, "SLO budget"),
                save=lambda v, _: self._update(slo_budget_consumed_pct=v),
            )
            yield self.make_field(
                "Revenue",
                key="revenue_impact",
                placeholder="free text, e.g. ≈ £41k abandoned checkouts",
                parse=str,
                save=lambda v, _: self._update(revenue_impact=v),
            )
            yield self.make_field(
                "Data loss",
                key="data_loss",
                placeholder="none? say so: 'None: retries were idempotent'",
                parse=str,
                save=lambda v, _: self._update(data_loss=v),
            )
        yield TextAreaField(
            "Who and what was affected, and how (Markdown)",
            key="impact_description",
            autosave=self.pm_app.autosave,
            save=lambda v: self._update(impact_description=v),
        )

    def show(self, pm: Postmortem) -> None:
        metrics = self.workspace.metrics()
        if metrics.impact_duration is not None:
            text = f"Impact duration (from the timeline): {duration_words(metrics.impact_duration)}"
        elif metrics.ongoing:
            text = "Impact duration: ongoing (no mitigated or resolved event yet)"
        else:
            text = "Impact duration: add started and mitigated events on the timeline"
        self.query_one("#impact-duration", Static).update(text)
        for name in ("users_affected", "support_tickets"):
            self.query_one(f"#field-{name}", Field).set_value(show_count(getattr(pm, name)))
        self.query_one("#field-slo_budget_consumed_pct", Field).set_value(
            show_percent(pm.slo_budget_consumed_pct)
        )
        for name in ("revenue_impact", "data_loss"):
            self.query_one(f"#field-{name}", Field).set_value(getattr(pm, name))
        self.query_one("#field-impact_description", TextAreaField).set_value(pm.impact_description)

    def _update(self, **fields: Any) -> None:
        self.workspace.store.update_postmortem(self.workspace.pm_id, **fields)
        self.after_write()
