"""The `postmortem` command.

Only click is imported at module level. Textual is imported by the commands that
open the UI, and the data layer by the commands that touch the database, so
`postmortem list` costs about one SQLModel import and no more.

Every user error is one line on stderr and exit status 1. Anything else is a
bug: still one line (set POSTMORTEM_DEBUG=1 for the traceback), never a wall of
Python at someone who is trying to write up an outage.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from models.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """Printed as `postmortem: error: ...`, exit 1."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"postmortem: error: {self.format_message()}", err=True)


def db_option(func: F) -> F:
    """--db on the group and on every subcommand: people type it in either place."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.ensure_object(dict)["db"] = value
        return value

    return click.option(
        "--db",
        metavar="PATH|URL",
        expose_value=False,
        callback=remember,
        help="Database file or SQLAlchemy URL (default: $POSTMORTEM_DB, else the per-user file).",
    )(func)


def _db(ctx: click.Context) -> str | None:
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    return obj.get("db") or (ctx.obj or {}).get("db")


def _store(ctx: click.Context) -> Store:
    """Open the store for this command; it is closed (and checkpointed) when the command ends."""
    from models.store import open_store

    store = open_store(_db(ctx))
    ctx.call_on_close(store.close)
    return store


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name="postmortem", prog_name="postmortem")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Write incident postmortems offline, from the keyboard.

    With no command, opens the app on your library.
    """
    ctx.ensure_object(dict)
    if ctx.invoked_subcommand is None:
        _run_app(_db(ctx))


def _run_app(db: str | None, *, demo: bool = False, reset: bool = False) -> None:
    """Start the UI at once; the database opens in a worker after the first frame."""
    from models.paths import demo_target, resolve

    target = demo_target() if demo else resolve(db)

    def opener() -> Store:
        from models.db import open_engine
        from models.store import Store

        if demo:
            return _open_demo(target, reset=reset)
        return Store(open_engine(target), target.label)

    from tui.app import PostmortemApp

    app = PostmortemApp(opener)
    app.run()
    if app.error_message:
        raise UserError(app.error_message)
    if app.return_code:
        sys.exit(app.return_code)


def _open_demo(target: Any, *, reset: bool) -> Store:
    """Open the demo's own file, seeding it when empty; --reset starts it afresh.

    Returns the open store, so the app doesn't open and check the file twice."""
    from models.db import open_engine
    from models.demo import DEMO
    from models.interchange import from_document
    from models.store import Store

    if reset and target.path is not None and target.path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target.path}{suffix}").unlink(missing_ok=True)
    store = Store(open_engine(target), target.label)
    if not store.list_postmortems():
        store.save_new(from_document(DEMO))
    return store


@cli.command()
@db_option
@click.option("--reset", is_flag=True, help="Throw away changes made to the demo and start again.")
def demo(reset: bool) -> None:
    """Open the app on a sample postmortem, in its own demo database."""
    _run_app(None, demo=True, reset=reset)


@cli.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--search", "-s", default="", help="Only those whose title, tags or services match.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool, search: str) -> None:
    """List postmortems, newest incident first."""
    from models.timefmt import duration_words, local_time
    from models.timeparse import format_rfc3339

    store = _store(ctx)
    summaries = store.list_postmortems(search)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "slug": s.slug,
                        "title": s.title,
                        "severity": s.severity,
                        "status": s.status,
                        "timezone": s.timezone,
                        "started": format_rfc3339(s.started) if s.started else None,
                        "impact_duration_s": None
                        if s.impact_duration is None
                        else round(s.impact_duration),
                        "open_action_items": s.open_actions,
                        "tags": s.tags,
                        "services": s.services,
                        "updated_at": format_rfc3339(s.updated_at),
                    }
                    for s in summaries
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not summaries:
        hint = "no matches" if search else "no postmortems yet; `postmortem` opens the app"
        click.echo(hint, err=True)
        return
    from models.usertext import printable

    rows = [
        (
            str(s.id),
            s.severity,
            s.status,
            local_time(s.started, s.timezone, "%Y-%m-%d %H:%M"),
            duration_words(s.impact_duration),
            str(s.open_actions),
            " ".join(printable(s.title).split()),
        )
        for s in summaries
    ]
    header = ("ID", "SEV", "STATUS", "STARTED", "DURATION", "OPEN", "TITLE")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))


def _write_file(path: Path, content: str, *, force: bool) -> None:
    """Write atomically, refusing to replace an existing file unless forced."""
    if path.is_dir():
        raise UserError(f"{path} is a directory")
    if path.exists() and not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    if not path.parent.exists():
        raise UserError(f"cannot write {path}: directory {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc


@cli.command()
@db_option
@click.argument("ref")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--mermaid", is_flag=True, help="Markdown: add a Mermaid ishikawa-beta block for the fishbone."
)
@click.pass_context
def export(
    ctx: click.Context, ref: str, fmt: str, output: Path | None, force: bool, mermaid: bool
) -> None:
    """Export the postmortem REF (its id or slug) as Markdown or JSON."""
    from models.exports import render

    store = _store(ctx)
    pm = store.load(store.resolve_ref(ref))
    content = render(pm, fmt, with_mermaid=mermaid)
    if output is None:
        click.echo(content, nl=False)
    else:
        _write_file(output, content, force=force)
        click.echo(f"wrote {output}", err=True)


@cli.command("import")
@db_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Import postmortem/v1 JSON files; prints the new id of each.

    Every file is validated before any is written, so a bad file imports nothing.
    """
    from models.errors import PostmortemError
    from models.interchange import from_document, loads

    documents = []
    for path in files:
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise UserError(f"{path}: no such file") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})"
            ) from exc
        try:
            documents.append(from_document(loads(text, str(path))))
        except PostmortemError as exc:
            message = str(exc)
            raise UserError(
                message if message.startswith(str(path)) else f"{path}: {message}"
            ) from exc
    store = _store(ctx)
    for pm in documents:
        click.echo(store.save_new(pm))


@cli.group()
def timeline() -> None:
    """Work on a postmortem's timeline from the shell."""


@timeline.command("import")
@db_option
@click.argument("ref")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--date",
    "on_date",
    metavar="YYYY-MM-DD",
    help="Date for lines with only a time (default: the incident's start, else today).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the preview (and what was added) as JSON."
)
@click.pass_context
def timeline_import(
    ctx: click.Context, ref: str, file: Path, on_date: str | None, dry_run: bool, as_json: bool
) -> None:
    """Add the events of a chat log or log FILE ('-' for stdin) to REF's timeline.

    Lines starting with a time (14:32, [1:58 PM], 2021-06-08T09:47:13.802+0000,
    syslog, epoch seconds, ...) become events; IRC, weechat, ZNC and Slack layouts
    give the actor; a line without a time continues the event above. Events already
    on the timeline are skipped. Every line is accounted for: the preview (and the
    summary) says which were joined, left out or refused, and which date and zone
    were assumed. A line whose time can't be read stops the import: nothing is added.
    """
    import datetime as dt

    from models.logimport import choose_reference, plan_import
    from models.metrics import compute
    from models.textfile import read_text
    from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE

    reference: dt.date | None = None
    if on_date:
        try:
            reference = dt.date.fromisoformat(on_date.strip())
        except ValueError as exc:
            raise UserError(f"--date {on_date!r} is not a date like 2026-11-28") from exc
        if not FIRST_YEAR <= reference.year <= LAST_YEAR:
            raise UserError(f"--date {on_date!r} is outside the accepted years, {TIME_RANGE}")
    source = "standard input" if str(file) == "-" else str(file)
    text = read_text(file, source)
    store = _store(ctx)
    pm = store.load(store.resolve_ref(ref))
    assert pm.id is not None
    now = dt.datetime.now(dt.UTC)
    day, date_source = choose_reference(
        reference, compute(pm.events, now=now).started, now, pm.timezone
    )
    plan = plan_import(
        text,
        pm.timezone,
        existing=((e.at, e.text, e.actor) for e in pm.events),
        reference=day,
        date_source=date_source,
        now=now,
    )
    refusal = plan.refusal()
    added: int | None = None
    if not refusal and not dry_run:
        added = store.add_events(pm.id, plan.rows()) if plan.to_add else 0
    if as_json:
        click.echo(json.dumps(plan.as_json(added=added), indent=2, ensure_ascii=False))
    elif dry_run:  # the preview: events on stdout, what was assumed or left out on stderr
        _print_plan(plan)
        for notice in plan.warnings():
            click.echo(f"{notice.level}: {notice.text}", err=True)
    if refusal:
        raise UserError(f"{source}: {refusal}")
    if not as_json:
        click.echo(plan.summary(done=not dry_run), err=True)


def _print_plan(plan: Any) -> None:
    """The events a log would add, one a line, times in the postmortem's zone."""
    from models.timeparse import to_zone

    rows = [
        (
            f"{to_zone(e.at, plan.tz):%Y-%m-%d %H:%M:%S}",
            e.kind,
            e.actor,
            e.text.split("\n", 1)[0] + (" …" if "\n" in e.text else ""),
        )
        for e in plan.to_add
    ]
    if not rows:
        return
    actor_w = min(20, max(5, *(len(r[2]) for r in rows)))
    click.echo(f"{'TIME':<19}  {'KIND':<13}  {'ACTOR':<{actor_w}}  TEXT  (times in {plan.tz})")
    for at, kind, actor, first in rows:
        click.echo(f"{at:<19}  {kind:<13}  {actor[:actor_w]:<{actor_w}}  {first}")


@cli.command()
@db_option
@click.argument("ref")
@click.option("--yes", "-y", is_flag=True, help="Don't ask for confirmation.")
@click.pass_context
def delete(ctx: click.Context, ref: str, yes: bool) -> None:
    """Delete the postmortem REF and everything in it."""
    store = _store(ctx)
    pm_id = store.resolve_ref(ref)
    title = store.load(pm_id).title
    if not yes:
        # With nothing on stdin the prompt reads EOF and aborts: never a silent delete.
        click.confirm(f"Delete postmortem {pm_id} {title!r} and everything in it?", abort=True)
    store.delete_postmortem(pm_id)
    click.echo(f"deleted {pm_id} {title!r}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every failure into one line and an exit status."""
    from models.errors import PostmortemError

    try:
        status = cli.main(args=argv, prog_name="postmortem", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("postmortem: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PostmortemError as exc:
        click.echo(f"postmortem: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, keep the traceback opt-in
        if os.environ.get("POSTMORTEM_DEBUG"):
            raise
        click.echo(
            f"postmortem: internal error: {type(exc).__name__}: {exc} "
            "(set POSTMORTEM_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
