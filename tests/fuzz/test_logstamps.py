"""Fuzzing the log readers behind a paste and `timeline import`, below the command line.

models.logstamps reads the timestamp a line starts with and models.logimport
plans an import: any line, any log, in any zone, at any reference date and
clock, gives a result or a refusal, never an exception. What they return keeps
the same rules as everything else: stamps and events inside the accepted years,
and every message (refusal, summary, warning) one line with no control
character, so the preview, the CLI and its JSON can show it as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.errors import PostmortemError
from models.interchange import dumps
from models.logimport import DATE_FROM_TODAY, choose_reference, plan_import
from models.logstamps import read_date, read_stamp
from models.timeparse import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST, to_zone
from tests.fuzz.cli import LONG
from tests.fuzz.hostile import ALL_ZONES, EDGE, EDGE_TIMES, TEXT, rfc3339ish
from tests.fuzz.logs import MARKERS, OTHER_FORMS, expand, lines, stamps
from tests.fuzz.stats import record, tick

EXAMPLES = 10_000 if LONG else 150
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
STATS: Counter[str] = Counter()
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

LINE = st.one_of(
    stamps().flatmap(
        lambda s: st.sampled_from(["", " ", "\t", "] x", " <nick> hi", ": x"]).map(s.__add__)
    ),
    OTHER_FORMS,
    MARKERS,
    st.sampled_from(EDGE_TIMES),
    rfc3339ish(),
    st.lists(EDGE | TEXT, max_size=4).map("".join),
    st.text(),
)
# The whole calendar: a wrong clock or a bad stored start must not turn reading into a crash.
DAYS = st.dates(dt.date.min, dt.date.max)
NOWS = st.datetimes(
    dt.datetime.min + dt.timedelta(days=2),
    dt.datetime.max - dt.timedelta(days=2),
    timezones=st.just(dt.UTC),
)
STORED = st.datetimes(  # what an older version or another program may have stored
    dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC)
)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    record("log readers", STATS)


def one_clean_line(text: str, what: str) -> None:
    assert "\n" not in text and not CONTROL.search(text), f"{what}: {text!r}"


@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=SLOW)
@given(line=LINE)
def test_a_stamp_is_read_in_range_or_refused_by_name(line: str) -> None:
    tick("log readers", STATS, "stamps")
    stamp = read_stamp(line)
    if stamp is None:
        return
    STATS[f"stamp {stamp.form}"] += 1
    if stamp.error is not None:
        STATS["stamps refused"] += 1
        one_clean_line(stamp.error, line[:80])
        return
    assert 0 <= stamp.start <= stamp.end <= len(line)
    if stamp.year is not None:
        assert FIRST_YEAR <= stamp.year <= LAST_YEAR, f"{line!r}: {stamp}"
    if stamp.instant is not None:
        assert EARLIEST <= stamp.instant < LATEST, f"{line!r}: {stamp}"
    stamp.clock()  # a real wall-clock time


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(line=LINE)
def test_a_date_line_is_a_real_date_in_range_or_none(line: str) -> None:
    tick("log readers", STATS, "date lines")
    found = read_date(line)
    if found is not None:
        year, month, day = found
        dt.date(year or 2000, month, day)
        assert year is None or FIRST_YEAR <= year <= LAST_YEAR


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(
    text=st.lists(lines() | LINE, max_size=10).map(lambda ls: "\n".join(map(expand, ls))),
    zone=st.sampled_from(ALL_ZONES),
    reference=st.none() | DAYS,
    started=st.none() | STORED,
    now=NOWS,
    existing=st.lists(st.tuples(STORED, TEXT, st.sampled_from(["", "alice", "bob"])), max_size=3),
)
def test_a_plan_is_whole_and_says_everything_in_one_line(
    text: str,
    zone: str,
    reference: dt.date | None,
    started: dt.datetime | None,
    now: dt.datetime,
    existing: list[tuple[dt.datetime, str, str]],
) -> None:
    tick("log readers", STATS, "plans")
    try:
        day, source = choose_reference(reference, started, now, zone)
    except (PostmortemError, OverflowError):
        # Only for a start or clock the app never passes: metrics leave out stored
        # times outside the accepted years, and the clock is today.
        assert (started is not None and not EARLIEST <= started < LATEST) or not (
            EARLIEST <= now < LATEST
        )
        day, source = (reference or dt.date(2026, 11, 28)), DATE_FROM_TODAY
    try:
        plan = plan_import(
            text, zone, existing=existing, reference=day, date_source=source, now=now
        )
    except PostmortemError as exc:
        one_clean_line(str(exc), "plan refused")
        STATS["plans refused"] += 1
        return
    refusal = plan.refusal()
    STATS["plans blocked" if plan.blocked else "plans empty" if refusal else "plans to import"] += 1
    STATS["events planned"] += len(plan.to_add)
    for words in (refusal, plan.summary(), plan.summary(done=False)):
        one_clean_line(words, text[:80])
    for notice in plan.warnings():
        one_clean_line(notice.text, text[:80])
    for event in plan.to_add:
        assert EARLIEST <= event.at < LATEST, f"{event.at} from {text[:200]!r}"
        to_zone(event.at, zone)
        assert not CONTROL.search(event.text.replace("\n", "").replace("\t", ""))
        assert not CONTROL.search(event.actor + event.kind)
    json.loads(dumps(plan.as_json(added=len(plan.to_add))))
