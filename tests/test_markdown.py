"""The Markdown export: structure, content, and that user text can never break it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

from models.demo import DEMO
from models.interchange import from_document
from models.markdown import to_markdown
from models.mdtext import block, inline
from tests.strategies import documents

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
OUR_HEADINGS = [
    ("h2", "Incident Overview"),
    ("h2", "Timeline of Events"),
    ("h3", "Metrics"),
    ("h2", "Root Cause Analysis"),
    ("h3", "5 Whys"),
    ("h3", "Fishbone Diagram"),
    ("h2", "Impact Assessment"),
    ("h2", "Response Evaluation"),
    ("h3", "What went well"),
    ("h3", "What went wrong"),
    ("h3", "Where we got lucky"),
    ("h2", "Action Items"),
]
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def split_front_matter(markdown: str) -> tuple[dict[str, Any], str]:
    assert markdown.startswith("---\n")
    end = markdown.index("\n---\n", 4)
    return yaml.safe_load(markdown[4:end]), markdown[end + 5 :]


def text_of(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "text_special"))


def flat(value: str) -> str:
    return " ".join(value.replace("\0", "\ufffd").split())


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (t.tag, text_of(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    out: list[list[list[str]]] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            out.append([])
        elif t.type == "tr_open":
            out[-1].append([])
        elif t.type in ("th_open", "td_open"):
            out[-1][-1].append(text_of(tokens[i + 1]))
    return out


def check_structure(pm_doc: dict[str, Any]) -> tuple[dict[str, Any], list[Token]]:
    markdown = to_markdown(from_document(pm_doc), now=NOW)
    meta, body = split_front_matter(markdown)
    tokens = GFM.parse(body)
    # 1. No raw HTML reaches the document.
    assert not [t for t in tokens if t.type.startswith("html")]
    for t in tokens:
        assert not [c for c in t.children or [] if c.type.startswith("html")]
    # 2. The headings are ours and only ours, the title's text intact.
    found = headings(tokens)
    assert found[0] == ("h1", flat(pm_doc["title"]))
    assert found[1:] == OUR_HEADINGS
    # 3. Every table row has the header's cell count.
    for table in tables(tokens):
        assert all(len(row) == len(table[0]) for row in table)
    return meta, tokens


def test_demo_structure_and_content() -> None:
    meta, tokens = check_structure(DEMO)
    assert meta["title"] == DEMO["title"] and meta["severity"] == "SEV2"
    assert meta["started"] == "2026-11-27T13:55:00+00:00" and meta["duration"] == "52m"
    assert meta["services"] == DEMO["services"]
    timeline, metrics = tables(tokens)[1], tables(tokens)[2]
    assert timeline[0] == ["Time", "T+", "Kind", "Event", "Actor"]
    assert timeline[1][:3] == ["2026-11-27 13:41", "T-14m", "action"]
    assert timeline[2][:4] == ["13:55", "T+0", "started", DEMO["timeline"][1]["text"]]
    assert ["Time to detect", "11m"] in metrics and ["Impact duration", "52m"] in metrics
    actions = tables(tokens)[-1]
    assert actions[0] == ["#", "Action", "Owner", "Due", "Priority", "Kind", "Status", "Ticket"]
    assert actions[3][1:5] == [
        "Alert on pgbouncer cl_waiting > 50 for 2 min",
        "Tom Okafor",
        "2026-11-25",
        "P0",
    ]


def test_empty_sections_say_so() -> None:
    markdown = to_markdown(from_document({"format": "postmortem/v1", "title": "Blank"}), now=NOW)
    assert markdown.count("_Not yet written._") == 9
    check_structure({"format": "postmortem/v1", "title": "Blank"})


def test_dates_shown_when_the_day_changes_and_times_in_the_zone() -> None:
    doc = {
        "format": "postmortem/v1",
        "title": "t",
        "timezone": "Asia/Tokyo",
        "timeline": [
            {"at": "2026-11-27T14:00:00Z", "kind": "started"},
            {"at": "2026-11-27T14:30:00Z", "kind": "note"},
            {"at": "2026-11-27T15:10:00Z", "kind": "resolved"},
        ],
    }
    _, tokens = check_structure(doc)
    rows = tables(tokens)[1]
    assert [r[0] for r in rows[1:]] == ["2026-11-27 23:00", "23:30", "2026-11-28 00:10"]
    assert "Times are in Asia/Tokyo." in to_markdown(from_document(doc), now=NOW)


def test_hostile_text_stays_text() -> None:
    nasty = "a | b\n# heading\n<script>alert(1)</script>\n---\n```\n`tick` ~~s~~ [x](y)"
    doc = {
        "format": "postmortem/v1",
        "title": "--- # <b>Title</b> | `x`: 'y'",
        "summary": nasty,
        "timeline": [{"at": "2026-11-27T14:00:00Z", "kind": "note", "text": nasty, "actor": "|"}],
        "action_items": [{"title": nasty, "owner": "<i>", "ticket": "a|b"}],
        "fishbone": {"effect": nasty, "categories": [{"name": nasty, "causes": [{"text": nasty}]}]},
        "response": {"went_well": [nasty], "went_wrong": ["1. numbered"], "lucky": ["- dash"]},
    }
    meta, tokens = check_structure(doc)
    assert meta["title"] == doc["title"]
    event_row = tables(tokens)[1][1]
    assert event_row[3] == flat(nasty) and event_row[4] == "|"
    assert tables(tokens)[-1][1][1] == flat(nasty)
    # Lists never nest from user text.
    assert max(t.level for t in tokens if t.type == "bullet_list_open") <= 3


def test_summary_keeps_markdown_formatting() -> None:
    rendered = GFM.render(block("Some **bold** and `code`\n\n- a list\n\n```sh\n# comment\n```"))
    assert "<strong>bold</strong>" in rendered and "<code>code</code>" in rendered
    assert "<li>a list</li>" in rendered and "# comment" in rendered
    assert "<h1>" not in GFM.render(block("x\n# y\n> # z\n- # w\nq\n===\n"))
    assert block("```\nunclosed").endswith("```")


def test_inline_escapes() -> None:
    assert inline("a|b\nc") == "a\\|b c"
    assert inline("1. item") == "1\\. item"
    assert inline("- item") == "\\- item"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_user_text_breaks_the_document(doc: dict[str, Any]) -> None:
    meta, tokens = check_structure(doc)
    assert meta["title"] == " ".join(doc["title"].split())
    timeline = tables(tokens)[1] if doc["timeline"] else []
    if doc["timeline"]:
        assert len(timeline) == len(doc["timeline"]) + 1
        assert sorted(row[3] for row in timeline[1:]) == sorted(
            flat(e["text"]) for e in doc["timeline"]
        )
    if doc["action_items"]:
        actions = tables(tokens)[-1]
        assert [row[1] for row in actions[1:]] == [flat(a["title"]) for a in doc["action_items"]]
