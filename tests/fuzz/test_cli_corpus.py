"""Every command of `postmortem` against a corpus of hostile input: none ends in "internal error".

The library under the commands is itself hostile: the clean demo beside a
postmortem for every kind of stored value an older version or another
program can leave (tests/fuzz/poison.py). Each run must end in success, a
one-line refusal (exit 1) or a one-line usage error (exit 2), print no
control character, and leave a library that still lists and exports.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.demo import DEMO
from tests.fuzz.cli import (
    CONTROL,
    Outcome,
    assert_no_internal_error,
    assert_refusal,
    copy_db,
    run,
)
from tests.fuzz.poison import POISONS, poisoned_library

REFS = [
    "1",
    "2",
    "²",
    "١",
    "9" * 5_000,
    "9" * 30,
    "0",
    "",
    " ",
    "\x1b[31m",
    "a\nb",
    "\udcff",
    "🙂",
    "x" * 100_000,
    "checkout-502s-after-connection-pool-change",
    "Checkout 502s after connection pool change",
    "../../etc/passwd",
    "%s{0}",
    "[bold]x[/]",
]
TEXTS = [
    "",
    " ",
    "\x00",
    "\x1b]0;title\x07",
    "\udcff",
    "é" * 100_000,
    "[bold]x[/]",
    "%s{0}$x",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "2099-12-31",
    "28/11",
    "2026-11-28T10:00",
    "\u202e",
]
FORMATS = ["markdown", "json", "JSON", "", "\x1b", "html", "x" * 10_000]


def _files(root: Path) -> dict[str, Path]:
    """Hostile files, by what makes them hostile."""
    root.mkdir(exist_ok=True)
    demo = json.dumps(DEMO, ensure_ascii=False)
    contents: dict[str, bytes] = {
        "empty": b"",
        "json null": b"null",
        "json list": b"[]",
        "json string": b'"postmortem/v1"',
        "json object": b"{}",
        "binary": bytes(range(256)) * 4,
        "NUL bytes": b'{"format": "postmortem/v1", "title": "a\x00b"}',
        "invalid UTF-8": b'{"format": "postmortem/v1", "title": "\xff\xfe"}',
        "UTF-8 BOM": b"\xef\xbb\xbf" + demo.encode(),
        "UTF-16": demo.encode("utf-16"),
        "Latin-1": demo.encode("latin-1", "replace"),
        "truncated": demo.encode()[:1000],
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "huge number": b'{"format": "postmortem/v1", "title": "x", "impact": {"users_affected": '
        + b"9" * 5_000
        + b"}}",
        "chat log": b"14:32 <alice> pager #det\r\n14:40 bob: rolled back #mit\r\n",
        "chat log, year 9999": b"9999-12-31T23:59:59Z the end\n",
        "huge line": b"14:32 " + b"x" * 2_000_000 + b"\n",
    }
    files = {}
    for name, data in contents.items():
        path = root / (name.replace(" ", "_").replace(",", "") + ".txt")
        path.write_bytes(data)
        files[name] = path
    files["missing"] = root / "missing.json"
    files["a directory"] = root
    files["/dev/null"] = Path("/dev/null")
    files["/proc/self/mem"] = Path("/proc/self/mem")
    files["name too long"] = root / ("x" * 5_000)
    files["control characters in the name"] = root / "a\nb\x1b[31m.json"
    loop = root / "loop"
    if not loop.is_symlink():
        os.symlink(loop, loop)
    files["a symlink loop"] = loop
    return files


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "template.db"
    poisoned_library(db, list(POISONS))
    return db


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Iterator[Path]:
    db = copy_db(template, tmp_path / "pm.db")
    yield db
    listed = run(db, "list", "--json")
    assert listed.code == 0, listed.err
    assert 1 in {row["id"] for row in json.loads(listed.out)}, "the clean postmortem is gone"
    assert run(db, "export", "1").code == 0


def check(result: Outcome, what: str, *, preview: bool = False) -> None:
    assert_no_internal_error(result, what)
    assert result.code in (0, 1, 2), f"{what}: exit {result.code}"
    if result.code == 1 and result.err != "postmortem: aborted\n":  # a confirmation said no
        assert_refusal(result, what, preview=preview)
    if result.code == 2:  # a usage error: one line too
        assert result.err.startswith("postmortem: error: "), f"{what}: {result.err}"
        assert result.err.count("\n") == 1, f"{what}: {result.err!r}"
    assert not CONTROL.search(result.err), f"{what}: control character in {result.err!r}"
    assert not CONTROL.search(result.out.replace("\n", "")), f"{what}: control character out"


def test_list(library: Path) -> None:
    check(run(library, "list"), "list")
    check(run(library, "list", "--json"), "list --json")
    for text in TEXTS:
        check(run(library, "list", "--search", text), f"list --search {text[:20]!r}")
        check(run(library, "list", "--json", "-s", text), f"list --json -s {text[:20]!r}")


@pytest.mark.parametrize("extra", [(), ("--format", "json"), ("--mermaid",)], ids=str)
def test_export(library: Path, extra: tuple[str, ...]) -> None:
    for ref in REFS + [str(i) for i in range(1, len(POISONS) + 3)]:
        check(run(library, "export", "--", ref, *extra), f"export {ref[:20]!r} {extra}")


def test_export_formats_and_targets(library: Path, tmp_path: Path) -> None:
    for fmt in FORMATS:
        check(run(library, "export", "1", "--format", fmt), f"--format {fmt[:20]!r}")
    existing = tmp_path / "exists.md"
    existing.write_text("keep me")
    targets = [
        tmp_path,
        tmp_path / "missing" / "x.md",
        existing,
        tmp_path / ("x" * 5_000),
        tmp_path / "a\nb\x1b[31m.md",
        Path("/dev/full"),
        Path("/proc/self/status"),
    ]
    for target in targets:
        check(run(library, "export", "1", "-o", str(target)), f"-o {str(target)[:40]!r}")
    assert existing.read_text() == "keep me"


def test_import(library: Path, tmp_path: Path) -> None:
    files = _files(tmp_path / "files")
    for name, path in files.items():
        check(run(library, "import", str(path)), f"import {name}")
        check(run(library, "import", str(files["UTF-8 BOM"]), str(path)), f"import ok + {name}")
    for name in ("binary", "UTF-16", "deep", "NUL bytes"):
        check(run(library, "import", "-", stdin=files[name].read_bytes()), f"import - < {name}")


def test_timeline_import(library: Path, tmp_path: Path) -> None:
    files = _files(tmp_path / "files")
    for name, path in files.items():
        check(run(library, "timeline", "import", "1", str(path)), f"timeline import {name}")
        check(
            run(library, "timeline", "import", "1", str(path), "--dry-run"),
            f"timeline import {name} --dry-run",
            preview=True,
        )
        as_json = run(library, "timeline", "import", "1", str(path), "--dry-run", "--json")
        check(as_json, f"timeline import {name} --json")
        if as_json.out:
            assert json.loads(as_json.out)["added"] is None
    log = str(files["chat log"])
    for ref in REFS + [str(i) for i in range(2, len(POISONS) + 3)]:
        check(run(library, "timeline", "import", "--", ref, log), f"timeline import {ref[:20]!r}")
    for text in TEXTS:
        check(
            run(library, "timeline", "import", "1", log, "--date", text, "--dry-run"),
            f"--date {text[:20]!r}",
            preview=True,
        )
    check(run(library, "timeline", "import", "1", "-", stdin=b"\xff\x00\x1b"), "stdin bytes")


def test_delete(library: Path) -> None:
    for ref in REFS[2:]:  # the clean postmortem stays
        check(run(library, "delete", "--yes", "--", ref), f"delete {ref[:20]!r}")
    check(run(library, "delete", "2"), "delete without --yes, nothing on stdin")
    check(run(library, "delete", "2", stdin="n\n"), "delete, answered no")
    left = [row["id"] for row in json.loads(run(library, "list", "--json").out)]
    for pm in [i for i in left if i != 1]:  # every poisoned one can go, even the unreadable
        result = run(library, "delete", str(pm), "--yes")
        check(result, f"delete {pm}")
        assert result.code == 0, result.err


@pytest.mark.parametrize(
    "db",
    [
        "nosuch://x/y",
        "://",
        "postgresql://user:secret@127.0.0.1:1/x",
        "sqlite://",
        "/dev/null",
        "/proc/self/status",
        "/nonexistent/dir/x.db",
        "\x1b[31m.db",
        "x" * 5_000,
        "",
    ],
    ids=lambda db: repr(db[:20]),
)
def test_any_database_argument(db: str, tmp_path: Path) -> None:
    os.chdir(tmp_path)  # relative names land in the test's own directory
    demo = tmp_path / "demo.json"
    demo.write_text(json.dumps(DEMO))
    for args in (("list",), ("export", "1"), ("import", str(demo)), ("delete", "1", "--yes")):
        result = run(db, *args)
        check(result, f"--db {db[:20]!r} {args[0]}")
        assert "secret" not in result.err


def test_help_and_version(library: Path) -> None:
    for args in (("--help",), ("--version",), ("list", "--help"), ("nosuch",), ("export",)):
        check(run(library, *args), " ".join(args))


def test_backup(library: Path, tmp_path: Path) -> None:
    existing = tmp_path / "exists.bak"
    existing.write_text("keep me")
    targets = [
        tmp_path / "copy.bak",
        tmp_path,
        existing,
        tmp_path / "missing" / "x.bak",
        tmp_path / ("x" * 5_000),
        tmp_path / "a\nb\x1b[31m.bak",
        Path("/dev/full"),
        Path("/proc/self/status"),
    ]
    for target in targets:
        check(run(library, "backup", str(target)), f"backup {str(target)[:40]!r}")
    check(run(library, "backup"), "backup beside the database")
    assert existing.read_text() == "keep me"


def check_salvage(result: Outcome, what: str) -> None:
    """Salvage ends in one line too, but a partial one is its own: "salvaged 19 of 23
    postmortems …; could not read 20, …", exit 1."""
    assert_no_internal_error(result, what)
    assert result.code in (0, 1, 2), f"{what}: exit {result.code}"
    if result.code == 1:
        assert result.err.count("\n") == 1, f"{what}: {result.err!r}"
    assert not CONTROL.search(result.err), f"{what}: control character in {result.err!r}"


def test_salvage_of_a_poisoned_library(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "salvaged"
    result = run(library, "salvage", str(library), "-o", str(out))
    check_salvage(result, "salvage")
    assert result.code == 1 and "could not read" in result.err  # the unreadable ones
    assert (out / "1-checkout-502s-after-connection-pool-change.json").exists()
    for target in (tmp_path / ("x" * 5_000), Path("/proc/self/status"), tmp_path / "a\nb"):
        where = f"salvage -o {str(target)[:40]!r}"
        check_salvage(run(library, "salvage", str(library), "-o", str(target)), where)
    for database in ("/dev/null", str(tmp_path), str(tmp_path / "missing.db"), "x" * 5_000):
        check_salvage(run(library, "salvage", database), f"salvage {database[:30]!r}")
