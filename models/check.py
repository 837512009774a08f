"""Is this postmortem ready for review? The findings of `postmortem check` and of
the Overview's review panel, one rule at a time.

Rules (each finding names its rule, so a team can grep or count them):

* ``incomplete``: a section short of the completeness rules (models.completeness),
  saying what it lacks;
* ``milestone``: a milestone the durations need is missing (started, detected,
  mitigated or resolved), or milestones are out of order (models.metrics);
* ``owner`` and ``due``: an open action item without an owner or a due date;
* ``overdue``: an open action item past its due date (today in the postmortem's zone);
* ``blaming``: blaming language (models.blameless), with the field and position.

A finding prints like a linter's, ``section/field[:line:col]: message``, and
carries the longer reason (``why``) and the row it is about (``table``,
``row_id``) for the app to open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from models import completeness
from models.blameless import Language, people_of
from models.completeness import Mark
from models.enums import ActionStatus, EventKind
from models.metrics import compute
from models.stored import words
from models.tables import FishboneCause, Postmortem
from models.timefmt import local_time
from models.usertext import printable


@dataclass(frozen=True)
class Finding:
    rule: str
    section: str
    field: str
    message: str
    why: str = ""
    line: int | None = None
    column: int | None = None
    table: str = ""
    row_id: int | None = None

    @property
    def place(self) -> str:
        where = f"{self.section}/{self.field}"
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        return where

    def __str__(self) -> str:
        return " ".join(printable(f"{self.place}: {self.message}").split())

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "section": self.section,
            "field": self.field,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "why": self.why,
        }


INCOMPLETE = {
    "overview": "needs a summary, the services affected and a start time",
    "rootcause": "needs a 5 Whys chain of 3 or more whys, or a fishbone cause marked as root",
    "impact": "needs a description and a number (users affected or SLO budget consumed)",
    "response": "needs what went well and what went wrong",
    "actions": "has no action items: what will stop this happening again?",
}
WHY_INCOMPLETE = (
    "reviewers and later readers rely on every section; the completeness rules are the "
    "ones the navigator's marks show"
)


def _overview_gaps(pm: Postmortem) -> list[str]:
    gaps = []
    if not pm.summary.strip():
        gaps.append("a summary")
    if not pm.services:
        gaps.append("the services affected")
    if not any(e.kind == EventKind.STARTED for e in pm.events):
        gaps.append("a start time")
    return gaps


def _impact_gaps(pm: Postmortem) -> list[str]:
    gaps = []
    if not pm.impact_description.strip():
        gaps.append("a description")
    if pm.users_affected is None and pm.slo_budget_consumed_pct is None:
        gaps.append("a number (users affected or SLO budget consumed)")
    return gaps


def _response_gaps(pm: Postmortem) -> list[str]:
    have = {i.section for i in pm.response_items}
    return [
        label
        for key, label in (("went_well", "what went well"), ("went_wrong", "what went wrong"))
        if key not in have
    ]


def _needs(gaps: list[str]) -> str:
    if len(gaps) == 1:
        return f"needs {gaps[0]}"
    return "needs " + ", ".join(gaps[:-1]) + f" and {gaps[-1]}"


def incomplete(pm: Postmortem) -> Iterator[Finding]:
    marks = completeness.marks(pm)
    for section, mark in marks.items():
        if mark is Mark.DONE or section == "timeline":  # the milestone rule says more
            continue
        if section == "overview":
            message = _needs(_overview_gaps(pm))
        elif section == "impact":
            message = _needs(_impact_gaps(pm))
        elif section == "response":
            message = _needs(_response_gaps(pm))
        elif section == "actions":
            if pm.action_items:
                continue  # the owner and due rules name each item
            message = INCOMPLETE[section]
        else:
            message = INCOMPLETE[section]
        yield Finding("incomplete", section, "section", message, WHY_INCOMPLETE)


def milestones(pm: Postmortem, now: dt.datetime) -> Iterator[Finding]:
    metrics = compute(pm.events, now=now)
    have = {k.value for k in metrics.milestones}
    why = (
        "time to detect, mitigate and resolve are measured between milestones; without "
        "them this incident is left out of the library's trends"
    )
    for kind in ("started", "detected"):
        if kind not in have:
            yield Finding("milestone", "timeline", "milestones", f"no '{kind}' event", why)
    if "mitigated" not in have and "resolved" not in have:
        yield Finding(
            "milestone", "timeline", "milestones", "no 'mitigated' or 'resolved' event", why
        )
    elif "resolved" not in have:
        yield Finding("milestone", "timeline", "milestones", "no 'resolved' event", why)
    for warning in metrics.warnings:
        if "future" in warning:
            yield Finding(
                "milestone",
                "timeline",
                "events",
                warning,
                "an event after now is usually a typo in the date or the zone",
            )
        else:
            yield Finding(
                "milestone",
                "timeline",
                "milestones",
                f"out of order: {warning}",
                "each duration needs its milestones in order; check the times and zones",
            )


def action_items(pm: Postmortem, today: dt.date) -> Iterator[Finding]:
    for n, item in enumerate(pm.action_items, 1):
        try:
            closed = ActionStatus(item.status).is_closed
        except ValueError:
            closed = False
        if closed:
            continue
        where = f"action item {n}"
        name = " ".join(printable(item.title).split())
        name = name if len(name) <= 50 else name[:49] + "…"
        if not item.owner.strip():
            yield Finding(
                "owner",
                "actions",
                where,
                f"open without an owner: {name}",
                "an action item nobody owns is the one that is forgotten after the review",
                table="action_item",
                row_id=item.id,
            )
        if item.due is None:
            yield Finding(
                "due",
                "actions",
                where,
                f"open without a due date: {name}",
                "without a date nobody can tell when it is late",
                table="action_item",
                row_id=item.id,
            )
        elif item.due < today:
            days = (today - item.due).days
            yield Finding(
                "overdue",
                "actions",
                where,
                f"overdue by {days} day{'s' if days != 1 else ''} (due {item.due}): {name}",
                "close it, or give it a new date the owner agrees to",
                table="action_item",
                row_id=item.id,
            )


def _texts(pm: Postmortem) -> Iterator[tuple[str, str, str, str, int | None]]:
    """Every text of a postmortem as (section, field, text, table, row id)."""
    yield "overview", "title", pm.title, "postmortem", pm.id
    yield "overview", "summary", pm.summary, "postmortem", pm.id
    for n, event in enumerate(sorted(pm.events, key=lambda e: (e.at, e.id or 0)), 1):
        when = local_time(event.at, pm.timezone, "%H:%M")
        yield "timeline", f"event {n} ({when})", event.text, "timeline_event", event.id
    for c, chain in enumerate(pm.why_chains, 1):
        yield "rootcause", f"5 whys {c} problem", chain.problem, "why_chain", chain.id
        for w, why in enumerate(chain.whys, 1):
            yield "rootcause", f"5 whys {c} why {w}", why.text, "why", why.id
    yield "rootcause", "fishbone effect", pm.fishbone_effect, "postmortem", pm.id

    def causes(
        items: list[FishboneCause], path: str
    ) -> Iterator[tuple[str, str, str, str, int | None]]:
        for k, cause in enumerate(items, 1):
            here = f"{path} cause {k}" if "cause" not in path else f"{path}.{k}"
            yield "rootcause", here, cause.text, "fishbone_cause", cause.id
            yield from causes(cause.children, here)

    for category in pm.categories:
        yield from causes(category.causes, f"fishbone {' '.join(category.name.split())}")
    yield "impact", "description", pm.impact_description, "postmortem", pm.id
    labels = {"went_well": "went well", "went_wrong": "went wrong", "lucky": "lucky"}
    counts: dict[str, int] = {}
    for item in pm.response_items:
        counts[item.section] = counts.get(item.section, 0) + 1
        label = labels.get(item.section, item.section)
        yield "response", f"{label} {counts[item.section]}", item.text, "response_item", item.id
    for n, action in enumerate(pm.action_items, 1):
        yield "actions", f"action item {n}", action.title, "action_item", action.id


def blaming(pm: Postmortem, language: Language) -> Iterator[Finding]:
    people = people_of(
        words(pm.authors), (a.owner for a in pm.action_items), (e.actor for e in pm.events)
    )
    for section, field, text, table, row_id in _texts(pm):
        if not text.strip():
            continue
        for hit in language.scan(text, people):
            line = text.count("\n", 0, hit.start) + 1
            column = hit.start - (text.rfind("\n", 0, hit.start) + 1) + 1
            quoted = " ".join(text[hit.start : hit.end].split())
            yield Finding(
                "blaming",
                section,
                field,
                f"“{quoted}”: {hit.why}",
                hit.why,
                line,
                column,
                table,
                row_id,
            )


def check(pm: Postmortem, *, now: dt.datetime, language: Language | None = None) -> list[Finding]:
    """Every finding for ``pm`` (stored or read from a file), in section order.
    ``now`` is UTC; "today" for due dates is its date in the postmortem's zone."""
    from models.sqlvalues import local_date

    order = ["overview", "timeline", "rootcause", "impact", "response", "actions"]
    findings = [
        *incomplete(pm),
        *milestones(pm, now),
        *action_items(pm, local_date(now, pm.timezone)),
        *blaming(pm, language or Language()),
    ]
    findings.sort(key=lambda f: order.index(f.section) if f.section in order else len(order))
    return findings
