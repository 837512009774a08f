"""The search language: every form, every filter, and refusals in one line."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.search import Match
from models.search.query import Filters, QueryError, Term, parse
from models.search.sqlite import match_expression


def test_words_phrases_prefixes_exclusions_and_or() -> None:
    q = parse('pgbouncer "connection pool" restart* -staging -"load test" pool OR queue')
    assert q.terms == (
        Term("pgbouncer"),
        Term("connection pool", phrase=True),
        Term("restart", prefix=True),
        Term("staging", exclude=True),
        Term("load test", phrase=True, exclude=True),
        Term("pool"),
        Term("queue", either=True),
    )
    assert match_expression(q) == (
        '(((("pgbouncer" AND "connection pool" AND "restart" * AND "pool") OR ("queue"))'
        ' NOT "staging") NOT "load test")'
    )


def test_every_filter() -> None:
    q = parse(
        "service:Checkout-API tag:database sev:1,SEV2 status:review,final "
        "after:2026-01 before:2026-07-01 pool"
    )
    assert q.filters == Filters(
        services=("checkout-api",),
        tags=("database",),
        severities=frozenset({"SEV1", "SEV2"}),
        statuses=frozenset({"in_review", "final"}),
        after=dt.date(2026, 1, 1),
        before=dt.date(2026, 7, 1),
    )
    assert q.terms == (Term("pool"),)


def test_filters_accept_what_they_say() -> None:
    f = parse("service:checkout* tag:db sev:2 status:final after:2026 before:2026-06").filters
    march = dt.date(2026, 3, 1)

    def day() -> dt.date:
        return march

    assert f.accepts(["Checkout-API"], ["DB", "x"], "SEV2", "final", day)
    assert not f.accepts(["payments"], ["db"], "SEV2", "final", day)
    assert not f.accepts(["checkout-api"], ["dbs"], "SEV2", "final", day)  # exact tag
    assert not f.accepts(["checkout-api"], ["db"], "SEV3", "final", day)
    assert not f.accepts(["checkout-api"], ["db"], "SEV2", "draft", day)
    assert not f.accepts(["checkout-api"], ["db"], "SEV2", "final", lambda: dt.date(2025, 12, 31))
    assert f.accepts(
        ["checkout-api"], ["db"], "SEV2", "final", lambda: dt.date(2026, 1, 1)
    )  # on or after
    assert not f.accepts(
        ["checkout-api"], ["db"], "SEV2", "final", lambda: dt.date(2026, 6, 1)
    )  # before
    both = parse("tag:a tag:b").filters
    assert both.accepts([], ["a", "b"], "SEV3", "draft", day)
    assert not both.accepts([], ["a"], "SEV3", "draft", day)


def test_text_that_looks_like_a_filter_is_text() -> None:
    q = parse("14:32 http://example.com error:timeout")
    assert [t.text for t in q.terms] == ["14:32", "http://example.com", "error:timeout"]
    assert not q.filters


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('"connection pool', "a quote is not closed"),
        ("service:", "service: needs a value"),
        ("after:2026-13-01", "after: needs a date like 2026-11-28"),
        ("before:yesterday", "before: needs a date"),
        ("after:1850", "outside the accepted years"),
        ("sev:7", "sev: is one of 1-5"),
        ("status:done", "status: is draft, in_review or final"),
        ("-staging", "add a word to look for"),
        ("OR pool", "OR goes between two things"),
        ("pool OR", "OR goes between two things"),
        ("after:2026-06 before:2026-01", "leave no days to search"),
    ],
)
def test_refusals_are_one_line(typed: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(typed)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_lenient_forgives_only_what_is_half_typed() -> None:
    assert parse('"connection po', lenient=True).terms == (Term("connection po", phrase=True),)
    assert not parse("service:", lenient=True)
    assert parse("pool OR", lenient=True).terms == (Term("pool"),)
    assert not parse("-stag", lenient=True)
    with pytest.raises(QueryError):
        parse("sev:9", lenient=True)  # a wrong value is wrong however it is typed


def test_punctuation_alone_is_no_term() -> None:
    assert parse("— - * ...").terms == ()


@given(st.text(max_size=40))
def test_any_typed_text_becomes_a_valid_fts5_expression(typed: str) -> None:
    """Nothing typed reaches FTS5 as syntax: every term is quoted."""
    import sqlite3

    try:
        query = parse(typed, lenient=True)
    except QueryError:
        return
    if not query.has_text:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    conn.execute("INSERT INTO t VALUES ('some text')")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (match_expression(query),)).fetchall()


def _match(snippet: str) -> Match:
    return Match("why", 1, "text", "rootcause", "why", snippet, 0.0)


def test_a_narrow_window_keeps_the_first_match_in_sight() -> None:
    snippet = "No alert on pgbouncer \x02cl_waiting\x03 above fifty for the checkout pool"
    cut = _match(snippet).window(20)
    shown = "".join(t for t, _ in cut)
    assert len(shown) <= 20
    assert ("cl_waiting", True) in cut
    assert shown.startswith("…") and shown.endswith("…")
    # room enough: nothing cut, nothing added
    whole = _match(snippet).window(200)
    assert "".join(t for t, _ in whole) == _match(snippet).plain
    # a match at the start keeps the start
    early = _match("\x02pool\x03 sizes from measured peak concurrency of each service")
    assert early.window(16)[0] == ("pool", True)
    assert "".join(t for t, _ in early.window(16)).endswith("…")
