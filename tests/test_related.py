"""Related incidents: links seen from both sides, in the store, the undo history
and the Markdown export; suggestions from shared services, tags and wording."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import NotFoundError, ValidationError
from models.history import History
from models.library import Incident, incidents
from models.markdown import to_markdown
from models.related import links, suggest, words
from models.store import Store

UTC = dt.UTC


def two(store: Store) -> tuple[int, int]:
    a = store.create_postmortem("Pool exhausted in March")
    b = store.create_postmortem("Pool exhausted again in May")
    assert a.id is not None and b.id is not None
    return a.id, b.id


def test_a_link_shows_on_both_sides_and_in_the_markdown(store: Store) -> None:
    first, again = two(store)
    store.link(again, first, "recurrence_of")
    seen_from_again = links(store.load(again))
    seen_from_first = links(store.load(first))
    assert [(x.relation, x.other_id) for x in seen_from_again] == [("recurrence of", first)]
    assert [(x.relation, x.other_id) for x in seen_from_first] == [("recurred in", again)]
    md_again = to_markdown(store.load(again))
    md_first = to_markdown(store.load(first))
    assert "## Related Incidents\n\n- Recurrence of: Pool exhausted in March (#1)" in md_again
    assert "- Recurred in: Pool exhausted again in May (#2)" in md_first
    # no links, no section: every existing export stays as it was
    lonely = store.create_postmortem("Alone")
    assert lonely.id is not None
    assert "Related Incidents" not in to_markdown(store.load(lonely.id))


def test_one_row_per_pair_whichever_side_links(store: Store) -> None:
    first, again = two(store)
    store.link(first, again, "related")
    store.link(again, first, "recurrence_of")  # the same pair: its kind and direction change
    assert [(x.relation, x.other_id) for x in links(store.load(again))] == [
        ("recurrence of", first)
    ]
    assert len(store.load(first).links) == 0 and len(store.load(first).linked_from) == 1
    with pytest.raises(ValidationError, match="itself"):
        store.link(first, first, "related")
    with pytest.raises(ValidationError):
        store.link(first, again, "caused_by")
    with pytest.raises(NotFoundError):
        store.link(first, 999, "related")


def test_link_changes_undo_in_the_postmortem_where_they_were_made(store: Store) -> None:
    history = History()
    store.listeners.append(history.record)
    first, again = two(store)
    store.link(again, first, "related")
    store.link(again, first, "recurrence_of")
    assert history.can_undo(again) and not history.can_undo(first)
    history.undo(store, again)
    assert [x.relation for x in links(store.load(again))] == ["related"]
    history.undo(store, again)
    assert links(store.load(again)) == []
    history.redo(store, again)
    link = links(store.load(again))[0]
    store.unlink(again, link.link_id)
    assert links(store.load(first)) == []
    history.undo(store, again)
    assert [x.other_id for x in links(store.load(first))] == [again]


def test_a_deleted_postmortem_takes_its_links_and_undo_restores_them(store: Store) -> None:
    history = History()
    store.listeners.append(history.record)
    first, again = two(store)
    store.link(again, first, "recurrence_of")
    store.delete_postmortem(first)
    assert links(store.load(again)) == []
    history.undo(store, None)
    assert [x.relation for x in links(store.load(again))] == ["recurrence of"]


def incident(
    pm_id: int,
    day: int,
    services: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    roots: tuple[str, ...] = (),
) -> Incident:
    start = dt.datetime(2026, 1, day, tzinfo=UTC)
    return Incident(
        pm_id,
        f"pm {pm_id}",
        "SEV3",
        "final",
        "UTC",
        services,
        tags,
        start,
        {"started": start},
        (),
        roots,
        (),
    )


def test_suggestions_from_shared_services_tags_and_wording() -> None:
    me = incident(10, 20, ("checkout-api", "pgbouncer"), ("database",), ("Pool size too small",))
    library = [
        me,
        incident(1, 1, ("pgbouncer",)),  # one shared service: 2.0
        incident(2, 2, (), ("database", "latency")),  # one shared tag: 1.0, too weak
        incident(3, 3, (), ("Database",), ("pool sizes set too small for peak",)),  # tag + wording
        incident(4, 25, ("pgbouncer", "checkout-api")),  # later than me: not a past incident
        incident(5, 5, ("PGBOUNCER", "checkout-api"), ("database",)),  # best
        incident(6, 6, ("pgbouncer",)),
    ]
    found = suggest(10, library, exclude={6})
    assert [s.other_id for s in found] == [5, 3, 1]
    assert found[0].reasons == ("services PGBOUNCER, checkout-api", "tags database")
    assert found[1].reasons[-1] == "root cause wording: pool, size, small"
    assert words(["Pool sizes are set"]) == {"pool", "size", "set"}


def test_suggestions_on_a_generated_library(store: Store) -> None:
    from tests.library import build

    ids = build(store, 50, seed=5)
    with store.session() as s:
        library = incidents(s.connection())
    newest = max(library, key=lambda i: i.started or i.created_at)
    found = suggest(newest.id, library)
    assert found, "a library of 50 from a dozen scenarios always has a similar past incident"
    for s in found:
        other = next(i for i in library if i.id == s.other_id)
        assert set(other.services) & set(newest.services) or set(other.tags) & set(newest.tags)
        assert (other.started or other.created_at) < (newest.started or newest.created_at)
    store.link(newest.id, found[0].other_id, "not_related")
    exclude = {found[0].other_id}
    assert found[0].other_id not in [
        s.other_id for s in suggest(newest.id, library, exclude=exclude)
    ]
    assert len(ids) == 50
