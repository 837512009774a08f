"""The pty harness itself: the app starts, takes typed keys, and what was typed is stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, query

pytestmark = pytest.mark.e2e


def test_new_postmortem_typed_at_human_speed_is_stored(
    term: Callable[..., Terminal], tmp_path: Path
) -> None:
    t = term(size=(80, 24))
    t.wait_for("No postmortems yet")
    t.press("n")
    t.wait_for("what happened?")
    t.type("Checkout 502s after deploy")
    t.press("enter")
    t.wait_for("Timezone")
    assert t.quit() == 0
    assert query(tmp_path / "pm.db", "SELECT title FROM postmortem") == [
        ("Checkout 502s after deploy",)
    ]
