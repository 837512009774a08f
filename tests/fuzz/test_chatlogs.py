"""Fuzzing `postmortem timeline import` and the chat-log reader behind it.

Any log, in any encoding and with any line ends, is imported whole (and the
postmortem still lists and exports) or refused in one line with the database
unchanged; `--dry-run` never writes. The reader itself, given any text in any
zone at any reference date, returns events inside the accepted years or
refuses with a PostmortemError, never another exception.

The chat-log reader is being rewritten (issue 9); these tests use only its
public API and the command line, so they hold for the new one too.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.chatlog import parse_chat_log
from models.errors import PostmortemError
from models.timeparse import EARLIEST, LATEST
from tests.fuzz.cli import (
    LONG,
    PREVIEW,
    assert_no_internal_error,
    assert_printable,
    assert_refusal,
    copy_db,
    fingerprint,
    run,
)
from tests.fuzz.hostile import ALL_ZONES, TEXT
from tests.fuzz.logs import Log, expand, lines, logs
from tests.fuzz.poison import poisoned_library
from tests.fuzz.stats import record, tick

EXAMPLES = 10_000 if LONG else 40
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
STATS: Counter[str] = Counter()
QUOTED = re.compile(r"'.*?'(?=[ ;,)]|$)|\b\d+\b")
DATE_OPTIONS = st.one_of(
    st.none(),
    st.none(),
    st.dates().map(str),
    st.sampled_from(["28/11", "2026-02-30", "", "9999-12-31", "0001-01-01"]),
    TEXT,
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("chatlogs")
    poisoned_library(root / "template.db", [])
    yield root
    record("chat logs", STATS)


def events(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0])
    finally:
        conn.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(log=logs, date=DATE_OPTIONS, dry_run=st.booleans(), from_stdin=st.booleans())
def test_timeline_import_adds_whole_logs_or_refuses_in_one_line(
    workdir: Path, log: Log, date: str | None, dry_run: bool, from_stdin: bool
) -> None:
    db = copy_db(workdir / "template.db", workdir / "pm.db")
    path = workdir / "chat.log"
    path.write_bytes(log.data())
    args = ["timeline", "import", "1", "-" if from_stdin else str(path)]
    args += ["--date", date] if date is not None else []
    args += ["--dry-run"] if dry_run else []
    before, count = fingerprint(db), events(db)
    result = run(db, *args, stdin=log.data() if from_stdin else b"")
    what = f"{len(log.lines)} lines, {log.encoding}, {log.newline!r}, --date {date!r}"
    tick("chat logs", STATS, "logs")
    STATS[f"encoding {log.encoding}"] += 1
    if result.code != 0:
        assert_refusal(result, what, preview=dry_run)
        assert fingerprint(db) == before, f"{what}: a refused import changed the database"
        STATS["refused"] += 1
        reason = result.err.splitlines()[-1].split(": ", 3)[-1]
        STATS["refused: " + QUOTED.sub("…", reason)[:50].rstrip()] += 1
        return
    assert_no_internal_error(result, what)
    assert_printable(result.out + result.err, what)
    # The summary is the last line; a dry run's preview notices come before it.
    *notices, summary = result.err.splitlines()
    assert all(PREVIEW.fullmatch(n + "\n") for n in notices) and (dry_run or not notices), what
    added = int(summary.split()[2 if dry_run else 1])
    if dry_run:
        STATS["dry runs"] += 1
        assert summary.startswith(f"would add {added} event")
        assert fingerprint(db) == before, f"{what}: --dry-run changed the database"
        return
    STATS["imported"] += 1
    STATS["events added"] += added
    assert summary.startswith(f"added {added} event") and events(db) == count + added
    for extra in ((), ("--format", "json"), ("--mermaid",)):
        exported = run(db, "export", "1", *extra)
        assert exported.code == 0 and exported.err == "", f"{what}: {exported.err}"
        assert_printable(exported.out.replace("\n", ""), what)
    assert run(db, "list").code == 0


NOWS = st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2099, 12, 30), timezones=st.just(dt.UTC))


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=SLOW)
@given(
    text=st.lists(lines() | TEXT, max_size=8).map(lambda ls: "\n".join(map(expand, ls)))
    | st.text(),
    zone=st.sampled_from(ALL_ZONES),
    reference=st.dates(),
    now=NOWS,
)
def test_the_reader_returns_events_in_range_or_refuses(
    text: str, zone: str, reference: dt.date, now: dt.datetime
) -> None:
    tick("chat logs", STATS, "reader calls")
    try:
        log = parse_chat_log(text, zone, reference=reference, now=now)
    except PostmortemError as exc:
        assert "\n" not in str(exc)
        STATS["reader refusals"] += 1
        return
    for event in log.events:
        assert EARLIEST <= event.at < LATEST, f"{event.at} read from {text[:200]!r}"
