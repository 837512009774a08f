"""Hypothesis strategies for whole, valid postmortem/v1 documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from models.enums import ActionKind, ActionStatus, EventKind, Priority, Severity, Status

# Any text a user might type, including the characters that break naive Markdown.
HOSTILE = st.sampled_from(
    [
        "|",
        "\n",
        "#",
        "# x",
        "<script>",
        "`",
        "```",
        "---",
        "===",
        "- ",
        "1. ",
        "> ",
        "*",
        "_",
        "[a](b)",
        "\\",
        "&amp;",
        "<!-- x -->",
        "~~~",
        "\t",
        "   # y",
        ":",
        "'",
        '"',
        "{",
        "}",
    ]
)
# Storable text: anything but control characters and lone surrogates (models.usertext
# refuses those on import, and strips them from typed text), tabs and newlines included.
STORABLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"),
    max_size=12,
)
TEXT = st.lists(st.one_of(HOSTILE, STORABLE), max_size=6).map("".join)
NONEMPTY = TEXT.filter(lambda s: bool(s.strip()))

MOMENT = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2099, 12, 31, 23, 59),
    timezones=st.just(dt.UTC),
).map(lambda d: d.isoformat().replace("+00:00", "Z"))


def causes(depth: int = 0) -> st.SearchStrategy[list[dict[str, Any]]]:
    child = causes(depth + 1) if depth < 2 else st.just([])
    return st.lists(
        st.fixed_dictionaries({"text": NONEMPTY, "root_cause": st.booleans(), "causes": child}),
        max_size=3,
    )


def documents() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "format": st.just("postmortem/v1"),
            "title": NONEMPTY,
            "severity": st.sampled_from([s.value for s in Severity]),
            "status": st.sampled_from([s.value for s in Status]),
            "timezone": st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata", "America/Denver"]),
            "summary": TEXT,
            "authors": st.lists(TEXT, max_size=3),
            "services": st.lists(TEXT, max_size=3),
            "tags": st.lists(TEXT, max_size=3),
            "timeline": st.lists(
                st.fixed_dictionaries(
                    {
                        "at": MOMENT,
                        "kind": st.sampled_from([k.value for k in EventKind]),
                        "text": TEXT,
                        "actor": TEXT,
                    }
                ),
                max_size=8,
            ),
            "why_chains": st.lists(
                st.fixed_dictionaries({"problem": TEXT, "whys": st.lists(TEXT, max_size=6)}),
                max_size=2,
            ),
            "fishbone": st.fixed_dictionaries(
                {
                    "effect": TEXT,
                    "categories": st.lists(
                        st.fixed_dictionaries({"name": NONEMPTY, "causes": causes()}), max_size=4
                    ),
                }
            ),
            "impact": st.fixed_dictionaries(
                {
                    "description": TEXT,
                    "users_affected": st.none() | st.integers(0, 2**31 - 1),
                    "support_tickets": st.none() | st.integers(0, 10**6),
                    "slo_budget_consumed_pct": st.none()
                    | st.floats(0, 1e5, allow_nan=False, allow_infinity=False),
                    "revenue_impact": TEXT,
                    "data_loss": TEXT,
                }
            ),
            "response": st.fixed_dictionaries(
                {k: st.lists(TEXT, max_size=3) for k in ("went_well", "went_wrong", "lucky")}
            ),
            "action_items": st.lists(
                st.fixed_dictionaries(
                    {
                        "title": NONEMPTY,
                        "owner": TEXT,
                        "due": st.none()
                        | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(str),
                        "priority": st.sampled_from([p.value for p in Priority]),
                        "kind": st.sampled_from([k.value for k in ActionKind]),
                        "status": st.sampled_from([s.value for s in ActionStatus]),
                        "ticket": TEXT,
                    }
                ),
                max_size=4,
            ),
        }
    )
