"""`postmortem salvage`: what is readable in a damaged file comes out as importable files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.clihelpers import run
from tests.damage import damage_page, make_library, root_page, snapshot


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "pm.db"
    make_library(path)
    return path


def test_a_whole_library_comes_out_exactly_as_export_writes_it(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "salvage", str(library), "-o", str(out_dir))
    assert code == 0, err
    assert err == f"salvaged 3 of 3 postmortems into {out_dir}\n"
    files = [Path(line) for line in out.splitlines()]
    assert [f.name for f in files] == [
        f"{i}-checkout-502s-after-connection-pool-change-{i - 1}.json" for i in (1, 2, 3)
    ]
    for i, path in enumerate(files, start=1):
        _, exported, _ = run(capsys, "--db", str(library), "export", str(i), "--format", "json")
        assert json.loads(path.read_text()) == json.loads(exported)


def test_a_damaged_timeline_loses_only_its_damaged_rows_and_everything_imports(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_page(library, root_page(library, "timeline_event"), "zeros")
    before = snapshot(library.parent)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "salvage", str(library), "-o", str(out_dir))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("salvaged 3 of 3 postmortems into") and "timeline_event" in err
    assert snapshot(library.parent) == before  # read from a private copy only
    fresh = tmp_path / "fresh.db"
    files = out.split()
    code, ids, err = run(capsys, "--db", str(fresh), "import", *files)
    assert code == 0, err
    assert ids.split() == ["1", "2", "3"]
    doc = json.loads(Path(files[0]).read_text())
    assert doc["title"].startswith("Checkout 502s") and doc["action_items"]


def test_a_lost_postmortem_row_is_reported_and_the_others_come_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Enough postmortems for their table to span several pages; one leaf page is lost."""
    db = tmp_path / "pm.db"
    make_library(db, copies=40)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE postmortem SET summary = printf('%.3000c', 'x')")  # about one row per page
    conn.commit()
    pages = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'postmortem' AND pagetype = 'leaf'"
        )
    ]
    conn.close()
    if not pages:  # pragma: no cover - SQLite built without dbstat
        pytest.skip("no dbstat")
    damage_page(db, pages[len(pages) // 2], "zeros")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "salvage", str(db), "-o", str(out_dir))
    assert code == 1 and "postmortem" in err
    written = len(out.split())
    assert 30 <= written < 40, err


def test_salvage_refuses_in_one_line_and_leaves_no_empty_directory(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.db"
    shutil.copyfile(library, broken)
    damage_page(broken, 1, "zeros")  # the schema itself
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "salvage", str(broken), "-o", str(out_dir))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert ".recover" in err and not out_dir.exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, _, err = run(capsys, "salvage", str(notes), "-o", str(out_dir))
    assert code == 1 and "is not a SQLite database" in err
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.json").write_text("{}")
    code, _, err = run(capsys, "salvage", str(library), "-o", str(full))
    assert code == 1 and "not an empty directory" in err
    code, _, err = run(capsys, "salvage", str(tmp_path / "none.db"))
    assert code == 1 and "no database file" in err
