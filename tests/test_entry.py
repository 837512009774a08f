"""The timeline's entry-line parser and the chat-log parser."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.chatlog import parse_chat_log
from models.entry import ENTRY_FORMS, kind_from_prefix, parse_entry
from models.enums import EventKind
from models.errors import TimeParseError

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 14, 40, tzinfo=UTC)
LONDON = "Europe/London"


def utc(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "at", "text"),
    [
        ("", NOW, ""),
        ("Pager fired", NOW, "Pager fired"),
        ("now Pager fired", NOW, "Pager fired"),
        ("14:32 Pager fired", utc(2026, 11, 28, 14, 32), "Pager fired"),
        ("14:32:05 x", utc(2026, 11, 28, 14, 32, 5), "x"),
        ("[14:32] x", utc(2026, 11, 28, 14, 32), "x"),
        ("+5m rollback", utc(2026, 11, 28, 12, 5), "rollback"),
        ("+1h30m x", utc(2026, 11, 28, 13, 30), "x"),
        ("+90s x", utc(2026, 11, 28, 12, 1, 30), "x"),
        ("-10m noticed", utc(2026, 11, 28, 14, 30), "noticed"),
        ("yesterday 23:50 deploy", utc(2026, 11, 27, 23, 50), "deploy"),
        ("today 08:00 x", utc(2026, 11, 28, 8, 0), "x"),
        ("2026-11-20 09:47 x", utc(2026, 11, 20, 9, 47), "x"),
        ("2026-11-20T09:47:00+01:00 x", utc(2026, 11, 20, 8, 47), "x"),
        ("5 pods restarted", NOW, "5 pods restarted"),
    ],
)
def test_time_forms(line: str, at: dt.datetime, text: str) -> None:
    entry = parse_entry(line, "UTC", now=NOW, anchor=utc(2026, 11, 28, 12, 0))
    assert entry.at == at and entry.text == text


def test_clock_time_on_the_reference_date_in_the_zone() -> None:
    entry = parse_entry("23:30 late", "Asia/Tokyo", now=NOW, reference=dt.date(2026, 11, 1))
    assert entry.at == utc(2026, 11, 1, 14, 30)


def test_plus_without_anchor_counts_from_now() -> None:
    assert parse_entry("+5m x", "UTC", now=NOW).at == NOW + dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("line", "kind", "actor", "text"),
    [
        (
            "14:32 Pager fired #detected @alertmanager",
            EventKind.DETECTED,
            "alertmanager",
            "Pager fired",
        ),
        ("#det @sam pager", EventKind.DETECTED, "sam", "pager"),
        ("rolled back #mit", EventKind.MITIGATED, None, "rolled back"),
        ("status page #comm", EventKind.COMMUNICATION, None, "status page"),
        ("#STARTED it began", EventKind.STARTED, None, "it began"),
        ("PR #4821 merged", None, None, "PR #4821 merged"),
        ("mail me@example.com", None, None, "mail me@example.com"),
    ],
)
def test_tags(line: str, kind: EventKind | None, actor: str | None, text: str) -> None:
    entry = parse_entry(line, "UTC", now=NOW)
    assert (entry.kind, entry.actor, entry.text) == (kind, actor, text)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#re x", "#re is ambiguous; use one of responded, resolved"),
        ("#bogus x", "#bogus is not a kind"),
        ("#det #mit x", "two kinds given"),
        ("25:99 x", "not a valid clock time"),
        ("2026-11-28 rollback", ENTRY_FORMS),
        ("+5 x", ENTRY_FORMS),
        ("+5 x", "'+5' needs a unit"),
        ("[14:3] x", ENTRY_FORMS),
        ("2026-02-30 10:00 x", "not a real date"),
    ],
)
def test_errors_name_the_problem(line: str, message: str) -> None:
    with pytest.raises(TimeParseError) as info:
        parse_entry(line, "UTC", now=NOW)
    assert message in str(info.value)


def test_dst_gap_and_overlap_in_the_entry_line() -> None:
    with pytest.raises(TimeParseError, match="never happened"):
        parse_entry("01:30 x", LONDON, now=NOW, reference=dt.date(2026, 3, 29))
    first = parse_entry("01:30 x", LONDON, now=NOW, reference=dt.date(2026, 10, 25))
    assert first.at == utc(2026, 10, 25, 0, 30)


def test_unique_prefixes() -> None:
    with pytest.raises(TimeParseError, match="ambiguous"):
        kind_from_prefix("n")
    assert kind_from_prefix("noti") is EventKind.NOTIFIED
    assert kind_from_prefix("a") is EventKind.ACTION


@settings(max_examples=400)
@given(
    st.text(max_size=60),
    st.sampled_from(["UTC", LONDON, "America/New_York", "Asia/Kathmandu"]),
    st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)),
)
def test_any_line_gives_an_event_or_a_clean_error(line: str, tz: str, day: dt.date | None) -> None:
    try:
        entry = parse_entry(line, tz, now=NOW, reference=day, anchor=NOW)
    except TimeParseError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert entry.at.utcoffset() == dt.timedelta(0)
        assert "#" not in " ".join(t for t in entry.text.split() if t[1:].isalpha() and t[0] == "#")


LOG = """Incident channel export
[23:58] <alice> pager fired for checkout #det
  p99 > 5s
[23:59] bob: looking
00:03 rolled back #mit @carol
2021-06-08 09:47 next morning review
[2021-06-08 09:50:00] done #general
2021-06-08T10:00:00Z iso line #resolved"""


def test_chat_log() -> None:
    log = parse_chat_log(LOG, "UTC", reference=dt.date(2021, 6, 7), now=NOW)
    assert log.skipped == 1
    got = [(e.at, e.kind, e.text, e.actor) for e in log.events]
    assert got == [
        (utc(2021, 6, 7, 23, 58), "detected", "pager fired for checkout\np99 > 5s", "alice"),
        (utc(2021, 6, 7, 23, 59), "note", "looking", "bob"),
        (utc(2021, 6, 8, 0, 3), "mitigated", "rolled back", "carol"),  # after midnight
        (utc(2021, 6, 8, 9, 47), "note", "next morning review", ""),
        (utc(2021, 6, 8, 9, 50), "note", "done #general", ""),  # unknown tag stays text
        (utc(2021, 6, 8, 10, 0), "resolved", "iso line", ""),
    ]


def test_chat_log_spanning_several_days() -> None:
    lines = "\n".join(f"{h:02d}:00 tick" for h in (20, 2, 8, 14, 20, 2))
    log = parse_chat_log(lines, "UTC", reference=dt.date(2026, 11, 1), now=NOW)
    assert [e.at.day for e in log.events] == [1, 2, 2, 2, 2, 3]


def test_chat_log_refuses_the_line_it_cannot_read_by_number() -> None:
    log = parse_chat_log("10:00 ok\n99:99 bad", "UTC", reference=dt.date(2026, 1, 1), now=NOW)
    assert [(n.line, n.text) for n in log.refused] == [(2, "99:99 bad")]
    assert "not a valid clock time" in log.refused[0].reason


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.builds(
                lambda h, m, t: f"[{h:02d}:{m:02d}] {t}",
                st.integers(0, 23),
                st.integers(0, 59),
                st.text(max_size=20),
            ),
        ),
        max_size=15,
    )
)
def test_any_log_gives_events_and_reasons_never_an_exception(lines: list[str]) -> None:
    text = "\n".join(lines)
    log = parse_chat_log(text, LONDON, reference=dt.date(2026, 3, 29), now=NOW)
    assert all(e.at.tzinfo is not None for e in log.events)
    assert all("\n" not in n.reason for n in log.refused)
    assert len(log.events) <= len(text.splitlines())
