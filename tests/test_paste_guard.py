"""The input parser keeps a bracketed paste whole when it carries control codes."""

from __future__ import annotations

import pytest
from textual import events

from tui.paste_guard import END, START, PasteGuardParser


def parse(*chunks: str) -> list[events.Event]:
    parser = PasteGuardParser()
    out: list[events.Event] = []
    for chunk in chunks:
        out.extend(parser.feed(chunk))
    out.extend(parser.tick())
    return out


def pastes(tokens: list[events.Event]) -> list[str]:
    return [t.text for t in tokens if isinstance(t, events.Paste)]


@pytest.mark.parametrize(
    "chunks",
    [
        [f"{START}deploy \x1b[31mred\x1b[0m done\x07\r\nnext{END}"],
        [f"{START}deploy \x1b[31m", "red\x1b[0m done\x07\r\nnext\x1b[20", "1~"],
        [START[:3], START[3:] + "deploy \x1b[31mred", f"\x1b[0m done\x07\r\nnext{END}"],
    ],
)
def test_a_paste_with_escape_codes_arrives_whole_without_them(chunks: list[str]) -> None:
    tokens = parse(*chunks)
    assert pastes(tokens) == ["deploy [31mred[0m done\r\nnext"]
    assert not [t for t in tokens if isinstance(t, events.Key)]


def test_keys_outside_pastes_are_untouched() -> None:
    tokens = parse(f"a\x1b[A{START}x{END}b")
    keys = [t.key for t in tokens if isinstance(t, events.Key)]
    assert keys == ["a", "up", "b"] and pastes(tokens) == ["x"]


def test_textual_still_misreads_escape_in_pastes_without_the_guard() -> None:
    """If this starts failing, Textual fixed its parser and the guard can go."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    tokens = list(parser.feed(f"{START}a\x1b[31mb{END}")) + list(parser.tick())
    assert pastes(tokens) != ["a[31mb"]
