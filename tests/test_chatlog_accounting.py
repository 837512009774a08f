"""Every line of a log is accounted for, and reading a log never raises.

Hypothesis builds logs from the shapes real ones have (timestamps of every
format, chat speakers, markers, blank lines, arbitrary text, CR/LF/CRLF line
ends) and checks that each line has exactly one fate, that the lists the
preview shows agree with those fates, and that every event is a storable row.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.chatlog import Fate, parse_chat_log, split_lines
from models.entry import _TIMELIKE, parse_entry
from models.enums import EventKind
from models.errors import TimeParseError
from models.logimport import plan_import
from models.rules import check_fields
from models.timeparse import out_of_range

NOW = dt.datetime(2026, 11, 28, 14, 40, tzinfo=dt.UTC)
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"]

STAMPS = [
    "{h}:{m:02d}",
    "[{h}:{m:02d}]",
    "{h:02d}:{m:02d}:{s:02d}",
    "{h12}:{m:02d} PM",
    "[{h12}:{m:02d} am]",
    "{h}h{m:02d}",
    "2021-11-07 {h:02d}:{m:02d}",
    "2021-03-14T{h:02d}:{m:02d}:{s:02d}.802915",
    "2021-06-08T{h:02d}:{m:02d}:{s:02d}.345+0000",
    "2021-06-08 {h:02d}:{m:02d}:{s:02d},802",
    "Jun  8 {h:02d}:{m:02d}:{s:02d}",
    "Tue Jun  8 {h:02d}:{m:02d}:{s:02d} 2021",
    "{h:02d}:{m:02d} PDT",
    "{h:02d}:{m:02d} IST",
    "{h:02d}:{m:02d}+05:45",
    "0{m}/1{h12}/2021 {h:02d}:{m:02d}",
    "16234{m:02d}633",
    "{hh}:{m:02d}",
]
SPEAKERS = [
    "",
    "<alice> ",
    "<@bob> ",
    "< carol> ",
    "* dave ",
    "erin: ",
    "-!- ",
    "\t@x\t",
    "h p[1]: ",
]
MARKERS = [
    "--- Log opened Tue Jun 08 09:40:00 2021",
    "--- Day changed Wed Jun 09 2021",
    "--- Log closed Wed Jun 09 10:00:00 2021",
    "June 9, 2021",
    "Tuesday, June 8th",
    "2021-06-09",
    "Today",
    "**** BEGIN LOGGING AT Tue Jun  8 09:40:00 2021",
]
WORDS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["#mitigated", "#det", "@bob", "#general", "PR #42", "Alex Example", "", "  "])


@st.composite
def stamped(draw: st.DrawFn) -> str:
    h, m, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    fmt = draw(st.sampled_from(STAMPS))
    stamp = fmt.format(h=h, m=m, s=s, h12=(h % 12) or 12, hh=draw(st.integers(0, 99)))
    return stamp + " " + draw(st.sampled_from(SPEAKERS)) + draw(WORDS)


LINES = st.lists(
    st.one_of(
        stamped(),
        st.sampled_from(MARKERS),
        st.builds(lambda n: f"{n} [1:58 PM]", st.sampled_from(["Alex Example", "PagerDuty APP"])),
        st.sampled_from(["", "   ", "\t"]),
        WORDS,
    ),
    max_size=30,
)


def count_lines(text: str) -> int:
    """An independent count: CR, LF and CRLF end a line; a last line end adds none."""
    if not text:
        return 0
    parts = re.split(r"\r\n|\r|\n", text)
    return len(parts) - (1 if parts[-1] == "" else 0)


@settings(
    max_examples=int(os.environ.get("POSTMORTEM_FUZZ_EXAMPLES", "300")),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    LINES,
    st.sampled_from(ZONES),
    st.dates(dt.date(1999, 1, 1), dt.date(2090, 12, 31)),
    st.sampled_from(["\n", "\r", "\r\n"]),
    st.booleans(),
)
def test_every_line_is_accounted_for(
    lines: list[str], tz: str, day: dt.date, newline: str, final_newline: bool
) -> None:
    text = newline.join(lines) + (newline if final_newline and lines else "")
    log = parse_chat_log(text, tz, reference=day, now=NOW)  # never raises

    assert len(log.fates) == count_lines(text) == len(split_lines(text))

    def numbered(fate: Fate) -> list[int]:
        return [i + 1 for i, f in enumerate(log.fates) if f is fate]

    assert [n.line for n in log.joined] == numbered(Fate.JOINED)
    assert [n.line for n in log.left_out] == numbered(Fate.LEFT_OUT)
    assert [n.line for n in log.refused] == numbered(Fate.REFUSED)
    assert [n.line for n in log.markers] == numbered(Fate.MARKER)
    starts = [e.line for e in log.events]
    assert starts == sorted(set(starts))
    assert set(starts) <= set(numbered(Fate.EVENT))
    # An event line that starts no event is the message of the event above it
    # (only blank lines between) or the name line just before one (Slack).
    for line in set(numbered(Fate.EVENT)) - set(starts):
        above = line - 1
        while above and log.fates[above - 1] is Fate.BLANK:
            above -= 1
        assert above in starts or line + 1 in starts, line
    for note in [*log.joined, *log.left_out, *log.refused]:
        assert note.text.strip() and "\n" not in note.reason
    for event in log.events:
        assert event.at.utcoffset() == dt.timedelta(0) and not out_of_range(event.at)
        assert event.kind in {k.value for k in EventKind}
        check_fields(
            "timeline_event",
            {"at": event.at, "kind": event.kind, "text": event.text, "actor": event.actor},
        )

    plan = plan_import(text, tz, existing=[], reference=day, date_source="today", now=NOW)
    assert len(plan.to_add) + len(plan.duplicates) == len(log.events)
    words = plan.refusal() or plan.summary()
    assert "\n" not in words
    if log.events and log.left_out and not plan.blocked:
        assert f"{len(log.left_out)} line" in words and "left out" in words


TIMELIKE = st.sampled_from(
    [
        "14:3",
        "14:32",
        "9:47pm",
        "14h32",
        "+5",
        "+5min",
        "T+5m",
        "in 5m",
        "5m ago",
        "now+5",
        "2026-11-28",
        "06/08/2021",
        "13:00 PM",
        "25:99",
        "[14:32]",
        "1:58 PM",
        "T+x",
    ]
)


@settings(max_examples=300)
@given(TIMELIKE, st.text(max_size=20), st.sampled_from(ZONES))
def test_a_time_like_first_word_is_read_or_refused_never_left_in_the_text(
    first: str, rest: str, tz: str
) -> None:
    line = f"{first} {rest}"
    try:
        entry = parse_entry(line, tz, now=NOW, anchor=NOW, started=NOW)
    except TimeParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    if _TIMELIKE.match(first):
        assert not entry.text.startswith(first.split()[0])


@pytest.mark.parametrize("text", ["", "\n", "\r\n\r\n", "   \n\t"])
def test_blank_input_has_only_blank_lines(text: str) -> None:
    log = parse_chat_log(text, "UTC", reference=dt.date(2026, 1, 1), now=NOW)
    assert not log.events and all(f is Fate.BLANK for f in log.fates)
    assert len(log.fates) == count_lines(text)
