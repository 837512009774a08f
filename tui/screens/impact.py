"""Impact Assessment: users, services, business; the duration comes from the timeline."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.errors import ValidationError
from models.rules import check_fields
from models.tables import Postmortem
from models.timefmt import duration_words
from tui.screens.section import SectionScreen
from tui.widgets.field import Field, TextAreaField


def parse_count(field: str, text: str) -> int | None:
    """Counts as people type them: '18,400', '18 400', '18_400' or empty."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValidationError(
            field, f"{text.strip()!r} is not a whole number (like 18400), or leave it empty"
        )
    return int(cleaned)


def parse_percent(text: str) -> float | None:
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError(
            "slo", f"{text.strip()!r} is not a number (like 38.5), or leave it empty"
        ) from None
    result: float | None = check_fields("postmortem", {"slo_budget_consumed_pct": value})[
        "slo_budget_consumed_pct"
    ]
    return result


def show_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class ImpactScreen(SectionScreen):
    SECTION = "impact"
    CSS_PATH = "impact.tcss"
    AUTO_FOCUS = "#input-users_affected"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_section(self) -> ComposeResult:
        autosave = self.pm_app.autosave
        with VerticalScroll(id="impact-fields"):
            yield Static("", id="impact-duration", classes="readonly")
            yield Field(
                "Users",
                key="users_affected",
                autosave=autosave,
                placeholder="users affected, e.g. 18400",
                parse=lambda t: parse_count("users affected", t),
                save=lambda v: self._update(users_affected=v),
            )
            yield Field(
                "Tickets",
                key="support_tickets",
                autosave=autosave,
                placeholder="support tickets opened",
                parse=lambda t: parse_count("support tickets", t),
                save=lambda v: self._update(support_tickets=v),
            )
            yield Field(
                "SLO budget",
                key="slo_budget_consumed_pct",
                autosave=autosave,
                placeholder="% of the error budget consumed; may exceed 100",
                parse=parse_percent,
                save=lambda v: self._update(slo_budget_consumed_pct=v),
            )
            yield Field(
                "Revenue",
                key="revenue_impact",
                autosave=autosave,
                placeholder="free text, e.g. ≈ £41k abandoned checkouts",
                parse=str,
                save=lambda v: self._update(revenue_impact=v),
            )
            yield Field(
                "Data loss",
                key="data_loss",
                autosave=autosave,
                placeholder="none? say so: 'None: retries were idempotent'",
                parse=str,
                save=lambda v: self._update(data_loss=v),
            )
        yield TextAreaField(
            "Who and what was affected, and how (Markdown)",
            key="impact_description",
            autosave=autosave,
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
        for name in ("users_affected", "support_tickets", "slo_budget_consumed_pct"):
            self.query_one(f"#field-{name}", Field).set_value(show_number(getattr(pm, name)))
        for name in ("revenue_impact", "data_loss"):
            self.query_one(f"#field-{name}", Field).set_value(getattr(pm, name))
        self.query_one("#field-impact_description", TextAreaField).set_value(pm.impact_description)

    def _update(self, **fields: Any) -> None:
        self.workspace.store.update_postmortem(self.workspace.pm_id, **fields)
        self.after_write()
