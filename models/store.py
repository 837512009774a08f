"""The store: every read and write the app and the command line make.

Each public call is one short transaction, because the UI autosaves through it
field by field; nothing holds a session open between calls. Objects come back
detached (``expire_on_commit=False``) so screens can read them freely, and go
back in by id, never by re-attaching.

Every committed write is also described as a :class:`~models.history.Change`
(rows updated from/to, inserted, removed with everything under them) and handed
to each of :attr:`Store.listeners`. The app's undo history is one listener, so
no write, from any screen, escapes undo. :meth:`Store.apply` carries out such
ops in one transaction, which is how undo and redo happen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, and_, func, insert, not_, or_, update
from sqlalchemy import delete as sql_delete
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import RelationshipDirection, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col, select

from models import rules
from models.db import DamagedDatabaseError, db_errors
from models.enums import MILESTONES, ActionStatus, EventKind, LinkKind
from models.errors import NotFoundError, PostmortemError, UnreadableError, ValidationError
from models.history import Change, Inserted, Op, Removed, RowData, Updated
from models.search.backend import SearchBackend
from models.slug import slugify
from models.stored import UNREADABLE, summary_problems, unreadable, words
from models.tables import (
    ActionItem,
    FishboneCategory,
    FishboneCause,
    Postmortem,
    PostmortemLink,
    ResponseItem,
    TimelineEvent,
    Why,
    WhyChain,
)
from models.timeparse import EARLIEST, LATEST
from models.usertext import one_line, printable, shown

if TYPE_CHECKING:
    from models.search import Results

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


ALL_TABLES: tuple[type[SQLModel], ...] = (Postmortem, *CHILD_TABLES, PostmortemLink)
TABLES: dict[str, type[SQLModel]] = {_table(cls): cls for cls in ALL_TABLES}


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


# How a change names a row: "the action item “Pin broker”".
NOUNS = {
    "postmortem": ("postmortem", "title"),
    "timeline_event": ("event", "text"),
    "why_chain": ("5 Whys chain", "problem"),
    "why": ("why", "text"),
    "fishbone_category": ("category", "name"),
    "fishbone_cause": ("cause", "text"),
    "response_item": ("item", "text"),
    "action_item": ("action item", "title"),
    "postmortem_link": ("link", "kind"),
}
SECTIONS = {
    "postmortem": "overview",
    "timeline_event": "timeline",
    "why_chain": "rootcause",
    "why": "rootcause",
    "fishbone_category": "rootcause",
    "fishbone_cause": "rootcause",
    "response_item": "response",
    "action_item": "actions",
    "postmortem_link": "overview",
}
FIELD_NAMES = {
    "title": "the title",
    "severity": "the severity",
    "status": "the status",
    "timezone": "the timezone",
    "summary": "the summary",
    "authors": "the authors",
    "services": "the services",
    "tags": "the tags",
    "fishbone_effect": "the fishbone's effect",
    "impact_description": "the impact description",
    "users_affected": "users affected",
    "support_tickets": "support tickets",
    "slo_budget_consumed_pct": "the SLO budget consumed",
    "revenue_impact": "the revenue impact",
    "data_loss": "the data loss",
}
IMPACT_FIELDS = frozenset(
    {
        "impact_description",
        "users_affected",
        "support_tickets",
        "slo_budget_consumed_pct",
        "revenue_impact",
        "data_loss",
    }
)


def describe_row(table: str, data: dict[str, Any]) -> str:
    """'the action item “Pin broker”': how messages and undo name a row."""
    noun, text_field = NOUNS[table]
    text = " ".join(str(data.get(text_field) or "").split())
    if table == "timeline_event" and data.get("kind"):
        noun = f"{data['kind']} event"
    short = text if len(text) <= 40 else text[:39] + "…"
    return f"the {noun} “{short}”" if short else f"the {noun}"


def _section_of(table: str, fields: Any = ()) -> str:
    if table == "postmortem" and IMPACT_FIELDS.intersection(fields):
        return "impact"
    if table == "postmortem" and "fishbone_effect" in fields:
        return "rootcause"
    return SECTIONS[table]


def _values(row: SQLModel) -> dict[str, Any]:
    """A row's columns, with lists copied so later edits can't reach the snapshot."""
    from sqlalchemy import inspect as sa_inspect

    out: dict[str, Any] = {}
    for attr in sa_inspect(type(row)).column_attrs:
        value = getattr(row, attr.key)
        out[attr.key] = list(value) if isinstance(value, list) else value
    return out


Listener = Callable[[Change], None]


class Store:
    def __init__(self, engine: Engine, label: str = "database") -> None:
        self.engine = engine
        self.label = label
        self.notices: list[str] = []  # one-line notes from opening, for the UI or the CLI
        self.damaged: DamagedDatabaseError | None = None
        self.listeners: list[Listener] = []
        # The full-text index (models.search), kept current inside each write's own
        # transaction. Looked up on first need; None where there is none (another
        # engine, or a database not yet migrated to 0003 that a test opens raw).
        self._index: SearchBackend | None = None
        self._index_known = False

    def _emit(self, change: Change) -> None:
        if change.ops:
            for listener in list(self.listeners):
                listener(change)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short transaction. Once SQLite has reported the file damaged, every later
        call is refused with the same line and never reaches the file again."""
        if self.damaged is not None:
            raise DamagedDatabaseError(str(self.damaged))
        try:
            with db_errors(self.label), Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DamagedDatabaseError as exc:
            self.damaged = exc
            raise

    def close(self) -> None:
        self.engine.dispose()

    def verify(self) -> DamagedDatabaseError | None:
        """``PRAGMA quick_check`` the open SQLite file again; the error when it is
        damaged (and from then on every call is refused), else None.

        Damage can appear while the app runs (a failing disk, a stray ``dd``) in
        pages no query touches, so nothing would ever report it; the app calls
        this every so often and at exit, off the UI thread. It reads through its
        own read-only connection, about 15 ms for 1,000 postmortems (see
        models.db). Other backends, and checks that can't run (a lock held too
        long), return None."""
        import sqlite3
        from pathlib import Path

        from models.db import damaged, quick_check, read_untouched

        if self.damaged is not None:
            return self.damaged
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        try:
            problem = read_untouched(Path(url.database), quick_check, timeout=1.0)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        except PostmortemError as exc:
            if not isinstance(exc, DamagedDatabaseError):
                return None
            self.damaged = exc
            return exc
        if problem is None:
            return None
        self.damaged = damaged(self.label, problem)
        return self.damaged

    # ------------------------------------------------------------------ search index

    def _search_backend(self, s: Session) -> SearchBackend | None:
        if not self._index_known:
            from models.search.backend import for_engine

            backend = for_engine(self.engine)
            if backend is not None:
                from sqlalchemy import inspect as sa_inspect

                if not sa_inspect(s.connection()).has_table("search_doc"):
                    backend = None
            self._index, self._index_known = backend, True
        return self._index

    def _index_rows(
        self, s: Session, pm_id: int, rows: Iterable[RowData], *, new: bool = False
    ) -> None:
        """Index rows (table, column values) of ``pm_id`` in this write's transaction;
        ``new`` when they were just inserted, so they have no documents to replace."""
        backend = self._search_backend(s)
        if backend is not None:
            backend.put(s.connection(), pm_id, rows, replace=not new)

    def _unindex(self, s: Session, removed: Removed) -> None:
        backend = self._search_backend(s)
        if backend is None:
            return
        table, data = removed.rows[0]
        if table == "postmortem":
            backend.drop_postmortem(s.connection(), int(data["id"]))
        else:
            backend.drop(s.connection(), ((t, int(d["id"])) for t, d in removed.rows))

    def search(
        self, query: str, *, limit: int = 50, per_postmortem: int = 3, lenient: bool = False
    ) -> Results:
        """Full-text search (models.search): ranked postmortems with their best
        matches. Raises QueryError for a query that can't be read."""
        from models.search import search

        with self.session() as s:
            return search(
                s.connection(),
                query,
                limit=limit,
                per_postmortem=per_postmortem,
                lenient=lenient,
                backend=self._search_backend(s),
            )

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
            s.flush()
            assert pm.id is not None
            self._index_rows(s, pm.id, [("postmortem", _values(pm))], new=True)
            s.commit()
        data = _values(pm)
        self._emit(
            Change(
                None,
                (Inserted((("postmortem", data),)),),
                f"created {describe_row('postmortem', data)}",
            )
        )
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
                selectinload(Postmortem.links).selectinload(PostmortemLink.other),  # type: ignore[arg-type]
                selectinload(Postmortem.linked_from).selectinload(PostmortemLink.source),  # type: ignore[arg-type]
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
            op = self._set(pm, values)
            pm.updated_at = _now()
            s.add(pm)
            if op is not None:
                self._index_rows(s, pm_id, [("postmortem", _values(pm))])
            s.commit()
        if op is not None:
            names = " and ".join(FIELD_NAMES.get(k, k) for k in op.after)
            self._emit(
                Change(pm_id, (op,), f"changed {names}", _section_of("postmortem", op.after))
            )
        return pm

    def delete_postmortem(self, pm_id: int) -> Removed:
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
            inserted = self._insert_events(
                s, pm.id, [(e.at, e.kind, e.text, e.actor) for e in events]
            )
            rows = self._snapshot(pm, loaded_only=True)
            rows += [("timeline_event", data) for data in inserted]
            self._index_rows(s, pm.id, rows, new=True)
            s.commit()
        assert pm.id is not None
        return pm.id

    # ------------------------------------------------------------------ related incidents

    def link(self, pm_id: int, other_id: int, kind: str) -> PostmortemLink:
        """Say of ``pm_id`` that ``other_id`` is related to it, that it is a recurrence
        of it, or (``not_related``) that a suggestion to link them was dismissed.

        One row per pair, made from either side: linking two postmortems already
        linked changes that row (its kind, and its direction, since "recurrence of"
        has one). The change belongs to ``pm_id``'s undo history, where the user
        made it. Raises ValidationError for a link to itself or an unknown kind,
        NotFoundError when either postmortem is gone."""
        kind = rules.choice("kind", kind, LinkKind)
        if pm_id == other_id:
            raise ValidationError("link", "a postmortem can't be linked to itself")
        with self.session() as s:
            self._require(s, Postmortem, pm_id)
            other = self._require(s, Postmortem, other_id)
            title = other.title
            existing = s.exec(
                select(PostmortemLink).where(
                    or_(
                        and_(
                            col(PostmortemLink.postmortem_id) == pm_id,
                            col(PostmortemLink.other_id) == other_id,
                        ),
                        and_(
                            col(PostmortemLink.postmortem_id) == other_id,
                            col(PostmortemLink.other_id) == pm_id,
                        ),
                    )
                )
            ).first()
            ops: tuple[Op, ...] = ()
            if existing is not None:
                op = self._set(
                    existing, {"kind": kind, "postmortem_id": pm_id, "other_id": other_id}
                )
                link = existing
                ops = (op,) if op is not None else ()
                s.add(existing)
            else:
                link = PostmortemLink(postmortem_id=pm_id, other_id=other_id, kind=kind)
                s.add(link)
                s.flush()
                ops = (Inserted((("postmortem_link", _values(link)),)),)
            if ops:
                self._touch(s, pm_id)
            s.commit()
        if ops:
            what = {
                LinkKind.RELATED: "linked “{}” as related",
                LinkKind.RECURRENCE_OF: "marked this as a recurrence of “{}”",
                LinkKind.NOT_RELATED: "dismissed the suggestion “{}”",
            }[LinkKind(kind)]
            self._emit(Change(pm_id, ops, what.format(_short(title)), "overview"))
        return link

    def unlink(self, pm_id: int, link_id: int) -> None:
        """Remove a link seen from ``pm_id`` (made from either side); undone in
        ``pm_id``'s history. Raises NotFoundError when it is gone."""
        with self.session() as s:
            link = self._require(s, PostmortemLink, link_id)
            if pm_id not in (link.postmortem_id, link.other_id):
                raise NotFoundError(f"postmortem {pm_id} has no link {link_id}")
            other_id = link.other_id if link.postmortem_id == pm_id else link.postmortem_id
            other = s.get(Postmortem, other_id)
            removed = Removed(tuple(self._snapshot(link)))
            s.delete(link)
            self._touch(s, pm_id)
            s.commit()
        title = _short(other.title) if other is not None else "a deleted postmortem"
        self._emit(Change(pm_id, (removed,), f"removed the link to “{title}”", "overview"))

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
            inserted = self._insert_events(s, pm_id, rows)
            self._index_rows(s, pm_id, [("timeline_event", data) for data in inserted], new=True)
            self._touch(s, pm_id)
            s.commit()
        n = len(inserted)
        self._emit(
            Change(
                pm_id,
                tuple(Inserted((("timeline_event", data),)) for data in inserted),
                f"added {n} event{'s' if n != 1 else ''}",
                "timeline",
            )
        )
        return n

    @staticmethod
    def _insert_events(
        s: Session, pm_id: int, rows: Iterable[tuple[dt.datetime, str, str, str]]
    ) -> list[dict[str, Any]]:
        """Insert event rows with one Core statement; returns them with their ids."""
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
        if not values:
            return []
        ids = s.execute(
            insert(TimelineEvent).returning(col(TimelineEvent.id), sort_by_parameter_order=True),
            values,
        ).scalars()
        return [{"id": i, **v} for i, v in zip(ids, values, strict=True)]

    # ------------------------------------------------------------------ children

    def add(self, row: Row, *, after: int | None = None) -> Row:
        """Insert a child row. Positioned rows go at the end, or just after ``after``."""
        cls = type(row)
        if cls not in CHILD_TABLES:
            raise TypeError(f"{cls.__name__} is not a child table")
        editable = rules.FIELD_RULES[_table(cls)]
        rules.check_fields(_table(cls), {k: getattr(row, k) for k in editable})
        moved: list[Op] = []
        with self.session() as s:
            pm_id = self._owner(s, cls, row)
            if hasattr(row, "position"):
                siblings = self._siblings(s, row)
                index = len(siblings)
                if after is not None:
                    ids = [x.id for x in siblings]
                    index = ids.index(after) + 1 if after in ids else len(siblings)
                siblings.insert(index, row)
                moved = self._renumber(s, siblings, skip=row)
            s.add(row)
            s.flush()
            self._index_rows(s, pm_id, [(_table(cls), _values(row))], new=True)
            self._touch(s, pm_id)
            s.commit()
        table = _table(cls)
        data = _values(row)
        self._emit(
            Change(
                pm_id,
                (Inserted(((table, data),)), *moved),
                f"added {describe_row(table, data)}",
                _section_of(table),
            )
        )
        return row

    def update(self, cls: type[Row], row_id: int, **fields: Any) -> Row:
        values = rules.check_fields(_table(cls), fields)
        with self.session() as s:
            row = self._require(s, cls, row_id)
            op = self._set(row, values)
            s.add(row)
            pm_id = self._owner(s, cls, row)
            if op is not None:
                self._index_rows(s, pm_id, [(_table(cls), _values(row))])
            self._touch(s, pm_id)
            s.commit()
        if op is not None:
            table = _table(cls)
            what = describe_row(table, _values(row) | op.before)
            names = ", ".join(sorted(op.after))
            self._emit(Change(pm_id, (op,), f"changed {what} ({names})", _section_of(table)))
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
            ops = self._renumber(s, siblings)
            pm_id = self._owner(s, cls, row)
            self._touch(s, pm_id)
            s.commit()
        table = _table(cls)
        self._emit(
            Change(
                pm_id, tuple(ops), f"moved {describe_row(table, _values(row))}", _section_of(table)
            )
        )
        return True

    def reorder(self, cls: type[SQLModel], ids: Sequence[int]) -> None:
        """Give siblings the order of ``ids``."""
        with self.session() as s:
            rows = [self._require(s, cls, i) for i in ids]
            ops = self._renumber(s, rows)
            if not rows:
                return
            pm_id = self._owner(s, cls, rows[0])
            self._touch(s, pm_id)
            s.commit()
        table = _table(cls)
        self._emit(
            Change(pm_id, tuple(ops), f"reordered the {NOUNS[table][0]}s", _section_of(table))
        )

    def delete(self, cls: type[SQLModel], row_id: int) -> Removed:
        """Delete a row and everything under it; returns what was removed."""
        with self.session() as s:
            row = self._require(s, cls, row_id)
            pm_id = None if cls is Postmortem else self._owner(s, cls, row)
            removed = Removed(tuple(self._snapshot(row)))
            s.delete(row)
            self._unindex(s, removed)
            if pm_id is not None:
                self._touch(s, pm_id)
            s.commit()
        table, data = removed.rows[0]
        self._emit(
            Change(pm_id, (removed,), f"deleted {describe_row(table, data)}", _section_of(table))
        )
        return removed

    def restore(self, removed: Removed) -> None:
        """Put deleted rows back with their old ids (ids are never reused)."""
        self.apply((Inserted(removed.rows),))

    def apply(self, ops: Sequence[Op]) -> tuple[Op, ...]:
        """Carry out row ops in one transaction: how undo and redo happen.

        Returns the ops as really done: an Updated with the values it replaced, a
        Removed with a fresh snapshot (rows added under it since included). Raises
        NotFoundError if a row to change or remove is gone, PostmortemError if a
        row to insert is in the way; nothing is applied then."""
        done: list[Op] = []
        owners: set[int] = set()
        with self.session() as s:
            try:
                for op in ops:
                    done.append(self._apply(s, op, owners))
                for pm_id in owners:
                    if s.get(Postmortem, pm_id) is not None:
                        self._touch(s, pm_id)
                s.commit()
            except IntegrityError as exc:
                s.rollback()
                raise PostmortemError(
                    "it can't be put back: it was changed since (nothing was undone)"
                ) from exc
        return tuple(done)

    def _apply(self, s: Session, op: Op, owners: set[int]) -> Op:
        if isinstance(op, Updated):
            cls = TABLES[op.table]
            row = s.get(cls, op.row_id)
            if row is None:
                raise NotFoundError(f"{describe_row(op.table, op.after)} no longer exists")
            before = {k: _copy(getattr(row, k)) for k in op.after}
            for name, value in op.after.items():
                setattr(row, name, _copy(value))
            s.add(row)
            owner = op.row_id if cls is Postmortem else self._owner(s, cls, row)
            owners.add(owner)
            self._index_rows(s, owner, [(op.table, _values(row))])
            return Updated(op.table, op.row_id, before, dict(op.after))
        if isinstance(op, Inserted):
            for table, data in op.rows:
                s.add(TABLES[table](**{k: _copy(v) for k, v in data.items()}))
                s.flush()
            table, data = op.rows[0]
            if table != "postmortem":
                owner = self._owner(s, TABLES[table], TABLES[table](**data))
                owners.add(owner)
            else:
                owner = int(data["id"])
            self._index_rows(s, owner, op.rows)
            return op
        table, data = op.rows[0]
        cls = TABLES[table]
        row = s.get(cls, int(data["id"]))
        if row is None:
            raise NotFoundError(f"{describe_row(table, data)} no longer exists")
        if cls is not Postmortem:
            owners.add(self._owner(s, cls, row))
        removed = Removed(tuple(self._snapshot(row)))
        s.delete(row)
        s.flush()
        self._unindex(s, removed)
        return removed

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _set(row: SQLModel, values: dict[str, Any]) -> Updated | None:
        """Set columns; returns the op describing what really changed (None if nothing)."""
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in values.items():
            old = getattr(row, name)
            if old != value:
                before[name], after[name] = _copy(old), _copy(value)
            setattr(row, name, value)
        if not after:
            return None
        assert row.id is not None  # type: ignore[attr-defined]
        return Updated(_table(type(row)), int(row.id), before, after)  # type: ignore[attr-defined]

    @staticmethod
    def _renumber(s: Session, siblings: list[Any], skip: Any = None) -> list[Op]:
        """Give siblings positions 0..n-1; returns an op for each that moved."""
        ops: list[Op] = []
        for pos, sib in enumerate(siblings):
            if sib is not skip and sib.position != pos and sib.id is not None:
                ops.append(
                    Updated(
                        _table(type(sib)), sib.id, {"position": sib.position}, {"position": pos}
                    )
                )
            sib.position = pos
            s.add(sib)
        return ops

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

    def _snapshot(self, row: SQLModel, *, loaded_only: bool = False) -> list[RowData]:
        """The row and every row under it (cascade children), parents first.

        ``loaded_only`` walks only the collections already in memory: for a tree
        just inserted, whose other collections are empty, without a query each."""
        from sqlalchemy import inspect as sa_inspect

        out: list[RowData] = [(_table(type(row)), _values(row))]
        unloaded = sa_inspect(row).unloaded if loaded_only else frozenset()
        for rel in sa_inspect(type(row)).relationships:
            if rel.key in unloaded:
                continue
            if rel.direction is RelationshipDirection.ONETOMANY and rel.cascade.delete:
                for child in getattr(row, rel.key):
                    out.extend(self._snapshot(child, loaded_only=loaded_only))
        return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


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
    notices: list[str] = []
    store = Store(open_engine(target, timeout=timeout, notices=notices), target.label)
    store.notices = notices
    return store
