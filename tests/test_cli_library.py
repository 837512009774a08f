"""`postmortem search`, `actions`, `stats` and `check` as a user types them, on a
generated library of 60 postmortems: each filter, each exit status, one-line errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from models.library import action_rows
from models.store import open_store
from tests.library import build
from tests.test_cli import assert_one_line_error

TODAY = dt.datetime.now(dt.UTC).date()  # the CLI reads the real clock


@pytest.fixture(scope="module")
def library_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("library") / "pm.db"
    store = open_store(str(path))
    build(store, 60, seed=11, today=TODAY)
    store.close()
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, library_db: Path):  # type: ignore[no-untyped-def]
    from tests.test_cli import run

    def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
        return run(capsys, monkeypatch, "--db", str(library_db), *args, stdin=stdin)

    return invoke


def search_json(cli: Any, *words: str) -> list[dict[str, Any]]:
    code, out, err = cli("search", "--json", "--limit", "1000", *words)
    assert code == 0, err
    return list(json.loads(out))


def test_search_words_phrases_prefixes_and_filters(cli: Any, library_db: Path) -> None:
    store = open_store(str(library_db))
    summaries = {s.id: s for s in store.list_postmortems()}
    pool = search_json(cli, "pgbounc*")
    assert pool and all(
        "pgbounc" in " ".join(m["snippet"] for m in r["matches"]).lower() for r in pool
    )
    phrase = search_json(cli, '"connection pool"')
    assert phrase and all("connection pool" in r["matches"][0]["snippet"].lower() for r in phrase)
    assert len(search_json(cli, '"pool connection"')) < len(search_json(cli, "pool", "connection"))
    # every filter narrows to what the postmortems say, and combines with words
    kafka = {r["id"] for r in search_json(cli, "service:kafka")}
    assert kafka == {i for i, s in summaries.items() if "kafka" in s.services}
    tagged = {r["id"] for r in search_json(cli, "tag:database", "sev:2,3")}
    assert tagged == {
        i for i, s in summaries.items() if "database" in s.tags and s.severity in ("SEV2", "SEV3")
    }
    final = {r["id"] for r in search_json(cli, "status:final", "lag")}
    assert final and all(summaries[i].status == "final" for i in final)
    cutoff = TODAY - dt.timedelta(days=200)
    recent = {r["id"] for r in search_json(cli, f"after:{cutoff.isoformat()}")}
    older = {r["id"] for r in search_json(cli, f"before:{cutoff.isoformat()}")}
    assert recent and older and not recent & older and recent | older == set(summaries)
    # a match names its section and row
    hit = search_json(cli, "Alertmanager")[0]["matches"][0]
    assert (hit["section"], hit["table"], hit["where"]) == ("timeline", "timeline_event", "actor")
    store.close()


def test_search_text_output_and_errors(cli: Any) -> None:
    code, out, err = cli("search", "certificate", "expiry", "-n", "2")
    assert code == 0 and "\x1b" not in out
    first = out.splitlines()[0]
    assert "SEV" in first and ("certificate" in first.lower() or "cert" in out.lower())
    assert "overview/" in out or "rootcause/" in out
    assert "more postmortems match" in err
    code, _, err = cli("search", "zzzqqq")
    assert code == 0 and "no matches" in err
    assert_one_line_error(*cli("search", "after:2026-13")[::2], "after: needs a date")
    assert_one_line_error(*cli("search", '"unclosed')[::2], "a quote is not closed")
    assert_one_line_error(*cli("search")[::2], "search needs words or filters")


def test_actions_filters_match_the_data(cli: Any, library_db: Path) -> None:
    store = open_store(str(library_db))
    with store.session() as s:
        rows = action_rows(s.connection())
    store.close()
    now = dt.datetime.now(dt.UTC)

    def listed(*args: str) -> list[dict[str, Any]]:
        code, out, err = cli("actions", "--json", *args)
        assert code == 0, err
        return list(json.loads(out))

    everything = listed()
    assert len(everything) == len(rows)
    assert {a["id"] for a in listed("--open")} == {r.id for r in rows if r.is_open}
    overdue = listed("--overdue")
    assert overdue and {a["id"] for a in overdue} == {r.id for r in rows if r.is_overdue(now)}
    assert all(a["overdue"] for a in overdue)
    priya = listed("--owner", "priya")
    assert priya and all("priya" in a["owner"].lower() for a in priya)
    nobody = listed("--owner", "-", "--open")
    assert nobody and all(
        a["owner"] == "" and a["status"] in ("open", "in_progress") for a in nobody
    )
    p0 = listed("-p", "P0", "-p", "P1")
    assert p0 and {a["priority"] for a in p0} == {"P0", "P1"}
    kafka = listed("--service", "KAFKA")
    assert kafka and all("kafka" in a["services"] for a in kafka)
    by_due = [a["due"] or "9999" for a in listed("--open")]
    assert by_due == sorted(by_due)
    by_priority = [a["priority"] for a in listed("--open", "--sort", "priority")]
    assert by_priority == sorted(by_priority)


def test_actions_exit_code_3_only_when_something_listed_is_overdue(cli: Any) -> None:
    code, out, _ = cli("actions", "--overdue", "--exit-code")
    assert code == 3 and "!" in out
    code, out, err = cli("actions", "--overdue", "--exit-code", "--quiet")
    assert (code, out, err) == (3, "", "")
    code, _, _ = cli("actions", "--exit-code", "--owner", "nobody-by-this-name")
    assert code == 0
    code, _, _ = cli("actions", "--overdue")  # without --exit-code: 0
    assert code == 0


def test_actions_ics_is_a_calendar_any_client_imports(cli: Any, tmp_path: Path) -> None:
    from icalendar import Calendar

    target = tmp_path / "due.ics"
    code, _, err = cli("actions", "--open", "--ics", str(target))
    assert code == 0 and "wrote" in err
    raw = target.read_bytes()
    assert b"\r\n" in raw and raw.startswith(b"BEGIN:VCALENDAR")
    calendar = Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    code, out, _ = cli("actions", "--open", "--json")
    dated = [a for a in json.loads(out) if a["due"]]
    assert len(events) == len(dated) > 0
    first = next(
        e
        for e in events
        if str(e["UID"])
        == f"action-item-{dated[0]['id']}-pm-{dated[0]['postmortem_id']}@postmortem"
    )
    assert first.decoded("DTSTART") == dt.date.fromisoformat(dated[0]["due"])
    assert first.decoded("DTEND") == dt.date.fromisoformat(dated[0]["due"]) + dt.timedelta(days=1)
    assert f"[{dated[0]['priority']}]" in str(first["SUMMARY"])
    # never overwritten without --force
    assert_one_line_error(*cli("actions", "--ics", str(target))[::2], "--force")
    code, _, _ = cli("actions", "--ics", str(target), "--force")
    assert code == 0


def test_stats_json_and_text(cli: Any) -> None:
    code, out, err = cli("stats", "--json", "--by", "quarter")
    assert code == 0, err
    data = json.loads(out)
    assert data["postmortems"] == 60 and data["by"] == "quarter"
    assert all(p["period"][4:6] == "-Q" for p in data["periods"])
    assert sum(p["incidents"] for p in data["periods"]) == 60 - data["left_out_without_start"]
    ttd = data["overall"]["time_to_detect"]
    assert (
        ttd["count"] + ttd["left_out"]["missing_milestone"] + ttd["left_out"]["out_of_order"] == 60
    )
    assert data["definitions"]["time_to_detect"].startswith("per incident")
    code, out, _ = cli("stats", "--since", (TODAY - dt.timedelta(days=100)).isoformat())
    assert code == 0 and "Durations over every period" in out and "Definitions" in out
    assert_one_line_error(*cli("stats", "--since", "last week")[::2], "--since needs a date")


def test_check_exit_statuses_and_lines(cli: Any, tmp_path: Path, demo_file: Path) -> None:
    code, out, err = cli("check", "1", "2", "3")
    assert code == 2
    assert all(line.split(": ", 1)[0] in ("1", "2", "3") for line in out.splitlines())
    assert all("/" in line.split(": ")[1] for line in out.splitlines())
    code, out, _ = cli("check", "--json", "1")
    report = json.loads(out)[0]
    assert report["id"] == 1 and report["findings"][0]["rule"]
    # a file, not stored: clean on the day its items aren't late yet is exit 0 ...
    clean = json.loads(demo_file.read_text())
    for item in clean["action_items"]:
        if item["due"]:
            item["due"] = (TODAY + dt.timedelta(days=30)).isoformat()
    future_file = tmp_path / "clean.json"
    future_file.write_text(json.dumps(clean))
    code, out, err = cli("check", str(future_file))
    assert (code, out) == (0, ""), out
    assert "0 findings in 1 postmortem" in err
    # ... and an error (a missing file, an unknown ref) is exit 1, even with findings
    code, _, err = cli("check", "1", str(tmp_path / "missing.json"))
    assert code == 1 and "missing.json" in err
    code, _, err = cli("check", "no-such-postmortem")
    assert code == 1 and err.count("\n") >= 1
    # the word list from a file
    words = tmp_path / "words.toml"
    words.write_text('[[blame]]\nphrase = "lunchtime"\nwhy = "say when, not whose lunch"\n')
    code, out, _ = cli("check", "--words", str(words), str(future_file))
    assert code == 2 and "“lunchtime”: say when, not whose lunch" in out
    assert_one_line_error(
        *cli("check", "--words", str(tmp_path / "nope.toml"), "1")[::2], "no such file"
    )


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    from models.demo import DEMO

    path = tmp_path / "demo.json"
    path.write_text(json.dumps(DEMO))
    return path


def test_stats_and_search_survive_times_stored_at_the_calendar_edges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An older version could store year 1 and 9999 (issue 15); with a zone whose
    offset pushes them past the calendar, every library-wide command still answers."""
    import sqlite3

    from models.demo import DEMO
    from models.interchange import from_document
    from tests.clihelpers import run

    db = tmp_path / "pm.db"
    store = open_store(str(db))
    for _ in range(2):
        store.save_new(from_document(DEMO))
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE postmortem SET timezone = 'Pacific/Kiritimati' WHERE id = 1")
    conn.execute(
        "UPDATE timeline_event SET at = '9999-12-31 23:59:59.000000' "
        "WHERE postmortem_id = 1 AND kind = 'started'"
    )
    conn.execute("UPDATE postmortem SET timezone = 'America/New_York' WHERE id = 2")
    conn.execute(
        "UPDATE timeline_event SET at = '0001-01-01 00:00:00.000000' "
        "WHERE postmortem_id = 2 AND kind = 'started'"
    )
    conn.commit()
    conn.close()
    for args in (["stats"], ["stats", "--json"], ["search", "pool"], ["actions"], ["check", "1"]):
        code, _, err = run(capsys, "--db", str(db), *args)
        assert "internal error" not in err and "Traceback" not in err, (args, err)
        assert code in (0, 2), (args, code, err)
