"""Pastes land whole: bracketed pastes with CR, LF and CRLF line ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, query

pytestmark = pytest.mark.e2e


def new_postmortem(t: Terminal, title: str = "Checkout 502s") -> None:
    t.wait_for("No postmortems yet")
    t.press("n")
    t.wait_for("what happened?")
    t.type(title)
    t.press("enter")
    t.wait_for("Timezone")


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"], ids=["CR", "LF", "CRLF"])
def test_a_pasted_chat_log_of_20_lines_is_imported_whole(
    term: Callable[..., Terminal], tmp_path: Path, newline: str
) -> None:
    t = term(size=(120, 40))
    new_postmortem(t)
    t.press("f3")
    t.wait_for("New event")
    lines = [f"2026-11-28 14:{m:02d} <alice> step {m} of the rollback" for m in range(20)]
    t.paste("\n".join(lines), newline=newline)
    t.wait_for("Import 20 events")
    t.press("enter")
    t.wait_for("step 19 of the rollback")
    assert t.quit() == 0
    rows = query(tmp_path / "pm.db", "SELECT text, actor FROM timeline_event ORDER BY at")
    assert rows == [(f"step {m} of the rollback", "alice") for m in range(20)]
