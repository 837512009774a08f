"""Every figure of `postmortem stats` and the Insights screen against values
computed by hand, including what is left out and why."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from models.library import ActionRow, Incident
from models.stats import compute, percentile, report

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def incident(
    pm_id: int,
    start: dt.datetime | None,
    *,
    detect: int | None = None,  # minutes after start
    mitigate: int | None = None,
    resolve: int | None = None,
    severity: str = "SEV3",
    services: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    roots: tuple[str, ...] = (),
    zone: str = "UTC",
) -> Incident:
    ms: dict[str, dt.datetime] = {}
    if start is not None:
        ms["started"] = start
        for kind, minutes in (("detected", detect), ("mitigated", mitigate), ("resolved", resolve)):
            if minutes is not None:
                ms[kind] = start + dt.timedelta(minutes=minutes)
    elif detect is not None:
        ms["detected"] = dt.datetime(2026, 1, 1, tzinfo=UTC)
    return Incident(
        pm_id,
        f"pm {pm_id}",
        severity,
        "final",
        zone,
        services,
        tags,
        dt.datetime(2026, 1, 1, tzinfo=UTC),
        ms,
        categories,
        roots,
    )


def test_percentile_is_type_7_linear_interpolation() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5  # mean of the middle two
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.9) == pytest.approx(46.0)
    # the same as the standard library's inclusive method, and numpy's default
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
    assert percentile(values, 0.9) == pytest.approx(
        statistics.quantiles(values, n=10, method="inclusive")[8]
    )
    assert percentile(values, 0.5) == statistics.median(values)


MAR = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
APR = dt.datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def library() -> list[Incident]:
    return [
        incident(
            1,
            MAR,
            detect=10,
            mitigate=60,
            resolve=120,
            severity="SEV1",
            services=("api", "db"),
            tags=("database",),
            categories=("Process", "Tooling"),
            roots=("No load test",),
        ),
        incident(
            2,
            MAR + dt.timedelta(days=5),
            detect=20,
            mitigate=30,
            resolve=90,
            severity="SEV2",
            services=("api",),
            tags=("Database",),
            categories=("process",),
            roots=("no load  test.",),
        ),
        incident(
            3,
            MAR + dt.timedelta(days=9),
            detect=40,
            mitigate=None,
            resolve=None,
            severity="SEV2",
            services=("db",),
            categories=("People",),
        ),
        incident(4, APR, detect=-5, mitigate=50, resolve=200, services=("api",)),  # out of order
        incident(5, None, detect=3, services=("api",), tags=("database",)),  # no start
    ]


def test_periods_counts_and_durations_by_hand() -> None:
    stats = compute(library(), [], now=NOW)
    assert [p.label for p in stats.periods] == ["2026-03", "2026-04"]
    march, april = stats.periods
    assert march.incidents == 3 and april.incidents == 1
    assert march.by_severity == {"SEV1": 1, "SEV2": 2, "SEV3": 0, "SEV4": 0, "SEV5": 0}
    ttd = march.durations["time_to_detect"]
    assert (ttd.count, ttd.median, ttd.missing) == (3, 20 * 60, 0)
    assert ttd.p90 == pytest.approx((20 + 0.8 * 20) * 60)  # 10, 20, 40 -> 36 min
    ttm = march.durations["time_to_mitigate"]
    assert (ttm.count, ttm.median, ttm.missing) == (2, 45 * 60, 1)  # #3 never mitigated
    assert ttm.p90 == pytest.approx((30 + 0.9 * 30) * 60)
    # April's only incident detected before it started: left out, never a negative or zero
    april_ttd = april.durations["time_to_detect"]
    assert (april_ttd.count, april_ttd.median, april_ttd.out_of_order) == (0, None, 1)
    assert april.durations["time_to_resolve"].median == 200 * 60


def test_left_out_is_counted_never_zero() -> None:
    stats = compute(library(), [], now=NOW)
    assert stats.postmortems == 5 and stats.without_start == 1
    ttd = stats.overall["time_to_detect"]
    # 10, 20, 40 counted; #4 out of order; #5 has no start
    assert (ttd.count, ttd.missing, ttd.out_of_order) == (3, 1, 1)
    assert ttd.median == 20 * 60
    ttr = stats.overall["time_to_resolve"]
    assert (ttr.count, ttr.missing) == (3, 2)  # #3 and #5
    assert ttr.median == 120 * 60  # 90, 120, 200


def test_breakdowns_count_postmortems_case_blind() -> None:
    stats = compute(library(), [], now=NOW)
    assert [(c.name, c.count) for c in stats.by_service] == [("api", 4), ("db", 2)]
    assert [(c.name, c.count) for c in stats.by_tag] == [("database", 3)]
    assert [(c.name.casefold(), c.count) for c in stats.categories] == [
        ("process", 2),
        ("people", 1),
        ("tooling", 1),
    ]
    assert [c.count for c in stats.root_causes] == [2]  # "No load test" == "no load  test."


def test_since_and_quarters() -> None:
    stats = compute(library(), [], now=NOW, since=dt.date(2026, 3, 15), by="quarter")
    # #1 (10 Mar) and #2 (15 Mar... on the day: kept) — #5 has no start, so it can't be placed
    assert stats.postmortems == 3  # #2 (15 Mar), #3 (19 Mar), #4 (2 Apr)
    assert [p.label for p in stats.periods] == ["2026-Q1", "2026-Q2"]
    assert [p.incidents for p in stats.periods] == [2, 1]
    assert stats.without_start == 1
    with pytest.raises(ValueError):
        compute(library(), [], now=NOW, by="week")


def test_periods_are_dated_in_each_postmortems_zone_and_gaps_are_kept() -> None:
    late = incident(1, dt.datetime(2026, 3, 1, 3, 0, tzinfo=UTC), zone="America/New_York")
    june = incident(2, dt.datetime(2026, 6, 5, tzinfo=UTC))
    stats = compute([late, june], [], now=NOW)
    # 03:00 UTC on 1 March is 22:00 on 28 February in New York
    assert [p.label for p in stats.periods] == [
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert [p.incidents for p in stats.periods] == [1, 0, 0, 0, 1]


def action(
    item_id: int, pm_id: int, status: str, due: dt.date | None, started: dt.datetime | None
) -> ActionRow:
    return ActionRow(
        item_id,
        pm_id,
        f"pm {pm_id}",
        "UTC",
        (),
        started,
        dt.datetime(2026, 11, 1, tzinfo=UTC),
        0,
        f"item {item_id}",
        "",
        due,
        "P2",
        "prevent",
        status,
        "",
    )


def test_action_items_done_open_overdue_and_age() -> None:
    incidents = library()
    start_1 = MAR  # 263 days before NOW's date
    rows = [
        action(1, 1, "done", dt.date(2026, 4, 1), start_1),
        action(2, 1, "open", dt.date(2026, 11, 27), start_1),  # overdue by a day
        action(3, 1, "in_progress", dt.date(2026, 11, 28), start_1),  # due today: not overdue
        action(4, 2, "wont_do", None, MAR + dt.timedelta(days=5)),
        action(5, 5, "open", None, None),  # no start: age from creation (1 Nov)
    ]
    stats = compute(incidents, rows, now=NOW)
    a = stats.actions
    assert (a.total, a.done, a.wont_do, a.open, a.in_progress, a.overdue) == (5, 1, 1, 3, 1, 1)
    age_1 = (dt.date(2026, 11, 28) - dt.date(2026, 3, 10)).days  # 263
    assert a.age_buckets == {
        "under 30 days": 1,  # 27 days since 1 Nov
        "30-89 days": 0,
        "90-179 days": 0,
        "180 days or more": 2,
    }
    assert a.age_median_days == age_1
    # with --since, items of incidents outside it are not counted
    later = compute(incidents, rows, now=NOW, since=dt.date(2026, 3, 12))
    assert later.actions.total == 1  # only #2's item


def test_report_says_what_each_figure_counts() -> None:
    text = report(compute(library(), [], now=NOW))
    assert "1 without a start time" in text
    assert "left out: 1 missing a milestone, 1 out of order" in text
    assert "Definitions" in text and "never counted as zero" in text
    assert "\x1b" not in text


def test_no_postmortems_at_all() -> None:
    stats = compute([], [], now=NOW)
    assert stats.periods == [] and stats.overall["time_to_detect"].median is None
    assert "no incident with a start time" in report(stats)
