"""Running the CLI in-process, as the tests of its commands do."""

from __future__ import annotations

import io
import sys

import pytest

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``postmortem ARGS``, with nothing on stdin."""
    sys.stdin = io.StringIO("")
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err
