"""The `postmortem` command as a user types it: output, exit status, one-line errors."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from models.demo import DEMO
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code if isinstance(info.value.code, int) else 1
    return code, out, err


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(DEMO))
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_path: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
        return run(capsys, monkeypatch, "--db", str(db_path), *args, stdin=stdin)

    return invoke


def assert_one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 1
    assert err.startswith("postmortem: error: ") and err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err


def test_import_list_export(cli, demo_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("list")
    assert code == 0 and out == "" and "no postmortems yet" in err
    code, out, _ = cli("import", str(demo_file), str(demo_file))
    assert code == 0 and out.split() == ["1", "2"]
    code, out, _ = cli("list")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "SEV", "STATUS", "STARTED", "DURATION", "OPEN", "TITLE"]
    assert "SEV2" in lines[1] and "52m" in lines[1] and DEMO["title"] in lines[1]
    assert " in review " in lines[1]  # words for people; --json keeps "in_review"
    code, out, _ = cli("list", "--json")
    rows = json.loads(out)
    assert rows[0]["impact_duration_s"] == 3120 and rows[0]["open_action_items"] == 4
    assert rows[0]["slug"] == "checkout-502s-after-connection-pool-change"
    assert rows[0]["status"] == "in_review"
    code, out, _ = cli("list", "--search", "nothing")
    assert code == 0 and out == ""

    code, out, _ = cli("export", "1")
    assert code == 0 and out.startswith("---\ntitle: Checkout 502s") and "## Action Items" in out
    code, out, _ = cli("export", "1", "--format", "json")
    assert json.loads(out)["timeline"][0]["text"].startswith("Config PR #4821")

    target = tmp_path / "pm.md"
    code, _, err = cli("export", "1", "-o", str(target))
    assert code == 0 and target.read_text().startswith("---\n") and "wrote" in err
    target.write_text("keep me")
    code, _, err = cli("export", "1", "-o", str(target))
    assert_one_line_error(code, err, "already exists; use --force")
    assert target.read_text() == "keep me"
    code, _, _ = cli("export", "1", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("---\n")


def test_export_by_slug_and_json_round_trip(cli, demo_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(demo_file))
    out_file = tmp_path / "out.json"
    assert (
        cli(
            "export",
            "checkout-502s-after-connection-pool-change",
            "--format",
            "json",
            "-o",
            str(out_file),
        )[0]
        == 0
    )
    code, out, _ = cli("import", str(out_file))
    assert code == 0 and out.strip() == "2"
    _, first, _ = cli("export", "1", "--format", "json")
    _, second, _ = cli("export", "2", "--format", "json")
    drop = ("id", "created_at", "updated_at")
    assert {k: v for k, v in json.loads(first).items() if k not in drop} == {
        k: v for k, v in json.loads(second).items() if k not in drop
    }


def test_bad_imports_change_nothing(cli, tmp_path: Path, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "postmortem/v1", "title": "fine"}))
    cases = {
        "malformed.json": ("{not json", "malformed.json: not valid JSON (line 1, column 2"),
        "unknown.json": (
            json.dumps({"format": "postmortem/v1", "title": "x", "sevrity": 1}),
            "unknown.json: sevrity: unknown key",
        ),
        "badtime.json": (
            json.dumps({"format": "postmortem/v1", "title": "x", "timeline": [{"at": "14:32"}]}),
            "timeline[0].at",
        ),
        "badcount.json": (
            json.dumps(
                {"format": "postmortem/v1", "title": "x", "impact": {"users_affected": "many"}}
            ),
            "impact.users_affected",
        ),
    }
    for name, (content, fragment) in cases.items():
        path = tmp_path / name
        path.write_text(content)
        code, out, err = cli("import", str(good), str(path))
        assert_one_line_error(code, err, fragment)
        assert out == ""  # the good file before it was not imported either
    code, _, err = cli("import", str(tmp_path / "missing.json"))
    assert_one_line_error(code, err, "missing.json: no such file")
    assert cli("list", "--json")[1].strip() == "[]"


def test_delete_asks_first(cli, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(demo_file))
    code, _, err = cli("delete", "1")  # no answer on stdin
    assert code == 1 and "aborted" in err
    code, _, _ = cli("delete", "1", stdin="n\n")
    assert code == 1
    assert len(json.loads(cli("list", "--json")[1])) == 1
    code, _, err = cli("delete", "1", stdin="y\n")
    assert code == 0 and "deleted 1" in err
    cli("import", str(demo_file))
    assert cli("delete", "--yes", "checkout-502s-after-connection-pool-change")[0] == 0
    assert json.loads(cli("list", "--json")[1]) == []


def test_user_errors_are_one_line(cli, capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert_one_line_error(*cli("export", "42")[::2], "no postmortem with id 42")
    assert_one_line_error(*cli("export", "no-such-thing")[::2], "no postmortem matches")
    assert_one_line_error(*cli("delete", "7", "--yes")[::2], "no postmortem with id 7")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    code, _, err = run(capsys, monkeypatch, "--db", str(notes), "list")
    assert_one_line_error(code, err, "is not a SQLite database")
    assert notes.read_text() == "not a database"
    code, _, err = run(capsys, monkeypatch, "list", "--db", str(tmp_path / "no" / "x.db"))
    assert_one_line_error(code, err, "does not exist")
    code, _, err = cli("export", "1", "--format", "pdf")
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("export", "--format", "nope", "1"), "'nope' is not one of"),
        (("\x1b[31mboom",), "No such command '\\x1b[31mboom'"),
        (("export", "--format", "\x1b]0;pwned\x07", "1"), "'\\x1b]0;pwned\\x07'"),
        (("list", "--bogus\n\x1b[2J"), "No such option"),
        (("export",), "Missing argument 'REF'"),
        (("x" * 50_000,), "No such command"),
    ],
)
def test_usage_errors_are_one_line(cli, args: tuple[str, ...], fragment: str) -> None:  # type: ignore[no-untyped-def]
    # Click's own usage message is four lines and, for some mistakes, echoes the
    # typed text raw; main() makes it one escaped line that says where help is.
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("postmortem: error: ") and err.count("\n") == 1, repr(err)
    assert fragment in err and "--help')" in err
    assert not any(ch < " " or ch == "\x7f" for ch in err[:-1]), repr(err)
    assert len(err) <= 1_100


def test_newer_database_refused(cli, capsys, monkeypatch, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("list")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0042_future'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    code, _, err = cli("list")
    assert_one_line_error(code, err, "newer version of postmortem")
    assert db_path.read_bytes() == before


def test_env_var_selects_the_database(capsys, monkeypatch, tmp_path: Path, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "env.db"))
    assert run(capsys, monkeypatch, "import", str(demo_file))[0] == 0
    assert (tmp_path / "env.db").exists()
    assert not (tmp_path / "xdg" / "postmortem" / "postmortems.db").exists()


def _subprocess(
    args: list[str], env: dict[str, str] | None = None, **kw
) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        **kw,
    )


CHECK_NO_TEXTUAL = """
import sys
from tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("TEXTUAL:" + ",".join(loaded[:3]), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
def test_list_export_import_never_import_textual(tmp_path: Path, demo_file: Path) -> None:
    db = str(tmp_path / "cli.db")
    chat = tmp_path / "chat.txt"
    chat.write_text("[10:00] <a> hello\n")
    for args in (
        ["--db", db, "import", str(demo_file)],
        ["--db", db, "list"],
        ["--db", db, "timeline", "import", "1", str(chat), "--dry-run"],
        ["--db", db, "export", "1"],
        ["--db", db, "export", "1", "--format", "json"],
    ):
        proc = subprocess.run(
            [sys.executable, "-c", CHECK_NO_TEXTUAL, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        assert "TEXTUAL:\n" in proc.stderr, proc.stderr


@pytest.mark.slow
def test_internal_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    # A bug planted in the store: only the catch-all in main() stands between it
    # and a traceback. (An unknown database URL used to serve here; it is now a
    # user error with its own message.)
    bug = (
        "import models.store as s; from tui.cli import main; "
        "s.Store.list_postmortems = lambda *a, **k: 1 / 0; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", bug, "--db", str(tmp_path / "pm.db"), "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "internal error: ZeroDivisionError" in proc.stderr
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("postmortem: ")


@contextmanager
def read_only_dir(path: Path) -> Iterator[None]:
    """A directory nobody can write in, root included: root ignores chmod, so as root
    this mounts a read-only tmpfs (or sets the immutable flag where mounts aren't allowed)."""
    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], capture_output=True
    )
    if mount.returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["umount", str(path)], check=False)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        return
    pytest.skip("running as root with no way to make a directory read-only")


@pytest.mark.slow
def test_read_only_directory(tmp_path: Path) -> None:
    ro = tmp_path / "locked"
    with read_only_dir(ro):
        proc = _subprocess(["--db", str(ro / "pm.db"), "list"])
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith("postmortem: error: cannot create")
        assert "read-only" in proc.stderr and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr
        assert not (ro / "pm.db").exists()


@pytest.mark.slow
def test_export_and_backup_to_a_read_only_file_system(
    cli,
    demo_file: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # Issue 15: exporting to a read-only file system ended in "internal error: OSError".
    cli("import", str(demo_file))
    ro = tmp_path / "locked"
    with read_only_dir(ro):
        for args in (
            ("export", "1", "-o", str(ro / "pm.md")),
            ("export", "1", "--format", "json", "-o", str(ro / "pm.json"), "--force"),
            ("backup", str(ro)),
        ):
            code, _, err = cli(*args)
            assert_one_line_error(code, err, "cannot write")
            assert "read-only" in err and "internal error" not in err, err
        assert not any(ro.iterdir())


def test_timeline_import(cli, demo_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(demo_file))
    log = tmp_path / "chat.txt"
    log.write_text(
        "channel export\n[23:58] <alice> pager #det\n  p99 high\n00:03 bob: rolled back #mit\n"
    )
    code, out, err = cli("timeline", "import", "1", str(log), "--dry-run")
    assert code == 0 and "would add 2 events" in err and "1 line left out: `channel export`" in err
    assert "2026-11-27 23:58:00  detected" in out and "2026-11-28 00:03:00  mitigated" in out
    assert len(json.loads(cli("export", "1", "--format", "json")[1])["timeline"]) == 16
    code, _, err = cli(
        "timeline",
        "import",
        "checkout-502s-after-connection-pool-change",
        str(log),
        "--date",
        "2026-11-20",
    )
    assert code == 0 and "added 2 events" in err
    timeline = json.loads(cli("export", "1", "--format", "json")[1])["timeline"]
    assert {
        "at": "2026-11-20T23:58:00Z",
        "kind": "detected",
        "text": "pager\np99 high",
        "actor": "alice",
    } in timeline
    assert any(e["at"] == "2026-11-21T00:03:00Z" and e["actor"] == "bob" for e in timeline)


def test_timeline_import_errors(cli, demo_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(demo_file))
    empty = tmp_path / "empty.txt"
    empty.write_text("no times here\nat all\n")
    assert_one_line_error(*cli("timeline", "import", "1", str(empty))[::2], "nothing added")
    bad = tmp_path / "bad.txt"
    bad.write_text("10:00 fine\n99:99 broken\n")
    assert_one_line_error(*cli("timeline", "import", "1", str(bad))[::2], "nothing added: line 2")
    assert_one_line_error(
        *cli("timeline", "import", "1", str(bad), "--date", "28/11")[::2], "is not a date"
    )
    assert_one_line_error(
        *cli("timeline", "import", "1", str(tmp_path / "nope"))[::2], "no such file"
    )
    assert len(json.loads(cli("export", "1", "--format", "json")[1])["timeline"]) == 16


def test_export_mermaid_and_drawing(cli, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(demo_file))
    _, plain, _ = cli("export", "1")
    assert "```text\nPeople" in plain and "ishikawa-beta" not in plain
    _, with_mermaid, _ = cli("export", "1", "--mermaid")
    assert (
        "```mermaid\nishikawa-beta\n    Checkout 502s for 52 minutes\n    People\n" in with_mermaid
    )
    assert "1. Why? checkout-api requests timed out" in with_mermaid  # 5 Whys as a numbered chain
