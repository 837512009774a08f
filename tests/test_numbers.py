"""Counts and percentages: ASCII digits with separators and suffixes, nothing else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ValidationError
from models.numbers import parse_count, parse_percent, show_count, show_percent


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("", None),
        ("   ", None),
        ("0", 0),
        ("18400", 18400),
        ("18,400", 18400),
        ("18_400", 18400),
        (" 1,234,567 ", 1234567),
        ("18k", 18000),
        ("18K", 18000),
        ("18.4k", 18400),
        ("2M", 2_000_000),
        ("2.5m", 2_500_000),
        ("1.25 M", 1_250_000),
        ("2147483647", 2_147_483_647),
    ],
)
def test_counts_people_type(typed: str, value: int | None) -> None:
    assert parse_count(typed, "users") == value


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("10²", "not a count like"),  # str.isdigit() is true for ²
        ("١٢٣", "not a count like"),  # Arabic-Indic digits
        ("1e9", "not a count like"),
        ("-5", "not a count like"),
        ("lots", "not a count like"),
        ("1.5", "not a whole number"),
        ("1.0001k", "not a whole number"),
        ("nan", "not a count like"),
        ("inf", "not a count like"),
        ("18,,400", "not a count like"),
        ("18 400", "not a count like"),
        ("2147483648", "more than 2,147,483,647"),
        ("3M" + "0" * 20, "not a count like"),
        ("9" * 5000, "more than 2,147,483,647"),
    ],
)
def test_anything_else_is_refused_in_one_line(typed: str, why: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_count(typed, "users")
    assert why in str(info.value)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("typed", "value"),
    [("", None), ("38.5", 38.5), ("38.5%", 38.5), ("140 %", 140.0), ("0", 0.0), ("1,000", 1000.0)],
)
def test_percentages(typed: str, value: float | None) -> None:
    assert parse_percent(typed, "slo") == value


@pytest.mark.parametrize("typed", ["1e9", "-5", "nan", "inf", "5²", "100001", "1e-3", "."])
def test_bad_percentages_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_percent(typed, "slo")


@given(st.text(max_size=30))
def test_any_text_is_a_value_or_a_refusal(text: str) -> None:
    for parse in (parse_count, parse_percent):
        with contextlib.suppress(ValidationError):
            parse(text, "field")


@given(st.integers(0, 2_147_483_647))
def test_shown_counts_read_back(value: int) -> None:
    assert parse_count(show_count(value), "users") == value


@given(st.floats(0, 100_000, allow_nan=False).map(lambda f: round(f, 3)))
def test_shown_percentages_read_back(value: float) -> None:
    parsed = parse_percent(show_percent(value), "slo")
    assert parsed is not None and abs(parsed - value) <= max(1e-6, value * 1e-5)
