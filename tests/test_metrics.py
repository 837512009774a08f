"""Metrics derive from the earliest milestone of each kind; warnings never block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.metrics import compute
from models.timefmt import duration_words, lasted_words, offset_words, ongoing_words

T0 = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)


@dataclass
class E:
    at: dt.datetime
    kind: str


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_all_metrics_from_milestones() -> None:
    events = [
        E(at(0), "started"),
        E(at(11), "detected"),
        E(at(13), "notified"),
        E(at(16), "responded"),
        E(at(52), "mitigated"),
        E(at(95), "resolved"),
        E(at(20), "note"),
    ]
    m = compute(events, now=at(200))
    assert m.time_to_detect == 11 * 60
    assert m.time_to_notify == 2 * 60
    assert m.time_to_respond == 5 * 60
    assert m.time_to_mitigate == 52 * 60
    assert m.time_to_resolve == 95 * 60
    assert m.impact_duration == 52 * 60
    assert m.warnings == ()
    assert not m.ongoing
    assert m.as_seconds()["impact_duration_s"] == 3120


def test_earliest_event_of_a_kind_wins() -> None:
    m = compute([E(at(30), "detected"), E(at(0), "started"), E(at(10), "detected")], now=at(60))
    assert m.time_to_detect == 600


def test_missing_milestones_give_none_and_resolution_ends_impact() -> None:
    m = compute([E(at(0), "started"), E(at(40), "resolved")], now=at(60))
    assert m.time_to_detect is None and m.time_to_mitigate is None
    assert m.impact_duration == 2400
    assert compute([], now=T0).as_seconds() == dict.fromkeys(compute([]).as_seconds())


def test_ongoing_incident() -> None:
    m = compute([E(at(0), "started"), E(at(5), "detected")], now=at(60))
    assert m.ongoing and m.impact_duration is None


def test_impossible_orders_are_warnings() -> None:
    m = compute(
        [
            E(at(10), "started"),
            E(at(0), "detected"),
            E(at(5), "mitigated"),
            E(at(3), "resolved"),
            E(at(999), "note"),
        ],
        now=at(60),
    )
    assert "detected before started" in m.warnings
    assert "mitigated before started" in m.warnings
    assert "resolved before started" in m.warnings
    assert "resolved before mitigated" in m.warnings
    assert "1 event in the future" in m.warnings
    assert m.time_to_detect == -600  # still computed: the user sees the problem


def test_duration_words() -> None:
    assert duration_words(None) == "—"
    assert duration_words(0) == "0s"
    assert duration_words(45) == "45s"
    assert duration_words(3120) == "52m"
    assert duration_words(4320) == "1h 12m"
    assert duration_words(90061) == "1d 1h"
    assert duration_words(-600) == "-10m"


def test_offset_words() -> None:
    assert offset_words(0) == "T+0"
    assert offset_words(300) == "T+5m"
    assert offset_words(3900) == "T+1h 05m"
    assert offset_words(-600) == "T-10m"
    assert offset_words(65) == "T+1m 05s"


def test_ongoing_words_never_negative() -> None:
    start = dt.datetime(2026, 11, 30, 14, 2, tzinfo=dt.UTC)
    assert ongoing_words(start, start + dt.timedelta(minutes=65)) == "ongoing for 1h 05m"
    # a start ahead of the clock is a typo to see, not a negative duration
    assert ongoing_words(start, start - dt.timedelta(hours=11, minutes=36)) == "starts in 11h 36m"


def test_lasted_words_names_a_negative_impact() -> None:
    assert lasted_words(3120) == "lasted 52m"
    assert lasted_words(-57_120) == "⚠ ends before it starts"
