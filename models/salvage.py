"""Salvage: every postmortem still readable in a damaged database, as postmortem/v1 files.

When a disk damages a few pages, most rows are usually intact; SQLite only
refuses the queries that cross a damaged page. Salvage reads each table in
rowid order, and when a read fails it seeks past the damage (rowid ranges
further on live in other pages) instead of giving up. The rows it could read
go into a fresh database of the current schema, through which each postmortem
is loaded and exported exactly as ``postmortem export --format json`` would,
so every file can be imported again. Children whose parent was lost are
dropped; a postmortem whose own row is readable keeps whatever children are.

The damaged file is never opened for writing: it (and its -wal, which holds
the latest commits) is copied into a private temporary directory first.
The same approach as SQLite's own ``.recover`` at table level; ``.recover``
goes further (it reads orphaned pages too) and is the next step if this is not
enough.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from models import safefile
from models.errors import DatabaseError

SKIP_LIMIT = 1 << 62  # rowids are 64-bit; probing doubles its step up to here


@dataclass
class SalvageReport:
    written: list[Path] = field(default_factory=list)
    unreadable: dict[int, str] = field(default_factory=dict)  # postmortem id -> why
    damaged_tables: list[str] = field(default_factory=list)  # tables where rows were skipped
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows read


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def read_rows(
    conn: sqlite3.Connection, table: str, columns: list[str]
) -> tuple[list[tuple[object, ...]], bool]:
    """Every readable row of ``table`` (rowid first), and whether damage was skipped.

    Reads in rowid order; after a failure at rowid R it probes R+1, R+2, R+4, ...
    until a read succeeds (and carries on from there) or a probe lies past the
    last row. Raises nothing: an unreadable table gives ([], True)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT rowid, {cols} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    rows: list[tuple[object, ...]] = []
    damaged = False
    start = -(1 << 63)
    while True:
        last = start
        try:
            for row in conn.execute(sql, (start,)):
                rows.append(tuple(row))
                last = int(row[0])
            return rows, damaged
        except sqlite3.Error:
            damaged = True
        step = 1
        while True:
            probe = last + step
            if probe >= SKIP_LIMIT:
                return rows, damaged
            try:
                first = conn.execute(
                    f'SELECT rowid FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT 1', (probe,)
                ).fetchone()
            except sqlite3.Error:
                step *= 2
                continue
            if first is None:  # past the last row
                return rows, damaged
            start = probe
            break


def _columns(conn: sqlite3.Connection, table: str) -> list[str] | None:
    try:
        return [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.Error:
        return None


def _copy_source(source: Path, work: Path) -> Path:
    copy = work / "damaged.db"
    try:
        shutil.copyfile(source, copy)
        wal = Path(f"{source}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
    except OSError as exc:
        raise DatabaseError(f"cannot read {source}: {safefile.reason(exc)}") from exc
    return copy


def salvage(source: Path, out_dir: Path, *, label: str | None = None) -> SalvageReport:
    """Write every readable postmortem of ``source`` to ``out_dir`` as ``<id>-<slug>.json``.

    ``out_dir`` must exist; no file in it is overwritten. Raises DatabaseError when
    the file is not SQLite or its schema can't be read at all (then only
    ``sqlite3 FILE .recover`` can help), WriteError when a file can't be written.
    """
    from sqlmodel import SQLModel

    from models.db import open_engine
    from models.interchange import dumps, to_document
    from models.paths import Target
    from models.slug import slugify
    from models.store import Store

    label = label or str(source)
    report = SalvageReport()
    with tempfile.TemporaryDirectory(prefix="postmortem-salvage-") as tmp:
        work = Path(tmp)
        damaged = sqlite3.connect(_copy_source(source, work))
        damaged.text_factory = _decode
        fresh_path = work / "salvaged.db"
        store = Store(open_engine(Target(f"sqlite:///{fresh_path}", fresh_path)), str(fresh_path))
        try:
            out = sqlite3.connect(fresh_path)
            out.execute("PRAGMA foreign_keys=OFF")
            try:
                for table in SQLModel.metadata.sorted_tables:
                    _copy_table(damaged, out, table.name, [c.name for c in table.columns], report)
                out.commit()
            finally:
                out.close()
            if not report.rows.get("postmortem"):
                if "postmortem" not in report.damaged_tables:
                    return report  # a whole, empty library
                raise DatabaseError(
                    f"cannot read the postmortems of {label} at all; try: "
                    f"sqlite3 {label} .recover | sqlite3 recovered.db"
                )
            for pm_id in _ids(fresh_path):
                try:
                    pm = store.load(pm_id)
                    text = dumps(to_document(pm))
                except Exception as exc:
                    # Damage inside a record can make any decoder fail (dates, JSON,
                    # UTF-8): that postmortem is reported, the others still come out.
                    report.unreadable[pm_id] = _why(exc)
                    continue
                dest = out_dir / f"{pm_id}-{slugify(pm.title) or 'untitled'}.json"
                safefile.write_file(dest, text)
                report.written.append(dest)
        finally:
            store.close()
            damaged.close()
    return report


def _copy_table(
    src: sqlite3.Connection,
    out: sqlite3.Connection,
    table: str,
    wanted: list[str],
    report: SalvageReport,
) -> None:
    present = _columns(src, table)
    if not present:
        report.damaged_tables.append(table)
        return
    columns = [c for c in wanted if c in present]
    rows, skipped = read_rows(src, table, columns)
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})'
    kept = 0
    for row in rows:
        try:  # a damaged record can hold a value no column accepts: drop that row only
            kept += out.execute(sql, row[1:]).rowcount
        except sqlite3.Error:
            skipped = True
    if skipped and table not in report.damaged_tables:
        report.damaged_tables.append(table)
    report.rows[table] = kept


def _why(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:120]


def _ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [int(r[0]) for r in conn.execute("SELECT id FROM postmortem ORDER BY id")]
    finally:
        conn.close()
