"""User text is data: the one place that decides which characters text may hold.

A postmortem is pasted from chat logs, terminals and tickets, so its text can
carry anything a terminal or a Markdown renderer would act on. The rules here
keep it inert:

* Line ends are LF. CR and CRLF (what terminals paste, what Windows writes) are
  read as LF everywhere text comes in.
* C0 control characters other than tab and newline, DEL, and the C1 controls
  (U+0080-U+009F) are never stored. ESC and BEL would recolour the screen, retitle
  the window or replay into a ``cat`` of an export; NUL is refused by PostgreSQL.
  Typed and pasted text has them stripped (:func:`clean`); an imported document
  that holds them is refused (:func:`problem`), naming the field.
* Lone surrogates (``"\\udfff"``, which JSON can encode but UTF-8 cannot) are
  not Unicode scalar values: they are stripped or refused the same way.

Everything else, including combining marks, right-to-left text, zero-width
joiners and emoji sequences, is kept exactly as written.
"""

from __future__ import annotations

import re

# C0 except TAB (09) and LF (0A); DEL; C1. CR is handled as a line end first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_END = re.compile(r"\r\n?")
# A whole terminal escape sequence: CSI (colours, cursor moves: "\x1b[31m", or
# C1 "\x9b31m"), OSC (window titles, links: "\x1b]0;t\x07"), or a two-character
# ESC sequence. Removing only the ESC would leave "[31m" in the text, as if the
# user had typed it; a coloured log line must land as the words it shows.
ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return _LINE_END.sub("\n", text) if "\r" in text else text


def clean(text: str) -> str:
    """Typed or pasted text made storable: LF line ends, no terminal escape
    sequences (removed whole, see ESCAPE_SEQUENCE), no other control characters
    or lone surrogates. Tabs and newlines stay."""
    text = normalize_newlines(text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = ESCAPE_SEQUENCE.sub("", text)
    return _FORBIDDEN.sub("", text)


def clean_line(text: str, joiner: str = " ") -> str:
    """Text for a one-line field: :func:`clean`, then its non-blank lines joined.

    ``joiner`` is ``", "`` for list fields (services, tags, authors), so a pasted
    column of names becomes a list rather than one long name. Spaces are trimmed
    only where lines are joined: a one-line paste lands exactly as it was."""
    lines = clean(text).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) <= 1:
        return lines[0] if lines else ""
    parts = [lines[0].rstrip(), *(line.strip() for line in lines[1:-1]), lines[-1].lstrip()]
    return joiner.join(part for part in parts if part)


def problem(text: str) -> str | None:
    """Why ``text`` can't be stored as it is, or None when it can.

    CR counts as a line end, not a control character: callers store
    ``normalize_newlines(text)``."""
    m = _FORBIDDEN.search(normalize_newlines(text))
    if m is None:
        return None
    ch = m.group()
    where = f"at character {m.start() + 1}"
    if _SURROGATE.match(ch):
        return f"holds a lone surrogate \\u{ord(ch):04x} (not a Unicode character) {where}"
    return f"holds the control character {_escape_char(ch)} {where}"


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: str, limit: int = 60) -> str:
    """User text quoted for a one-line message: control characters and line
    ends escaped (``\\n``, ``\\x1b``), cut to ``limit`` characters with an ellipsis.

    Every error message that repeats what the user gave goes through this, so a
    message is always one line and never drives the terminal."""
    return "'" + _escaped(text, limit, quoted=True) + "'"


def one_line(text: str, limit: int = 1_000) -> str:
    """A whole message made one terminal line: line ends and control characters
    escaped as in :func:`shown`, but no quotes added and none escaped. The last
    guard before a message reaches a terminal or a log."""
    return _escaped(text, limit, quoted=False)


def _escaped(text: str, limit: int, *, quoted: bool) -> str:
    body = text if len(text) <= limit else text[: max(1, limit - 1)] + "…"
    out = []
    for ch in body:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif quoted and ch == "'":
            out.append("\\'")
        elif quoted and ch == "\\":
            out.append("\\\\")
        elif _FORBIDDEN.match(ch):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    return "".join(out)


def printable(text: str) -> str:
    """Text safe to put on a terminal as it is: control characters and lone
    surrogates replaced by U+FFFD, for data stored before these rules (or by
    another tool) that must still be shown rather than crash or drive the screen."""
    return _FORBIDDEN.sub("\ufffd", normalize_newlines(text))
