"""Incident Overview: what happened, when, for how long, how bad.

The start, detection, mitigation and resolution times shown here are not
fields of their own: editing one creates or moves the earliest timeline event
of that kind, so the timeline stays the single source of truth.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Label, Select, Static

from models.entry import parse_entry
from models.enums import SEVERITY_HELP, EventKind, Severity, Status
from models.errors import ValidationError
from models.rules import check_fields
from models.stored import words
from models.tables import Postmortem, TimelineEvent
from models.timefmt import duration_words, local, local_time, ongoing_words
from models.timeparse import timezone_names
from models.usertext import shown
from tui.screens.related import RelatedSection
from tui.screens.section import SectionScreen
from tui.widgets.choice import options_for, show_choice, stored
from tui.widgets.field import Field, TextAreaField
from tui.widgets.findings_panel import FindingsPanel
from tui.widgets.related_panel import RelatedPanel

MILESTONE_FIELDS = (
    (EventKind.STARTED, "Started", "Impact began"),
    (EventKind.DETECTED, "Detected", "Impact detected"),
    (EventKind.MITIGATED, "Mitigated", "Impact mitigated"),
    (EventKind.RESOLVED, "Resolved", "Incident resolved"),
)
ENTRY_TIMES = "14:02, 2:02pm, yesterday 23:50, 2026-11-28 14:02, now, -10m"
STATUS_LABELS = {Status.DRAFT: "Draft", Status.IN_REVIEW: "In review", Status.FINAL: "Final"}
SEVERITY_OPTIONS = [(f"{s.value} · {SEVERITY_HELP[s].split(':')[0]}", s.value) for s in Severity]
STATUS_OPTIONS = [(label, s.value) for s, label in STATUS_LABELS.items()]


def split_list(text: str) -> list[str]:
    """'api, worker, API' -> ['api', 'worker']: comma separated, blanks and repeats
    (ignoring case) dropped, the first spelling kept."""
    out: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


class OverviewScreen(RelatedSection, SectionScreen):
    SECTION = "overview"
    CSS_PATH = "overview.tcss"
    AUTO_FOCUS = "#input-title"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose_section(self) -> ComposeResult:
        autosave = self.pm_app.autosave
        with VerticalScroll(id="overview-scroll"):
            with Vertical(id="overview-fields"):
                yield self.make_field(
                    "Title",
                    key="title",
                    parse=lambda t: check_fields("postmortem", {"title": t})["title"],
                    save=lambda v, _: self._update(title=v),
                )
                with Horizontal(classes="field field-row"):
                    yield Label("Severity", classes="field-label")
                    yield Select(
                        options_for(self.pm.severity, SEVERITY_OPTIONS),
                        value=stored(self.pm.severity),
                        allow_blank=False,
                        compact=True,
                        id="severity",
                    )
                yield Static("", id="severity-help", classes="hint")
                with Horizontal(classes="field field-row"):
                    yield Label("Status", classes="field-label")
                    yield Select(
                        options_for(self.pm.status, STATUS_OPTIONS),
                        value=stored(self.pm.status),
                        allow_blank=False,
                        compact=True,
                        id="status",
                    )
                yield self.make_field(
                    "Timezone",
                    key="timezone",
                    placeholder="IANA name, e.g. Europe/London",
                    suggester=SuggestFromList(timezone_names(), case_sensitive=False),
                    parse=lambda t: check_fields("postmortem", {"timezone": t})["timezone"],
                    save=lambda v, _: self._update(timezone=v),
                )
                for name, label in (
                    ("authors", "Authors"),
                    ("services", "Services"),
                    ("tags", "Tags"),
                ):
                    yield self.make_field(
                        label,
                        key=name,
                        placeholder="comma separated",
                        joiner=", ",  # a pasted column of names becomes a list
                        parse=split_list,
                        save=partial(self._update_field, name),
                    )
                for kind, label, _ in MILESTONE_FIELDS:
                    yield self.make_field(
                        label,
                        key=f"ms-{kind.value}",
                        placeholder="14:02, yesterday 23:50, 2026-11-28 14:02 or now",
                        complain_while_typing=False,
                        parse=self._parse_time,
                        save=partial(self._set_milestone, kind),
                    )
            yield Static("", id="duration", markup=False)
            yield TextAreaField(
                "Summary (Markdown): what happened, who was affected, how it ended",
                key="summary",
                autosave=autosave,
                save=lambda v: self._update(summary=v),
            )
            yield RelatedPanel(id="related")  # issue 12: links and suggestions
            yield FindingsPanel(id="findings")  # issue 12: what `postmortem check` finds

    # ------------------------------------------------------------------ show

    def show(self, pm: Postmortem) -> None:
        self.field("title").set_value(pm.title)
        self.field("timezone").set_value(pm.timezone)
        for name in ("authors", "services", "tags"):
            self.field(name).set_value(", ".join(words(getattr(pm, name))))
        show_choice(self.query_one("#severity", Select), pm.severity, SEVERITY_OPTIONS)
        known = pm.severity in {v for _, v in SEVERITY_OPTIONS}
        self.query_one("#severity-help", Static).update(
            SEVERITY_HELP[Severity(pm.severity)]
            if known
            else "⚠ The stored severity is not one of SEV1 to SEV5: pick one."
        )
        show_choice(self.query_one("#status", Select), pm.status, STATUS_OPTIONS)
        self.show_times(pm)
        self.query_one("#field-summary", TextAreaField).set_value(pm.summary)
        self.show_related()

    def show_times(self, pm: Postmortem) -> None:
        metrics = self.workspace.metrics()
        for kind, _, _ in MILESTONE_FIELDS:
            moment = metrics.milestones.get(kind)
            self.field(f"ms-{kind.value}").set_value(
                local_time(moment, pm.timezone) if moment else ""
            )
        started, ended = metrics.started, metrics.ended
        if started is None:
            text = "Duration: set the start time (or add a 'started' event on the timeline)."
        elif metrics.ongoing:
            ongoing = ongoing_words(started, self.workspace.clock())
            text = f"{ongoing.capitalize()}: no mitigation or resolution yet."
        else:
            assert ended is not None
            text = (
                "The end is before the start: check the milestone times above."
                if (metrics.impact_duration or 0) < 0
                else f"Impact lasted {duration_words(metrics.impact_duration)}, "
                f"from {local_time(started, pm.timezone, '%a %d %b %H:%M')} "
                f"to {local_time(ended, pm.timezone, '%a %d %b %H:%M %Z')}."
            )
        if metrics.warnings:
            text += "  ⚠ " + "; ".join(metrics.warnings)
        self.query_one("#duration", Static).update(text)

    def field(self, key: str) -> Field:
        return self.query_one(f"#field-{key}", Field)

    # ------------------------------------------------------------------ write

    def _update_field(self, name: str, value: object, _scope: object = None) -> None:
        self._update(**{name: value})

    def _update(self, **fields: Any) -> None:
        self.workspace.store.update_postmortem(self.workspace.pm_id, **fields)
        self.after_write()
        if "timezone" in fields:
            self.show_times(self.pm)

    def on_select_changed(self, event: Select.Changed) -> None:
        # A Select announces its initial value too: only a real change is written.
        if event.select.id in ("severity", "status") and isinstance(event.value, str):
            name, value = event.select.id, event.value
            if getattr(self.pm, name) == value or value != event.select.value:
                return
            self.pm_app.autosave.schedule(name, lambda: self._update(**{name: value}))
            self.pm_app.flush()
            if name == "severity":  # its description follows at once
                self.query_one("#severity-help", Static).update(SEVERITY_HELP[Severity(value)])

    def _reference_date(self) -> dt.date | None:
        started = local(self.workspace.metrics().started, self.pm.timezone)
        return started.date() if started else None

    def _parse_time(self, text: str) -> dt.datetime | None:
        """A milestone time in the entry line's grammar (14:02, yesterday 23:50,
        2:02pm, 2026-11-28 14:02 PDT...), and nothing else on the line."""
        if not text.strip():
            return None
        entry = parse_entry(
            text,
            self.pm.timezone,
            now=self.workspace.clock(),
            reference=self._reference_date(),
            started=self.workspace.metrics().started,
        )
        if not entry.timed or entry.text or entry.kind or entry.actor:
            raise ValidationError(
                "time", f"{shown(text.strip())} is not a time; accepted: {ENTRY_TIMES}"
            )
        return entry.at

    def _set_milestone(self, kind: EventKind, at: dt.datetime | None, _scope: object) -> None:
        store = self.workspace.store
        events = [e for e in self.pm.events if e.kind == kind]
        first = min(events, key=lambda e: e.at) if events else None
        if at is None:
            if first is not None and first.id is not None:
                # The time *is* that event: clearing it deletes the event, so say
                # which one, and that ctrl+z brings it back.
                store.delete(TimelineEvent, first.id)
                when = local_time(first.at, self.pm.timezone, "%H:%M")
                self.notify(
                    f"Cleared {kind.value}: deleted the {when} {kind.value} event "
                    f"{shown(first.text, 40)} from the timeline. ctrl+z brings it back.",
                    timeout=8,
                )
        elif first is not None and first.id is not None:
            store.update(TimelineEvent, first.id, at=at)
        else:
            text = next(t for k, _, t in MILESTONE_FIELDS if k == kind)
            store.add(
                TimelineEvent(postmortem_id=self.workspace.pm_id, at=at, kind=kind.value, text=text)
            )
        self.after_write(events=True)
        self.show_times(self.pm)
