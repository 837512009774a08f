"""Undo and redo of every store write, through the same History the app uses."""

from __future__ import annotations

import datetime as dt

import pytest

from models.demo import DEMO
from models.errors import NotFoundError
from models.history import Change, History
from models.interchange import from_document, to_document
from models.store import Store
from models.tables import (
    ActionItem,
    FishboneCategory,
    FishboneCause,
    ResponseItem,
    TimelineEvent,
    Why,
)

AT = dt.datetime(2026, 11, 28, 14, 32, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(store: Store) -> tuple[Store, History, Clock, int]:
    clock = Clock()
    history = History(clock=clock)
    store.listeners.append(history.record)
    pm_id = store.save_new(from_document(DEMO))
    return store, history, clock, pm_id


def doc(store: Store, pm_id: int) -> dict[str, object]:
    out = to_document(store.load(pm_id), now=AT)
    out.pop("updated_at")
    return out


def test_every_kind_of_write_undoes_and_redoes_exactly(
    setup: tuple[Store, History, Clock, int],
) -> None:
    store, history, clock, pm_id = setup
    pm = store.load(pm_id)
    original = doc(store, pm_id)
    event = pm.events[0]
    item = pm.action_items[0]
    chain = pm.why_chains[0]
    category = pm.categories[0]
    cause = category.causes[0]
    assert event.id and item.id and chain.id and category.id and cause.id

    writes = [
        lambda: store.update_postmortem(pm_id, title="Renamed", users_affected=7),
        lambda: store.update(TimelineEvent, event.id, kind="note"),
        lambda: store.update(ActionItem, item.id, owner="zoe", status="done"),
        lambda: store.move(ActionItem, item.id, 1),
        lambda: store.reorder(ActionItem, [a.id for a in reversed(pm.action_items) if a.id]),
        lambda: store.update(FishboneCause, cause.id, root_cause=not cause.root_cause),
        lambda: store.add(Why(chain_id=chain.id, text="and why?"), after=chain.whys[0].id),
        lambda: store.add(FishboneCategory(postmortem_id=pm_id, name="Luck")),
        lambda: store.add_events(pm_id, [(AT, "note", "pasted", "bob")] * 3),
        lambda: store.delete(FishboneCategory, category.id),
        lambda: store.delete(TimelineEvent, event.id),
        lambda: store.add(ResponseItem(postmortem_id=pm_id, section="lucky", text="x")),
    ]
    states = [original]
    for write in writes:
        clock.now += 10  # no coalescing
        write()
        states.append(doc(store, pm_id))
    for expected in reversed(states[:-1]):
        assert history.undo(store, pm_id) is not None
        assert doc(store, pm_id) == expected
    assert history.undo(store, pm_id) is None
    for expected in states[1:]:
        assert history.redo(store, pm_id) is not None
        assert doc(store, pm_id) == expected
    assert history.redo(store, pm_id) is None


def test_typing_in_one_field_is_one_step(setup: tuple[Store, History, Clock, int]) -> None:
    store, history, clock, pm_id = setup
    before = store.load(pm_id).summary
    for text in ("C", "Co", "Con", "Cons"):
        clock.now += 0.5
        store.update_postmortem(pm_id, summary=text)
    clock.now += 30
    store.update_postmortem(pm_id, summary="Consumers stalled")
    history.undo(store, pm_id)
    assert store.load(pm_id).summary == "Cons"
    history.undo(store, pm_id)
    assert store.load(pm_id).summary == before


def test_a_failed_undo_keeps_its_step_and_says_why(
    setup: tuple[Store, History, Clock, int],
) -> None:
    store, history, _clock, pm_id = setup
    item = store.load(pm_id).action_items[0]
    assert item.id is not None
    store.update(ActionItem, item.id, owner="zoe")
    history._applying = True  # a delete the history doesn't see (another program's)
    store.delete(ActionItem, item.id)
    history._applying = False
    with pytest.raises(NotFoundError, match="no longer exists"):
        history.undo(store, pm_id)
    assert history.can_undo(pm_id)


def test_undo_of_a_delete_brings_back_rows_added_under_it_on_redo(
    setup: tuple[Store, History, Clock, int],
) -> None:
    store, history, clock, pm_id = setup
    category = store.add(FishboneCategory(postmortem_id=pm_id, name="People"))
    assert category.id is not None
    clock.now += 10
    store.add(FishboneCause(category_id=category.id, text="on-call was new"))
    clock.now += 10
    store.delete(FishboneCategory, category.id)
    history.undo(store, pm_id)  # the category and its cause come back
    names = {c.name: [x.text for x in c.causes] for c in store.load(pm_id).categories}
    assert names["People"] == ["on-call was new"]


def test_library_steps_are_their_own(setup: tuple[Store, History, Clock, int]) -> None:
    store, history, _clock, pm_id = setup
    pm = store.create_postmortem("Second")
    assert pm.id is not None
    store.update_postmortem(pm.id, summary="x")
    store.delete_postmortem(pm_id)
    changes: list[Change] = []
    store.listeners.append(changes.append)
    assert history.undo(store, None) is not None  # the delete
    assert store.load(pm_id).title == DEMO["title"]
    assert history.undo(store, None) is not None  # the creation
    with pytest.raises(NotFoundError):
        store.load(pm.id)
    assert history.redo(store, None) is not None
    assert store.load(pm.id).summary == "x"  # what it held came back with it
    assert changes == []  # undo and redo are not new changes
