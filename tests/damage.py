"""Damaging a database the way a failing disk does: whole pages, or a b-tree page header."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

from models.demo import DEMO
from models.interchange import from_document
from models.store import open_store

KINDS = ("zeros", "noise", "header")


def make_library(path: Path, copies: int = 3) -> None:
    """A small library (~22 pages of 4 KiB): a few demo postmortems, closed and checkpointed."""
    store = open_store(str(path))
    for i in range(copies):
        store.save_new(from_document({**DEMO, "title": f"{DEMO['title']} {i}"}))
    store.close()
    assert not Path(f"{path}-wal").exists()


def page_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])
    finally:
        conn.close()


def root_page(path: Path, table: str) -> int:
    """The page holding the root of ``table``'s b-tree (pages move with every migration)."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    finally:
        conn.close()
    return int(row[0])


def damage_page(path: Path, page: int, kind: str, page_size: int = 4096) -> None:
    """Overwrite one page (numbered from 1). Page 1 keeps its first 100 bytes, the file
    header: damage there is "not a SQLite database", a case of its own.

    zeros: the page reads as zeros (a sector that was never written back);
    noise: random bytes; header: only the b-tree page header (first 12 bytes) garbled."""
    start = (page - 1) * page_size + (100 if page == 1 else 0)
    length = page_size - (100 if page == 1 else 0)
    rng = random.Random(page * 31 + KINDS.index(kind))
    if kind == "zeros":
        data = bytes(length)
    elif kind == "noise":
        data = rng.randbytes(length)
    else:
        data = rng.randbytes(12)
    with path.open("r+b") as fh:
        fh.seek(start)
        fh.write(data)


def sqlite_sees_damage(path: Path) -> bool:
    """What PRAGMA quick_check says, asked through the stdlib, leaving no trace."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def snapshot(directory: Path) -> dict[str, str]:
    """Every file in ``directory`` and a digest of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }
