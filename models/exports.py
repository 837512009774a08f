"""One entry point for every export format, shared by the CLI and the export screen."""

from __future__ import annotations

import datetime as dt

from models.tables import Postmortem


def render(
    pm: Postmortem, fmt: str, *, now: dt.datetime | None = None, with_mermaid: bool = False
) -> str:
    if fmt == "json":
        from models.interchange import dumps, to_document

        return dumps(to_document(pm, now=now))
    if fmt == "markdown":
        from models.markdown import to_markdown

        return to_markdown(pm, now=now, with_mermaid=with_mermaid)
    raise ValueError(f"unknown export format {fmt!r}")
