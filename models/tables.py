"""The SQLModel tables: everything a postmortem holds.

Instances double as the in-memory domain objects: the store loads a postmortem
whole and detached, screens read it, and every edit goes back through the store
in its own short transaction. Enum-valued columns are plain strings checked by
:mod:`models.rules`, so migrations never have to alter SQL enum types.

Children are ordered by an explicit ``position`` (lists the user reorders) or
by ``(at, id)`` (timeline events: time order, ties in entry order).
"""

# No `from __future__ import annotations`: SQLModel must see real relationship types.
import datetime as dt
from typing import Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from models.enums import (
    ActionKind,
    ActionStatus,
    EventKind,
    LinkKind,
    Priority,
    Severity,
    Status,
)

_CLOSED = frozenset(s.value for s in ActionStatus if s.is_closed)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _children(order_by: str) -> dict[str, object]:
    # passive_deletes lets the database's ON DELETE CASCADE do the work: one
    # DELETE instead of loading every child first.
    return {"cascade": "all, delete-orphan", "passive_deletes": True, "order_by": order_by}


class Postmortem(SQLModel, table=True):
    __tablename__ = "postmortem"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    title: str
    severity: str = Field(default=Severity.SEV3.value, max_length=8)
    status: str = Field(default=Status.DRAFT.value, max_length=16)
    timezone: str = Field(default="UTC", max_length=64)
    summary: str = ""
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)

    fishbone_effect: str = ""

    impact_description: str = ""
    users_affected: int | None = None
    support_tickets: int | None = None
    slo_budget_consumed_pct: float | None = None
    revenue_impact: str = ""
    data_loss: str = ""

    events: list["TimelineEvent"] = Relationship(
        back_populates="postmortem",
        sa_relationship_kwargs=_children("TimelineEvent.at, TimelineEvent.id"),
    )
    why_chains: list["WhyChain"] = Relationship(
        back_populates="postmortem", sa_relationship_kwargs=_children("WhyChain.position")
    )
    categories: list["FishboneCategory"] = Relationship(
        back_populates="postmortem", sa_relationship_kwargs=_children("FishboneCategory.position")
    )
    response_items: list["ResponseItem"] = Relationship(
        back_populates="postmortem", sa_relationship_kwargs=_children("ResponseItem.position")
    )
    action_items: list["ActionItem"] = Relationship(
        back_populates="postmortem", sa_relationship_kwargs=_children("ActionItem.position")
    )
    # Links to other postmortems (models.related): those this one made, and those
    # others made to it. Both go with the postmortem, and come back on undo.
    links: list["PostmortemLink"] = Relationship(
        back_populates="source",
        sa_relationship_kwargs={
            **_children("PostmortemLink.id"),
            "foreign_keys": "PostmortemLink.postmortem_id",
        },
    )
    linked_from: list["PostmortemLink"] = Relationship(
        back_populates="other",
        sa_relationship_kwargs={
            **_children("PostmortemLink.id"),
            "foreign_keys": "PostmortemLink.other_id",
        },
    )

    def response(self, section: str) -> list["ResponseItem"]:
        return [item for item in self.response_items if item.section == section]


class TimelineEvent(SQLModel, table=True):
    __tablename__ = "timeline_event"
    __table_args__ = (
        Index("ix_timeline_event_pm_at", "postmortem_id", "at"),
        # Milestones across the library (stats, the library's start times): the
        # earliest event of a kind per postmortem, read from the index alone.
        Index("ix_timeline_event_kind_pm_at", "kind", "postmortem_id", "at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(default=None, foreign_key="postmortem.id", ondelete="CASCADE")
    at: dt.datetime
    kind: str = Field(default=EventKind.NOTE.value, max_length=16)
    text: str = ""
    actor: str = ""

    postmortem: Optional["Postmortem"] = Relationship(back_populates="events")


class WhyChain(SQLModel, table=True):
    __tablename__ = "why_chain"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    problem: str = ""

    postmortem: Optional["Postmortem"] = Relationship(back_populates="why_chains")
    whys: list["Why"] = Relationship(
        back_populates="chain", sa_relationship_kwargs=_children("Why.position")
    )


class Why(SQLModel, table=True):
    __tablename__ = "why"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    chain_id: int | None = Field(
        default=None, foreign_key="why_chain.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    text: str = ""

    chain: Optional["WhyChain"] = Relationship(back_populates="whys")


class FishboneCategory(SQLModel, table=True):
    __tablename__ = "fishbone_category"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    name: str = ""

    postmortem: Optional["Postmortem"] = Relationship(back_populates="categories")
    causes: list["FishboneCause"] = Relationship(
        back_populates="category", sa_relationship_kwargs=_children("FishboneCause.position")
    )


class FishboneCause(SQLModel, table=True):
    """A cause hangs off a category (top level) or off another cause (a sub-cause)."""

    __tablename__ = "fishbone_cause"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    category_id: int | None = Field(
        default=None, foreign_key="fishbone_category.id", ondelete="CASCADE", index=True
    )
    parent_id: int | None = Field(
        default=None, foreign_key="fishbone_cause.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    text: str = ""
    root_cause: bool = False

    category: Optional["FishboneCategory"] = Relationship(back_populates="causes")
    parent: Optional["FishboneCause"] = Relationship(
        back_populates="children", sa_relationship_kwargs={"remote_side": "FishboneCause.id"}
    )
    children: list["FishboneCause"] = Relationship(
        back_populates="parent", sa_relationship_kwargs=_children("FishboneCause.position")
    )


class ResponseItem(SQLModel, table=True):
    __tablename__ = "response_item"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    section: str = Field(max_length=16)
    position: int = 0
    text: str = ""

    postmortem: Optional["Postmortem"] = Relationship(back_populates="response_items")


class ActionItem(SQLModel, table=True):
    __tablename__ = "action_item"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (undo restores them)

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    title: str = ""
    owner: str = ""
    due: dt.date | None = None
    priority: str = Field(default=Priority.P2.value, max_length=4)
    kind: str = Field(default=ActionKind.PREVENT.value, max_length=16)
    status: str = Field(default=ActionStatus.OPEN.value, max_length=16)
    ticket: str = ""

    postmortem: Optional["Postmortem"] = Relationship(back_populates="action_items")

    def is_overdue(self, today: dt.date) -> bool:
        # A status no version knows (another program wrote it) counts as open.
        closed = self.status in _CLOSED
        return self.due is not None and self.due < today and not closed


class PostmortemLink(SQLModel, table=True):
    """``postmortem_id`` says of ``other_id`` that it is related, or that this
    incident is a recurrence of it; ``not_related`` records a dismissed suggestion.

    One row per pair, whichever side made it: the store keeps a second row for the
    same two postmortems from ever being written (migration 0004)."""

    __tablename__ = "postmortem_link"
    __table_args__ = (
        UniqueConstraint("postmortem_id", "other_id", name="uq_postmortem_link_pair"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    postmortem_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    other_id: int | None = Field(
        default=None, foreign_key="postmortem.id", ondelete="CASCADE", index=True
    )
    kind: str = Field(default=LinkKind.RELATED.value, max_length=16)
    created_at: dt.datetime = Field(default_factory=_now)

    source: Optional["Postmortem"] = Relationship(
        back_populates="links",
        sa_relationship_kwargs={"foreign_keys": "PostmortemLink.postmortem_id"},
    )
    other: Optional["Postmortem"] = Relationship(
        back_populates="linked_from",
        sa_relationship_kwargs={"foreign_keys": "PostmortemLink.other_id"},
    )
