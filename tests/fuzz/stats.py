"""What a fuzz run tried, for the long run's report.

Each module counts its examples in a Counter and hands it to :func:`record`
when it finishes. With POSTMORTEM_FUZZ_STATS=FILE set, one JSON line per
module (and per xdist worker) is appended to FILE; otherwise nothing is kept.
"""

from __future__ import annotations

import json
import os
from collections import Counter


def record(name: str, counts: Counter[str]) -> None:
    target = os.environ.get("POSTMORTEM_FUZZ_STATS")
    if not target or not counts:
        return
    line = {"module": name, "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), **counts}
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
