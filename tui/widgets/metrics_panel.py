"""The timeline's side panel: milestones, metrics in words, and the warnings."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from models.enums import MILESTONES
from models.metrics import METRIC_LABELS, Metrics
from models.timefmt import display_zone, duration_words


class MetricsPanel(Static):
    def show(self, metrics: Metrics, tz: str) -> None:
        local = display_zone(tz)
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold")
        table.add_column()
        table.add_row(Text("Milestones", style="bold underline"), "")
        first_day: dt.date | None = None
        for kind in MILESTONES:
            moment = metrics.milestones.get(kind)
            if moment is None:
                table.add_row(kind.value, Text("—", style="dim"))
                continue
            at = moment.astimezone(local)
            shown = at.strftime("%H:%M") if first_day == at.date() else at.strftime("%d %b %H:%M")
            first_day = first_day or at.date()
            table.add_row(kind.value, shown)
        table.add_row("", "")
        table.add_row(Text("Metrics", style="bold underline"), "")
        for key, label in METRIC_LABELS:
            value = getattr(metrics, key)
            words = Text(duration_words(value), style="dim" if value is None else "")
            table.add_row(label.removeprefix("Time to "), words)
        if metrics.ongoing:
            table.add_row("", "")
            table.add_row(Text("● ongoing", style="bold red"), "")
        for warning in metrics.warnings:
            table.add_row(Text(f"⚠ {warning}", style="bold yellow"), "")
        self.update(table)
