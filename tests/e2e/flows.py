"""Steps that many end-to-end tests share, done the way a person does them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.terminal import Terminal, executable


def new_postmortem(t: Terminal, title: str) -> None:
    """From the library: n, the title, enter; waits for the Overview."""
    t.wait_for("postmortem")
    t.press("n")
    t.wait_for("what happened?")
    t.type(title)
    t.press("enter")
    t.wait_for("Timezone")


def import_document(db: Path, document: dict[str, Any], home: Path) -> int:
    """Put a postmortem in the library through the real CLI; returns its id."""
    path = home / "import.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    done = subprocess.run(
        [executable(), "--db", str(db), "import", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(home), "PATH": str(Path(sys.executable).parent)},
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def open_first(t: Terminal, wait: str) -> None:
    """Open the selected postmortem from the library and wait for ``wait``."""
    t.press("enter")
    t.wait_for(wait)
