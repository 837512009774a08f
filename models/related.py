"""Related incidents: the links a postmortem has, and the past incidents it
probably repeats.

A link is one row (models.tables.PostmortemLink) seen from both sides: if B
says it is a recurrence of A, A shows "recurred in B". Suggestions come from
what past postmortems share with this one: services, tags, and the wording of
root causes (fishbone causes marked as root and the last why of each chain).
The user confirms a suggestion (it becomes a link) or dismisses it (a
``not_related`` link, never suggested again).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.enums import LinkKind
from models.library import Incident
from models.tables import Postmortem

RELATION = {
    # (kind, made by this postmortem) -> how this postmortem shows the other
    (LinkKind.RELATED, True): "related",
    (LinkKind.RELATED, False): "related",
    (LinkKind.RECURRENCE_OF, True): "recurrence of",
    (LinkKind.RECURRENCE_OF, False): "recurred in",
}
# Weights of what two incidents share; a suggestion needs MIN_SCORE, which one
# shared service, two shared tags, or a third of the root-cause words each reach.
SERVICE_WEIGHT, TAG_WEIGHT, WORDING_WEIGHT = 2.0, 1.0, 6.0
MIN_SCORE = 2.0
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "were",
        "when",
        "which",
        "while",
        "with",
        "without",
        "after",
        "before",
        "than",
        "then",
        "every",
        "only",
        "all",
        "any",
        "our",
        "too",
        "very",
    }
)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Link:
    link_id: int
    other_id: int
    title: str
    relation: str  # "related", "recurrence of", "recurred in"
    kind: str
    made_here: bool
    created_at: dt.datetime


def links(pm: Postmortem) -> list[Link]:
    """The postmortem's links to others, both directions, dismissed ones left out;
    as loaded by Store.load (other sides' titles included)."""
    out: list[Link] = []
    for link, made_here in [*((x, True) for x in pm.links), *((x, False) for x in pm.linked_from)]:
        if link.kind == LinkKind.NOT_RELATED or link.id is None:
            continue
        other = link.other if made_here else link.source
        other_id = link.other_id if made_here else link.postmortem_id
        if other is None or other_id is None:
            continue
        out.append(
            Link(
                link.id,
                other_id,
                other.title,
                RELATION.get((LinkKind(link.kind), made_here), link.kind),
                link.kind,
                made_here,
                link.created_at,
            )
        )
    out.sort(key=lambda x: (x.relation != "recurrence of", x.relation, x.other_id))
    return out


def linked_ids(pm: Postmortem) -> set[int]:
    """Every postmortem this one has a row with: links and dismissed suggestions."""
    ids = {x.other_id for x in pm.links} | {x.postmortem_id for x in pm.linked_from}
    return {i for i in ids if i is not None}


@dataclass(frozen=True)
class Suggestion:
    other_id: int
    title: str
    started: dt.datetime | None
    score: float
    reasons: tuple[str, ...]  # "services checkout-api, pgbouncer", "root cause wording: pool size"


def words(texts: Iterable[str]) -> set[str]:
    """Content words, case-blind, plural -s trimmed: the unit of 'wording'."""
    out = set()
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            if len(word) < 3 or word in STOPWORDS:
                continue
            out.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return out


def _when(incident: Incident) -> dt.datetime:
    return incident.started or incident.created_at


def suggest(
    pm_id: int,
    library: Sequence[Incident],
    *,
    exclude: Iterable[int] = (),
    limit: int = 5,
) -> list[Suggestion]:
    """Past incidents most like ``pm_id``, best first: those that began before it
    (or were written before it, without start times), not already linked or
    dismissed, scoring at least MIN_SCORE on shared services, tags and root-cause
    words (Jaccard similarity of the two sets of words)."""
    by_id = {i.id: i for i in library}
    me = by_id.get(pm_id)
    if me is None:
        return []
    skip = set(exclude) | {pm_id}
    services = {s.casefold() for s in me.services}
    tags = {t.casefold() for t in me.tags}
    mine = words((*me.root_causes, *me.why_roots))
    found: list[Suggestion] = []
    for other in library:
        if other.id in skip or _when(other) >= _when(me):
            continue
        shared_services = sorted(s for s in other.services if s.casefold() in services)
        shared_tags = sorted(t for t in other.tags if t.casefold() in tags)
        theirs = words((*other.root_causes, *other.why_roots))
        common = mine & theirs
        wording = len(common) / len(mine | theirs) if common else 0.0
        score = (
            SERVICE_WEIGHT * len(shared_services)
            + TAG_WEIGHT * len(shared_tags)
            + WORDING_WEIGHT * wording
        )
        if score < MIN_SCORE:
            continue
        reasons = []
        if shared_services:
            reasons.append("services " + ", ".join(shared_services))
        if shared_tags:
            reasons.append("tags " + ", ".join(shared_tags))
        if common:
            reasons.append("root cause wording: " + ", ".join(sorted(common)[:4]))
        found.append(Suggestion(other.id, other.title, other.started, score, tuple(reasons)))
    found.sort(key=lambda s: (-s.score, -(s.started.timestamp() if s.started else 0.0)))
    return found[:limit]
