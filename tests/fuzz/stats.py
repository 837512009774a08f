"""What a fuzz run tried, for the long run's report.

Each module counts its examples in a Counter. With POSTMORTEM_FUZZ_STATS=FILE
set, :func:`tick` rewrites FILE.<module>.<worker>.json every few hundred
examples (so a run stopped by a timeout still says how far it got) and
:func:`record` appends one JSON line per module and worker to FILE at the end.
Without it, nothing is kept.
"""

from __future__ import annotations

import json
import os
from collections import Counter

EVERY = 250


def _target() -> str | None:
    return os.environ.get("POSTMORTEM_FUZZ_STATS") or None


def _line(name: str, counts: Counter[str]) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return json.dumps({"module": name, "worker": worker, **counts}, ensure_ascii=False)


def tick(name: str, counts: Counter[str], key: str) -> None:
    """Count one example under ``key``; now and then, save the counts so far."""
    counts[key] += 1
    target = _target()
    if target and counts[key] % EVERY == 0:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        path = f"{target}.{name.replace(' ', '-')}.{worker}.json"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_line(name, counts) + "\n")


def record(name: str, counts: Counter[str]) -> None:
    target = _target()
    if not target or not counts:
        return
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(_line(name, counts) + "\n")
