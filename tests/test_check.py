"""Each review rule of `postmortem check` and the Overview, one at a time."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from models.blameless import Language, load_language, people_of
from models.check import check
from models.demo import DEMO
from models.errors import PostmortemError
from models.interchange import from_document

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)  # the demo's item 3 is 3 days late


def doc(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(DEMO)
    d.update(changes)
    return d


def rules(d: dict[str, Any], now: dt.datetime = NOW, language: Language | None = None) -> list[str]:
    return [str(f) for f in check(from_document(d), now=now, language=language)]


def test_the_demo_has_one_finding_its_overdue_item() -> None:
    assert rules(doc()) == [
        "actions/action item 3: overdue by 3 days (due 2026-11-25): "
        "Alert on pgbouncer cl_waiting > 50 for 2 min"
    ]


def test_completeness_rules_say_what_is_missing() -> None:
    d = doc(summary="", services=[], why_chains=[], fishbone={"effect": "", "categories": []})
    d["impact"] = {
        **d["impact"],
        "description": "",
        "users_affected": None,
        "slo_budget_consumed_pct": None,
    }
    d["response"] = {"went_well": [], "went_wrong": [], "lucky": ["x"]}
    d["action_items"] = []
    found = rules(d)
    assert "overview/section: needs a summary and the services affected" in found
    assert any(f.startswith("rootcause/section: needs a 5 Whys chain of 3") for f in found)
    assert (
        "impact/section: needs a description and a number (users affected or SLO budget consumed)"
        in found
    )
    assert "response/section: needs what went well and what went wrong" in found
    assert any(f.startswith("actions/section: has no action items") for f in found)


def test_missing_and_out_of_order_milestones() -> None:
    events = [e for e in DEMO["timeline"] if e["kind"] not in ("detected", "resolved")]
    found = rules(doc(timeline=events))
    assert "timeline/milestones: no 'detected' event" in found
    assert "timeline/milestones: no 'resolved' event" in found
    assert any(f.startswith("overview/") for f in found) is False
    backwards = copy.deepcopy(DEMO["timeline"])
    for e in backwards:
        if e["kind"] == "detected":
            e["at"] = "2026-11-27T13:00:00Z"  # before the start
    assert "timeline/milestones: out of order: detected before started" in rules(
        doc(timeline=backwards)
    )
    nothing = rules(doc(timeline=[]))
    assert "timeline/milestones: no 'started' event" in nothing
    assert "timeline/milestones: no 'mitigated' or 'resolved' event" in nothing


def test_open_items_without_owner_or_due_and_overdue_ones() -> None:
    items = copy.deepcopy(DEMO["action_items"])
    items[0]["owner"] = ""
    items[1]["due"] = None
    items[5]["owner"] = ""  # won't do: closed, never reported
    found = rules(doc(action_items=items), now=dt.datetime(2026, 12, 12, 12, tzinfo=dt.UTC))
    assert any(f.startswith("actions/action item 1: open without an owner: Derive") for f in found)
    assert any(f.startswith("actions/action item 2: open without a due date: Run") for f in found)
    assert (
        "actions/action item 3: overdue by 17 days (due 2026-11-25): "
        "Alert on pgbouncer cl_waiting > 50 for 2 min" in found
    )
    assert (
        "actions/action item 1: overdue by 1 day (due 2026-12-11): "
        "Derive per-service pool sizes from measured peak …" in found
    )
    assert not any("action item 5" in f for f in found)  # done
    assert not any("action item 6" in f for f in found)  # won't do


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("The root cause was human error.", "human error"),
        ("Ops should have noticed the alert.", "should have"),
        ("We shouldn't have merged it on Friday.", "shouldn't have"),
        ("A careless review let it through.", "careless"),
        ("The on-call failed to escalate.", "failed to"),
        ("Gross negligence by the team.", "negligence"),
        ("It was a sloppy change.", "sloppy"),
        ("Nobody is to blame.", "to blame"),
        ("The reviewer forgot to check.", "forgot to"),
    ],
)
def test_each_default_blaming_phrase(text: str, quoted: str) -> None:
    found = [f for f in check(from_document(doc(summary=text)), now=NOW) if f.rule == "blaming"]
    assert len(found) == 1, found
    assert found[0].message.startswith(f"“{quoted}”: ")
    assert found[0].place == f"overview/summary:1:{text.index(quoted.split()[0]) + 1}"
    assert found[0].why


def test_a_persons_name_as_the_subject_of_a_failure() -> None:
    d = doc(summary="Timeline aside,\nTom didn't check the pool. Tom Okafor broke prod.")
    found = [f for f in check(from_document(d), now=NOW) if f.rule == "blaming"]
    assert [f.place for f in found] == ["overview/summary:2:1", "overview/summary:2:28"]
    assert (
        "Tom as the subject of a failure" in found[0].message or "“Tom didn't”" in found[0].message
    )
    # systems named as actors are not people
    assert people_of([], [], ["Alertmanager", "deploy-bot", "Priya Raman"]) == {
        "Priya Raman",
        "Priya",
    }
    quiet = doc(summary="Alertmanager didn't fire; deploy-bot broke the build.")
    assert [f for f in check(from_document(quiet), now=NOW) if f.rule == "blaming"] == []


def test_positions_name_the_field_and_row() -> None:
    d = doc()
    d["timeline"][3]["text"] = "Alert fired but the on-call should have acked sooner"
    d["why_chains"][0]["whys"][1] = "Human error"
    found = {f.place: f for f in check(from_document(d), now=NOW) if f.rule == "blaming"}
    assert set(found) == {"timeline/event 4 (14:06):1:29", "rootcause/5 whys 1 why 2:1:1"}
    assert found["rootcause/5 whys 1 why 2:1:1"].table == "why"


def test_system_failures_are_allowed_by_default() -> None:
    text = "The health check failed to connect; pgbouncer fails to resolve the host."
    assert [
        f for f in check(from_document(doc(summary=text)), now=NOW) if f.rule == "blaming"
    ] == []


def test_the_word_list_and_allow_list_extend_from_a_file(tmp_path: Path) -> None:
    words = tmp_path / "language.toml"
    words.write_text(
        'allow = ["human error budget", "Should have"]\n'
        "[[blame]]\n"
        'phrase = "dropped  the ball"\n'
        'why = "an idiom for a personal failure"\n',
        encoding="utf-8",
    )
    language = load_language(words, required=True)
    text = "Priya dropped the ball. Our human error budget is fine. It should have paged."
    found = [
        f
        for f in check(from_document(doc(summary=text)), now=NOW, language=language)
        if f.rule == "blaming"
    ]
    assert [f.message for f in found] == ["“dropped the ball”: an idiom for a personal failure"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("allow = [", "not valid TOML"),
        ("allow = 3", "allow must be a list of phrases"),
        ("colour = 1", "unknown key 'colour'"),
        ("[[blame]]\nwhy = 'x'", "blame entry 1 needs phrase"),
    ],
)
def test_a_bad_word_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    words = tmp_path / "w.toml"
    words.write_text(content, encoding="utf-8")
    with pytest.raises(PostmortemError) as info:
        load_language(words)
    assert message in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(PostmortemError, match="no such file"):
        load_language(tmp_path / "missing.toml", required=True)
    assert load_language(tmp_path / "missing.toml").source == "built in"


def test_findings_are_one_line_even_for_dirty_text() -> None:
    pm = from_document(doc())
    pm.summary = "human error\x1b[31m\nmore"
    for finding in check(pm, now=NOW):
        assert "\n" not in str(finding) and "\x1b" not in str(finding)
