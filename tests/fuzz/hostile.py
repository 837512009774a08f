"""Hypothesis strategies for hostile input: values, JSON text, and mutated documents.

A mutated document starts from a valid ``postmortem/v1`` export and changes
one to four places in it, knowing what each place holds: a time gets extreme
or malformed times, a zone any zone name (and some that aren't), a count
extreme numbers, text the Unicode edge cases. Anywhere can get a value of the
wrong type, a deep nesting, a huge string, a key given twice, an unknown key,
or lose a key. Documents are then written as JSON text by :func:`render`,
which can also write what ``json.dumps`` can't: duplicate keys, raw number
tokens (5,000 digits, NaN), lone surrogate escapes.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from hypothesis import strategies as st

from models.demo import DEMO
from models.timeparse import timezone_names
from tests.fuzz.cli import LONG
from tests.strategies import documents

# ---------------------------------------------------------------- JSON text


@dataclass(frozen=True)
class Raw:
    """A token written into the JSON text verbatim (not valid JSON, on purpose, or
    a number json.dumps can't write)."""

    text: str


Extra = dict[int, list[tuple[str, Any]]]


def render(value: Any, extra: Extra | None = None, *, ascii_only: bool = False) -> str:
    """JSON text for ``value``. ``extra`` maps ``id(obj)`` of objects in it to
    pairs written after their own: a key given twice, which no dict can hold."""
    extra = extra or {}
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Huge):
        return render(str(value), ascii_only=ascii_only)
    if isinstance(value, dict):
        pairs = [*value.items(), *extra.get(id(value), [])]
        inner = ", ".join(
            f"{render(str(k))}: {render(v, extra, ascii_only=ascii_only)}" for k, v in pairs
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v, extra, ascii_only=ascii_only) for v in value) + "]"
    if isinstance(value, str):
        # A lone surrogate can only be written as an escape: no encoding holds it.
        surrogate = any("\ud800" <= ch <= "\udfff" for ch in value)
        return json.dumps(value, ensure_ascii=ascii_only or surrogate)
    return json.dumps(value)


def encode(text: str, encoding: str) -> bytes:
    """The file's bytes: UTF-8 with or without a BOM, UTF-16/32 with one, or Latin-1
    (which a reader must refuse when it holds any non-ASCII byte)."""
    if encoding == "latin-1":
        return text.encode("latin-1", "replace")
    # A lone surrogate becomes the bytes no valid file holds (ED A0 80 in UTF-8).
    return text.encode(encoding, "surrogatepass")


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"])

# ---------------------------------------------------------------- hostile values

UNICODE_EDGES = [
    "\ud800",  # lone surrogates: not Unicode scalar values
    "\udfff",
    "a\udc80b",
    "e\u0301\u0302\u0303",  # combining marks
    "\u0301",  # a combining mark with nothing to combine with
    "\u202eevil\u202c",  # right-to-left override
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew, Arabic
    "zero\u200bwidth\u200c\u200d\ufeff",  # zero-width space, (non-)joiner, BOM
    "👩\u200d👩\u200d👧\u200d👦",  # emoji ZWJ sequence
    "🏳\ufe0f\u200d🌈",
    "🇬🇧🇯🇵",  # regional indicators
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x07\x08\x7f",
    "\x85\x9b\x9f",  # C1 controls
    "\t",
    "\r\n",
    "\r",
    "\u2028\u2029",  # line and paragraph separators
    "ﷺ" * 8,  # one of the widest characters there is
    "𝕳𝖊𝖑𝖑𝖔",  # astral plane
    "Ａ",  # fullwidth
    "[bold]x[/] [@click=app.quit]y[/]",  # Textual markup
    "$var %s {0} {}",  # format strings
    "<script>alert(1)</script>",
    "| # ``` --- === - 1. > * _ ~~~",  # Markdown syntax
    "\\",
    '"',
    "'",
    " ",
    "",
]
EDGE = st.sampled_from(UNICODE_EDGES)
TEXT = st.lists(EDGE | st.text(max_size=8), min_size=1, max_size=6).map("".join)
HUGE_SIZE = 1_000_000 if LONG else 100_000


@dataclass(frozen=True)
class Huge:
    """A string of about ``size`` characters, made only when the text is written:
    Hypothesis keeps some examples alive, and a million characters each add up."""

    piece: str
    size: int = HUGE_SIZE

    def __str__(self) -> str:
        return self.piece * max(1, self.size // max(1, len(self.piece)))


HUGE = st.sampled_from(["x", "é", "👩\u200d👩\u200d👧", "\x1b", "\ud800", "a\n", "[b]"]).map(Huge)

NUMBER_TOKENS = [
    "0",
    "-0",
    "-1",
    "1.5",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "100000",
    "100000.000001",
    "1e308",
    "1e309",
    "-1e309",
    "1E2",
    "5e-324",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 4_300,
    "9" * 4_301,
    "9" * 5_000,
    "-" + "9" * 5_000,
    "0." + "0" * 5_000 + "1",
    "1" + "0" * 400 + ".5",
    "01",  # not JSON
    "+1",  # not JSON
    ".5",  # not JSON
]
NUMBER = st.sampled_from(NUMBER_TOKENS).map(Raw) | st.integers() | st.floats(allow_nan=False)

YEARS = st.sampled_from([1, 2, 999, 1000, 1969, 1970, 2000, 2026, 2099, 2100, 2101, 9998, 9999])
OFFSETS = st.sampled_from(
    [
        *("Z", "z", "+00:00", "-00:00", "+01:00", "-01:00", "+14:00", "-12:00", "+23:59"),
        *("-23:59", "+24:00", "+99:99", "+0100", "+01", "", " Z", "+01:00:00"),
    ]
)


@st.composite
def rfc3339ish(draw: st.DrawFn) -> str:
    """Times near every edge: of the calendar, of the accepted range, of the clock."""
    year = draw(YEARS | st.integers(1, 9999))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    hour, minute, second = (
        draw(st.integers(0, 25)),
        draw(st.integers(0, 61)),
        draw(st.integers(0, 61)),
    )
    frac = draw(st.sampled_from(["", ".5", ".000001", ".123456789", ".1234567890123", "."]))
    sep = draw(st.sampled_from(["T", "T", "t", " ", "_"]))
    return (
        f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}:{second:02d}{frac}"
        + draw(OFFSETS)
    )


EDGE_TIMES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-01:00",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00+01:00",
    "1970-01-01T00:59:59+01:00",
    "2099-12-31T23:59:59Z",
    "2099-12-31T23:59:59-12:00",
    "2100-01-01T00:00:00Z",
    "2016-12-31T23:59:60Z",  # a leap second
    "2026-02-29T10:00:00Z",
    "2026-03-29T01:30:00+00:00",  # inside London's DST gap, as UTC: fine
    "2026-11-28T14:32:00",  # no offset
    "2026-11-28",
    "14:32",
    "now",
    "",
]
TIME = st.sampled_from(EDGE_TIMES) | rfc3339ish() | TEXT
DUE = (
    st.sampled_from(["0001-01-01", "1969-12-31", "1970-01-01", "2099-12-31", "2100-01-01"])
    | st.sampled_from(["9999-12-31", "2026-02-30", "2026-13-01", "tomorrow", "+1m", "26-11-28"])
    | st.dates().map(str)
    | TEXT
)
ALL_ZONES = sorted(available_timezones())
ZONE = st.sampled_from(ALL_ZONES) | st.sampled_from(
    [
        "",
        " UTC",
        "utc",
        "UTC\x00",
        "+02:00",
        "Etc/GMT+14",
        "EST",
        "localtime",
        "posixrules",
        "Factory",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/London/",
        "Europe/" + "x" * 300,
        "Mars/Olympus",
        "\udfff",
    ]
)
WRONG_TYPE = st.sampled_from([None, True, False, 0, -1, 1.5, "", [], {}, ["x"], {"x": 1}])


@st.composite
def deep(draw: st.DrawFn) -> Raw:
    depth = draw(st.sampled_from([2, 50, 51, 900, 1_000, 100_000]))
    shape = draw(st.sampled_from(["list", "object", "causes"]))
    if shape == "list":
        return Raw("[" * depth + "]" * depth)
    if shape == "object":
        return Raw('{"a": ' * depth + "1" + "}" * depth)
    # causes nested near the format's limit of 50
    inner = '{"text": "leaf"}'
    for _ in range(min(depth, 60)):
        inner = '{"text": "c", "causes": [' + inner + "]}"
    return Raw("[" + inner + "]")


# Hostile but storable: what import must accept, and list, export and the app show.
STORABLE_EDGE = st.sampled_from(
    [e for e in UNICODE_EDGES if not any(c in e for c in "\x00\x1b\x07\x08\x7f\x85\x9b\x9f")]
    + ["x" * 10_000]
).filter(lambda e: not any("\ud800" <= c <= "\udfff" for c in e))
STORABLE_TEXT = st.lists(STORABLE_EDGE, min_size=1, max_size=5).map("".join)
VALID_ZONE = st.sampled_from(sorted(timezone_names()))
STORABLE: dict[str, st.SearchStrategy[Any]] = {
    "at": st.sampled_from(
        [
            *("1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "1970-01-02T13:59:59+14:00"),
            *("2100-01-01T11:59:59.999999+12:00", "2026-10-25T01:30:00+01:00"),
            "2016-12-31t23:59:59z",
        ]
    ),
    "due": st.sampled_from(["1970-01-01", "2099-12-31", "2024-02-29"]),
    "timezone": VALID_ZONE,
    "users_affected": st.sampled_from([0, 2_147_483_647, None]),
    "support_tickets": st.sampled_from([0, 2_147_483_647, None]),
    "slo_budget_consumed_pct": st.sampled_from([0, 0.0, 100_000, 100_000.0, 5e-324, None]),
}


def storable_for(key: object, current: Any) -> st.SearchStrategy[Any]:
    """A value of the right type for the place, as hostile as the rules allow."""
    if isinstance(key, str) and key in STORABLE:
        return STORABLE[key]
    if isinstance(current, str):
        return STORABLE_TEXT
    return st.just(current)


# The value for a place, by what the place holds.
BY_KEY: dict[str, st.SearchStrategy[Any]] = {
    "at": TIME,
    "created_at": TIME,
    "updated_at": TIME,
    "due": DUE,
    "timezone": ZONE,
    "users_affected": NUMBER,
    "support_tickets": NUMBER,
    "slo_budget_consumed_pct": NUMBER,
    "id": NUMBER,
    "root_cause": WRONG_TYPE | NUMBER,
}


def value_for(key: object) -> st.SearchStrategy[Any]:
    specific = BY_KEY.get(key) if isinstance(key, str) else None
    anything = st.one_of(TEXT, EDGE, WRONG_TYPE, NUMBER, deep(), HUGE, TIME)
    return anything if specific is None else st.one_of(specific, specific, anything)


# ---------------------------------------------------------------- mutated documents


def _places(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in the document, parents before children."""
    if isinstance(node, dict):
        for key, child in node.items():
            out.append((node, key))
            _places(child, out)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            out.append((node, index))
            _places(child, out)
    return out


@dataclass
class Mutated:
    doc: Any
    extra: Extra
    done: list[str]

    def text(self, *, ascii_only: bool = False) -> str:
        return render(self.doc, self.extra, ascii_only=ascii_only)


@st.composite
def mutated_documents(draw: st.DrawFn) -> Mutated:
    """A valid document changed in one to four places."""
    base = draw(st.sampled_from(["demo", "generated"]))
    doc: Any = copy.deepcopy(DEMO) if base == "demo" else draw(documents())
    result = Mutated(doc, {}, [])
    # Two documents in five stay storable, so list, export and the app get to
    # work on hostile text and edge values rather than on refusals only.
    storable_only = draw(st.integers(0, 4)) < 2
    operations = st.sampled_from(
        [
            "storable",
            "replace",
            "replace",
            "replace",
            "delete",
            "unknown key",
            "duplicate",
            "append",
        ]
    )
    for _ in range(draw(st.integers(1, 6 if storable_only else 4))):
        places = _places(doc, [])
        operation = "storable" if storable_only else draw(operations)
        if operation == "storable" and not places:
            continue
        if operation in ("unknown key", "duplicate") or not places:
            objects = [doc] + [c[k] for c, k in places if isinstance(c[k], dict)]
            target = draw(st.sampled_from(objects))
            if operation == "duplicate" and target:
                key = draw(st.sampled_from(sorted(target)))
                twin = draw(st.just(copy.deepcopy(target[key])) | value_for(key))
                result.extra.setdefault(id(target), []).append((key, twin))
                result.done.append(f"duplicate {key!r}")
            else:
                key = draw(TEXT | st.sampled_from(["sevrity", "metrics", "id", "format"]))
                target[key] = draw(value_for(key))
                result.done.append(f"set {key!r}")
            continue
        container, key = draw(st.sampled_from(places))
        if operation == "storable":
            container[key] = draw(storable_for(key, container[key]))
            result.done.append(f"storable {key!r}")
        elif operation == "delete":
            del container[key]
            result.done.append(f"delete {key!r}")
        elif operation == "append" and isinstance(container[key], list):
            sample = container[key][0] if container[key] else None
            container[key].append(copy.deepcopy(sample) if draw(st.booleans()) else draw(TEXT))
            result.done.append(f"append to {key!r}")
        else:
            container[key] = draw(value_for(key))
            result.done.append(f"replace {key!r}")
    return result
