"""Fuzzing the parsers of typed text: any string, at any date, gives a result or a refusal.

The entry line, due dates, typed times and RFC 3339 each either return a value
(inside the accepted years, 1970 to 2099, whenever the clock is) or raise a
PostmortemError whose message is one line, never another exception: an
OverflowError near the end of the calendar, an AssertionError, a ValueError
from int(). The reference date and the clock range over the whole calendar,
because a bad stored value or a wrong clock must not turn typing into a crash.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.duedate import parse_due
from models.entry import kind_from_prefix, parse_entry
from models.errors import PostmortemError
from models.timeparse import EARLIEST, LATEST, parse_rfc3339, parse_time
from tests.fuzz.cli import LONG
from tests.fuzz.hostile import ALL_ZONES, EDGE, EDGE_TIMES, TEXT, rfc3339ish
from tests.fuzz.stats import record

EXAMPLES = 20_000 if LONG else 300
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
STATS: Counter[str] = Counter()

# Pieces people type, and pieces that push arithmetic to the calendar's edges.
TOKENS = st.sampled_from(
    [
        *("now", "today", "tomorrow", "yesterday", "eow", "next", "mon", "friday"),
        *("+1m", "+9999m", "+9999d", "+9999w", "+9999h", "-9999d", "+1d23h59m59s", "+0s"),
        *("+", "-", "T+5m", "in 5m", "5m ago", "14h32", "1:58 PM", "9:47pm"),
        *("00:00", "23:59:59", "24:00", "[14:32]", "[", "]", "#det", "#", "@x", "@"),
        *("2099-12-31", "1970-01-01", "0001-01-01", "9999-12-31", "2026-02-29"),
        *("²", "١٢:٣٠", "１４:３２", " ", "\t", "\n", "\r", "\x00", "\udfff"),
    ]
)
TYPED = st.one_of(
    st.lists(TOKENS | EDGE | st.sampled_from(EDGE_TIMES), max_size=5).map(" ".join),
    st.lists(TOKENS, max_size=4).map("".join),
    rfc3339ish(),
    TEXT,
    st.text(),
)
# The whole calendar, not only the accepted years.
DAYS = st.dates(dt.date.min, dt.date.max)
CLOCKS = st.datetimes(
    dt.datetime.min + dt.timedelta(days=2),
    dt.datetime.max - dt.timedelta(days=2),
    timezones=st.just(dt.UTC),
)
ZONES = st.sampled_from(ALL_ZONES)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    record("parsers", STATS)


def result_or_refusal(name: str, call: Callable[[], Any]) -> Any:
    STATS[name] += 1
    try:
        return call()
    except PostmortemError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 500, str(exc)
        STATS[f"{name} refused"] += 1
        return None


def in_range(moment: dt.datetime) -> bool:
    return EARLIEST <= moment < LATEST


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(
    typed=TYPED,
    zone=ZONES,
    reference=st.none() | DAYS,
    now=CLOCKS,
    anchor=st.none() | CLOCKS,
    strict=st.booleans(),
)
def test_the_entry_line(
    typed: str,
    zone: str,
    reference: dt.date | None,
    now: dt.datetime,
    anchor: dt.datetime | None,
    strict: bool,
) -> None:
    entry = result_or_refusal(
        "entry line",
        lambda: parse_entry(
            typed, zone, now=now, reference=reference, anchor=anchor, strict_tags=strict
        ),
    )
    if entry is not None and in_range(now):
        # Only "now" (or no time at all) can give the clock itself back unchecked.
        assert in_range(entry.at), f"{typed!r} gave {entry.at}"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(typed=TYPED, today=DAYS)
def test_due_dates(typed: str, today: dt.date) -> None:
    due = result_or_refusal("due date", lambda: parse_due(typed, today))
    if due is not None:
        assert 1970 <= due.year <= 2099, f"{typed!r} on {today} gave {due}"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(typed=TYPED, zone=ZONES, reference=st.none() | DAYS, now=CLOCKS)
def test_typed_times(typed: str, zone: str, reference: dt.date | None, now: dt.datetime) -> None:
    at = result_or_refusal("time", lambda: parse_time(typed, zone, reference=reference, now=now))
    if at is not None:
        assert in_range(at) and at.tzinfo is not None
    stamp = result_or_refusal("RFC 3339", lambda: parse_rfc3339(typed))
    if stamp is not None:
        assert in_range(stamp)


@settings(max_examples=EXAMPLES // 10, deadline=None, suppress_health_check=SLOW)
@given(prefix=(TEXT | TOKENS | st.text()).filter(str.isalpha))
def test_kind_tags(prefix: str) -> None:
    """What the entry line passes on: the letters after a # (any script)."""
    result_or_refusal("#kind", lambda: kind_from_prefix(prefix))
