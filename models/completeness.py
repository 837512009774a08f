"""How finished each section is: the marks in the section navigator.

Deliberately simple rules a reviewer can predict (they are listed in the README):

| section | done when | partly done when |
|---|---|---|
| Overview | a summary, services, and a start | any of summary, services, authors |
| Timeline | started, detected, and mitigated or resolved milestones | any event |
| Root Cause | a 5 Whys chain with 3+ whys, or a fishbone root cause | any chain or category |
| Impact | a description and a number (users or SLO budget) | any impact field |
| Response | what went well and what went wrong both listed | any item |
| Action Items | items exist, and every open one has an owner and a due date | any item |
"""

from __future__ import annotations

from enum import StrEnum

from models.enums import ActionStatus, EventKind
from models.metrics import milestones
from models.tables import FishboneCause, Postmortem


class Mark(StrEnum):
    EMPTY = "empty"
    PARTIAL = "partial"
    DONE = "done"


def _grade(done: bool, started: bool) -> Mark:
    return Mark.DONE if done else Mark.PARTIAL if started else Mark.EMPTY


def _any_root(causes: list[FishboneCause]) -> bool:
    return any(c.root_cause or _any_root(c.children) for c in causes)


def overview(pm: Postmortem) -> Mark:
    has_start = any(e.kind == EventKind.STARTED for e in pm.events)
    summary = bool(pm.summary.strip())
    return _grade(
        summary and bool(pm.services) and has_start,
        summary or bool(pm.services) or bool(pm.authors),
    )


def timeline(pm: Postmortem) -> Mark:
    ms = milestones(pm.events)
    ended = EventKind.MITIGATED in ms or EventKind.RESOLVED in ms
    return _grade(EventKind.STARTED in ms and EventKind.DETECTED in ms and ended, bool(pm.events))


def root_cause(pm: Postmortem) -> Mark:
    deep_chain = any(len(c.whys) >= 3 for c in pm.why_chains)
    rooted = any(_any_root(cat.causes) for cat in pm.categories)
    return _grade(deep_chain or rooted, bool(pm.why_chains) or bool(pm.categories))


def impact(pm: Postmortem) -> Mark:
    number = pm.users_affected is not None or pm.slo_budget_consumed_pct is not None
    anything = (
        number
        or pm.support_tickets is not None
        or any(s.strip() for s in (pm.impact_description, pm.revenue_impact, pm.data_loss))
    )
    return _grade(bool(pm.impact_description.strip()) and number, anything)


def response(pm: Postmortem) -> Mark:
    sections = {i.section for i in pm.response_items}
    return _grade({"went_well", "went_wrong"} <= sections, bool(sections))


def action_items(pm: Postmortem) -> Mark:
    closed = {s.value for s in ActionStatus if s.is_closed}
    open_items = [a for a in pm.action_items if a.status not in closed]
    complete = all(a.owner.strip() and a.due for a in open_items)
    return _grade(bool(pm.action_items) and complete, bool(pm.action_items))


RULES = {
    "overview": overview,
    "timeline": timeline,
    "rootcause": root_cause,
    "impact": impact,
    "response": response,
    "actions": action_items,
}


def marks(pm: Postmortem) -> dict[str, Mark]:
    return {name: rule(pm) for name, rule in RULES.items()}
