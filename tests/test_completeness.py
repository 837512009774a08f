"""The navigator's completeness marks, rule by rule (documented in the README)."""

from __future__ import annotations

from typing import Any

from models.completeness import Mark, marks
from models.demo import DEMO
from models.interchange import from_document


def doc(**extra: Any) -> dict[str, Any]:
    return {"format": "postmortem/v1", "title": "t", **extra}


def test_empty_postmortem_is_empty_everywhere() -> None:
    assert set(marks(from_document(doc())).values()) == {Mark.EMPTY}


def test_demo_is_done_everywhere() -> None:
    assert set(marks(from_document(DEMO)).values()) == {Mark.DONE}


def test_partial_states() -> None:
    got = marks(
        from_document(
            doc(
                summary="s",
                timeline=[{"at": "2026-11-27T10:00:00Z", "kind": "note"}],
                why_chains=[{"problem": "p", "whys": ["a"]}],
                impact={"revenue_impact": "some"},
                response={"lucky": ["x"]},
                action_items=[{"title": "fix", "owner": ""}],
            )
        )
    )
    assert set(got.values()) == {Mark.PARTIAL}


def test_done_rules() -> None:
    started = [{"at": "2026-11-27T10:00:00Z", "kind": "started"}]
    assert (
        marks(from_document(doc(summary="s", services=["api"], timeline=started)))["overview"]
        is Mark.DONE
    )
    rooted = {
        "categories": [
            {
                "name": "P",
                "causes": [{"text": "c", "causes": [{"text": "deep", "root_cause": True}]}],
            }
        ]
    }
    assert marks(from_document(doc(fishbone=rooted)))["rootcause"] is Mark.DONE
    closed_items = [
        {"title": "a", "status": "done"},
        {"title": "b", "owner": "o", "due": "2026-12-01"},
    ]
    assert marks(from_document(doc(action_items=closed_items)))["actions"] is Mark.DONE
    assert (
        marks(from_document(doc(impact={"description": "d", "slo_budget_consumed_pct": 0})))[
            "impact"
        ]
        is Mark.DONE
    )
    assert (
        marks(from_document(doc(response={"went_well": ["a"], "went_wrong": ["b"]})))["response"]
        is Mark.DONE
    )
    timeline = [
        {"at": "2026-11-27T10:00:00Z", "kind": "started"},
        {"at": "2026-11-27T10:05:00Z", "kind": "detected"},
        {"at": "2026-11-27T11:00:00Z", "kind": "resolved"},
    ]
    assert marks(from_document(doc(timeline=timeline)))["timeline"] is Mark.DONE
