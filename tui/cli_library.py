"""Commands that look across the library: `search`, `actions`, `stats`, `check`.

Registered on the `postmortem` group by tui.cli. Like `list`, none of them
loads the UI. Exit statuses follow the tools people script them with:
`actions --exit-code` exits 3 when an action listed is overdue (for cron, a
shell prompt or CI), and `check` exits 2 when it has findings, like a linter
(0 clean, 1 an error).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tui.cli import UserError, _store, cli, db_option

if TYPE_CHECKING:
    from models.library import ActionRow
    from models.search import Results

EXIT_OVERDUE = 3
EXIT_FINDINGS = 2


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _one_line(text: str, width: int | None = None) -> str:
    from models.usertext import printable

    line = " ".join(printable(text).split())
    if width is not None and len(line) > width:
        line = line[: max(1, width - 1)] + "…"
    return line


# ------------------------------------------------------------------ search


@cli.command()
@db_option
@click.argument("words", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="At most this many postmortems.",
)
@click.pass_context
def search(ctx: click.Context, words: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Full-text search over every postmortem, best match first.

    WORDS must all appear in one place (a title, an event, a why, an action
    item...); case, accents and word endings don't matter. "a phrase" in quotes
    (quote it for the shell too: '"connection pool"'), pgbounc* for a prefix,
    -word to leave out, a OR b. Filters narrow by postmortem: service:NAME
    tag:NAME sev:1,2 status:draft|in_review|final after:DATE before:DATE
    (YYYY[-MM[-DD]], the incident's start date).
    """
    from models.timeparse import format_rfc3339

    text = " ".join(words)
    if not text.strip():
        raise UserError("search needs words or filters, e.g. postmortem search pgbouncer sev:1,2")
    store = _store(ctx)
    results = store.search(text, limit=limit)
    if as_json:
        click.echo(json.dumps(_search_json(results, format_rfc3339), indent=2, ensure_ascii=False))
        return
    if not results.results:
        click.echo("no matches", err=True)
        return
    for result in results.results:
        facts = result.facts
        day = facts.day.isoformat()
        head = f"{facts.id:>4}  {facts.severity:<4}  {day}  {_one_line(facts.title)}"
        click.echo(head)
        for match in result.matches:
            click.echo(f"        {match.section}/{match.where}: {_highlight(match)}")
        if result.total > len(result.matches):
            more = result.total - len(result.matches)
            click.echo(f"        … {more} more match{'es' if more != 1 else ''}")
    if results.more:
        click.echo(f"more postmortems match; --limit {limit * 2} shows more", err=True)


def _highlight(match: Any) -> str:
    """The snippet with matches in bold when stdout is a terminal, plain otherwise."""
    import sys

    from models.usertext import printable

    styled = sys.stdout.isatty()
    out = []
    for piece, hit in match.pieces():
        piece = printable(piece).replace("\n", " ")
        out.append(click.style(piece, bold=True) if hit and styled else piece)
    return "".join(out).strip()


def _search_json(results: Results, rfc3339: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pm_id,
            "slug": r.slug,
            "title": r.title,
            "severity": r.facts.severity,
            "status": r.facts.status,
            "started": rfc3339(r.facts.started) if r.facts.started else None,
            "score": round(-r.score, 4),
            "matches_total": r.total,
            "matches": [
                {
                    "section": m.section,
                    "where": m.where,
                    "table": m.table,
                    "row_id": m.row_id,
                    "field": m.field,
                    "snippet": m.plain,
                }
                for m in r.matches
            ],
        }
        for r in results.results
    ]


# ------------------------------------------------------------------ actions


@cli.command()
@db_option
@click.option("--open", "open_only", is_flag=True, help="Only open and in-progress items.")
@click.option("--overdue", is_flag=True, help="Only open items past their due date.")
@click.option(
    "--owner", metavar="NAME", help="Only items whose owner contains NAME ('-' for none)."
)
@click.option(
    "--priority",
    "-p",
    multiple=True,
    type=click.Choice(["P0", "P1", "P2", "P3"]),
    help="Only these priorities (repeat for several).",
)
@click.option("--service", metavar="NAME", help="Only items of postmortems listing this service.")
@click.option(
    "--sort",
    type=click.Choice(["due", "priority"]),
    default="due",
    show_default=True,
    help="Earliest due date first, or P0 first.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--exit-code",
    is_flag=True,
    help=f"Exit {EXIT_OVERDUE} when any item listed is overdue (for cron, prompts and CI).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing (with --exit-code).")
@click.option(
    "--ics",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the open items' due dates as an iCalendar file, for any calendar.",
)
@click.option("--force", is_flag=True, help="Overwrite the --ics FILE if it exists.")
@click.pass_context
def actions(
    ctx: click.Context,
    open_only: bool,
    overdue: bool,
    owner: str | None,
    priority: tuple[str, ...],
    service: str | None,
    sort: str,
    as_json: bool,
    exit_code: bool,
    quiet: bool,
    ics: Path | None,
    force: bool,
) -> None:
    """Every action item of every postmortem, earliest due first.

    Overdue means open (or in progress) with a due date before today in the
    postmortem's timezone. With --ics, every open item with a due date that the
    filters select becomes an all-day event on its due date.
    """
    from models.action_view import ActionFilter
    from models.library import action_rows

    store = _store(ctx)
    now = _now()
    with store.session() as s:
        rows = action_rows(s.connection())
    chosen = ActionFilter(
        open_only=open_only,
        overdue=overdue,
        owner=None if owner is None else ("" if owner.strip() in ("", "-") else owner),
        priorities=frozenset(priority),
        service=service,
        sort=sort,
    )
    picked = chosen.apply(rows, now)
    late = [r for r in picked if r.is_overdue(now)]
    if ics is not None:
        from models.calendar import to_ics
        from tui.cli import _write_file

        dated = [r for r in picked if r.is_open and r.due is not None]
        _write_file(ics, to_ics(dated, now=now), force=force)
        if not quiet:
            click.echo(
                f"wrote {len(dated)} due date{'s' if len(dated) != 1 else ''} to {ics}", err=True
            )
    elif quiet:
        pass
    elif as_json:
        click.echo(json.dumps([_action_json(r, now) for r in picked], indent=2, ensure_ascii=False))
    elif not picked:
        click.echo("no action items" + (" match" if rows else " yet"), err=True)
    else:
        _print_actions(picked, now)
        summary = f"{len(picked)} action item{'s' if len(picked) != 1 else ''}"
        if late:
            summary += f", {len(late)} overdue"
        click.echo(summary, err=True)
    if exit_code and late:
        ctx.exit(EXIT_OVERDUE)


def _action_json(row: ActionRow, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": row.id,
        "postmortem_id": row.pm_id,
        "postmortem": row.pm_title,
        "title": row.title,
        "owner": row.owner,
        "due": row.due.isoformat() if row.due else None,
        "priority": row.priority,
        "kind": row.kind,
        "status": row.status,
        "ticket": row.ticket,
        "overdue": row.is_overdue(now),
        "services": list(row.pm_services),
    }


def _print_actions(rows: list[ActionRow], now: dt.datetime) -> None:
    table = [
        (
            (row.due.isoformat() if row.due else "—") + (" !" if row.is_overdue(now) else ""),
            row.priority,
            row.status.replace("_", " "),
            _one_line(row.owner, 18) or "—",
            f"#{row.pm_id}",
            _one_line(row.title),
        )
        for row in rows
    ]
    header = ("DUE", "PRI", "STATUS", "OWNER", "PM", "ACTION")
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header) - 1)]
    for line in [header, *table]:
        cells = [c.ljust(w) for c, w in zip(line, widths, strict=False)]
        click.echo("  ".join([*cells, line[-1]]))


# ------------------------------------------------------------------ stats


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--since", metavar="DATE", help="Only incidents that started on or after DATE.")
@click.option(
    "--by",
    type=click.Choice(["month", "quarter"]),
    default="month",
    show_default=True,
    help="Group incidents by month or by quarter.",
)
@click.pass_context
def stats(ctx: click.Context, as_json: bool, since: str | None, by: str) -> None:
    """Trends: incidents per period by severity, median and 90th percentile time
    to detect, mitigate and resolve, breakdowns by service, tag, fishbone
    category and root cause, and action items done, open and overdue.

    Each figure says what it counts; a postmortem missing a milestone is left
    out of that figure and counted, never taken as zero.
    """
    from models.errors import PostmortemError
    from models.search.query import parse_date
    from models.stats import load, report

    start: dt.date | None = None
    if since:
        try:
            start = parse_date(since, "--since")
        except PostmortemError as exc:
            raise UserError(str(exc).replace("--since:", "--since", 1)) from exc
    store = _store(ctx)
    with store.session() as s:
        figures = load(s.connection(), now=_now(), since=start, by=by)
    if as_json:
        click.echo(json.dumps(figures.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(report(figures), nl=False)


# ------------------------------------------------------------------ check


@cli.command()
@db_option
@click.argument("refs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--words",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A TOML file extending the blaming-language list and allow-list.",
)
@click.pass_context
def check(ctx: click.Context, refs: tuple[str, ...], as_json: bool, words: Path | None) -> None:
    """Is a postmortem ready for review? Checks stored postmortems (REF: id or
    slug) or postmortem/v1 FILEs.

    Reports sections short of the completeness rules, missing or out-of-order
    milestones, open action items without an owner or due date, overdue items,
    and blaming language, each as `section/field: message`. Exit 0 when clean,
    2 with findings, 1 on an error.
    """
    from models.blameless import load_language
    from models.check import check as run_check
    from models.errors import PostmortemError

    language = load_language(words, required=words is not None)
    now = _now()
    reports: list[dict[str, Any]] = []
    failed = False
    store = None
    for ref in refs:
        try:
            if ref == "-" or ref.endswith(".json") or Path(ref).is_file():
                pm, source = _read_file(ref), ref
            else:
                store = store or _store(ctx)
                pm = store.load(store.resolve_ref(ref))
                source = ref
        except PostmortemError as exc:
            click.echo(f"postmortem: error: {exc}", err=True)
            failed = True
            continue
        findings = run_check(pm, now=now, language=language)
        reports.append(
            {
                "source": source,
                "id": pm.id,
                "title": pm.title,
                "findings": findings,
            }
        )
    if as_json:
        click.echo(
            json.dumps(
                [{**r, "findings": [f.as_json() for f in r["findings"]]} for r in reports],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for r in reports:
            for finding in r["findings"]:
                click.echo(f"{_one_line(r['source'])}: {finding}")
        total = sum(len(r["findings"]) for r in reports)
        if reports:
            click.echo(
                f"{total} finding{'s' if total != 1 else ''} in {len(reports)} "
                f"postmortem{'s' if len(reports) != 1 else ''}"
                + (f" (blaming-language list: {language.source})" if words else ""),
                err=True,
            )
    if failed:
        ctx.exit(1)
    if any(r["findings"] for r in reports):
        ctx.exit(EXIT_FINDINGS)


def _read_file(ref: str) -> Any:
    """A postmortem/v1 file (or '-' for stdin), read and validated, never stored."""
    import sys

    from models.interchange import from_document, loads
    from models.textfile import read_text

    text = sys.stdin.read() if ref == "-" else read_text(Path(ref), ref)
    try:
        return from_document(loads(text, ref))
    except Exception as exc:
        message = str(exc)
        from models.errors import PostmortemError

        if isinstance(exc, PostmortemError):
            raise PostmortemError(
                message if message.startswith(ref) else f"{ref}: {message}"
            ) from exc
        raise
