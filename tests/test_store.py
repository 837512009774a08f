"""The store API the screens call: one short transaction per call, always consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from models.errors import NotFoundError, PostmortemError, ValidationError
from models.store import Store
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

T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_create_update_load(store: Store) -> None:
    pm = store.create_postmortem("  Checkout outage ", timezone="Europe/London", tags=["db"])
    assert pm.id is not None and pm.title == "Checkout outage"
    before = pm.updated_at
    store.update_postmortem(
        pm.id, severity="SEV1", summary="It broke.", users_affected=12, slo_budget_consumed_pct=120
    )
    loaded = store.load(pm.id)
    assert (loaded.severity, loaded.summary, loaded.users_affected) == ("SEV1", "It broke.", 12)
    assert loaded.slo_budget_consumed_pct == 120.0
    assert loaded.tags == ["db"] and loaded.timezone == "Europe/London"
    assert loaded.updated_at >= before and loaded.updated_at.tzinfo is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "title: must not be empty"),
        ("severity", "SEV9", "severity: expected one of SEV1"),
        ("status", "done", "status: expected one of draft"),
        ("timezone", "Mars/Base", "timezone: unknown timezone"),
        ("users_affected", -1, "users_affected: expected a whole number"),
        ("support_tickets", 1.5, "support_tickets: expected a whole number"),
        ("slo_budget_consumed_pct", float("nan"), "slo_budget_consumed_pct: expected a number"),
        ("tags", "db", "tags: expected a list"),
        ("id", 5, "id: is not an editable field"),
    ],
)
def test_invalid_updates_change_nothing(
    store: Store, field: str, value: object, message: str
) -> None:
    pm = store.create_postmortem("Outage")
    assert pm.id is not None
    with pytest.raises(ValidationError, match=message):
        store.update_postmortem(pm.id, **{field: value})
    again = store.load(pm.id)
    assert again.model_dump() == store.load(pm.id).model_dump()
    assert again.title == "Outage" and again.severity == "SEV3" and again.users_affected is None


def test_events_are_time_ordered_ties_in_entry_order(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    store.add(TimelineEvent(postmortem_id=pm.id, at=T0, kind="note", text="second"))
    store.add(TimelineEvent(postmortem_id=pm.id, at=T0 - dt.timedelta(minutes=5), kind="started"))
    store.add(TimelineEvent(postmortem_id=pm.id, at=T0, kind="note", text="third"))
    assert [e.text for e in store.load(pm.id).events] == ["", "second", "third"]


def test_bulk_events(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    rows = [(T0 + dt.timedelta(seconds=i), "note", f"line {i}", "") for i in range(2000)]
    assert store.add_events(pm.id, rows) == 2000
    loaded = store.load(pm.id)
    assert len(loaded.events) == 2000 and loaded.events[-1].text == "line 1999"
    with pytest.raises(ValidationError):
        store.add_events(pm.id, [(T0, "bogus", "", "")])
    assert count(store, "timeline_event") == 2000


def test_update_child_and_validation(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    ev = store.add(TimelineEvent(postmortem_id=pm.id, at=T0, kind="note", text="a"))
    assert ev.id is not None
    store.update(TimelineEvent, ev.id, kind="detected", text="pager")
    with pytest.raises(ValidationError, match="kind"):
        store.update(TimelineEvent, ev.id, kind="exploded")
    with pytest.raises(ValidationError, match="at"):
        store.update(TimelineEvent, ev.id, at=dt.datetime(2026, 1, 1))  # naive
    e = store.load(pm.id).events[0]
    assert (e.kind, e.text) == ("detected", "pager")
    item = store.add(ActionItem(postmortem_id=pm.id, title="Fix"))
    assert item.id is not None
    store.update(ActionItem, item.id, due="2026-12-01", status="done")
    assert store.load(pm.id).action_items[0].due == dt.date(2026, 12, 1)
    with pytest.raises(ValidationError, match="due"):
        store.update(ActionItem, item.id, due="next week")
    with pytest.raises(NotFoundError):
        store.update(ActionItem, 999, title="nope")


def test_positions_add_after_move_and_reorder(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    a = store.add(ResponseItem(postmortem_id=pm.id, section="went_well", text="a"))
    b = store.add(ResponseItem(postmortem_id=pm.id, section="went_well", text="b"))
    store.add(ResponseItem(postmortem_id=pm.id, section="lucky", text="other list"))
    assert a.id is not None and b.id is not None
    store.add(ResponseItem(postmortem_id=pm.id, section="went_well", text="a2"), after=a.id)

    def well() -> list[str]:
        return [i.text for i in store.load(pm.id).response("went_well")]

    assert well() == ["a", "a2", "b"]
    assert store.move(ResponseItem, b.id, -1)
    assert well() == ["a", "b", "a2"]
    assert not store.move(ResponseItem, a.id, -1)  # already first
    ids = [i.id for i in store.load(pm.id).response("went_well")]
    store.reorder(ResponseItem, [i for i in reversed(ids) if i is not None])
    assert well() == ["a2", "b", "a"]
    assert [i.text for i in store.load(pm.id).response("lucky")] == ["other list"]


def test_fishbone_tree_delete_and_undo(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    cat = store.add(FishboneCategory(postmortem_id=pm.id, name="Process"))
    top = store.add(FishboneCause(category_id=cat.id, text="No load test"))
    sub = store.add(FishboneCause(parent_id=top.id, text="Only for code", root_cause=True))
    store.add(FishboneCause(parent_id=sub.id, text="deeper"))
    loaded = store.load(pm.id)
    tree = loaded.categories[0].causes[0]
    assert tree.text == "No load test" and tree.children[0].children[0].text == "deeper"
    assert top.id is not None and cat.id is not None

    deleted = store.delete(FishboneCause, top.id)
    assert count(store, "fishbone_cause") == 0  # the database cascades to sub-causes
    store.restore(deleted)
    again = store.load(pm.id).categories[0].causes[0]
    assert again.id == top.id and again.children[0].root_cause
    assert again.children[0].children[0].text == "deeper"

    store.delete(FishboneCategory, cat.id)
    assert count(store, "fishbone_cause") == 0 and count(store, "fishbone_category") == 0
    with pytest.raises(ValidationError, match="cause"):
        store.add(FishboneCause(text="orphan"))


def test_delete_postmortem_cascades_and_restores(store: Store) -> None:
    pm = store.create_postmortem("Gone soon")
    assert pm.id is not None
    chain = store.add(WhyChain(postmortem_id=pm.id, problem="p"))
    store.add(Why(chain_id=chain.id, text="because"))
    store.add(TimelineEvent(postmortem_id=pm.id, at=T0, kind="started"))
    store.add(ActionItem(postmortem_id=pm.id, title="Fix"))
    deleted = store.delete_postmortem(pm.id)
    for table in ("postmortem", "why_chain", "why", "timeline_event", "action_item"):
        assert count(store, table) == 0, table
    store.restore(deleted)
    back = store.load(pm.id)
    assert back.why_chains[0].whys[0].text == "because" and back.events[0].kind == "started"


def test_list_search_and_summary(store: Store) -> None:
    a = store.create_postmortem("Checkout outage", tags=["payments"], services=["api"])
    b = store.create_postmortem("DNS blip", services=["coredns"])
    assert a.id is not None and b.id is not None
    store.add_events(
        a.id, [(T0, "started", "", ""), (T0 + dt.timedelta(minutes=52), "mitigated", "", "")]
    )
    store.add_events(b.id, [(T0 + dt.timedelta(days=1), "started", "", "")])
    store.add(ActionItem(postmortem_id=a.id, title="one"))
    store.add(ActionItem(postmortem_id=a.id, title="two", status="done"))
    rows = store.list_postmortems()
    assert [r.title for r in rows] == ["DNS blip", "Checkout outage"]  # newest incident first
    checkout = rows[1]
    assert checkout.impact_duration == 52 * 60 and checkout.open_actions == 1
    assert rows[0].impact_duration is None
    assert [r.title for r in store.list_postmortems("PAY")] == ["Checkout outage"]
    assert [r.title for r in store.list_postmortems("coredns")] == ["DNS blip"]
    assert store.list_postmortems("nothing-matches") == []


def test_resolve_ref(store: Store) -> None:
    a = store.create_postmortem("Checkout outage!")
    assert store.resolve_ref(str(a.id)) == a.id
    assert store.resolve_ref("checkout-outage") == a.id
    assert store.resolve_ref("Checkout Outage") == a.id
    with pytest.raises(NotFoundError):
        store.resolve_ref("999")
    with pytest.raises(NotFoundError):
        store.resolve_ref("dns")
    store.create_postmortem("Checkout   outage")
    with pytest.raises(PostmortemError, match="several"):
        store.resolve_ref("checkout-outage")


def test_children_touch_updated_at(store: Store) -> None:
    pm = store.create_postmortem("x")
    assert pm.id is not None
    first = store.load(pm.id).updated_at
    store.add(ResponseItem(postmortem_id=pm.id, section="lucky", text="phew"))
    assert store.load(pm.id).updated_at > first


def test_add_refuses_non_children(store: Store) -> None:
    with pytest.raises(TypeError):
        store.add(Postmortem(title="x"))


def test_load_without_events_keeps_everything_else(store: Store) -> None:
    from models.demo import DEMO
    from models.interchange import from_document

    pm_id = store.save_new(from_document(DEMO))
    light = store.load(pm_id, events=False)
    assert light.events == []
    assert len(light.action_items) == len(DEMO["action_items"])
    assert light.categories[1].causes[0].children[0].text.startswith("Load tests")
