"""Benchmark reading a 10,000-line log against a bare baseline in the same run.

    python tests/perf/bench_chatlog.py [--runs N] [--lines N]

The log mixes what incident channels and servers produce: IRC lines with
speakers and #tags, Slack headers with their message on the next line, tool
lines with ISO timestamps and offsets, syslog lines, wrapped continuation lines
and blank lines, over a day and a half (so clocks roll past midnight) in a zone
with daylight saving.

The baseline does the least a reader must: one regex for a leading clock or
ISO time, datetime.fromisoformat or int() for the fields, the zone attached with
zoneinfo and converted to UTC, a speaker split off, continuation lines joined.
It has no accounting, no refusals, no dates from context and no DST care, so
the ratio is what those cost. Runs are interleaved so both see the same machine.
Prints medians in milliseconds and the ratio. Not a test: timing assertions
don't belong in the suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from models.chatlog import parse_chat_log
from models.logimport import plan_import

TZ = "Europe/London"
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 27)


def make_log(lines: int) -> str:
    out: list[str] = []
    moment = dt.datetime(2026, 11, 27, 6, 0)
    nicks = ["alice", "@bob", " carol", "+dave"]
    i = 0
    while len(out) < lines:
        moment += dt.timedelta(seconds=13)
        kind = i % 10
        if kind < 4:
            tag = " #det" if i % 97 == 0 else ""
            out.append(f"{moment:%H:%M:%S} <{nicks[i % 4]}> step {i} of the rollback{tag}")
        elif kind == 4:
            out.append(f"  wrapped continuation of step {i - 1}")
        elif kind == 5:
            out.append(
                f"{moment:%Y-%m-%dT%H:%M:%S}.{i % 1000:03d}+0000 web-{i % 7} "
                f"nginx[{800 + i % 50}]: upstream timed out ({i})"
            )
        elif kind == 6:
            out.append(f"{moment:%b %e %H:%M:%S} db-3 kernel: Out of memory: Killed process {i}")
        elif kind == 7:
            hour = moment.hour % 12 or 12
            out.append(f"Alex Example [{hour}:{moment:%M} {'PM' if moment.hour >= 12 else 'AM'}]")
            out.append(f"checkout is throwing 502s ({i})")
        elif kind == 8:
            out.append("")
        else:
            out.append(f"[{moment:%H:%M:%S}] bob: looking at pgbouncer {i}")
        i += 1
    return "\n".join(out[:lines])


_BARE = re.compile(
    r"\s*\[?(?:(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d{4})"
    r"|(?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d))?)\]?\s+(?:<[ @+]?(?P<nick>[^>]+)>\s+)?(?P<rest>.*)"
)


def baseline(text: str) -> list[tuple[dt.datetime, str, str]]:
    tz = ZoneInfo(TZ)
    events: list[tuple[dt.datetime, str, str]] = []
    for line in text.split("\n"):
        m = _BARE.match(line)
        if m is None:
            if events and line.strip():
                at, nick, rest = events[-1]
                events[-1] = (at, nick, f"{rest}\n{line.strip()}")
            continue
        if m["iso"]:
            at = dt.datetime.fromisoformat(m["iso"])
        else:
            wall = dt.datetime(
                DAY.year, DAY.month, DAY.day, int(m["h"]), int(m["m"]), int(m["s"] or 0)
            )
            at = wall.replace(tzinfo=tz)
        events.append((at.astimezone(dt.UTC), m["nick"] or "", m["rest"]))
    return events


def ours(text: str) -> int:
    return len(parse_chat_log(text, TZ, reference=DAY, now=NOW).events)


def ours_plan(text: str) -> int:
    plan = plan_import(text, TZ, existing=[], reference=DAY, date_source="--date", now=NOW)
    return len(plan.to_add)


def timed(fn: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    text = make_log(args.lines)
    log = parse_chat_log(text, TZ, reference=DAY, now=NOW)
    print(
        f"{args.lines:,} lines: {len(log.events):,} events, {len(log.joined):,} joined, "
        f"{len(log.left_out)} left out, {len(log.refused)} refused, "
        f"{sum(1 for f in log.fates if f.value == 'blank'):,} blank"
    )
    contenders: list[tuple[str, Callable[[str], object]]] = [
        ("bare baseline (regex + fromisoformat + zoneinfo)", baseline),
        ("parse_chat_log", ours),
        ("plan_import (parse + duplicates + plan)", ours_plan),
    ]
    samples: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for fn_name, fn in contenders:  # warm-up: compile regexes, load zones
        fn(text)
        del fn_name
    for _ in range(args.runs):  # interleaved
        for name, fn in contenders:
            samples[name].append(timed(fn, text))
    base = statistics.median(samples[contenders[0][0]])
    print(f"{'what':52} {'median ms':>10} {'x baseline':>11}")
    for name, _ in contenders:
        ms = statistics.median(samples[name])
        print(f"{name:52} {ms:10.1f} {ms / base:11.2f}")


if __name__ == "__main__":
    main()
