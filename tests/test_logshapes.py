"""Real-world log shapes, one row each: what engineers paste, and what it must mean.

Each row is the text as pasted (or typed into the entry line), the postmortem's
zone and the date a bare time falls on, then the expected time in UTC, actor,
text and kind of the last event it gives. The rows cover every kind of fault in
issue 9: written zones, 12-hour clocks, chat-client layouts, tool timestamps,
date context, daylight saving, line ends and encodings, and the entry line's
forms. A second table lists what must be refused, and with which words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from models.chatlog import parse_chat_log
from models.entry import parse_entry
from models.errors import TimeParseError

UTC = dt.UTC
LONDON = "Europe/London"
NEW_YORK = "America/New_York"
NOW = dt.datetime(2026, 11, 28, 14, 40, tzinfo=UTC)
ANCHOR = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # the selected event: +5m counts from it
STARTED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # the #started event: T+5m counts from it
JUNE_8 = dt.date(2021, 6, 8)
JAN_15 = dt.date(2026, 1, 15)
NOV_20 = dt.date(2026, 11, 20)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@dataclass(frozen=True)
class Shape:
    id: str
    text: str
    tz: str
    day: dt.date
    at: dt.datetime
    actor: str
    body: str
    kind: str = "note"
    via: str = "log"  # or "entry": typed into the entry line


# fmt: off
SHAPES = [
    # 1. A zone or offset written on the line wins over the postmortem's zone.
    Shape("utc-word", "2019-07-02 13:42 UTC: engineer deploys a new WAF rule", LONDON, JUNE_8,
          utc(2019, 7, 2, 13, 42), "", "engineer deploys a new WAF rule"),
    Shape("pdt-entry", "2021-06-08 09:47 PDT deploy", LONDON, JUNE_8, utc(2021, 6, 8, 16, 47), "",
          "deploy", "note", via="entry"),
    Shape("gmt", "2021-06-08 09:47 GMT rollback #mit", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47), "",
          "rollback", "mitigated"),
    Shape("z", "2021-06-08T09:47:00Z rollback", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47), "",
          "rollback"),
    Shape("offset-space", "2021-06-08 09:47:00 +0000 x", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47), "",
          "x"),
    Shape("offset-colon", "2021-06-08 09:47+00:00 x", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47), "",
          "x"),
    Shape("nepal", "2021-06-08 15:32 +05:45 deploy", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47), "",
          "deploy"),
    Shape("est-clock", "14:32 EST paged", LONDON, JAN_15, utc(2026, 1, 15, 19, 32), "", "paged"),
    Shape("edt-clock", "14:32 EDT paged #notified", LONDON, JUNE_8, utc(2021, 6, 8, 18, 32), "",
          "paged", "notified"),
    Shape("cet", "09:00 CET standup", "UTC", JAN_15, utc(2026, 1, 15, 8, 0), "", "standup"),
    Shape("cest", "09:00 CEST standup", "UTC", JUNE_8, utc(2021, 6, 8, 7, 0), "", "standup"),
    Shape("pst-entry", "14:32 PST rollback @sam", LONDON, JAN_15, utc(2026, 1, 15, 22, 32), "sam",
          "rollback", "note", via="entry"),
    Shape("utc-plus", "14:32 UTC+5:30 x", LONDON, JUNE_8, utc(2021, 6, 8, 9, 2), "", "x", "note",
          via="entry"),
    Shape("gmt-minus", "14:32 GMT-3 x", LONDON, JUNE_8, utc(2021, 6, 8, 17, 32), "", "x"),
    # 2. 12-hour clocks, any case, with or without a space.
    Shape("slack-bracket", "[1:58 PM] checkout is throwing 502s", LONDON, JAN_15,
          utc(2026, 1, 15, 13, 58), "", "checkout is throwing 502s"),
    Shape("pm-entry", "9:47 PM pager fired", "UTC", NOV_20, utc(2026, 11, 20, 21, 47), "",
          "pager fired", "note", via="entry"),
    Shape("pm-tight", "9:47pm pager fired", "UTC", NOV_20, utc(2026, 11, 20, 21, 47), "",
          "pager fired", "note", via="entry"),
    Shape("pm-dots", "9:47 p.m. pager fired", "UTC", NOV_20, utc(2026, 11, 20, 21, 47), "",
          "pager fired", "note", via="entry"),
    Shape("midnight", "12:05 AM midnight deploy", "UTC", NOV_20, utc(2026, 11, 20, 0, 5), "",
          "midnight deploy"),
    Shape("noon", "12:30 pm lunch", "UTC", NOV_20, utc(2026, 11, 20, 12, 30), "", "lunch"),
    Shape("hour-pm", "9pm pager", "UTC", NOV_20, utc(2026, 11, 20, 21, 0), "", "pager", "note",
          via="entry"),
    Shape("seconds-am", "7:05:30 AM x", "UTC", NOV_20, utc(2026, 11, 20, 7, 5, 30), "", "x", "note",
          via="entry"),
    Shape("mac-nnbsp", "1:58\u202fPM copied on macOS", "UTC", NOV_20, utc(2026, 11, 20, 13, 58), "",
          "copied on macOS"),
    # 3. Chat-client layouts: the right actor, the message alone as the text.
    Shape("slack", "Alex Example [1:58 PM]\ncheckout is throwing 502s", "UTC", NOV_20,
          utc(2026, 11, 20, 13, 58), "Alex Example", "checkout is throwing 502s"),
    Shape("slack-two",
          "Alex Example [1:58 PM]\ncheckout is throwing 502s\nSam Lee [2:01 PM]\nrolling back #mit",
          "UTC", NOV_20, utc(2026, 11, 20, 14, 1), "Sam Lee", "rolling back", "mitigated"),
    Shape("slack-app", "PagerDuty APP [1:57 PM]\nTriggered #4821: checkout 5xx", "UTC", NOV_20,
          utc(2026, 11, 20, 13, 57), "PagerDuty", "Triggered #4821: checkout 5xx"),
    Shape("slack-3line", "Alex Example\n1:58 PM\ncheckout is throwing 502s", "UTC", NOV_20,
          utc(2026, 11, 20, 13, 58), "Alex Example", "checkout is throwing 502s"),
    Shape("slack-same-speaker", "Alex Example [1:58 PM]\ncheckout 502s\n[1:59 PM] anyone deploy?",
          "UTC", NOV_20, utc(2026, 11, 20, 13, 59), "Alex Example", "anyone deploy?"),
    Shape("slack-spaced", "Alex Example  1:58 PM\ncheckout is throwing 502s", "UTC", NOV_20,
          utc(2026, 11, 20, 13, 58), "Alex Example", "checkout is throwing 502s"),
    Shape("irssi-op", "14:32 <@alice> restarting pgbouncer #action", "UTC", NOV_20,
          utc(2026, 11, 20, 14, 32), "alice", "restarting pgbouncer", "action"),
    Shape("irssi-space", "14:32 < bob> looking", "UTC", NOV_20, utc(2026, 11, 20, 14, 32), "bob",
          "looking"),
    Shape("znc-tight", "16:59:05< alice> failover done", "UTC", NOV_20,
          utc(2026, 11, 20, 16, 59, 5), "alice", "failover done"),
    Shape("znc", "[16:59:05] <alice> failover done", "UTC", NOV_20, utc(2026, 11, 20, 16, 59, 5),
          "alice", "failover done"),
    Shape("weechat-log", "2021-06-08 16:59:05\t@alice\tfailover done", "UTC", NOV_20,
          utc(2021, 6, 8, 16, 59, 5), "alice", "failover done"),
    Shape("weechat-screen", "16:59 @alice | failover done", "UTC", NOV_20,
          utc(2026, 11, 20, 16, 59), "alice", "failover done"),
    Shape("irc-action", "16:59 * alice restarts the primary", "UTC", NOV_20,
          utc(2026, 11, 20, 16, 59), "alice", "restarts the primary"),
    Shape("znc-join", "[16:59:05] *** Joins: bob (~bob@10.0.0.7)", "UTC", NOV_20,
          utc(2026, 11, 20, 16, 59, 5), "", "Joins: bob (~bob@10.0.0.7)"),
    Shape("mention", "14:32 <alice> @bob can you restart", "UTC", NOV_20, utc(2026, 11, 20, 14, 32),
          "alice", "@bob can you restart"),
    Shape("entry-actor", "14:32 restart db @bob #resp", "UTC", NOV_20, utc(2026, 11, 20, 14, 32),
          "bob", "restart db", "responded", via="entry"),
    Shape("colon-nick", "14:32 bob: rolled back #mit", "UTC", NOV_20, utc(2026, 11, 20, 14, 32),
          "bob", "rolled back", "mitigated"),
    Shape("label-not-nick", "14:32 Note: customer emails rising", "UTC", NOV_20,
          utc(2026, 11, 20, 14, 32), "", "Note: customer emails rising"),
    Shape("hexchat", "Jun 08 14:32:05 <alice>\tpager fired #det", "UTC", JUNE_8,
          utc(2021, 6, 8, 14, 32, 5), "alice", "pager fired", "detected"),
    Shape("french-clock", "14h32 <marie> red\xe9marrage", "UTC", NOV_20, utc(2026, 11, 20, 14, 32),
          "marie", "red\xe9marrage"),
    # 4. Timestamps from tools, in the postmortem's zone unless they name their own.
    Shape("iso-fraction", "2021-06-08T09:47:13.802915 worker started", LONDON, JUNE_8,
          utc(2021, 6, 8, 8, 47, 13, 802915), "", "worker started"),
    Shape("iso-offset-no-colon", "2021-06-08T09:47:12.345+0000 request failed", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 12, 345000), "", "request failed"),
    Shape("python-logging", "2021-06-08 09:47:13,802 ERROR app.db: connection refused", LONDON,
          JUNE_8, utc(2021, 6, 8, 8, 47, 13, 802000), "", "ERROR app.db: connection refused"),
    Shape("dot-millis", "2021-06-08 09:47:13.802 INFO started", LONDON, JUNE_8,
          utc(2021, 6, 8, 8, 47, 13, 802000), "", "INFO started"),
    Shape("rfc3339-lower", "2021-06-08t09:47:13z x", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47, 13), "",
          "x"),
    Shape("journal-iso", "2021-06-08T09:47:13+0100 web-1 nginx[812]: upstream timed out", LONDON,
          JUNE_8, utc(2021, 6, 8, 8, 47, 13), "nginx@web-1", "upstream timed out"),
    Shape("syslog", "Jun  8 09:47:13 db-3 kernel: Out of memory: Killed process 812", LONDON,
          JUNE_8, utc(2021, 6, 8, 8, 47, 13), "kernel@db-3", "Out of memory: Killed process 812"),
    Shape("journal-precise", "Jun 08 09:47:13.802915 db-3 postgres[77]: FATAL: too many clients",
          "UTC", JUNE_8, utc(2021, 6, 8, 9, 47, 13, 802915), "postgres@db-3",
          "FATAL: too many clients"),
    Shape("rfc5424", "<34>1 2021-06-08T09:47:13.003Z db-3 su - ID47 - 'su root' failed", LONDON,
          JUNE_8, utc(2021, 6, 8, 9, 47, 13, 3000), "su@db-3", "'su root' failed"),
    Shape("rfc3164-pri", "<34>Jun  8 09:47:13 db-3 su: 'su root' failed", "UTC", JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "su@db-3", "'su root' failed"),
    Shape("epoch", "1623145633 deploy finished", LONDON, JUNE_8, utc(2021, 6, 8, 9, 47, 13), "",
          "deploy finished"),
    Shape("epoch-ms", "1623145633802 deploy finished", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13, 802000), "", "deploy finished"),
    Shape("epoch-fraction", "1623145633.802 deploy finished", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13, 802000), "", "deploy finished"),
    Shape("access-log", "[08/Jun/2021:09:47:13 +0000] GET /checkout 502", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "", "GET /checkout 502"),
    Shape("rfc2822", "Tue, 08 Jun 2021 09:47:13 +0000 mail from pagerduty", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "", "mail from pagerduty"),
    Shape("journal-full", "Tue 2021-06-08 09:47:13 UTC web-1 nginx[812]: reload", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "nginx@web-1", "reload"),
    Shape("go-log", "2021/06/08 09:47:13 http: TLS handshake error", "UTC", JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "", "http: TLS handshake error"),
    Shape("ctime", "Tue Jun  8 09:47:13 2021 cron job failed", "UTC", NOV_20,
          utc(2021, 6, 8, 9, 47, 13), "", "cron job failed"),
    Shape("date-cmd", "Tue Jun  8 09:47:13 UTC 2021 backup started", LONDON, NOV_20,
          utc(2021, 6, 8, 9, 47, 13), "", "backup started"),
    Shape("ui-date", "Jun 8, 2021, 2:58 PM status page updated #comm", "UTC", NOV_20,
          utc(2021, 6, 8, 14, 58), "", "status page updated", "communication"),
    Shape("postgres", "2021-06-08 09:47:13.123+00 LOG: checkpoint starting", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13, 123000), "", "LOG: checkpoint starting"),
    # 5. Date context: headers, day changes and earlier full dates place every event.
    Shape("irssi-header", "--- Log opened Tue Jun 08 09:40:00 2021\n09:47 <alice> pager fired",
          "UTC", NOV_20, utc(2021, 6, 8, 9, 47), "alice", "pager fired"),
    Shape("day-changed",
          "--- Log opened Tue Jun 08 23:50:00 2021\n23:58 <alice> errors\n"
          "--- Day changed Wed Jun 09 2021\n00:03 <bob> rolled back",
          "UTC", NOV_20, utc(2021, 6, 9, 0, 3), "bob", "rolled back"),
    Shape("earlier-full-date",
          "2021-06-08 23:50 deploy started\n23:58 <alice> errors\n"
          "00:03 <bob> rolled back #resolved",
          "UTC", NOV_20, utc(2021, 6, 9, 0, 3), "bob", "rolled back", "resolved"),
    Shape("slack-divider", "Tuesday, June 8th\nAlex Example [1:58 PM]\ncheckout", "UTC",
          dt.date(2021, 7, 1), utc(2021, 6, 8, 13, 58), "Alex Example", "checkout"),
    Shape("date-line", "2021-06-09\n00:03 <bob> b", "UTC", NOV_20, utc(2021, 6, 9, 0, 3), "bob",
          "b"),
    Shape("syslog-new-year", "Dec 31 23:59:50 h cron: rotate", "UTC", dt.date(2027, 1, 1),
          utc(2026, 12, 31, 23, 59, 50), "cron@h", "rotate"),
    Shape("rollover", "23:58 a\n00:03 b", "UTC", JUNE_8, utc(2021, 6, 9, 0, 3), "", "b"),
    Shape("hexchat-header",
          "**** BEGIN LOGGING AT Tue Jun  8 09:40:00 2021\nJun 08 09:47:13 <alice>\tpager", "UTC",
          NOV_20, utc(2021, 6, 8, 9, 47, 13), "alice", "pager"),
    Shape("slashed-dmy", "25/06/2021 10:00 first\n06/07/2021 10:00 second", "UTC", NOV_20,
          utc(2021, 7, 6, 10, 0), "", "second"),
    Shape("slashed-mdy", "06/25/2021 10:00 first\n07/06/2021 10:00 second", "UTC", NOV_20,
          utc(2021, 7, 6, 10, 0), "", "second"),
    # 6. Daylight saving ending: the occurrence that keeps the log moving forward.
    Shape("dst-fall-back",
          "01:40 <alice> db latency alarms firing #started\n01:55 <alice> starting failover\n"
          "01:05 <bob> failover complete #mitigated\n01:20 <bob> all clear #resolved",
          NEW_YORK, dt.date(2021, 11, 7), utc(2021, 11, 7, 6, 20), "bob", "all clear", "resolved"),
    Shape("dst-london", "01:50 <a> alarms\n01:10 <b> fixed", LONDON, dt.date(2026, 10, 25),
          utc(2026, 10, 25, 1, 10), "b", "fixed"),
    # 7. Line ends, terminal colours and byte-order marks.
    Shape("cr-only", "23:58 <alice> a\r00:03 <bob> b", "UTC", JUNE_8, utc(2021, 6, 9, 0, 3), "bob",
          "b"),
    Shape("crlf", "23:58 <alice> a\r\n  more\r\n00:03 <bob> b\r\n", "UTC", JUNE_8,
          utc(2021, 6, 9, 0, 3), "bob", "b"),
    Shape("ansi", "\x1b[32m2021-06-08T09:47:13Z\x1b[0m INFO started", LONDON, JUNE_8,
          utc(2021, 6, 8, 9, 47, 13), "", "INFO started"),
    Shape("bom", "\ufeff14:32 <alice> x", "UTC", NOV_20, utc(2026, 11, 20, 14, 32), "alice", "x"),
    Shape("control-chars", "14:32 <alice> bell\x07 here", "UTC", NOV_20, utc(2026, 11, 20, 14, 32),
          "alice", "bell here"),
    # 10. Entry-line forms people try.
    Shape("t-plus", "T+5m rollback", "UTC", NOV_20, STARTED + dt.timedelta(minutes=5), "",
          "rollback", "note", via="entry"),
    Shape("t-plus-column", "T+1h 05m x", "UTC", NOV_20, STARTED + dt.timedelta(minutes=65), "", "x",
          "note", via="entry"),
    Shape("t-minus", "T-10m noticed", "UTC", NOV_20, STARTED - dt.timedelta(minutes=10), "",
          "noticed", "note", via="entry"),
    Shape("t-zero", "T+0 began #started", "UTC", NOV_20, STARTED, "", "began", "started",
          via="entry"),
    Shape("in", "in 5m x", "UTC", NOV_20, NOW + dt.timedelta(minutes=5), "", "x", "note",
          via="entry"),
    Shape("ago", "5m ago x", "UTC", NOV_20, NOW - dt.timedelta(minutes=5), "", "x", "note",
          via="entry"),
    Shape("ago-words", "5 minutes ago x", "UTC", NOV_20, NOW - dt.timedelta(minutes=5), "", "x",
          "note", via="entry"),
    Shape("now-plus", "now+5m x", "UTC", NOV_20, NOW + dt.timedelta(minutes=5), "", "x", "note",
          via="entry"),
    Shape("now-minus", "now - 10m x", "UTC", NOV_20, NOW - dt.timedelta(minutes=10), "", "x",
          "note", via="entry"),
    Shape("french-entry", "14h32 x", "UTC", NOV_20, utc(2026, 11, 20, 14, 32), "", "x", "note",
          via="entry"),
    Shape("plus-min", "+5min x", "UTC", NOV_20, ANCHOR + dt.timedelta(minutes=5), "", "x", "note",
          via="entry"),
    Shape("plus-space-min", "+5 min x", "UTC", NOV_20, ANCHOR + dt.timedelta(minutes=5), "", "x",
          "note", via="entry"),
    Shape("plus-words", "+1 hour 30 minutes x", "UTC", NOV_20, ANCHOR + dt.timedelta(minutes=90),
          "", "x", "note", via="entry"),
    Shape("entry-syslog", "Jun  8 09:47:13 from syslog", "UTC", JUNE_8, utc(2021, 6, 8, 9, 47, 13),
          "", "from syslog", "note", via="entry"),
    Shape("entry-epoch", "1623145633 from a script", "UTC", JUNE_8, utc(2021, 6, 8, 9, 47, 13), "",
          "from a script", "note", via="entry"),
]
# fmt: on


def last_event(shape: Shape) -> tuple[dt.datetime, str, str, str]:
    if shape.via == "entry":
        entry = parse_entry(
            shape.text, shape.tz, now=NOW, reference=shape.day, anchor=ANCHOR, started=STARTED
        )
        return entry.at, entry.actor or "", entry.text, (entry.kind.value if entry.kind else "note")
    log = parse_chat_log(shape.text, shape.tz, reference=shape.day, now=NOW)
    assert not log.refused, log.refused
    event = log.events[-1]
    return event.at, event.actor, event.text, event.kind


def test_enough_rows_and_every_kind() -> None:
    assert len(SHAPES) >= 60
    assert len({s.id for s in SHAPES}) == len(SHAPES)
    assert {s.kind for s in SHAPES} == {
        "started",
        "detected",
        "notified",
        "responded",
        "mitigated",
        "resolved",
        "action",
        "communication",
        "note",
    }


@pytest.mark.parametrize("shape", SHAPES, ids=[s.id for s in SHAPES])
def test_shape(shape: Shape) -> None:
    assert last_event(shape) == (shape.at, shape.actor, shape.body, shape.kind)


@dataclass(frozen=True)
class Refusal:
    id: str
    text: str
    tz: str
    day: dt.date
    words: str
    via: str = "log"


# fmt: off
REFUSALS = [
    Refusal("ist", "14:32 IST deploy", "UTC", NOV_20, "'IST' could be India (+05:30), Ireland"),
    Refusal("cst", "14:32 CST deploy", "UTC", NOV_20, "'CST' could be US Central (-06:00)"),
    Refusal("bst", "2021-06-08 14:32 BST x", "UTC", NOV_20, "write the offset instead"),
    Refusal("ist-entry", "14:32 IST x", "UTC", NOV_20, "write the offset instead", via="entry"),
    Refusal("plus-no-unit", "+5 x", "UTC", NOV_20, "'+5' needs a unit, like +5m", via="entry"),
    Refusal("pm-24h", "13:00 PM x", "UTC", NOV_20,
            "mixes a 24-hour time with PM; write 13:00 or 1:00 PM", via="entry"),
    Refusal("pm-24h-log", "[13:00 PM] x", "UTC", NOV_20, "mixes a 24-hour time"),
    Refusal("dst-gap", "02:30 <a> x", NEW_YORK, dt.date(2021, 3, 14),
            "never happened in America/New_York"),
    Refusal("dst-gap-entry", "02:30 x", NEW_YORK, dt.date(2021, 3, 14), "type 03:30", via="entry"),
    Refusal("slashed-alone", "06/08/2021 09:47 x", "UTC", NOV_20,
            "can't tell whether 06/08/2021 is 6 August or June 8"),
    Refusal("slashed-entry", "06/08/2021 09:47 x", "UTC", NOV_20, "write it as 2021-08-06",
            via="entry"),
    Refusal("bad-clock", "25:99 x", "UTC", NOV_20, "not a valid clock time"),
    Refusal("bad-date", "2021-02-30 10:00 x", "UTC", NOV_20, "not a real date"),
    Refusal("before-1970", "1970-01-01 00:30 +0100 x", "UTC", NOV_20, "outside the accepted years"),
    Refusal("short-clock", "14:3 x", "UTC", NOV_20, "can't read the time in '14:3 x'", via="entry"),
    Refusal("date-no-time", "2026-11-28 rollback", "UTC", NOV_20, "accepted: now, 14:32",
            via="entry"),
]
# fmt: on


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.id for r in REFUSALS])
def test_refused(refusal: Refusal) -> None:
    if refusal.via == "entry":
        with pytest.raises(TimeParseError) as info:
            parse_entry(refusal.text, refusal.tz, now=NOW, reference=refusal.day, anchor=ANCHOR)
        message = str(info.value)
    else:
        log = parse_chat_log(refusal.text, refusal.tz, reference=refusal.day, now=NOW)
        assert not log.events and len(log.refused) == 1
        message = log.refused[0].reason
    assert refusal.words in message
    assert "\n" not in message


def test_t_plus_without_a_started_event_says_why() -> None:
    with pytest.raises(TimeParseError, match="no event is marked #started"):
        parse_entry("T+5m x", "UTC", now=NOW)


def test_dst_fall_back_gives_the_real_time_to_mitigate() -> None:
    from models.metrics import compute

    shape = next(s for s in SHAPES if s.id == "dst-fall-back")
    log = parse_chat_log(shape.text, shape.tz, reference=shape.day, now=NOW)
    metrics = compute(log.events, now=NOW)
    assert metrics.time_to_mitigate == 25 * 60
    assert [n.line for n in log.ambiguous] == [1, 2, 3, 4]
    assert (
        "read as the second (EST, UTC-05:00), keeping the log in order" in log.ambiguous[2].reason
    )


def test_a_zone_abbreviation_out_of_season_is_read_as_written_and_noted() -> None:
    log = parse_chat_log("2021-07-08 10:00 PST deploy", "UTC", reference=JUNE_8, now=NOW)
    assert log.events[0].at == utc(2021, 7, 8, 18, 0)
    assert "America/Los_Angeles was on PDT (UTC-07:00); read as written, UTC-08:00" in (
        log.notes[0].reason
    )


@pytest.mark.parametrize(
    "line",
    [
        "today is the day",
        "in 2021 we migrated",
        "2021-22 budget review",
        "3h30m of downtime",
        "5 pods restarted",
        "5m users affected",
        "10.0.0.7 unreachable",
    ],
)
def test_words_that_only_resemble_times_stay_text_logged_now(line: str) -> None:
    entry = parse_entry(line, "UTC", now=NOW)
    assert (entry.at, entry.text) == (NOW, line)
