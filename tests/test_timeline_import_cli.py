"""`postmortem timeline import`: real files, a preview, and a summary that counts every line."""

from __future__ import annotations

import codecs
import io
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.cli import main

Cli = Callable[..., tuple[int, str, str]]

DST_LOG = """01:40 <alice> db latency alarms firing #started
01:55 <alice> starting failover
01:05 <bob> failover complete #mitigated
01:20 <bob> all clear #resolved
"""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Cli:
    def invoke(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        with pytest.raises(SystemExit) as info:
            main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return (info.value.code if isinstance(info.value.code, int) else 1), out, err

    return invoke


def new_pm(
    cli: Cli, tmp_path: Path, tz: str = "Europe/London", timeline: list[object] | None = None
) -> None:
    doc = {
        "format": "postmortem/v1",
        "title": "Checkout 502s",
        "timezone": tz,
        "timeline": timeline or [],
    }
    path = tmp_path / "pm.json"
    path.write_text(json.dumps(doc))
    assert cli("import", str(path))[0] == 0


def events(db: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT at, kind, text, actor FROM timeline_event ORDER BY at, id")
        return [(str(at)[:19], kind, text, actor) for at, kind, text, actor in rows]
    finally:
        conn.close()


def one_line_error(code: int, err: str, words: str) -> None:
    assert code == 1, err
    assert err.startswith("postmortem: error: ") and err.count("\n") == 1, err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"14:32 <alice> first line\n14:40 <bob> second\n",
        codecs.BOM_UTF16_LE
        + "14:32 <alice> first line\r\n14:40 <bob> second\r\n".encode("utf-16-le"),
        b"14:32 <alice> first line\r14:40 <bob> second\r",
    ],
    ids=["utf8-bom", "utf16-crlf", "cr-only"],
)
def test_boms_utf16_and_cr_line_ends_lose_no_line(
    cli: Cli, tmp_path: Path, db_path: Path, data: bytes
) -> None:
    new_pm(cli, tmp_path, "UTC")
    log = tmp_path / "chat.txt"
    log.write_bytes(data)
    code, _, err = cli("timeline", "import", "1", str(log), "--date", "2026-11-28")
    assert code == 0 and err == "added 2 events\n"
    assert events(db_path) == [
        ("2026-11-28 14:32:00", "note", "first line", "alice"),
        ("2026-11-28 14:40:00", "note", "second", "bob"),
    ]


def test_bytes_that_are_not_text_are_refused_in_one_line(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    new_pm(cli, tmp_path)
    log = tmp_path / "latin1.txt"
    log.write_bytes("14:32 <alice> café down\n".encode("latin-1"))
    one_line_error(*cli("timeline", "import", "1", str(log))[::2], "not UTF-8 text (byte 0xe9")
    assert events(db_path) == []


def test_standard_input_with_a_bom(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    new_pm(cli, tmp_path, "UTC")
    code, _, err = cli(
        "timeline",
        "import",
        "1",
        "-",
        "--date",
        "2026-11-28",
        stdin=codecs.BOM_UTF8 + b"14:32 first\n",
    )
    assert code == 0 and err == "added 1 event\n"
    assert events(db_path) == [("2026-11-28 14:32:00", "note", "first", "")]


def test_an_explicit_zone_wins_and_the_dst_log_moves_forward(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    new_pm(cli, tmp_path, "America/New_York")
    log = tmp_path / "dst.txt"
    log.write_text(DST_LOG + "2019-07-02 13:42 UTC: engineer deploys a new WAF rule\n")
    code, out, err = cli("timeline", "import", "1", str(log), "--date", "2021-11-07", "--dry-run")
    assert code == 0, err
    assert "2021-11-07 01:05:00  mitigated      bob    failover complete" in out
    assert (
        "line 3: 01:05 happened twice in America/New_York on 2021-11-07; read as the second" in err
    )
    assert "would add 5 events; 4 ambiguous times resolved" in err
    assert events(db_path) == []  # a dry run writes nothing
    cli("timeline", "import", "1", str(log), "--date", "2021-11-07")
    got = events(db_path)
    assert ("2021-11-07 06:05:00", "mitigated", "failover complete", "bob") in got
    assert ("2019-07-02 13:42:00", "note", "engineer deploys a new WAF rule", "") in got
    _, exported, _ = cli("export", "1", "--format", "json")
    assert json.loads(exported)["metrics"]["time_to_mitigate_s"] == 25 * 60


def test_importing_twice_skips_the_duplicates_and_says_so(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    new_pm(cli, tmp_path, "UTC")
    log = tmp_path / "chat.txt"
    log.write_text("14:32 <alice> pager\n14:32 <alice> pager\n14:40 <bob> rollback\n")
    code, _, err = cli("timeline", "import", "1", str(log), "--date", "2026-11-28")
    assert code == 0 and err == "added 2 events; 1 duplicate skipped\n"
    code, _, err = cli("timeline", "import", "1", str(log), "--date", "2026-11-28")
    assert code == 0 and err == "added 0 events; 3 duplicates skipped\n"
    assert len(events(db_path)) == 2


def test_a_refused_line_adds_nothing(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    new_pm(cli, tmp_path, "UTC")
    log = tmp_path / "chat.txt"
    log.write_text("14:30 <alice> fine\n14:32 IST deploy\n14:40 <bob> fine too\n")
    one_line_error(
        *cli("timeline", "import", "1", str(log))[::2],
        "nothing added: line 2 '14:32 IST deploy' can't be read: 'IST' could be India (+05:30)",
    )
    assert events(db_path) == []
    code, out, err = cli("timeline", "import", "1", str(log), "--dry-run")
    assert code == 1 and "fine too" in out
    assert "error: line 2 can't be read: 'IST' could be India" in err


def test_skip_unreadable_adds_the_rest_and_names_the_line(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    new_pm(cli, tmp_path, "UTC")
    log = tmp_path / "chat.txt"
    log.write_text("14:30 <alice> fine\n14:32 IST deploy\n14:40 <bob> fine too\n")
    code, _, err = cli("timeline", "import", "1", str(log), "--skip-unreadable")
    assert code == 0, err
    assert err == "added 2 events; 1 line left out: `14:32 IST deploy`\n"
    assert [e[2] for e in events(db_path)] == ["fine", "fine too"]


def test_an_import_that_moves_a_milestone_says_so(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    new_pm(cli, tmp_path, "UTC")
    first = tmp_path / "first.txt"
    first.write_text("2026-11-28 14:47 rolled back #mitigated\n")
    assert cli("timeline", "import", "1", str(first))[0] == 0
    early = tmp_path / "early.txt"
    early.write_text("2026-11-28 14:29 traffic drained #mitigated\n")
    code, out, err = cli("timeline", "import", "1", str(early), "--dry-run")
    assert code == 0 and "warning: Mitigated moves from 14:47 to 14:29" in err
    code, out, _ = cli("timeline", "import", "1", str(early), "--json")
    assert json.loads(out)["milestone_moves"] == ["Mitigated moves from 14:47 to 14:29"]


@pytest.mark.parametrize(
    ("timeline", "args", "words"),
    [
        ([], ["--date", "2021-06-08"], "1 line without a date: placed on Tue 08 Jun 2021 (--date)"),
        (
            [{"at": "2026-11-27T14:00:00Z", "kind": "started", "text": "began"}],
            [],
            "placed on Fri 27 Nov 2026 (the incident's start)",
        ),
        ([], [], "(today)"),
    ],
    ids=["option", "incident-start", "today"],
)
def test_the_preview_says_which_date_it_assumed(
    cli: Cli, tmp_path: Path, timeline: list[object], args: list[str], words: str
) -> None:
    new_pm(cli, tmp_path, "UTC", timeline)
    log = tmp_path / "chat.txt"
    log.write_text("14:32 <alice> pager\n")
    code, _, err = cli("timeline", "import", "1", str(log), "--dry-run", *args)
    assert code == 0 and words in err
    assert "info: times without a zone are read in UTC, the postmortem's zone" in err


def test_json_preview_and_result(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    new_pm(cli, tmp_path, "Europe/London")
    log = tmp_path / "irc.log"
    log.write_text(
        "--- Log opened Tue Jun 08 09:40:00 2021\n"
        "09:47 <@alice> pager fired #det\n"
        "  p99 > 5s\n"
        "09:50 <bob> @alice rolled back #mit\n"
        "--- Log closed Tue Jun 08 10:10:00 2021\n"
    )
    code, out, err = cli("timeline", "import", "1", str(log), "--dry-run", "--json")
    assert code == 0 and err == ""
    plan = json.loads(out)
    assert plan["added"] is None and plan["lines"] == 5 and plan["timezone"] == "Europe/London"
    assert plan["events"][0] == {
        "line": 2,
        "at": "2021-06-08T08:47:00Z",
        "local": "2021-06-08T09:47:00+01:00",
        "kind": "detected",
        "actor": "alice",
        "text": "pager fired\np99 > 5s",
        "zone": None,
        "date_assumed": False,
    }
    assert plan["events"][1]["actor"] == "bob" and plan["events"][1]["text"] == "@alice rolled back"
    assert plan["joined"] == [{"line": 3, "text": "  p99 > 5s", "reason": "joined to line 2"}]
    assert plan["left_out"][0]["reason"] == "marks the end of a log"
    assert plan["markers"][0]["reason"] == "log opened: Tue 08 Jun 2021"
    assert plan["summary"] == (
        "would add 2 events; 1 line joined to the event above; 1 line left out: `--- Log closed …`"
    )
    code, out, _ = cli("timeline", "import", "1", str(log), "--json")
    assert code == 0 and json.loads(out)["added"] == 2 and len(events(db_path)) == 2


def test_a_date_outside_the_accepted_years_is_refused(cli: Cli, tmp_path: Path) -> None:
    new_pm(cli, tmp_path)
    log = tmp_path / "chat.txt"
    log.write_text("14:32 x\n")
    one_line_error(
        *cli("timeline", "import", "1", str(log), "--date", "0001-01-01")[::2],
        "outside the accepted years, 1970 to 2099",
    )
