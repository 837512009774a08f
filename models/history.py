"""Undo and redo of every change the store makes.

Every write the store commits is described as a :class:`Change`: a tuple of row
operations (a row updated from ``before`` to ``after``, rows inserted, rows
removed with everything under them), each of which has an exact inverse. The
app's :class:`History` records changes as they are committed, whatever screen
made them, so nothing the user can change escapes undo: field edits, kinds,
moves, milestone times, root-cause flags, presets, deletes.

Undo applies the inverse of a step in one transaction (Store.apply). If that
fails, because the row was deleted meanwhile or the database is locked, the
transaction rolls back, the step stays on the stack, and the caller gets the
reason: an undo never fails silently and never half-applies. Rows come back
with their old ids; ids are never reused (AUTOINCREMENT, migration 0002), so a
restored id can't collide with a row added since.

Steps are kept per postmortem (``scope``), plus one stack for the library
(creating and deleting postmortems, scope None). Consecutive edits of the same
field within a few seconds are one step, as typing a word is one edit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from models.errors import PostmortemError

if TYPE_CHECKING:
    from models.store import Store

RowData = tuple[str, dict[str, Any]]  # (table name, column values)

MAX_STEPS = 200
COALESCE_SECONDS = 5.0


@dataclass(frozen=True)
class Updated:
    """Columns of one row changed from ``before`` to ``after`` (same keys)."""

    table: str
    row_id: int
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class Inserted:
    """Rows added: one row and its descendants, parents first."""

    rows: tuple[RowData, ...]


@dataclass(frozen=True)
class Removed:
    """A row removed with its descendants (parents first), as they were."""

    rows: tuple[RowData, ...]


Op = Updated | Inserted | Removed


def inverse(op: Op) -> Op:
    if isinstance(op, Updated):
        return Updated(op.table, op.row_id, dict(op.after), dict(op.before))
    if isinstance(op, Inserted):
        return Removed(op.rows)
    return Inserted(op.rows)


def inverse_all(ops: tuple[Op, ...]) -> tuple[Op, ...]:
    """The ops that undo ``ops``: each inverted, in reverse order."""
    return tuple(inverse(op) for op in reversed(ops))


@dataclass(frozen=True)
class Change:
    """One committed write: what it did (``ops``), to which postmortem (``scope``,
    None for the library itself), and how to name it to a person."""

    scope: int | None
    ops: tuple[Op, ...]
    description: str  # "deleted the action item “Pin broker”"
    section: str = ""  # the section that shows it: "actions", "timeline", ...

    @property
    def rows(self) -> list[tuple[str, int]]:
        """Every (table, id) the change touched, first the one it was about."""
        out: list[tuple[str, int]] = []
        for op in self.ops:
            if isinstance(op, Updated):
                out.append((op.table, op.row_id))
            else:
                out.extend((table, int(data["id"])) for table, data in op.rows[:1])
        return out


@dataclass
class _Step:
    change: Change  # what undoing this step re-does is the inverse of change.ops
    at: float
    key: tuple[str, int, tuple[str, ...]] | None = None  # for coalescing field edits


@dataclass
class History:
    """Undo and redo stacks, one pair per scope. Listens to the store."""

    clock: Callable[[], float] = time.monotonic
    _undo: dict[int | None, list[_Step]] = field(default_factory=dict)
    _redo: dict[int | None, list[_Step]] = field(default_factory=dict)
    _group: list[Change] | None = None
    _applying: bool = False

    # ------------------------------------------------------------------ recording

    def record(self, change: Change) -> None:
        """Store listener: remember a committed change (not one made by undo itself)."""
        if self._applying or not change.ops:
            return
        if self._group is not None:
            self._group.append(change)
            return
        now = self.clock()
        key = _coalesce_key(change)
        stack = self._undo.setdefault(change.scope, [])
        top = stack[-1] if stack else None
        recent = top is not None and now - top.at < COALESCE_SECONDS
        if key is not None and top is not None and top.key == key and recent:
            first, last = top.change.ops[0], change.ops[0]
            assert isinstance(first, Updated) and isinstance(last, Updated)
            merged = replace(first, after=last.after)
            top.change = replace(top.change, ops=(merged,))
            top.at = now
        else:
            stack.append(_Step(change, now, key))
            del stack[:-MAX_STEPS]
        self._redo.pop(change.scope, None)

    @contextmanager
    def group(self, description: str, section: str = "") -> Iterator[None]:
        """Record every change made inside the block as one step (a preset's
        categories, a pasted log's events)."""
        if self._group is not None:  # nested: the outer group takes them
            yield
            return
        self._group = []
        try:
            yield
        finally:
            changes, self._group = self._group, None
            if changes:
                scopes = {c.scope for c in changes}
                scope = changes[0].scope if len(scopes) == 1 else None
                ops = tuple(op for c in changes for op in c.ops)
                self.record(Change(scope, ops, description, section or changes[0].section))

    # ------------------------------------------------------------------ undo, redo

    def can_undo(self, scope: int | None) -> bool:
        return bool(self._undo.get(scope))

    def can_redo(self, scope: int | None) -> bool:
        return bool(self._redo.get(scope))

    def undo(self, store: Store, scope: int | None) -> Change | None:
        """Undo the newest step of ``scope``; returns it, or None if there is none.

        Raises PostmortemError (and keeps the step) if it can't be undone."""
        return self._move(store, self._undo, self._redo, scope)

    def redo(self, store: Store, scope: int | None) -> Change | None:
        """Redo the newest undone step of ``scope``; as :meth:`undo`."""
        return self._move(store, self._redo, self._undo, scope)

    def _move(
        self,
        store: Store,
        source: dict[int | None, list[_Step]],
        target: dict[int | None, list[_Step]],
        scope: int | None,
    ) -> Change | None:
        stack = source.get(scope)
        if not stack:
            return None
        step = stack[-1]
        self._applying = True
        try:
            done = store.apply(inverse_all(step.change.ops))
        except PostmortemError:
            raise  # the step stays where it was
        finally:
            self._applying = False
        stack.pop()
        # The other stack gets what was really done (with fresh snapshots: rows
        # added under a removed row since then come back on redo too); moving it
        # back applies its inverse.
        target.setdefault(scope, []).append(_Step(replace(step.change, ops=done), self.clock()))
        return step.change

    def newest(self, scope: int | None, *, redo: bool = False) -> object | None:
        """The newest step of ``scope``'s undo (or redo) stack, as an opaque token.

        A screen that makes changes in several scopes (the library's Action Items)
        keeps the token of each change it made, and undoes one only while it is
        still the newest of its postmortem: an edit made since in the postmortem
        itself is never undone from elsewhere by surprise. A coalesced edit keeps
        its step, so its token stays the same."""
        stack = (self._redo if redo else self._undo).get(scope)
        return stack[-1] if stack else None

    def forget(self, scope: int) -> None:
        """Drop a postmortem's steps (it was deleted and its rows are gone)."""
        self._undo.pop(scope, None)
        self._redo.pop(scope, None)


def _coalesce_key(change: Change) -> tuple[str, int, tuple[str, ...]] | None:
    if len(change.ops) != 1 or not isinstance(change.ops[0], Updated):
        return None
    op = change.ops[0]
    if "position" in op.after:  # moves are steps of their own
        return None
    return (op.table, op.row_id, tuple(sorted(op.after)))
