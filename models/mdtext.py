"""Making user text safe inside a Markdown document.

Two levels. :func:`inline` is for one-line places (table cells, list items,
headings): every character that could start Markdown syntax is escaped and
line breaks are folded, so the text can't add cells, lists or headings.
:func:`block` is for fields that *are* Markdown (the summary): formatting is
kept, but nothing in it can become a heading, raw HTML, or an unclosed code
fence that swallows the rest of the document.
"""

from __future__ import annotations

import re

from models.usertext import printable

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!&])")
_LEADING_MARK = re.compile(r"^([-+=])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")
_SETEXT = re.compile(r"^((?:[ \t]*>)*[ \t]*)([=-]+[ \t]*)$")


def inline(text: str) -> str:
    """One line, no Markdown syntax: safe in a table cell, list item or heading.

    Control characters (only in data stored before they were refused) become
    U+FFFD: a ``cat`` of the export must never drive the terminal."""
    flat = " ".join(printable(text).split())
    escaped = _INLINE_SPECIAL.sub(r"\\\1", flat)
    # "1. x" or "- x" at the start would become a list inside a list item.
    escaped = _LEADING_NUMBER.sub(r"\1\\\2", escaped)
    return _LEADING_MARK.sub(r"\\\1", escaped)


def _neutralize(line: str) -> str:
    line = line.replace("<", "&lt;")
    if m := _SETEXT.match(line):
        return f"{m.group(1)}\\{m.group(2)}"
    prefix = _CONTAINERS.match(line)
    end = prefix.end() if prefix else 0
    if line[end:].startswith("#"):
        return f"{line[:end]}\\{line[end:]}"
    return line


def _closes(line: str, fence: str) -> bool:
    m = _FENCE.match(line)
    return bool(
        m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip()
    )


def block(text: str) -> str:
    """User Markdown that can't produce headings, HTML or a runaway code fence."""
    lines = printable(text).split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
            continue
        m = _FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            out.append(line)
            continue
        out.append(_neutralize(line))
    if fence is not None:
        out.append(fence)  # close what the user left open
    return "\n".join(out).strip("\n")


def fenced(content: str, info: str = "") -> str:
    """A code block no content can close: the fence is longer than any run of backticks."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{content}\n{fence}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GFM table; cells must already be escaped with :func:`inline`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
