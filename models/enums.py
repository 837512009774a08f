"""The closed vocabularies of a postmortem.

They live apart from the tables so the time parser, the metrics and the JSON
validator can use them without importing SQLModel (about 0.7 s of start-up).
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"
    SEV5 = "SEV5"


SEVERITY_HELP: dict[Severity, str] = {
    Severity.SEV1: "Critical: full outage or data loss for many users",
    Severity.SEV2: "Major: a core feature down or badly degraded",
    Severity.SEV3: "Minor: partial degradation, workaround exists",
    Severity.SEV4: "Low: small impact, few users, cosmetic",
    Severity.SEV5: "Informational: near miss, no user impact",
}


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"


class EventKind(StrEnum):
    STARTED = "started"
    DETECTED = "detected"
    NOTIFIED = "notified"
    RESPONDED = "responded"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    ACTION = "action"
    COMMUNICATION = "communication"
    NOTE = "note"

    @property
    def is_milestone(self) -> bool:
        return self in MILESTONES


MILESTONES: tuple[EventKind, ...] = (
    EventKind.STARTED,
    EventKind.DETECTED,
    EventKind.NOTIFIED,
    EventKind.RESPONDED,
    EventKind.MITIGATED,
    EventKind.RESOLVED,
)

MILESTONE_VALUES: frozenset[str] = frozenset(k.value for k in MILESTONES)


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ActionKind(StrEnum):
    PREVENT = "prevent"
    MITIGATE = "mitigate"
    DETECT = "detect"
    PROCESS = "process"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"

    @property
    def is_closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.WONT_DO)


class ResponseSection(StrEnum):
    """The three lists of the response evaluation (Google SRE's lessons learned)."""

    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"


class LinkKind(StrEnum):
    """How one postmortem points at another (models.related).

    ``not_related`` is a suggestion the user dismissed: kept so it is never
    suggested again, and shown nowhere else."""

    RELATED = "related"
    RECURRENCE_OF = "recurrence_of"
    NOT_RELATED = "not_related"
