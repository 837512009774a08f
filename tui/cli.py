"""The `postmortem` command.

Only click is imported at module level. Textual is imported by the commands that
open the UI, and the data layer by the commands that touch the database, so
`postmortem list` costs about one SQLModel import and no more.

Every user error is one line on stderr and exit status 1. Anything else is a
bug: still one line (set POSTMORTEM_DEBUG=1 for the traceback), never a wall of
Python at someone who is trying to write up an outage.
"""

from __future__ import annotations

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
        _say(f"error: {self.format_message()}")


# Messages are written one line long at their source; this cap only guards the
# terminal against a message that embeds something huge by mistake.
_MESSAGE_LIMIT = 1_000


def _say(message: str) -> None:
    """One line on stderr, whatever the message holds: line ends and control
    characters escaped (a message can quote a hostile file name or key), cut to
    a sane length. Errors are the one output scripts parse line by line."""
    from models.usertext import one_line

    click.echo(f"postmortem: {one_line(message, _MESSAGE_LIMIT)}", err=True)


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
    for notice in store.notices:
        click.echo(f"postmortem: {notice}", err=True)
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
        notices: list[str] = []
        store = Store(open_engine(target, notices=notices), target.label)
        store.notices = notices
        return store

    from tui.app import PostmortemApp
    from tui.paste_guard import install

    install()  # control codes inside a paste must not become key presses
    app = PostmortemApp(opener)
    app.run()
    if app.error_message:
        raise UserError(app.error_message)
    if damage := app.final_check():
        raise UserError(damage)
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
    from models.interchange import dumps
    from models.timefmt import duration_words, local_time
    from models.timeparse import format_rfc3339

    store = _store(ctx)
    summaries = store.list_postmortems(search)
    if as_json:
        click.echo(
            dumps(
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
                        "problems": list(s.problems),
                    }
                    for s in summaries
                ]
            ),
            nl=False,
        )
        return
    if not summaries:
        hint = "no matches" if search else "no postmortems yet; `postmortem` opens the app"
        click.echo(hint, err=True)
        return
    rows = [
        tuple(
            " ".join(cell.split())  # one row per postmortem, whatever a title holds
            for cell in (
                str(s.id),
                s.severity,
                s.status.replace("_", " "),  # people read "in review"; --json keeps the value
                local_time(s.started, s.timezone, "%Y-%m-%d %H:%M"),
                duration_words(s.impact_duration),
                str(s.open_actions),
                s.title,
            )
        )
        for s in summaries
    ]
    header = ("ID", "SEV", "STATUS", "STARTED", "DURATION", "OPEN", "TITLE")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))
    for s in summaries:
        if s.problems:
            _say(f"warning: postmortem {s.id}: {'; '.join(s.problems)}")


def _write_file(path: Path, content: str, *, force: bool) -> None:
    """Write atomically (models.safefile), refusing to replace an existing file unless forced."""
    from models.safefile import TargetExistsError, write_file

    try:
        write_file(path, content, overwrite=force)
    except TargetExistsError as exc:
        raise UserError(f"{exc}; use --force to overwrite it") from exc


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
    from models.stored import problems, summary

    store = _store(ctx)
    pm = store.load(store.resolve_ref(ref))
    content = render(pm, fmt, with_mermaid=mermaid)
    if output is None:
        click.echo(content, nl=False)
    else:
        _write_file(output, content, force=force)
        click.echo(f"wrote {output}", err=True)
    if found := problems(pm):
        _say(f"warning: postmortem {pm.id}: {summary(found)}; exported as stored")


def _sqlite_file(ctx: click.Context, command: str) -> tuple[Path, str]:
    """The database file of this command's target; URLs of other databases and
    in-memory ones are refused in one line."""
    from models.paths import resolve

    target = resolve(_db(ctx))
    if target.path is None:
        scheme = target.url.split(":", 1)[0].split("+", 1)[0]
        if scheme != "sqlite":
            raise UserError(
                f"postmortem {command} works on SQLite files; use {scheme}'s own tools "
                "(for PostgreSQL, pg_dump)"
            )
        raise UserError(f"postmortem {command}: the database is in memory, there is no file")
    if not target.path.is_file():
        raise UserError(f"no database file at {target.path}")
    return target.path, target.label


@cli.command()
@db_option
@click.argument("path", required=False, type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.pass_context
def backup(ctx: click.Context, path: str | None, force: bool) -> None:
    """Copy the database to PATH, consistently, even while the app is writing to it.

    PATH defaults to DATABASE.<UTC time>.bak beside the database; a directory
    receives a file of that name. The copy is checked, made readable by you only
    (0600), and never replaces a file unless --force is given. To restore, see
    the README: quit the app, then copy the backup over the database.
    """
    from models.backup import backup_database, default_name
    from models.safefile import TargetExistsError

    source, label = _sqlite_file(ctx, "backup")
    try:  # even asking can fail: a name too long for the file system, a loop of links
        if path is None:
            dest = source.with_name(default_name(source))
        elif Path(path).is_dir():
            dest = Path(path) / default_name(source)
        elif path.endswith(("/", os.sep)):
            raise UserError(f"cannot write in {path}: no such directory")
        else:
            dest = Path(path)
        if dest.resolve() in {source, Path(f"{source}-wal"), Path(f"{source}-shm")}:
            raise UserError(f"{dest} is the database itself; give another PATH")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc

    try:
        result = backup_database(source, dest, label=label, overwrite=force)
    except TargetExistsError as exc:
        raise UserError(f"{exc}; use --force to overwrite it") from exc
    count = "1 postmortem" if result.postmortems == 1 else f"{result.postmortems} postmortems"
    click.echo(str(result.path))
    click.echo(f"backed up {count} ({_size(result.size)}) from {label}", err=True)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


@cli.command()
@click.argument("database", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Directory for the files (default: ./DATABASE-salvage); created if missing.",
)
@click.pass_context
def salvage(ctx: click.Context, database: Path, out_dir: Path | None) -> None:
    """Get every readable postmortem out of a damaged DATABASE as postmortem/v1 files.

    DATABASE is only read (from a private copy). Each postmortem becomes
    DIR/<id>-<slug>.json, ready for `postmortem import` into a new library; the
    paths written are printed, and what could not be read is reported.
    """
    from models.safefile import current_umask
    from models.salvage import salvage as run_salvage
    from models.usertext import one_line

    try:  # even asking can fail: a name too long for the file system, a loop of links
        if not database.is_file():
            raise UserError(f"no database file at {database}")
        with database.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise UserError(f"{database} is not a SQLite database")
        out_dir = out_dir or Path(f"{database.name}-salvage")
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise UserError(f"{out_dir} already exists and is not an empty directory; use -o DIR")
        created = not out_dir.exists()
    except OSError as exc:
        raise UserError(f"cannot use {exc.filename or database}: {exc.strerror or exc}") from exc
    try:
        out_dir.mkdir(mode=0o777 & ~current_umask(), exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    try:
        report = run_salvage(database, out_dir, label=str(database))
    except BaseException:
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    for path in report.written:
        click.echo(str(path))
    total = len(report.written) + len(report.unreadable)
    summary = f"salvaged {len(report.written)} of {total} postmortems into {out_dir}"
    if report.unreadable:
        first_id, why = next(iter(report.unreadable.items()))
        ids = ", ".join(str(i) for i in report.unreadable)
        summary += f"; could not read {ids} (e.g. {first_id}: {why})"
    if report.damaged_tables:
        # Rows lost in a damaged page can't be traced to their postmortem, so
        # say plainly that an empty list in a salvaged file may be a loss.
        lost = ", ".join(f"{t.replace('_', ' ')}s" for t in report.damaged_tables)
        summary += (
            f"; rows lost to damage in: {', '.join(report.damaged_tables)}, so any salvaged "
            f"postmortem may be missing some {lost}: compare with your latest backup"
        )
    click.echo(one_line(summary), err=True)  # one line, whatever the directory is called
    if report.unreadable or report.damaged_tables:
        ctx.exit(1)


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
    from models.textfile import read_text

    documents = []
    for path in files:
        name = str(path)
        try:
            documents.append(from_document(loads(read_text(path, name), name)))
        except PostmortemError as exc:
            message = str(exc)
            raise UserError(message if message.startswith(name) else f"{name}: {message}") from exc
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
@click.option(
    "--skip-unreadable",
    is_flag=True,
    help="Add the other events when some lines' times can't be read; those lines are "
    "listed as left out.",
)
@click.pass_context
def timeline_import(
    ctx: click.Context,
    ref: str,
    file: Path,
    on_date: str | None,
    dry_run: bool,
    as_json: bool,
    skip_unreadable: bool,
) -> None:
    """Add the events of a chat log or log FILE ('-' for stdin) to REF's timeline.

    Lines starting with a time (14:32, [1:58 PM], 2021-06-08T09:47:13.802+0000,
    syslog, epoch seconds, ...) become events; IRC, weechat, ZNC and Slack layouts
    give the actor; a line without a time continues the event above. Events already
    on the timeline are skipped. Every line is accounted for: the preview (and the
    summary) says which were joined, left out or refused, and which date and zone
    were assumed. A line whose time can't be read stops the import (nothing is
    added) unless --skip-unreadable is given. Milestones the import moves are named.
    """
    import datetime as dt

    from models.interchange import dumps
    from models.logimport import choose_reference, plan_import
    from models.metrics import compute
    from models.textfile import read_text
    from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE
    from models.usertext import one_line, shown

    reference: dt.date | None = None
    if on_date:
        try:
            reference = dt.date.fromisoformat(on_date.strip())
        except ValueError as exc:
            raise UserError(f"--date {shown(on_date)} is not a date like 2026-11-28") from exc
        if not FIRST_YEAR <= reference.year <= LAST_YEAR:
            raise UserError(f"--date {shown(on_date)} is outside the accepted years, {TIME_RANGE}")
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
        milestones_before=compute(pm.events, now=now).milestones,
    )
    if skip_unreadable:
        plan = plan.leaving_out_refused()
    refusal = plan.refusal()
    added: int | None = None
    if not refusal and not dry_run:
        added = store.add_events(pm.id, plan.rows()) if plan.to_add else 0
    if as_json:
        click.echo(dumps(plan.as_json(added=added)), nl=False)
    elif dry_run:  # the preview: events on stdout, what was assumed or left out on stderr
        _print_plan(plan)
        for notice in plan.warnings():
            click.echo(one_line(f"{notice.level}: {notice.text}"), err=True)
    if refusal:
        raise UserError(f"{source}: {refusal}")
    if not as_json:
        click.echo(one_line(plan.summary(done=not dry_run)), err=True)


def _print_plan(plan: Any) -> None:
    """The events a log would add, one a line, times in the postmortem's zone."""
    from models.timeparse import to_zone
    from models.usertext import printable

    rows = [
        (
            f"{to_zone(e.at, plan.tz):%Y-%m-%d %H:%M:%S}",
            e.kind,
            printable(e.actor),
            printable(e.text.split("\n", 1)[0]) + (" …" if "\n" in e.text else ""),
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
    from models.errors import UnreadableError
    from models.usertext import shown

    store = _store(ctx)
    pm_id = store.resolve_ref(ref)
    # From the library's summary, which any stored row allows: deleting is the way
    # out for a postmortem holding a value this version can't read.
    title = next((s.title for s in store.list_postmortems() if s.id == pm_id), "")
    if not yes:
        # With nothing on stdin the prompt reads EOF and aborts: never a silent delete.
        click.confirm(f"Delete postmortem {pm_id} {shown(title)} and everything in it?", abort=True)
    try:
        store.delete_postmortem(pm_id)
    except UnreadableError:
        store.purge_postmortem(pm_id)  # the shell has no undo: nothing is lost by it
    click.echo(f"deleted {pm_id} {shown(title)}", err=True)


# search, actions, stats and check (issue 12) live in their own module.
from tui import cli_library as _library  # noqa: E402, F401


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every failure into one line and an exit status."""
    from models.errors import PostmortemError

    try:
        status = cli.main(args=argv, prog_name="postmortem", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("postmortem: aborted", err=True)
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as exc:  # `postmortem timeline`: help was asked for
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # Click's own form is four lines (usage, hint, blank, error) and echoes what
        # was typed: one line here, like every other error, with that text escaped.
        from models.usertext import one_line

        where = exc.ctx.command_path if exc.ctx is not None else "postmortem"
        _say(f"error: {one_line(exc.format_message(), 300)} (see '{where} --help')")
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _say(f"error: {exc.format_message()}")  # a UserError, or Click's file errors
        sys.exit(exc.exit_code)
    except PostmortemError as exc:
        _say(f"error: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, keep the traceback opt-in
        if os.environ.get("POSTMORTEM_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (set POSTMORTEM_DEBUG=1 for details)")
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
