"""The `postmortem` command run in-process, and what every run must respect.

In-process (``tui.cli.main``) rather than a subprocess: a run costs 15-80 ms
instead of ~1 s, which is what lets a fuzzer try thousands of inputs. The
rules checked are the user's: a refusal is exit 1 and one line on stderr that
names the problem, never an internal error, never a control character, and
the database is exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from tui.cli import main

# The long local run: POSTMORTEM_FUZZ=long pytest tests/fuzz -n 2 -s
LONG = os.environ.get("POSTMORTEM_FUZZ") == "long"

# What a terminal would act on: C0 but tab and newline, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MESSAGE_LIMIT = 1_100  # tui.cli caps a message at 1,000 characters


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(db: Path | str, *args: str, stdin: bytes | str = b"") -> Outcome:
    """`postmortem --db DB ARGS...` with ``stdin``; never raises."""
    out, err = io.StringIO(), io.StringIO()
    data = stdin.encode() if isinstance(stdin, str) else stdin
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--db", str(db), *args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved
    return Outcome(code, out.getvalue(), err.getvalue())


def fingerprint(db: Path) -> str:
    """Everything the database holds, as one hash (read as another program would)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()
    finally:
        conn.close()


def copy_db(template: Path, target: Path) -> Path:
    """A fresh copy of a prepared library (creating one costs a migration)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def assert_no_internal_error(result: Outcome, what: str) -> None:
    text = result.out + result.err
    assert "internal error" not in text and "Traceback" not in text, f"{what}: {result.err}"


PREVIEW = re.compile(r"^(?:error|warning|info): [^\n]*\n", re.MULTILINE)


def assert_refusal(result: Outcome, what: str, *, preview: bool = False) -> None:
    """Exit 1 and exactly one short, printable line that is a user error.

    With ``preview`` (``timeline import --dry-run``, whose preview was asked for)
    the preview's notices may come first, one line each; the error is the last."""
    assert_no_internal_error(result, what)
    assert result.code == 1, f"{what}: exit {result.code}: {result.err[:500]}"
    err = PREVIEW.sub("", result.err) if preview else result.err
    if preview:
        assert result.err.endswith(err) and not CONTROL.search(result.err.replace("\n", ""))
    assert err.count("\n") == 1 and err.endswith("\n"), f"{what}: {result.err!r}"
    assert err.startswith("postmortem: error: "), f"{what}: {result.err!r}"
    assert len(err) <= MESSAGE_LIMIT, f"{what}: a {len(err)}-character message"
    assert not CONTROL.search(err), f"{what}: control character in {err!r}"


def assert_printable(text: str, what: str) -> None:
    found = CONTROL.search(text)
    assert found is None, f"{what}: control character {found.group()!r} in the output"
