"""Control characters inside a bracketed paste are dropped before Textual parses them.

Textual's input parser treats an ESC inside a bracketed paste as the start of
an escape sequence: the characters after it leave the paste and arrive as
separate key presses, before the rest of the paste (ESC itself as "^"). Pasting
a coloured log line into a field ("deploy \\x1b[31mred") therefore stored
"^[31mred" typed out of order in front of the pasted text. The app's rule is
that pasted text has its control characters stripped (models.usertext), so the
strip happens here, on the raw input, before the parser can misread it.

This subclasses Textual's (private) XTermParser. Textual is pinned to one
version in pyproject.toml, and tests/test_paste_guard.py fails if the parser's
behaviour around pastes changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser

START, END = "\x1b[200~", "\x1b[201~"
# Inside a paste, every control character but tab and line ends.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class PasteGuardParser(XTermParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_paste = False
        self._carry = ""

    def feed(self, data: str) -> Iterable[Any]:
        if not data:  # end of input: whatever was held back, then EOF
            carry, self._carry = self._carry, ""
            return [*super().feed(carry), *super().feed("")] if carry else super().feed("")
        guarded = self._guard(data)
        # An empty string means EOF to the parser: a read wholly held back is not one.
        return super().feed(guarded) if guarded else ()

    def _guard(self, data: str) -> str:
        text, self._carry = self._carry + data, ""
        out: list[str] = []
        i = 0
        while i < len(text):
            if not self._in_paste:
                j = text.find(START, i)
                if j < 0:
                    # A start marker split across reads: hold back "\x1b[2" or more
                    # (never a lone ESC, which may be the Escape key on its own).
                    chunk = text[i:]
                    keep = next(
                        (k for k in range(len(START) - 1, 2, -1) if chunk.endswith(START[:k])), 0
                    )
                    out.append(chunk[: len(chunk) - keep])
                    self._carry = chunk[len(chunk) - keep :]
                    break
                out.append(text[i : j + len(START)])
                i = j + len(START)
                self._in_paste = True
                continue
            j = text.find(END, i)
            if j < 0:
                chunk = text[i:]
                # The end marker may be split across reads: keep a prefix of it back.
                keep = next((k for k in range(len(END) - 1, 0, -1) if chunk.endswith(END[:k])), 0)
                out.append(_CONTROL.sub("", chunk[: len(chunk) - keep]))
                self._carry = chunk[len(chunk) - keep :]
                break
            out.append(_CONTROL.sub("", text[i:j]) + END)
            i = j + len(END)
            self._in_paste = False
        return "".join(out)


def install() -> None:
    """Make Textual's terminal drivers build this parser (call before App.run)."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = PasteGuardParser  # type: ignore[attr-defined]
