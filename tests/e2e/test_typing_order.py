"""Keys typed while the app is still busy act in order, on what the user sees.

These send whole bursts in one write, with no delay at all: the worst case of a
fast typist, and what a terminal delivers when the app falls behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import KEYS, Terminal, query

pytestmark = pytest.mark.e2e


def test_typing_straight_into_a_new_dialog_loses_nothing(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(80, 24))
    t.wait_for("No postmortems yet")
    t.child.send("nQueue backlog after upgrade\r")  # the dialog opens mid-burst
    t.wait_for("Timezone")
    assert t.quit() == 0
    assert query(tmp_path / "pm.db", "SELECT title FROM postmortem") == [
        ("Queue backlog after upgrade",)
    ]


def test_owner_typed_right_after_the_new_item_dialog_lands_in_owner(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    """The owner used to reach the table, where 'd' deletes, while focus moved."""
    t = term(size=(120, 40))
    t.wait_for("No postmortems yet")
    t.child.send("nBroker outage\r")
    t.wait_for("Timezone")
    t.child.send(KEYS["f7"])
    t.wait_for("No action items yet")
    for title, owner in [("Pin broker", "dana"), ("Alert on lag", "ed"), ("Runbook", "dd")]:
        t.child.send(f"a{title}\r{owner}")
        t.wait_for(owner)
        t.press("escape")  # back to the table for the next 'a'
        t.settle()
    assert t.quit() == 0
    rows = query(tmp_path / "pm.db", "SELECT title, owner FROM action_item ORDER BY position")
    assert rows == [("Pin broker", "dana"), ("Alert on lag", "ed"), ("Runbook", "dd")]
