"""The time parser: every accepted form, every error, and the DST policy."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import TimeParseError, ValidationError
from models.timeparse import (
    ACCEPTED_FORMS,
    format_rfc3339,
    parse_rfc3339,
    parse_time,
    timezone_names,
    validate_timezone,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "tz", "expected"),
    [
        ("2026-11-28 14:32", "UTC", utc(2026, 11, 28, 14, 32)),
        ("2026-11-28 14:32:05", "UTC", utc(2026, 11, 28, 14, 32, 5)),
        ("2026-11-28T14:32", "Europe/Berlin", utc(2026, 11, 28, 13, 32)),
        ("2026-07-01 09:00", "America/New_York", utc(2026, 7, 1, 13, 0)),
        ("2026-11-28T14:32:00Z", "Asia/Tokyo", utc(2026, 11, 28, 14, 32)),
        ("2026-11-28T14:32:00+05:30", "UTC", utc(2026, 11, 28, 9, 2)),
        ("2026-11-28 14:32:00.250-01:00", "UTC", utc(2026, 11, 28, 15, 32, 0, 250000)),
        ("  now ", "Europe/London", NOW),
        ("NOW", "UTC", NOW),
    ],
)
def test_accepted_forms(typed: str, tz: str, expected: dt.datetime) -> None:
    got = parse_time(typed, tz, now=NOW)
    assert got == expected
    assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)


def test_clock_time_uses_reference_date_in_the_zone() -> None:
    got = parse_time("23:30", "Asia/Tokyo", reference=dt.date(2026, 11, 28), now=NOW)
    assert got == utc(2026, 11, 28, 14, 30)
    assert parse_time("07:05:09", "UTC", reference=dt.date(2026, 1, 2)) == utc(2026, 1, 2, 7, 5, 9)


def test_clock_time_defaults_to_today_in_the_zone_not_in_utc() -> None:
    # 12:00 UTC on the 28th is already the 29th in Kiritimati (UTC+14).
    got = parse_time("08:00", "Pacific/Kiritimati", now=NOW)
    assert got == utc(2026, 11, 28, 18, 0)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "yesterday",
        "14.32",
        "25:00",
        "12:60",
        "2026-02-30 10:00",
        "2026-13-01 10:00",
        "2026-11-28T14:32:00+25:00",
        "14:32 tomorrow",
        "1432",
    ],
)
def test_errors_repeat_the_input_and_list_the_forms(typed: str) -> None:
    with pytest.raises(TimeParseError) as info:
        parse_time(typed, "UTC", now=NOW)
    message = str(info.value)
    assert "\n" not in message
    if typed.strip():
        assert repr(typed.strip()) in message
    if typed.strip() in ("yesterday", "14.32", "14:32 tomorrow", "1432", ""):
        assert ACCEPTED_FORMS in message


def test_dst_gap_is_an_error_that_suggests_the_time_after_the_gap() -> None:
    with pytest.raises(TimeParseError) as info:
        parse_time("2026-03-29 01:30", "Europe/London")
    assert "never happened" in str(info.value)
    assert "02:30" in str(info.value)
    with pytest.raises(TimeParseError, match="03:15"):
        parse_time("02:15", "America/New_York", reference=dt.date(2026, 3, 8))


def test_dst_gap_can_be_given_with_an_explicit_offset() -> None:
    assert parse_time("2026-03-29T01:30+00:00", "Europe/London") == utc(2026, 3, 29, 1, 30)


def test_dst_ambiguous_time_takes_the_first_occurrence() -> None:
    # 01:30 happens twice in London on 2026-10-25: first at BST (00:30Z), then GMT (01:30Z).
    assert parse_time("2026-10-25 01:30", "Europe/London") == utc(2026, 10, 25, 0, 30)
    assert parse_time("01:30", "America/New_York", reference=dt.date(2026, 11, 1)) == utc(
        2026, 11, 1, 5, 30
    )


def test_dst_ambiguous_second_occurrence_via_offset() -> None:
    assert parse_time("2026-10-25T01:30+00:00", "Europe/London") == utc(2026, 10, 25, 1, 30)


def test_unknown_timezone() -> None:
    with pytest.raises(ValidationError, match="unknown timezone 'Mars/Olympus'"):
        parse_time("now", "Mars/Olympus")
    with pytest.raises(ValidationError):
        validate_timezone("+02:00")
    assert validate_timezone("Europe/London") == "Europe/London"
    assert "Europe/London" in timezone_names() and "UTC" in timezone_names()


def test_rfc3339_is_strict() -> None:
    assert parse_rfc3339("2026-11-28T14:32:00Z") == utc(2026, 11, 28, 14, 32)
    for bad in ("2026-11-28 14:32", "14:32", "now", "2026-11-28"):
        with pytest.raises(TimeParseError):
            parse_rfc3339(bad)


@given(
    st.datetimes(
        timezones=st.just(UTC),
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(2099, 12, 31, 23, 59, 59),
    )
)
def test_rfc3339_round_trip(moment: dt.datetime) -> None:
    assert parse_rfc3339(format_rfc3339(moment)) == moment


@given(
    st.text(max_size=40),
    st.sampled_from(
        ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
    ),
)
def test_any_string_gives_a_time_or_a_clean_error(typed: str, tz: str) -> None:
    try:
        got = parse_time(typed, tz, now=NOW, reference=dt.date(2026, 3, 29))
    except TimeParseError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert got.utcoffset() == dt.timedelta(0)


@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1)),
    st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Tehran"]),
)
def test_wall_times_round_trip_unless_in_a_gap(wall: dt.datetime, tz: str) -> None:
    wall = wall.replace(microsecond=0)
    typed = wall.strftime("%Y-%m-%d %H:%M:%S")
    try:
        got = parse_time(typed, tz)
    except TimeParseError as exc:
        assert "never happened" in str(exc)
        return
    from models.timeparse import to_zone

    assert to_zone(got, tz).replace(tzinfo=None) == wall
