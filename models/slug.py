"""Slugs: how a postmortem is named on the command line and in file names."""

from __future__ import annotations

import re
import unicodedata


def slugify(title: str, *, max_length: int = 60) -> str:
    """'Checkout latency — 2026-11-28!' -> 'checkout-latency-2026-11-28'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "postmortem"
