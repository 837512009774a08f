"""Soak: random edits at human speed across the sections, then the database must
hold exactly what was typed.

Sized for CI (POSTMORTEM_SOAK_STEPS, default 16 steps); set it higher for a long
local run, e.g. POSTMORTEM_SOAK_STEPS=300. The seed is printed on failure.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.flows import new_postmortem
from tests.e2e.terminal import Terminal, query

pytestmark = pytest.mark.e2e

STEPS = int(os.environ.get("POSTMORTEM_SOAK_STEPS", "16"))
WORDS = ["pool", "502s", "[b]x[/]", "db-1", "failover", "{n}", "50%", "lag", "Ana", "p99", "—"]
LISTS = {"went_well": "What went well", "went_wrong": "What went wrong", "lucky": "Where we got"}


def phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def test_random_edits_at_human_speed_all_land(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(120, 40))
    rng = random.Random(t.seed)
    new_postmortem(t, "Soak")
    users: int | None = None
    response: dict[str, list[str]] = {k: [] for k in LISTS}
    events: list[tuple[str, str]] = []
    actions: list[tuple[str, str]] = []
    minute = 0
    for step in range(STEPS):
        op = rng.choice(["users", "response", "event", "action"])
        if op == "users":
            t.press("f5")
            t.wait_for("Users")
            t.click_field("Users")
            users = rng.randint(0, 2_000_000)
            t.press("end", *["backspace"] * 14)
            t.type(f"{users:,}")
            t.press("tab")
        elif op == "response":
            key = rng.choice(list(LISTS))
            t.press("f6")
            t.wait_for(LISTS[key])
            t.click_text(LISTS[key], below=1)  # the list's first row: it is selected
            text = f"{phrase(rng)} #{step}"
            t.press("a")  # adds after the selected row
            t.type(text)
            t.press("enter")
            response[key].insert(min(1, len(response[key])), text)
        elif op == "event":
            t.press("f3")
            t.wait_for("New event")
            t.click_text("New event", below=1)
            minute += rng.randint(1, 9)
            text = f"{phrase(rng)} step {step}".replace("#", "").replace("@", "")
            t.type(f"2026-11-27 {10 + minute // 60:02d}:{minute % 60:02d} {text}")
            t.press("enter")
            # The grammar reads a dash right after the time as a separator, as in
            # "14:02 — pager fired", so it is not part of the stored text.
            stored = text[2:] if text.startswith("— ") else text
            events.append((f"2026-11-27 {10 + minute // 60:02d}:{minute % 60:02d}", stored))
        else:
            t.press("f7")
            t.wait_for("Action")
            title, owner = f"{phrase(rng)} {step}", rng.choice(["ana", "bo", "cy"])
            t.press("a")
            t.wait_for("New action item")
            t.type(title)
            t.press("enter")
            t.type(owner)
            t.press("escape")
            actions.append((title, owner))
        t.pump(rng.uniform(0.0, 0.6))  # think time, sometimes none
    t.settle()
    assert t.quit() == 0

    db = tmp_path / "pm.db"
    assert query(db, "SELECT users_affected FROM postmortem") == [(users,)]
    for key in LISTS:
        rows = query(db, "SELECT text FROM response_item WHERE section=? ORDER BY position", key)
        assert [r[0] for r in rows] == response[key], key
    rows = query(db, "SELECT substr(at, 1, 16), text FROM timeline_event ORDER BY at")
    assert rows == events
    rows = query(db, "SELECT title, owner FROM action_item ORDER BY position")
    assert rows == actions
