"""Drive the installed ``postmortem`` in a real pseudo-terminal, as a person would.

Pilot sends key names straight into Textual's message queue. A terminal sends
bytes: escape sequences for keys, bracketed pastes whose lines end in CR, and
keystrokes that arrive while the app is still busy with the previous one. The
faults users hit live in that gap, so these tests go through it:

* ``pexpect`` runs the program in a pty of a chosen size;
* ``pyte`` plays the program's output onto a virtual screen we can read;
* keys are typed one at a time with randomised human delays (30-150 ms);
* pastes are bracketed (``ESC[200~ ... ESC[201~``) with CR line ends, as tmux's
  ``paste-buffer -p`` and several terminals send them.

The database is checked afterwards with the stdlib ``sqlite3``, never through
the app, so a test can't be fooled by the app's own view of its data.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect
import pyte

# xterm's sequences for the keys the app binds (what tmux and most terminals send).
KEYS: dict[str, str] = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "shift+up": "\x1b[1;2A",
    "shift+down": "\x1b[1;2B",
    "ctrl+pageup": "\x1b[5;5~",
    "ctrl+pagedown": "\x1b[6;5~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "f4": "\x1bOS",
    "f5": "\x1b[15~",
    "f6": "\x1b[17~",
    "f7": "\x1b[18~",
    "f8": "\x1b[19~",
    "space": " ",
}
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


def executable() -> str:
    """The ``postmortem`` installed beside the interpreter running the tests."""
    candidate = Path(sys.executable).parent / "postmortem"
    if not candidate.exists():  # pragma: no cover - a broken install
        raise RuntimeError(f"{candidate} is missing: pip install '.[dev]' first")
    return str(candidate)


def key_bytes(key: str) -> str:
    if key in KEYS:
        return KEYS[key]
    if key.startswith("ctrl+") and len(key) == 6 and key[5].isalpha():
        return chr(ord(key[5].lower()) - 96)
    if len(key) == 1:
        return key
    raise KeyError(f"no terminal sequence known for {key!r}")


class Terminal:
    """One running ``postmortem`` in a pty, with a readable screen."""

    def __init__(
        self,
        args: list[str],
        *,
        home: Path,
        db: Path | None = None,
        size: tuple[int, int] = (120, 40),
        env: dict[str, str] | None = None,
        seed: int | None = None,
        fast: bool = False,
    ) -> None:
        cols, rows = size
        self.cols, self.rows = cols, rows
        self.home = home
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        # A fresh seed each run, printed in every failure so a run can be replayed.
        self.seed = random.randrange(1 << 30) if seed is None else seed
        self.rng = random.Random(self.seed)
        self.fast = fast  # tests of pure logic may type without delays
        # COLUMNS and LINES would override the pty's size (shutil.get_terminal_size
        # reads them first), and other tests in the same worker may have set them.
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("POSTMORTEM_", "TEXTUAL")) and k not in ("COLUMNS", "LINES")
        }
        environment.update(
            {
                "TERM": "xterm-256color",
                "COLORTERM": "truecolor",
                "HOME": str(home),
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_CONFIG_HOME": str(home / "config"),
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
            }
        )
        if db is not None:
            environment["POSTMORTEM_DB"] = str(db)
        environment.update(env or {})
        self.child = pexpect.spawn(
            executable(), args, dimensions=(rows, cols), env=environment, cwd=str(home)
        )
        self.exit_status: int | None = None
        self.raw = bytearray()  # every byte the app wrote, for checks on what reached the terminal

    # ------------------------------------------------------------------ output

    def pump(self, seconds: float = 0.0) -> None:
        """Read whatever the app has written for ``seconds`` (at least once)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=0.01)
            except pexpect.TIMEOUT:
                data = b""
            except pexpect.EOF:
                return
            if data:
                self.raw += data
                self.stream.feed(data)
            if time.monotonic() >= deadline and not data:
                return

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(
        self, what: str | re.Pattern[str] | Callable[[str], bool], timeout: float = 15.0
    ) -> str:
        """Pump until the screen shows ``what``; returns the screen text."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump(0.05)
            screen = self.text()
            if callable(what):
                if what(screen):
                    return screen
            elif isinstance(what, re.Pattern):
                if what.search(screen):
                    return screen
            elif what in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what!r} (seed {self.seed}); the screen:\n{screen}"
                )
            if not self.child.isalive():
                raise AssertionError(f"the app exited while waiting for {what!r}:\n{screen}")

    def wait_gone(self, what: str, timeout: float = 15.0) -> str:
        return self.wait_for(lambda screen: what not in screen, timeout)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> str:
        """Pump until the app has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < deadline:
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=0.02)
            except pexpect.TIMEOUT:
                data = b""
            except pexpect.EOF:
                break
            if data:
                self.raw += data
                self.stream.feed(data)
                last = time.monotonic()
            elif time.monotonic() - last >= quiet:
                break
        return self.text()

    # ------------------------------------------------------------------ input

    def _delay(self, low: float = 0.03, high: float = 0.15) -> None:
        if not self.fast:
            self.pump(self.rng.uniform(low, high))
        else:
            self.pump(0)

    def press(self, *keys: str) -> None:
        """Send named keys (``enter``, ``shift+tab``, ``ctrl+z``, ``f3``...) one by one."""
        for key in keys:
            self.child.send(key_bytes(key))
            if key == "escape":
                # A lone ESC is only known to be a key once no sequence follows it.
                self.pump(0.15)
            self._delay()

    def type(self, text: str, *, low: float = 0.03, high: float = 0.15) -> None:
        """Type ``text`` a character at a time with human delays between keys."""
        for ch in text:
            self.child.send("\r" if ch == "\n" else ch)
            self._delay(low, high)

    def click(self, x: int, y: int) -> None:
        """A left click at a cell (0-based), as an xterm SGR mouse report."""
        self.child.send(f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m")
        self._delay()

    def click_text(self, text: str, *, below: int = 0) -> None:
        """Click the first place ``text`` shows on screen (or ``below`` rows under it)."""
        for y, line in enumerate(self.screen.display):
            x = line.find(text)
            if x >= 0:
                self.click(x + 1, y + below)
                return
        raise AssertionError(f"{text!r} is not on the screen:\n{self.text()}")

    def click_field(self, label: str, label_width: int = 11) -> None:
        """Click into the input of the labelled field (``Users      ...``): the
        label stands in its own column of ``label_width`` cells, then the input."""
        pattern = re.compile(rf"(?:(?<=│ )|(?<=  )){re.escape(label)}(?= |$)")
        for y, line in enumerate(self.screen.display):
            for m in pattern.finditer(line):
                after = line[m.end() : m.start() + label_width]
                value = line[m.start() + label_width :].strip()
                # The padding of a label column, then the input's text or placeholder
                # (a table header ending in the same word has nothing after it).
                if not after.strip() and value:
                    self.click(m.start() + label_width + 1, y)
                    return
        raise AssertionError(f"no field {label!r} on the screen:\n{self.text()}")

    def paste(self, text: str, *, newline: str = "\r") -> None:
        """A bracketed paste, with line ends rewritten as a terminal sends them."""
        body = text.replace("\r\n", "\n").replace("\n", newline)
        self.child.send(PASTE_START + body + PASTE_END)
        self.pump(0.1)

    # ------------------------------------------------------------------ end

    def quit_asking(self, timeout: float = 10.0) -> int:
        """ctrl+q when text is unsaved: the app must ask; answer yes."""
        self.child.send(key_bytes("ctrl+q"))
        self.wait_for("Not saved:")
        self.press("y")
        return self.wait_exit(timeout)

    def quit(self, timeout: float = 10.0) -> int:
        """ctrl+q, then wait for the process to end; returns its exit status."""
        if self.child.isalive():
            self.child.send(key_bytes("ctrl+q"))
        return self.wait_exit(timeout)

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump(0.05)
        if self.child.isalive():
            self.child.terminate(force=True)
            raise AssertionError(f"the app did not exit; the screen:\n{self.text()}")
        self.child.close()
        self.exit_status = self.child.exitstatus
        return int(self.child.exitstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the database as another program would (the app may still be running)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()
