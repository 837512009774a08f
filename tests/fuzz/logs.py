"""Hypothesis strategies for hostile chat logs, as pasted or given to `timeline import`.

Lines start with every timestamp form the reader knows (models.logstamps'
table: clocks, ISO, syslog, ctime, RFC 2822, Apache, slashed, epoch) and some
it must refuse, at the edges of the calendar and of the accepted years, with
day markers between them; nicks and tags follow; the text is the Unicode edge
cases, NUL bytes and huge lines. The lines are joined with LF, CRLF, CR or a
mix, and the file is encoded as UTF-8 with or without a BOM, UTF-16 or UTF-32
with a BOM, or Latin-1.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz.cli import LONG
from tests.fuzz.hostile import (
    EDGE,
    EDGE_TIMES,
    ENCODINGS,
    STORABLE_TEXT,
    TEXT,
    encode,
    rfc3339ish,
)

CLOCKS = st.sampled_from(
    [
        *("00:00", "23:59", "23:59:59", "24:00", "25:61", "9:47", "99:99", "12:00:60"),
        *("1:58 PM", "14h32", "14:32:05.123", "T+5m", "+5m", "now"),
    ]
) | st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 24), st.integers(0, 60))
DATES = st.sampled_from(
    [
        *("0001-01-01", "1969-12-31", "1970-01-01", "2021-06-08", "2024-02-29"),
        *("2026-02-29", "2099-12-31", "2100-01-01", "9999-12-31", "2026-13-01"),
    ]
)


# The other rows of models.logstamps' table, at the edges of the accepted years.
ZONES = st.sampled_from(
    [
        *("", " UTC", "Z", "+0000", " +05:45", "-1200", "+1400", "+1500", " PDT", " IST"),
        *(" CST", " GMT+14", " UTC-15", " BST", "-99", "+23:59"),
    ]
)
MONTHS = st.sampled_from(["Jan", "Feb", "Jun", "Dec", "June", "Sept", "Foo"])
DAYS = st.sampled_from(["1", "01", "8", "29", "30", "31", "32", "0", "8th"])
YEARS = st.sampled_from(["1969", "1970", "2021", "2024", "2026", "2099", "2100", "9999", "0001"])
OTHER_FORMS = st.one_of(
    st.builds(lambda m, d, c: f"{m} {d:>2} {c}", MONTHS, DAYS, CLOCKS),  # syslog
    st.builds(lambda m, d, c: f"<13>{m} {d} {c}", MONTHS, DAYS, CLOCKS),
    st.builds(lambda m, d, c, y: f"Tue {m} {d} {c} {y}", MONTHS, DAYS, CLOCKS, YEARS),  # ctime
    st.builds(lambda m, d, y, c: f"{m} {d}, {y}, {c}", MONTHS, DAYS, YEARS, CLOCKS),
    st.builds(  # RFC 2822
        lambda d, m, y, c, z: f"Tue, {d} {m} {y} {c}{z}", DAYS, MONTHS, YEARS, CLOCKS, ZONES
    ),
    st.builds(  # Apache
        lambda d, m, y, c, z: f"[{d}/{m}/{y}:{c}{z}]", DAYS, MONTHS, YEARS, CLOCKS, ZONES
    ),
    st.builds(lambda y, c, z: f"{y}-12-31 {c}{z}", YEARS, CLOCKS, ZONES),
    st.builds(lambda y, c: f"{y}/01/01 {c},123", YEARS, CLOCKS),  # Go, Python logging
    st.builds(lambda a, b, y, c: f"{a}/{b}/{y} {c}", DAYS, DAYS, YEARS | st.just("21"), CLOCKS),
    st.builds(lambda c, z: f"{c}{z}", CLOCKS, ZONES),
    st.sampled_from(  # epoch seconds and milliseconds: 1970, 2021, 2099, 2100, 2286
        [
            *("0000000000", "1623145633", "1623145633.802", "1623145633802", "4102444799"),
            *("4102444800", "9999999999", "9999999999999", "1623145633.1234567890"),
        ]
    ),
)
MARKERS = st.one_of(
    st.builds(lambda m, d, y: f"--- Log opened Tue {m} {d} 09:47:13 {y}", MONTHS, DAYS, YEARS),
    st.builds(lambda m, d, y: f"--- Day changed Wed {m} {d} {y}", MONTHS, DAYS, YEARS),
    st.builds(lambda y: f"{y}-12-31", YEARS),
    st.builds(lambda m, d, y: f"{m} {d}, {y}", MONTHS, DAYS, YEARS),
    st.sampled_from(["Today", "Yesterday", "--- Log closed", "December 31st", "Alex [1:58 PM]"]),
)


@st.composite
def stamps(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(["clock", "bracket", "date", "rfc", "edge", "other", "none"]))
    if form == "other":
        return draw(OTHER_FORMS)
    clock = draw(CLOCKS)
    if form == "clock":
        return clock
    if form == "bracket":
        return f"[{clock}]"
    if form == "date":
        date = f"{draw(DATES)} {clock}"
        return f"[{date}]" if draw(st.booleans()) else date
    if form == "rfc":
        return draw(rfc3339ish())
    if form == "edge":
        return draw(st.sampled_from(EDGE_TIMES))
    return ""


NICKS = st.sampled_from(["", "<alice>", "bob:", "<@op>", "< carol>", "<" + "n" * 50 + ">", "x:"])
TAGS = st.sampled_from(["", " #det", " #mit", " #started", " #bogus", " @pager", " #", " @"])
HUGE_LINE = 1_000_000 if LONG else 50_000
HUGE_MARK = "\x00HUGE\x00"  # the rest of the line is repeated to HUGE_LINE characters


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(["event", "event", "event", "continuation", "marker", "huge", "nul"])
    )
    if kind == "continuation":
        return draw(TEXT)
    if kind == "marker":
        return draw(MARKERS)
    if kind == "huge":  # made when the file is written (see hostile.Huge)
        return f"{draw(stamps())} {HUGE_MARK}{draw(EDGE) or 'x'}"
    if kind == "nul":
        return draw(stamps()) + " a\x00b\x00"
    parts = [draw(stamps()), draw(NICKS), draw(TEXT) + draw(TAGS)]
    return " ".join(p for p in parts if p)


def expand(line: str) -> str:
    head, mark, piece = line.partition(HUGE_MARK)
    return head + piece * (HUGE_LINE // max(1, len(piece))) if mark else line


@dataclass(frozen=True)
class Log:
    lines: tuple[str, ...]
    newline: str
    encoding: str

    def text(self) -> str:
        lines = [expand(line) for line in self.lines]
        if self.newline == "mixed":
            return "".join(line + ("\n", "\r\n", "\r")[i % 3] for i, line in enumerate(lines))
        return self.newline.join(lines) + self.newline

    def data(self) -> bytes:
        return encode(self.text(), self.encoding)


@st.composite
def clean_lines(draw: st.DrawFn) -> str:
    """A line the reader should take: a known stamp form, storable hostile text."""
    stamp = draw(st.sampled_from(["14:32", "[09:05:01]", "2021-06-08 09:47", "23:59"]))
    return " ".join(p for p in (stamp, draw(NICKS), draw(STORABLE_TEXT) + draw(TAGS)) if p)


# Half the logs are ones the reader should take, so imports, exports and the
# listing get exercised on hostile text, not only refusals.
logs = st.builds(
    Log,
    lines=st.lists(lines(), min_size=0, max_size=12).map(tuple),
    newline=st.sampled_from(["\n", "\r\n", "\r", "mixed"]),
    encoding=ENCODINGS,
) | st.builds(
    Log,
    lines=st.lists(clean_lines() | lines(), min_size=1, max_size=12).map(tuple),
    newline=st.sampled_from(["\n", "\r\n", "\r", "mixed"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
