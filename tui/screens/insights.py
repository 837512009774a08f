"""Insights: trends across the library, reached from the library with ``i``.

Charts (textual-plotext) of incidents per month or quarter by severity and of
the median and 90th percentile time to detect, mitigate and resolve; then the
breakdowns (services, tags, fishbone categories, root causes, action items),
each saying what it counts and how many postmortems it left out. The figures
are models.stats, the same as `postmortem stats`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from models.enums import Severity
from models.errors import PostmortemError
from models.stats import DEFINITIONS, DURATIONS, Count, Figure, Stats
from models.timefmt import duration_words
from models.usertext import printable

if TYPE_CHECKING:
    from tui.app import PostmortemApp

SEVERITY_COLORS = {
    "SEV1": "red",
    "SEV2": "orange",
    "SEV3": "cyan",
    "SEV4": "blue",
    "SEV5": "gray",
}
DURATION_COLORS = {"time_to_detect": "cyan", "time_to_mitigate": "orange", "time_to_resolve": "red"}
SHORT = {"time_to_detect": "detect", "time_to_mitigate": "mitigate", "time_to_resolve": "resolve"}


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _ticks(labels: list[str], width: int) -> tuple[list[int], list[str]]:
    """Every n-th period label, so they fit a chart ``width`` cells wide."""
    if not labels:
        return [], []
    room = max(1, width // 9)
    step = max(1, -(-len(labels) // room))
    picked = list(range(0, len(labels), step))
    return [i + 1 for i in picked], [labels[i] for i in picked]


class InsightsScreen(Screen[None]):
    CSS_PATH = "insights.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Library", id="insights.back"),
        Binding("b", "toggle_by", "Month/quarter", id="insights.by"),
        Binding("s", "since", "Since…", id="insights.since"),
        Binding("j", "scroll(1)", "Down", show=False, id="insights.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="insights.up"),
    ]

    def __init__(self) -> None:
        super().__init__(name="insights")
        self.by = "month"
        self.since: dt.date | None = None
        self.stats: Stats | None = None

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="insights-body"):
            yield Static("", id="insights-scope", markup=False)
            with Grid(id="insights-charts"):
                yield PlotextPlot(id="chart-incidents")
                yield PlotextPlot(id="chart-median")
                yield PlotextPlot(id="chart-p90")
                yield Static("", id="insights-durations", markup=False)
            with Grid(id="insights-tables"):
                for name in ("services", "tags", "categories", "roots", "actions"):
                    yield Static("", id=f"insights-{name}", classes="breakdown", markup=False)
            yield Static("", id="insights-definitions", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "postmortem"
        self.sub_title = "insights"
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 110, "narrow")
        if self.stats is not None:
            self.draw(self.stats)

    def reload(self) -> None:
        from models.stats import load

        try:
            with self.pm_app.store.session() as s:
                self.stats = load(
                    s.connection(), now=self.pm_app.clock(), since=self.since, by=self.by
                )
        except PostmortemError as exc:
            self.notify(str(exc), severity="error", timeout=30)
            return
        self.set_class(self.app.size.width < 110, "narrow")
        self.draw(self.stats)

    # ------------------------------------------------------------------ drawing

    def draw(self, stats: Stats) -> None:
        scope = f"since {stats.since.isoformat()}" if stats.since else "all time"
        line = f"{stats.postmortems} postmortems, {scope}, by {stats.by}"
        if stats.without_start:
            line += (
                f" · {stats.without_start} without a start time left out of the figures by period"
            )
        line += "   (b month/quarter · s since · j/k scroll)"
        self.query_one("#insights-scope", Static).update(line)
        self._incidents(stats)
        self._durations(
            stats, "median", "#chart-median", "Median time to detect, mitigate, resolve (h)"
        )
        self._durations(stats, "p90", "#chart-p90", "p90 time to detect, mitigate, resolve (h)")
        self.query_one("#insights-durations", Static).update(self._overall(stats))
        self.query_one("#insights-services", Static).update(
            self._counts("By service", stats.by_service, DEFINITIONS["by_service"])
        )
        self.query_one("#insights-tags", Static).update(
            self._counts("By tag", stats.by_tag, DEFINITIONS["by_tag"])
        )
        self.query_one("#insights-categories", Static).update(
            self._counts("Fishbone categories", stats.categories, DEFINITIONS["categories"])
        )
        self.query_one("#insights-roots", Static).update(
            self._counts("Root causes", stats.root_causes, DEFINITIONS["root_causes"])
        )
        self.query_one("#insights-actions", Static).update(self._actions(stats))
        defs = Text("Definitions\n", style="bold")
        for key, text in DEFINITIONS.items():
            defs.append(f"{key.replace('_', ' ')}: ", style="bold dim")
            defs.append(f"{text}\n", style="dim")
        self.query_one("#insights-definitions", Static).update(defs)

    def _incidents(self, stats: Stats) -> None:
        plot = self.query_one("#chart-incidents", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(f"Incidents per {stats.by}, by severity")
        labels = [p.label for p in stats.periods]
        if not labels:
            plt.title("Incidents per period: no incident with a start time yet")
            plot.refresh()
            return
        sevs = [s.value for s in Severity]
        x = list(range(1, len(labels) + 1))
        # Stacked by hand, one bar per (period, severity), tallest layer first so
        # each lower layer paints over it: plotext's own stacked_bar paints the
        # base row of every bar in the first series' colour, even at zero height.
        for layer in reversed(range(len(sevs))):
            labelled = False
            for i, period in enumerate(stats.periods):
                own = period.by_severity.get(sevs[layer], 0)
                if own <= 0:
                    continue
                height = sum(period.by_severity.get(s, 0) for s in sevs[: layer + 1])
                plt.bar(
                    [x[i]],
                    [height],
                    color=SEVERITY_COLORS[sevs[layer]],
                    width=0.8,
                    label=None if labelled else sevs[layer],
                )
                labelled = True
        plt.xlim(0.5, len(labels) + 0.5)
        positions, names = _ticks(labels, max(20, plot.size.width - 8))
        plt.xticks([float(p) for p in positions], names)
        top = max(1, max(p.incidents for p in stats.periods))
        step = max(1, -(-top // 5))
        plt.ylim(0, top * 1.15)
        plt.yticks([float(v) for v in range(0, top + 1, step)])  # counts are whole numbers
        plot.refresh()

    def _durations(self, stats: Stats, which: str, selector: str, title: str) -> None:
        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        labels = [p.label for p in stats.periods]
        drawn = False
        for key, _, _, _ in DURATIONS:
            points = [
                (i + 1, _hours(value))
                for i, p in enumerate(stats.periods)
                if (value := getattr(p.durations[key], which)) is not None
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                plt.plot(
                    list(xs),
                    list(ys),
                    label=SHORT[key],
                    color=DURATION_COLORS[key],
                    marker="braille",
                )
                drawn = True
        if drawn:
            plt.xlim(0.5, len(labels) + 0.5)
            positions, names = _ticks(labels, max(20, plot.size.width - 8))
            plt.xticks([float(p) for p in positions], names)
        else:
            plt.title(f"{title}: no incident has the milestones yet")
        plot.refresh()

    @staticmethod
    def _overall(stats: Stats) -> RenderableType:
        table = Table(
            title="Durations over every period", title_justify="left", expand=True, box=None
        )
        table.add_column("", style="bold")
        table.add_column("median", justify="right")
        table.add_column("p90", justify="right")
        table.add_column("n", justify="right")
        table.add_column("left out", justify="right")
        labels = {key: label for key, label, _, _ in DURATIONS}
        for key, f in stats.overall.items():
            table.add_row(
                labels[key],
                duration_words(f.median),
                duration_words(f.p90),
                str(f.count),
                _left_out(f),
            )
        note = Text(
            "per incident, between its first milestones; missing or out-of-order milestones "
            "are left out, never counted as zero",
            style="dim",
        )
        return Group(table, note)

    @staticmethod
    def _counts(title: str, items: list[Count], definition: str) -> RenderableType:
        table = Table(title=title, title_justify="left", expand=True, box=None, show_header=False)
        table.add_column("name", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("count", justify="right")
        top = max((c.count for c in items), default=0)
        for c in items:
            bar = "█" * max(1, round(8 * c.count / top)) if top else ""
            table.add_row(Text(printable(c.name)), Text(f"{c.count:>3} {bar}", style="cyan"))
        if not items:
            table.add_row(Text("none yet", style="dim"), "")
        return Group(table, Text(definition, style="dim"))

    @staticmethod
    def _actions(stats: Stats) -> RenderableType:
        a = stats.actions
        table = Table(
            title="Action items", title_justify="left", expand=True, box=None, show_header=False
        )
        table.add_column("what", ratio=1)
        table.add_column("count", justify="right")
        table.add_row("done", str(a.done))
        table.add_row("won't do", str(a.wont_do))
        table.add_row("open (incl. in progress)", Text(str(a.open), style="bold"))
        table.add_row("  in progress", str(a.in_progress))
        table.add_row("  overdue", Text(str(a.overdue), style="bold red" if a.overdue else ""))
        for label, n in a.age_buckets.items():
            table.add_row(f"  open {label}", str(n))
        if a.age_median_days is not None and a.age_p90_days is not None:
            table.add_row(
                "  open age median / p90", f"{a.age_median_days:.0f} / {a.age_p90_days:.0f} d"
            )
        return Group(table, Text(DEFINITIONS["action_age"], style="dim"))

    # ------------------------------------------------------------------ keys

    def action_toggle_by(self) -> None:
        self.by = "quarter" if self.by == "month" else "month"
        self.reload()

    def action_since(self) -> None:
        from models.search.query import QueryError, parse_date
        from tui.screens.dialogs import PromptDialog

        def check(text: str) -> str | None:
            if not text.strip():
                return None
            try:
                parse_date(text, "since")
            except QueryError as exc:
                return str(exc)
            return None

        def entered(text: str | None) -> None:
            if text is None:
                return
            self.since = parse_date(text, "since") if text.strip() else None
            self.reload()

        self.app.push_screen(
            PromptDialog(
                "Only incidents since (YYYY, YYYY-MM or YYYY-MM-DD; empty for all time)",
                self.since.isoformat() if self.since else "",
                check=check,
            ),
            entered,
        )

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#insights-body", VerticalScroll)
        body.scroll_relative(y=step * 3, animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()


def _left_out(f: Figure) -> str:
    parts = []
    if f.missing:
        parts.append(f"{f.missing} missing")
    if f.out_of_order:
        parts.append(f"{f.out_of_order} out of order")
    return ", ".join(parts) or "none"
