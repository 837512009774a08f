"""The store: every read and write the app and the command line make.

Each public call is one short transaction, because the UI autosaves through it
field by field; nothing holds a session open between calls. Objects come back
detached (``expire_on_commit=False``) so screens can read them freely, and go
back in by id, never by re-attaching.

Deletes return a :class:`Deleted` snapshot of the row and everything under it;
:meth:`Store.restore` puts it back with the same ids, which is what undo needs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, func, insert, not_, update
from sqlalchemy import delete as sql_delete
from sqlalchemy import text as sql_text
from sqlalchemy.orm import RelationshipDirection, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col, select

from models import rules
from models.db import db_errors
from models.enums import MILESTONES, ActionStatus, EventKind
from models.errors import NotFoundError, PostmortemError, UnreadableError, ValidationError
from models.slug import slugify
from models.stored import UNREADABLE, summary_problems, unreadable, words
from models.tables import (
    ActionItem,
    FishboneCategory,
    FishboneCause,
    Postmortem,
    ResponseItem,
    TimelineEvent,
    Why,
    WhyChain,
)
from models.timeparse import EARLIEST, LATEST
from models.usertext import one_line, printable, shown

Row = TypeVar("Row", bound=SQLModel)
CHILD_TABLES: tuple[type[SQLModel], ...] = (
    TimelineEvent,
    WhyChain,
    Why,
    FishboneCategory,
    FishboneCause,
    ResponseItem,
    ActionItem,
)


_ID = re.compile(r"[0-9]+")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _table(cls: type[SQLModel]) -> str:
    return str(cls.__tablename__)


@dataclass(frozen=True)
class Summary:
    """One line of the library: what the home screen and `postmortem list` show."""

    id: int
    title: str
    slug: str
    severity: str
    status: str
    timezone: str
    tags: list[str]
    services: list[str]
    started: dt.datetime | None
    ended: dt.datetime | None
    open_actions: int
    created_at: dt.datetime
    updated_at: dt.datetime
    # Stored values that break today's rules (models.stored), one line each.
    problems: tuple[str, ...] = ()

    @property
    def impact_duration(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return (self.ended - self.started).total_seconds()

    def matches(self, query: str) -> bool:
        """Every word of the query appears in the title, a tag or a service."""
        haystack = " ".join([self.title, *self.tags, *self.services]).lower()
        return all(word in haystack for word in query.lower().split())


@dataclass
class Deleted:
    """A deleted row and its descendants, parents first, ready to be restored."""

    label: str
    rows: list[tuple[type[SQLModel], dict[str, Any]]] = field(default_factory=list)

    @property
    def top(self) -> tuple[type[SQLModel], int]:
        """The table and id of the row that was deleted (the rest hung under it)."""
        cls, data = self.rows[0]
        return cls, int(data["id"])


class Store:
    def __init__(self, engine: Engine, label: str = "database") -> None:
        self.engine = engine
        self.label = label

    @contextmanager
    def session(self) -> Iterator[Session]:
        with db_errors(self.label), Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ postmortems

    def list_postmortems(self, search: str = "") -> list[Summary]:
        """Newest first: by start time when known, else by creation.

        One postmortem holding a value this version can't read (another program
        wrote it) never hides the others: it is listed, marked as unreadable."""
        with self.session() as s:
            try:
                summaries = self._summaries(s)
            except UNREADABLE:
                s.rollback()
                summaries = []
                for pm_id in s.exec(select(Postmortem.id)).all():
                    assert pm_id is not None
                    try:
                        summaries += self._summaries(s, pm_id)
                    except UNREADABLE as exc:
                        s.rollback()
                        summaries.append(_unreadable_summary(s, pm_id, exc))
        if search.strip():
            summaries = [x for x in summaries if x.matches(search)]
        summaries.sort(key=lambda x: (x.started or x.created_at, x.id), reverse=True)
        return summaries

    @staticmethod
    def _summaries(s: Session, pm_id: int | None = None) -> list[Summary]:
        """The summaries of every postmortem, or of ``pm_id`` alone."""
        pms_query = select(Postmortem)
        events = select(
            TimelineEvent.postmortem_id, TimelineEvent.kind, func.min(TimelineEvent.at)
        ).where(col(TimelineEvent.kind).in_([m.value for m in MILESTONES]))
        # Events stored outside the accepted years are no milestone (models.metrics);
        # they are counted, so the library can say the postmortem holds them.
        in_range = and_(col(TimelineEvent.at) >= EARLIEST, col(TimelineEvent.at) < LATEST)
        invalid = select(TimelineEvent.postmortem_id, func.count()).where(not_(in_range))
        actions = select(ActionItem.postmortem_id, func.count()).where(
            col(ActionItem.status).not_in([ActionStatus.DONE, ActionStatus.WONT_DO])
        )
        if pm_id is not None:
            pms_query = pms_query.where(Postmortem.id == pm_id)
            events = events.where(TimelineEvent.postmortem_id == pm_id)
            invalid = invalid.where(TimelineEvent.postmortem_id == pm_id)
            actions = actions.where(ActionItem.postmortem_id == pm_id)
        pms = s.exec(pms_query).all()
        firsts: dict[tuple[int, str], dt.datetime] = {}
        rows = s.exec(
            events.where(in_range).group_by(
                col(TimelineEvent.postmortem_id), col(TimelineEvent.kind)
            )
        ).all()
        for row_pm, kind, first in rows:
            if row_pm is not None:
                firsts[(row_pm, kind)] = _aware(first)
        bad_times = dict(s.exec(invalid.group_by(col(TimelineEvent.postmortem_id))).all())
        open_counts = dict(s.exec(actions.group_by(col(ActionItem.postmortem_id))).all())
        summaries = []
        for pm in pms:
            assert pm.id is not None
            started = firsts.get((pm.id, EventKind.STARTED))
            ended = firsts.get((pm.id, EventKind.MITIGATED)) or firsts.get(
                (pm.id, EventKind.RESOLVED)
            )
            summaries.append(
                Summary(
                    id=pm.id,
                    title=printable(pm.title),
                    slug=slugify(pm.title),
                    severity=printable(pm.severity),
                    status=printable(pm.status),
                    timezone=pm.timezone,
                    tags=words(pm.tags),
                    services=words(pm.services),
                    started=started,
                    ended=ended,
                    open_actions=open_counts.get(pm.id, 0),
                    created_at=pm.created_at,
                    updated_at=pm.updated_at,
                    problems=tuple(summary_problems(pm, bad_times.get(pm.id, 0))),
                )
            )
        return summaries

    def resolve_ref(self, ref: str) -> int:
        """A REF is a numeric id (ASCII digits) or the slug of a title.

        Raises NotFoundError when nothing matches, PostmortemError when a slug
        matches several."""
        ref = ref.strip()
        if _ID.fullmatch(ref):
            # An id longer than SQLite's 64-bit integers can't exist; "²" is a
            # digit to str.isdigit() but not to int().
            found = None
            if len(ref) <= 18:
                with self.session() as s:
                    # The id alone: a row holding a value that can't be read must still
                    # be found, so that load() can say so.
                    query = select(Postmortem.id).where(Postmortem.id == int(ref))
                    found = s.exec(query).first()
            if found is None:
                raise NotFoundError(f"no postmortem with id {one_line(ref, 30)}")
            return found
        if not ref:  # slugify("") is a fallback slug that would match something
            raise NotFoundError("no postmortem given; use its id or slug (`postmortem list`)")
        wanted = slugify(ref)
        with self.session() as s:
            hits = [
                pm_id
                for pm_id, title in s.exec(select(Postmortem.id, Postmortem.title)).all()
                if isinstance(title, str) and slugify(title) == wanted
            ]
        if not hits:
            raise NotFoundError(
                f"no postmortem matches {shown(ref)}; `postmortem list` shows them all"
            )
        if len(hits) > 1:
            ids = ", ".join(str(i) for i in sorted(h for h in hits if h is not None))
            raise PostmortemError(
                f"{shown(ref)} matches several postmortems (ids {ids}); use the id"
            )
        assert hits[0] is not None
        return hits[0]

    def create_postmortem(self, title: str, **fields: Any) -> Postmortem:
        values = rules.check_fields("postmortem", {"title": title, **fields})
        pm = Postmortem(**values)
        with self.session() as s:
            s.add(pm)
            s.commit()
        return pm

    def load(self, pm_id: int, *, events: bool = True) -> Postmortem:
        """The whole postmortem, every child loaded, detached.

        ``events=False`` leaves the timeline empty: a pasted log can hold 10,000
        events (~0.25 s to load), and most edits never touch them."""
        stmt = (
            select(Postmortem)
            .where(Postmortem.id == pm_id)
            .options(
                selectinload(Postmortem.events) if events else lazyload(Postmortem.events),  # type: ignore[arg-type]
                selectinload(Postmortem.why_chains).selectinload(WhyChain.whys),  # type: ignore[arg-type]
                selectinload(Postmortem.categories)  # type: ignore[arg-type]
                .selectinload(FishboneCategory.causes)  # type: ignore[arg-type]
                .selectinload(FishboneCause.children, recursion_depth=-1),  # type: ignore[arg-type]
                selectinload(Postmortem.response_items),  # type: ignore[arg-type]
                selectinload(Postmortem.action_items),  # type: ignore[arg-type]
            )
        )
        with self.session() as s:
            try:
                pm = s.exec(stmt).first()
            except UNREADABLE as exc:
                raise UnreadableError(f"postmortem {pm_id} {unreadable(exc)}") from exc
            if pm is None:
                raise NotFoundError(f"no postmortem with id {pm_id}")
            if not events:
                set_committed_value(pm, "events", [])  # loaded as empty, never lazily later
            return pm

    def update_postmortem(self, pm_id: int, **fields: Any) -> Postmortem:
        values = rules.check_fields("postmortem", fields)
        with self.session() as s:
            pm = s.get(Postmortem, pm_id)
            if pm is None:
                raise NotFoundError(f"no postmortem with id {pm_id}")
            for name, value in values.items():
                setattr(pm, name, value)
            pm.updated_at = _now()
            s.add(pm)
            s.commit()
            return pm

    def delete_postmortem(self, pm_id: int) -> Deleted:
        """Delete with a snapshot for undo. Raises UnreadableError when the snapshot
        can't be read; :meth:`purge_postmortem` removes such a postmortem."""
        try:
            return self.delete(Postmortem, pm_id)
        except UNREADABLE as exc:
            raise UnreadableError(f"postmortem {pm_id} {unreadable(exc)}") from exc

    def purge_postmortem(self, pm_id: int) -> None:
        """Delete a postmortem without reading it (no undo): the way out for one
        holding a value that can't be read. Its rows go by the foreign keys' cascade."""
        with self.session() as s:
            s.execute(sql_delete(Postmortem).where(col(Postmortem.id) == pm_id))
            s.commit()

    def save_new(self, pm: Postmortem) -> int:
        """Insert a whole, transient postmortem tree (an import) in one transaction.

        Events go in through one Core INSERT: a pasted chat log can hold thousands,
        and the ORM's per-object bookkeeping is ten times slower for them.
        """
        events = list(pm.events)
        pm.events = []
        with self.session() as s:
            s.add(pm)
            s.flush()
            assert pm.id is not None
            self._insert_events(s, pm.id, ((e.at, e.kind, e.text, e.actor) for e in events))
            s.commit()
        assert pm.id is not None
        return pm.id

    # ------------------------------------------------------------------ timeline

    def add_events(self, pm_id: int, rows: Iterable[tuple[dt.datetime, str, str, str]]) -> int:
        """Bulk-add events (at, kind, text, actor); returns how many were added."""
        rows = list(rows)
        for at, kind, text, actor in rows:
            rules.check_fields(
                "timeline_event", {"at": at, "kind": kind, "text": text, "actor": actor}
            )
        with self.session() as s:
            self._require(s, Postmortem, pm_id)
            n = self._insert_events(s, pm_id, rows)
            self._touch(s, pm_id)
            s.commit()
        return n

    @staticmethod
    def _insert_events(
        s: Session, pm_id: int, rows: Iterable[tuple[dt.datetime, str, str, str]]
    ) -> int:
        values = [
            {
                "postmortem_id": pm_id,
                "at": at.astimezone(dt.UTC),
                "kind": kind,
                "text": text,
                "actor": actor,
            }
            for at, kind, text, actor in rows
        ]
        if values:
            s.execute(insert(TimelineEvent), values)
        return len(values)

    # ------------------------------------------------------------------ children

    def add(self, row: Row, *, after: int | None = None) -> Row:
        """Insert a child row. Positioned rows go at the end, or just after ``after``."""
        cls = type(row)
        if cls not in CHILD_TABLES:
            raise TypeError(f"{cls.__name__} is not a child table")
        editable = rules.FIELD_RULES[_table(cls)]
        rules.check_fields(_table(cls), {k: getattr(row, k) for k in editable})
        with self.session() as s:
            pm_id = self._owner(s, cls, row)
            if hasattr(row, "position"):
                siblings = self._siblings(s, row)
                index = len(siblings)
                if after is not None:
                    ids = [x.id for x in siblings]
                    index = ids.index(after) + 1 if after in ids else len(siblings)
                siblings.insert(index, row)
                for pos, sib in enumerate(siblings):
                    sib.position = pos  # type: ignore[attr-defined]
                    s.add(sib)
            s.add(row)
            self._touch(s, pm_id)
            s.commit()
        return row

    def update(self, cls: type[Row], row_id: int, **fields: Any) -> Row:
        values = rules.check_fields(_table(cls), fields)
        with self.session() as s:
            row = self._require(s, cls, row_id)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            self._touch(s, self._owner(s, cls, row))
            s.commit()
            return row

    def move(self, cls: type[SQLModel], row_id: int, delta: int) -> bool:
        """Move a row ``delta`` places among its siblings; False if it can't move."""
        with self.session() as s:
            row = self._require(s, cls, row_id)
            siblings = self._siblings(s, row)
            index = next(i for i, x in enumerate(siblings) if x.id == row_id)
            target = max(0, min(len(siblings) - 1, index + delta))
            if target == index:
                return False
            siblings.insert(target, siblings.pop(index))
            for pos, sib in enumerate(siblings):
                sib.position = pos  # type: ignore[attr-defined]
                s.add(sib)
            self._touch(s, self._owner(s, cls, row))
            s.commit()
            return True

    def reorder(self, cls: type[SQLModel], ids: Sequence[int]) -> None:
        """Give siblings the order of ``ids``."""
        with self.session() as s:
            rows = [self._require(s, cls, i) for i in ids]
            for pos, row in enumerate(rows):
                row.position = pos  # type: ignore[attr-defined]
                s.add(row)
            if rows:
                self._touch(s, self._owner(s, cls, rows[0]))
            s.commit()

    def delete(self, cls: type[SQLModel], row_id: int) -> Deleted:
        with self.session() as s:
            row = self._require(s, cls, row_id)
            pm_id = None if cls is Postmortem else self._owner(s, cls, row)
            snapshot = Deleted(label=f"{cls.__name__} {row_id}")
            self._snapshot(row, snapshot)
            s.delete(row)
            if pm_id is not None:
                self._touch(s, pm_id)
            s.commit()
        return snapshot

    def restore(self, deleted: Deleted) -> None:
        """Undo a delete: re-insert every row with its old id, parents first."""
        with self.session() as s:
            for cls, data in deleted.rows:
                s.add(cls(**data))
                s.flush()
            first_cls, first = deleted.rows[0]
            if first_cls is not Postmortem:
                self._touch(s, self._owner(s, first_cls, first_cls(**first)))
            s.commit()

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _require(s: Session, cls: type[Row], row_id: int) -> Row:
        row = s.get(cls, row_id)
        if row is None:
            raise NotFoundError(f"no {cls.__name__} with id {row_id}")
        return row

    @staticmethod
    def _touch(s: Session, pm_id: int) -> None:
        s.execute(update(Postmortem).where(col(Postmortem.id) == pm_id).values(updated_at=_now()))

    def _owner(self, s: Session, cls: type[SQLModel], row: Any) -> int:
        """The id of the postmortem a child row belongs to."""
        if cls is Why:
            chain = self._require(s, WhyChain, row.chain_id)
            return self._owner(s, WhyChain, chain)
        if cls is FishboneCause:
            if row.category_id is not None:
                category = self._require(s, FishboneCategory, row.category_id)
                return self._owner(s, FishboneCategory, category)
            if row.parent_id is None:
                raise ValidationError("cause", "needs a category or a parent cause")
            parent = self._require(s, FishboneCause, row.parent_id)
            return self._owner(s, FishboneCause, parent)
        pm_id = row.postmortem_id
        if pm_id is None or s.get(Postmortem, pm_id) is None:
            raise NotFoundError(f"no postmortem with id {pm_id}")
        return int(pm_id)

    @staticmethod
    def _siblings(s: Session, row: Any) -> list[Any]:
        """Rows sharing the same parent (every foreign key, plus the response section)."""
        cls = type(row)
        table = cls.__table__
        stmt = select(cls)
        keys = [c.name for c in table.columns if c.foreign_keys]
        if cls is ResponseItem:
            keys.append("section")
        for key in keys:
            value = getattr(row, key)
            column = getattr(cls, key)
            stmt = stmt.where(column.is_(None) if value is None else column == value)
        stmt = stmt.order_by(cls.position, cls.id)
        return list(s.exec(stmt).all())

    def _snapshot(self, row: SQLModel, out: Deleted) -> None:
        from sqlalchemy import inspect as sa_inspect

        mapper = sa_inspect(type(row))
        out.rows.append((type(row), {a.key: getattr(row, a.key) for a in mapper.column_attrs}))
        for rel in mapper.relationships:
            if rel.direction is RelationshipDirection.ONETOMANY and rel.cascade.delete:
                for child in getattr(row, rel.key):
                    self._snapshot(child, out)


def _unreadable_summary(s: Session, pm_id: int, exc: BaseException) -> Summary:
    """A library line for a postmortem whose stored data can't be read at all."""
    raw = s.execute(sql_text("SELECT title FROM postmortem WHERE id = :id"), {"id": pm_id}).scalar()
    title = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    return Summary(
        id=pm_id,
        title=printable(title) or f"postmortem {pm_id}",
        slug="",
        severity="?",
        status="unreadable",
        timezone="UTC",
        tags=[],
        services=[],
        started=None,
        ended=None,
        open_actions=0,
        created_at=EARLIEST,
        updated_at=EARLIEST,
        problems=(unreadable(exc),),
    )


def _aware(value: dt.datetime | str) -> dt.datetime:
    """func.min() over a UTC column comes back naive on SQLite; it is UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def open_store(db: str | None = None, *, timeout: float | None = None) -> Store:
    from models.db import open_engine, resolve

    target = resolve(db)
    return Store(open_engine(target, timeout=timeout), target.label)
