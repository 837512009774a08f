"""The Markdown export: what gets pasted into the wiki or the incident review.

GitHub-flavoured, in the order of the app's sections, with YAML front matter
for tools that index postmortems. Every piece of user text goes through
:mod:`models.mdtext`, so no title, summary or event can break the document.
An empty section stays, saying so, because a reviewer should see the gap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from models.enums import MILESTONE_VALUES, SEVERITY_HELP, EventKind, ResponseSection, Severity
from models.fishbone import from_tables, mermaid
from models.fishbone import render as render_fishbone
from models.mdtext import block, fenced, inline, table
from models.metrics import METRIC_LABELS, Metrics, compute
from models.stored import number, problems, words
from models.tables import FishboneCause, Postmortem
from models.timefmt import INVALID_TIME, duration_words, local, offset_words
from models.timeparse import format_rfc3339
from models.usertext import printable

EMPTY = "_Not yet written._"
RESPONSE_TITLES = {
    ResponseSection.WENT_WELL: "What went well",
    ResponseSection.WENT_WRONG: "What went wrong",
    ResponseSection.LUCKY: "Where we got lucky",
}


def _iso_local(moment: dt.datetime | None, tz: str) -> str | None:
    shown = local(moment, tz)
    return shown.isoformat() if shown else None


def front_matter(pm: Postmortem, metrics: Metrics) -> str:
    ms = metrics.milestones
    data: dict[str, Any] = {
        "title": " ".join(printable(pm.title).split()),
        "severity": printable(pm.severity),
        "status": printable(pm.status),
        "timezone": printable(pm.timezone),
        "started": _iso_local(ms.get(EventKind.STARTED), pm.timezone),
        "detected": _iso_local(ms.get(EventKind.DETECTED), pm.timezone),
        "mitigated": _iso_local(ms.get(EventKind.MITIGATED), pm.timezone),
        "resolved": _iso_local(ms.get(EventKind.RESOLVED), pm.timezone),
        "duration": duration_words(metrics.impact_duration, empty="") or None,
        "authors": words(pm.authors),
        "services": words(pm.services),
        "tags": words(pm.tags),
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---"


def _overview(pm: Postmortem, metrics: Metrics) -> list[str]:
    tz = pm.timezone
    started, ended = metrics.started, metrics.ended

    def when(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
        shown = local(moment, tz)
        return inline(shown.strftime(fmt)) if shown else "—"

    duration = "ongoing" if metrics.ongoing else duration_words(metrics.impact_duration)
    help_text = SEVERITY_HELP.get(Severity(pm.severity)) if pm.severity in _SEVERITIES else None
    severity = f"{pm.severity}: {help_text}" if help_text else str(pm.severity)
    facts = [
        ["Date", when(started, "%Y-%m-%d")],
        ["Start", when(started)],
        ["End", when(ended)],
        ["Duration", inline(duration)],
        ["Severity", inline(severity)],
        ["Status", inline(str(pm.status).replace("_", " "))],
        ["Services", inline(", ".join(words(pm.services))) or "—"],
        ["Authors", inline(", ".join(words(pm.authors))) or "—"],
    ]
    summary = block(pm.summary) if pm.summary.strip() else EMPTY
    return ["## Incident Overview", "", summary, "", table(["Fact", "Value"], facts)]


def _timeline(pm: Postmortem, metrics: Metrics) -> list[str]:
    out = ["## Timeline of Events", ""]
    events = sorted(pm.events, key=lambda e: e.at)
    if not events:
        out.append(EMPTY)
    else:
        out += [f"Times are in {inline(pm.timezone)}.", ""]
        started = metrics.started
        rows, last_day = [], None
        for e in events:
            shown = local(e.at, pm.timezone)
            if shown is None:  # stored out of range: marked, in its place
                time, offset = inline(f"⚠ {INVALID_TIME} {format_rfc3339(e.at)}"), ""
            else:
                day = shown.date()
                time = shown.strftime("%H:%M:%S" if shown.second else "%H:%M")
                if day != last_day:
                    time = f"{day.isoformat()} {time}"
                    last_day = day
                offset = offset_words((e.at - started).total_seconds()) if started else ""
            kind = f"**{e.kind}**" if e.kind in MILESTONE_VALUES else inline(e.kind)
            rows.append([time, offset, kind, inline(e.text), inline(e.actor)])
        out.append(table(["Time", "T+", "Kind", "Event", "Actor"], rows))
    out += ["", "### Metrics", ""]
    out.append(
        table(
            ["Metric", "Value"],
            [[label, duration_words(getattr(metrics, key))] for key, label in METRIC_LABELS],
        )
    )
    if metrics.warnings:
        out += ["", *(f"> **Warning:** {inline(w)}" for w in metrics.warnings)]
    return out


def _causes(causes: list[FishboneCause], depth: int) -> list[str]:
    out = []
    for cause in causes:
        text = inline(cause.text)
        if cause.root_cause:
            text = f"**{text}** _(root cause)_"
        out.append(f"{'  ' * depth}- {text}")
        out += _causes(cause.children, depth + 1)
    return out


DRAWING_WIDTH = 100


def _root_cause(pm: Postmortem, *, with_mermaid: bool = False) -> list[str]:
    out = ["## Root Cause Analysis", "", "### 5 Whys", ""]
    if not pm.why_chains:
        out.append(EMPTY)
    for n, chain in enumerate(pm.why_chains, 1):
        out.append(f"**Problem {n}:** {inline(chain.problem) or '—'}")
        out.append("")
        if chain.whys:
            for i, why in enumerate(chain.whys, 1):
                out.append(f"{i}. Why? {inline(why.text)}")
            out += ["", f"**Root cause:** {inline(chain.whys[-1].text)}"]
        else:
            out.append("_No whys yet._")
        out.append("")
    if out[-1] == "":
        out.pop()
    out += ["", "### Fishbone Diagram", ""]
    if not pm.categories and not pm.fishbone_effect.strip():
        out.append(EMPTY)
        return out
    out.append(f"**Effect:** {inline(pm.fishbone_effect) or '—'}")
    out.append("")
    categories = from_tables(pm.categories)
    if categories:
        drawing = render_fishbone(pm.fishbone_effect, categories, DRAWING_WIDTH)
        out += [fenced("\n".join(drawing), "text"), ""]
    if with_mermaid:
        out += [fenced(mermaid(pm.fishbone_effect, categories), "mermaid"), ""]
    for category in pm.categories:
        out.append(f"- **{inline(category.name)}**")
        out += _causes(category.causes, 1)
    return out


def _impact(pm: Postmortem, metrics: Metrics) -> list[str]:
    out = ["## Impact Assessment", ""]

    filled = any(
        [
            pm.impact_description.strip(),
            pm.users_affected is not None,
            pm.support_tickets is not None,
            pm.slo_budget_consumed_pct is not None,
            pm.revenue_impact.strip(),
            pm.data_loss.strip(),
        ]
    )
    out.append(block(pm.impact_description) if pm.impact_description.strip() else EMPTY)
    if filled or metrics.impact_duration is not None:
        out += [
            "",
            table(
                ["Measure", "Value"],
                [
                    ["Impact duration", duration_words(metrics.impact_duration)],
                    ["Users affected", inline(number(pm.users_affected))],
                    ["Support tickets", inline(number(pm.support_tickets))],
                    ["SLO error budget consumed", inline(number(pm.slo_budget_consumed_pct, "%"))],
                    ["Revenue impact", inline(pm.revenue_impact) or "—"],
                    ["Data loss", inline(pm.data_loss) or "—"],
                ],
            ),
        ]
    return out


def _response(pm: Postmortem) -> list[str]:
    out = ["## Response Evaluation"]
    for section in ResponseSection:
        items = [i for i in pm.response_items if i.section == section]
        out += ["", f"### {RESPONSE_TITLES[section]}", ""]
        out += [f"- {inline(i.text)}" for i in items] or [EMPTY]
    return out


def _actions(pm: Postmortem) -> list[str]:
    out = ["## Action Items", ""]
    if not pm.action_items:
        return [*out, EMPTY]
    rows = [
        [
            str(n),
            inline(a.title),
            inline(a.owner) or "—",
            a.due.isoformat() if a.due else "—",
            inline(a.priority),
            inline(a.kind),
            inline(a.status.replace("_", " ")),
            inline(a.ticket) or "—",
        ]
        for n, a in enumerate(pm.action_items, 1)
    ]
    header = ["#", "Action", "Owner", "Due", "Priority", "Kind", "Status", "Ticket"]
    return [*out, table(header, rows)]


_SEVERITIES = frozenset(s.value for s in Severity)


def _invalid(pm: Postmortem) -> list[str]:
    """Stored values that break today's rules, listed where a reader starts: an
    older version or another program wrote them, and only a person can fix them."""
    found = problems(pm)
    if not found:
        return []
    noun = "value breaks" if len(found) == 1 else "values break"
    out = ["", f"> **Warning:** {len(found)} stored {noun} today's rules; shown as stored:", ">"]
    return out + [f"> - {inline(line)}" for line in found]


def to_markdown(
    pm: Postmortem, *, now: dt.datetime | None = None, with_mermaid: bool = False
) -> str:
    """The whole postmortem; ``with_mermaid`` adds a Mermaid ishikawa-beta block
    after the text drawing (GitHub's renderer may not support it yet)."""
    metrics = compute(pm.events, now=now)
    parts = [
        [front_matter(pm, metrics), "", f"# {inline(pm.title)}", *_invalid(pm)],
        _overview(pm, metrics),
        _timeline(pm, metrics),
        _root_cause(pm, with_mermaid=with_mermaid),
        _impact(pm, metrics),
        _response(pm),
        _actions(pm),
        *_related(pm),  # issue 12: only when the postmortem has links
    ]
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


# ---------------------------------------------------------------- related incidents (issue 12)


def _related(pm: Postmortem) -> list[list[str]]:
    """ "Related Incidents", when there are any: each link with how it relates,
    from this postmortem's side (a recurrence of, recurred in, related)."""
    from models.related import links

    found = links(pm)
    if not found:
        return []
    lines = ["## Related Incidents", ""]
    for link in found:
        lines.append(f"- {link.relation.capitalize()}: {inline(link.title)} (#{link.other_id})")
    return [lines]
