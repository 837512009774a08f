"""models.usertext: what text may hold, and how it is cleaned and quoted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ValidationError
from models.rules import text
from models.usertext import clean, clean_line, normalize_newlines, printable, problem, shown


@pytest.mark.parametrize(
    ("pasted", "joiner", "expected"),
    [
        (" after", " ", " after"),  # a one-line paste lands exactly as it was
        ("api\rworker\r\ndb\n", ", ", "api, worker, db"),
        (" after\r\nthe deploy ", " ", " after the deploy "),
        ("\n\nx\n\n", " ", "x"),
        ("a\x1b[31mb\x07c", " ", "a[31mbc"),
        ("\udfffok", " ", "ok"),
    ],
)
def test_clean_line(pasted: str, joiner: str, expected: str) -> None:
    assert clean_line(pasted, joiner) == expected


def test_clean_keeps_tabs_newlines_and_every_printable_script() -> None:
    sample = "tab\there\nRTL \u05e9\u05dc\u05d5\u05dd, e\u0301, zero\u200bwidth, 👩‍👩‍👧"
    assert clean(sample) == sample
    assert clean("a\r\nb\rc") == "a\nb\nc"


@pytest.mark.parametrize("bad", ["\x1b[31m", "\x07", "\x00", "\x9b", "\x7f", "\udfff"])
def test_control_characters_and_surrogates_are_refused_naming_the_field(bad: str) -> None:
    assert problem(f"ok{bad}") is not None
    with pytest.raises(ValidationError) as info:
        text("timeline[3].text", f"ok{bad}")
    assert str(info.value).startswith("timeline[3].text: holds ")
    assert "\n" not in str(info.value)


def test_crlf_is_not_a_control_character_but_a_line_end() -> None:
    assert problem("a\r\nb") is None
    assert text("summary", "a\r\nb\rc") == "a\nb\nc"


@given(st.text(max_size=80))
def test_shown_is_always_one_printable_line(value: str) -> None:
    out = shown(value)
    assert "\n" not in out and "\r" not in out
    assert problem(out) is None and len(out) <= 62 + out.count("\\") * 5


@given(st.text(max_size=80))
def test_printable_and_clean_leave_nothing_to_refuse(value: str) -> None:
    assert problem(printable(value)) is None
    assert problem(clean(value)) is None
    assert normalize_newlines(clean(value)) == clean(value)
