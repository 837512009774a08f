"""Exports never write through a planted link, never leave half a file, and get a chosen mode."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from models import safefile
from models.demo import DEMO
from models.safefile import TargetExistsError, WriteError, write_file
from tests.clihelpers import run
from tests.test_cli import read_only_dir

SECRET = "the victim's own data\n"


@pytest.fixture
def library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "pm.db"
    demo = tmp_path / "demo.json"
    demo.write_text(json.dumps(DEMO))
    assert run(capsys, "--db", str(db), "import", str(demo))[0] == 0
    return db


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file the exporting user can write, which another user wants overwritten."""
    path = tmp_path / "victim" / "precious.txt"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


def plant(directory: Path, names: list[str], target: Path) -> None:
    for name in names:
        (directory / name).symlink_to(target)


def assert_untouched(victim: Path, written: Path, start: str) -> None:
    assert victim.read_text() == SECRET
    assert not written.is_symlink() and written.is_file()
    assert written.read_text().startswith(start)


def test_cli_export_ignores_links_planted_at_the_old_temporary_names(
    library: Path, tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Today's main wrote through `.NAME.tmp-PID`; links for this and the next PIDs are planted."""
    shared = tmp_path / "shared"
    shared.mkdir()
    pid = os.getpid()
    plant(shared, [f".report.md.tmp-{p}" for p in range(pid, pid + 50)], victim)
    plant(shared, [".report.md.tmp"], victim)
    code, _, err = run(capsys, "--db", str(library), "export", "1", "-o", str(shared / "report.md"))
    assert code == 0, err
    assert_untouched(victim, shared / "report.md", "---\ntitle:")


def test_the_temporary_file_is_exclusive_and_never_a_link(
    tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even an attacker who guessed the random name can't redirect the write: the name
    is created with O_EXCL, so a planted link makes mkstemp move on to another name."""
    planted = [".report.md.guessed1.tmp", ".report.md.guessed2.tmp"]
    plant(tmp_path, planted, victim)
    names = iter(["guessed1", "guessed2", "fresh"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    write_file(tmp_path / "report.md", "# report\n")
    assert_untouched(victim, tmp_path / "report.md", "# report")
    for name in planted:
        assert (tmp_path / name).is_symlink()  # left alone, not followed, not removed
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert sorted(leftovers) == sorted(planted)


def test_a_link_at_the_destination_is_replaced_not_followed(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    with pytest.raises(TargetExistsError):
        write_file(link, "new")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(TargetExistsError):  # not created through the dangling link either
        write_file(dangling, "new")
    assert not (tmp_path / "nowhere").exists()
    write_file(link, "new", overwrite=True)
    assert_untouched(victim, link, "new")


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_a_new_export_follows_the_umask(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: int
) -> None:
    out = tmp_path / f"report-{mask:o}.md"
    with umask(mask):
        assert run(capsys, "--db", str(library), "export", "1", "-o", str(out))[0] == 0
    assert mode(out) == 0o666 & ~mask


def test_the_umask_is_read_without_changing_it() -> None:
    with umask(0o027):
        assert safefile.current_umask() == 0o027
        assert safefile.current_umask() == 0o027


def test_an_export_into_the_private_data_directory_is_0600(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from models.paths import data_dir

    private = data_dir()
    private.mkdir(parents=True, mode=0o700)
    with umask(0o022):
        code, _, err = run(
            capsys, "--db", str(library), "export", "1", "-o", str(private / "report.md")
        )
        assert code == 0, err
    assert mode(private / "report.md") == 0o600


def test_overwriting_keeps_the_mode_of_our_own_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.md"
    out.write_text("old")
    out.chmod(0o600)
    with umask(0o022):
        assert run(capsys, "--db", str(library), "export", "1", "-o", str(out), "--force")[0] == 0
    assert mode(out) == 0o600 and out.read_text().startswith("---\n")


def test_export_to_a_read_only_file_system_is_one_line(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ro = tmp_path / "ro"
    with read_only_dir(ro):
        code, out, err = run(capsys, "--db", str(library), "export", "1", "-o", str(ro / "x.md"))
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith("postmortem: error: cannot write ")
        assert "read-only file system" in err or "permission denied" in err
        assert list(ro.iterdir()) == []


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.md"
    out.write_text("the old report")

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteError, match=r"cannot write .*report\.md: no space left on device"):
        write_file(out, "the new report", overwrite=True)
    monkeypatch.undo()
    assert out.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_file_that_appears_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The existence check and the write are not one step; the hard link that publishes
    the file is, so a file created in between is kept."""
    out = tmp_path / "report.md"
    real_mkstemp = tempfile.mkstemp

    def racing(*args: object, **kwargs: object) -> tuple[int, str]:
        out.write_text("someone else's")
        return real_mkstemp(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tempfile, "mkstemp", racing)
    with pytest.raises(TargetExistsError):
        write_file(out, "ours")
    assert out.read_text() == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


# ------------------------------------------------------------------ the app's Export screen


async def _save_from_export_screen(db: Path, target: Path, answer: str | None = None) -> list[str]:
    from textual.widgets import Input

    from models.store import open_store
    from tests.apphelpers import make_app, settle

    store = open_store(str(db))
    app = make_app(store)
    said: list[str] = []
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(1, "export")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        if answer:
            await pilot.press(answer)
            await settle(pilot)
    store.close()
    return said


async def test_the_export_screen_ignores_a_link_at_its_old_temporary_name(
    library: Path, tmp_path: Path, victim: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    plant(shared, [".report.md.tmp"], victim)  # today's main saved through this name
    said = await _save_from_export_screen(library, shared / "report.md")
    assert said == [f"Saved {shared / 'report.md'}"]
    assert_untouched(victim, shared / "report.md", "---\ntitle:")


async def test_the_export_screen_overwrites_a_link_itself_not_its_target(
    library: Path, tmp_path: Path, victim: Path
) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    said = await _save_from_export_screen(library, link, answer="y")
    assert said == [f"Saved {link}"]
    assert_untouched(victim, link, "---\ntitle:")


async def test_the_export_screen_reports_a_read_only_file_system_in_one_line(
    library: Path, tmp_path: Path
) -> None:
    ro = tmp_path / "ro"
    with read_only_dir(ro):
        said = await _save_from_export_screen(library, ro / "report.md")
    assert len(said) == 1 and "\n" not in said[0]
    assert said[0].startswith(f"cannot write {ro / 'report.md'}: ")


def test_force_never_replaces_a_device_pipe_or_a_link_to_one(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's `export -o /dev/full --force` replaced the device node (as root)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "to-null"
    link.symlink_to("/dev/null")
    for target in (fifo, link):
        code, out, err = run(
            capsys, "--db", str(library), "export", "1", "-o", str(target), "--force"
        )
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert "is not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
    with pytest.raises(WriteError, match="not a regular file"):
        write_file(fifo, "x", overwrite=True)
