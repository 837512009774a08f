"""kill -9 the real app while someone types: what was typed a second ago is on disk."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from models.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def spawn_in_pty(args: list[str]) -> tuple[int, int, list[bytes]]:
    """Run the app on a pseudo-terminal of 120x40; returns (pid, master fd, output)."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.chdir(ROOT)
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-c", "from tui.cli import main; main()", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    output: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.append(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return pid, fd, output


def wait_for(output: list[bytes], text: bytes, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in b"".join(output):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared on screen")


def _title(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT title FROM postmortem").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_kill_9_while_typing_keeps_what_was_typed(tmp_path: Path) -> None:
    db = tmp_path / "typing.db"
    store = open_store(str(db))
    store.create_postmortem("Typing test")
    store.close()

    pid, fd, output = spawn_in_pty(["--db", str(db)])
    try:
        wait_for(output, b"Typing test")
        time.sleep(0.5)
        os.write(fd, b"\r")  # open it: the title field has focus
        wait_for(output, b"Title")
        time.sleep(0.5)
        os.write(fd, b"\x1b[F")  # End: keep the title, append to it
        for ch in " survives kill -9":
            os.write(fd, ch.encode())
            time.sleep(0.03)
        # Autosave commits within about a second; allow a loaded CI machine more,
        # but kill as soon as the commit is visible to another reader.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _title(db) != "Typing test survives kill -9":
            time.sleep(0.1)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    title = conn.execute("SELECT title FROM postmortem").fetchone()[0]
    conn.close()
    assert title == "Typing test survives kill -9"


@pytest.mark.slow
def test_postmortem_demo_starts_and_quits(tmp_path: Path) -> None:
    """The README's first command, in a terminal: the demo opens, ctrl+q quits cleanly."""
    os.environ["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # inherited by the child
    pid, fd, output = spawn_in_pty(["demo"])
    try:
        wait_for(output, b"Checkout 502s after connection pool change")
        os.write(fd, b"\r")
        wait_for(output, b"Impact lasted 52m")
        os.write(fd, b"\x11")  # ctrl+q
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert (tmp_path / "xdg" / "postmortem" / "demo.db").exists()
    assert not (tmp_path / "xdg" / "postmortem" / "postmortems.db").exists()
