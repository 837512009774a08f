"""User text is shown as typed, on every screen: never markup, never control codes.

A postmortem full of strings that Textual would read as markup (styles, a
clickable quit action, an unbalanced [/]) and Rich as format specs is imported
through the CLI, then every section is opened in a real terminal: each string
must be on screen literally, and the app must still be running. Control
characters stored by an older version (they are refused now) are shown as
U+FFFD and never reach the terminal or an export.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.flows import import_document
from tests.e2e.terminal import Terminal, executable

pytestmark = pytest.mark.e2e

TITLE = "Fix [bold]x[/] [@click=app.quit]y[/]"
DOCUMENT = {
    "format": "postmortem/v1",
    "title": TITLE,
    "severity": "SEV2",
    "timezone": "UTC",
    "summary": "The [red]pool[/red] was {pool} and 100% $used",
    "authors": ["[i]ana[/i]"],
    "services": ["[link=x]svc[/link]"],
    "tags": ["[/]"],
    "timeline": [
        {
            "at": "2026-11-27T14:02:00Z",
            "kind": "started",
            "text": "[b]502s[/b] began",
            "actor": "[u]lb[/u]",
        },
        {
            "at": "2026-11-27T14:40:00Z",
            "kind": "mitigated",
            "text": "rolled back %s {0}",
            "actor": "",
        },
    ],
    "why_chains": [
        {"problem": "[blink]Checkout[/blink] failed", "whys": ["pool was [dim]20[/dim]"]}
    ],
    "fishbone": {
        "effect": "[reverse]502s[/reverse]",
        "categories": [
            {
                "name": "[on red]Deploys[/]",
                "causes": [
                    {"text": "no [@click=app.bell]canary[/]", "root_cause": True, "causes": []}
                ],
            }
        ],
    },
    "impact": {
        "description": "[s]18k users[/s]",
        "revenue_impact": "[green]£41k[/green]",
        "data_loss": "none [x]",
    },
    "response": {
        "went_well": ["[b]alert[/b] fired"],
        "went_wrong": ["[/]unbalanced"],
        "lucky": ["$lucky"],
    },
    "action_items": [
        {"title": "[b]Pin[/b] pool", "owner": "[@click=app.quit]sam[/]", "ticket": "[PAY-9]"}
    ],
}
SECTIONS = {
    "f2": [TITLE, "[i]ana[/i]", "[link=x]svc[/link]", "[/]", "The [red]pool[/red] was {pool}"],
    "f3": ["[b]502s[/b] began", "rolled back %s {0}"],
    "f4": ["[blink]Checkout[/blink] failed", "pool was [dim]20[/dim]"],
    "f5": ["[s]18k users[/s]", "[green]£41k[/green]", "none [x]"],
    "f6": ["[b]alert[/b] fired", "[/]unbalanced", "$lucky"],
    "f7": ["[b]Pin[/b] pool", "[@click=app.quit]sam[/]", "[PAY-9]"],
}


def test_markup_in_every_field_is_shown_literally_on_every_screen(
    term: Callable[..., Terminal], tmp_path: Path, home: Path
) -> None:
    db = tmp_path / "pm.db"
    import_document(db, DOCUMENT, home)
    t = term(size=(120, 40))
    t.wait_for(TITLE)  # the library lists it literally
    t.press("enter")
    t.wait_for("Timezone")
    for key, strings in SECTIONS.items():
        t.press(key)
        screen = t.wait_for(strings[-1])
        for text in strings:
            assert text in screen, f"{text!r} missing after {key}:\n{screen}"
        assert TITLE in screen  # the header
    t.press("f3", "up")  # select the first event: its actor shows in the detail
    t.wait_for("[u]lb[/u]")
    t.press("f4", "b")  # the fishbone tab and its drawing
    screen = t.wait_for("[on red]Deploys[/]")
    assert "no [@click=app.bell]canary[/]" in screen or "[@click=app.bell]" in screen
    assert t.child.isalive()
    assert t.quit() == 0


def test_control_characters_stored_by_an_older_version_never_reach_the_terminal(
    term: Callable[..., Terminal], tmp_path: Path, home: Path
) -> None:
    db = tmp_path / "pm.db"
    pm_id = import_document(db, {"format": "postmortem/v1", "title": "Legacy"}, home)
    hostile = "evil \x1b]0;pwned\x07 \x1b[31mred\x1b[0m \x9b2J done"
    conn = sqlite3.connect(db)  # as an older version, or another tool, could have
    conn.execute(
        "INSERT INTO timeline_event (postmortem_id, at, kind, text, actor) VALUES (?, ?, ?, ?, ?)",
        (pm_id, "2026-11-27 14:02:00.000000", "note", hostile, "\x07bell"),
    )
    conn.execute("UPDATE postmortem SET summary = ? WHERE id = ?", (hostile, pm_id))
    conn.commit()
    conn.close()

    t = term(size=(120, 40))
    t.wait_for("Legacy")
    t.press("enter")
    t.press("f3")
    screen = t.wait_for("done")
    assert "\ufffd]0;pwned\ufffd" in screen and "\ufffd[31mred" in screen
    assert t.quit() == 0
    raw = bytes(t.raw)  # everything the app wrote to the terminal
    for sequence in ("\x1b]0;pwned", "\x1b[31mred", "\x07bell", "\x9b2J"):
        assert sequence.encode() not in raw, sequence

    for fmt in ("markdown", "json"):
        out = subprocess.run(
            [executable(), "--db", str(db), "export", str(pm_id), "--format", fmt],
            capture_output=True,
            check=True,
        ).stdout
        assert b"\x1b" not in out and b"\x07" not in out and "\x9b".encode() not in out
