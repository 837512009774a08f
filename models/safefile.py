"""Writing a file so that nobody can redirect the write and nobody sees half of it.

Exports and backups are written under a temporary name beside their destination
and then renamed over it, so a crash or a full disk leaves the old file or the
new one, never a truncated one. In a shared directory (/tmp, a team share) a
*predictable* temporary name is an invitation: another local user plants a
symlink there, and the write goes wherever the link points (CWE-59, CWE-377).
So the temporary file comes from :func:`tempfile.mkstemp` in the destination's
directory: an unpredictable name, opened with ``O_CREAT | O_EXCL | O_NOFOLLOW``,
hence always a new regular file of ours, never a link. Its data are fsynced
before the rename and the directory after it.

Permissions: a new file follows the umask, as ``cp`` or an editor would, since
an export is a document meant to be shared. Inside the private data directory,
where the database lives, it is 0600 like everything else there. Overwriting a
file of our own keeps that file's mode, so a report someone made private stays
private.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from models.errors import PostmortemError

PRIVATE_MODE = 0o600
_UMASK_LOCK = threading.Lock()


class WriteError(PostmortemError):
    """A file could not be written; str() is one line naming it and saying why."""


class TargetExistsError(WriteError):
    """The destination exists and overwriting was not asked for."""


def reason(exc: OSError) -> str:
    """``Read-only file system`` -> ``read-only file system``: the tail of a one-line message."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc).

    Elsewhere it is read the only portable way, by setting and restoring it, under a lock.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def in_private_dir(path: Path) -> bool:
    """True when ``path`` lies in the per-user data directory (models.paths.data_dir)."""
    from models.paths import data_dir

    try:
        path.parent.resolve().relative_to(data_dir().resolve())
    except (ValueError, OSError):
        return False
    return True


def mode_for(path: Path) -> int:
    """The permission bits a file written at ``path`` gets (see the module docstring)."""
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid():
        return stat.S_IMODE(st.st_mode) & 0o777
    if in_private_dir(path):
        return PRIVATE_MODE
    return 0o666 & ~current_umask()


def fsync_dir(directory: Path) -> None:
    """Make a rename durable. Some file systems can't fsync a directory: that is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_destination(path: Path, *, overwrite: bool) -> None:
    """Refuse early, in one line, what the write would refuse late: a directory,
    an existing file (even a dangling link) without ``overwrite``, a device, pipe
    or socket even with it, a missing directory."""
    try:  # even asking can fail: a name too long for the file system, a loop of links
        if path.is_dir():
            raise WriteError(f"{path} is a directory")
        if not overwrite and os.path.lexists(path):
            raise TargetExistsError(f"{path} already exists")
        # --force replaces a file, never a device, pipe or socket (nor a link to
        # one): a trial's `-o /dev/full --force` replaced the device node.
        if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise WriteError(
                f"{path} is not a regular file (a device, pipe or socket) and is never "
                "replaced; write to a file, or leave out -o to print the export"
            )
        if not path.parent.is_dir():
            raise WriteError(f"cannot write {path}: directory {path.parent} does not exist")
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {reason(exc)}") from exc


def publish(tmp: Path, path: Path, *, overwrite: bool) -> None:
    """Move the finished file ``tmp`` (same directory or file system) to ``path``.

    Without ``overwrite`` the move is a hard link, which fails if anything, even a
    dangling symlink, appeared at ``path`` since it was checked: no check-then-write
    race. File systems without hard links fall back to a checked rename.
    Raises OSError; the caller removes ``tmp``.
    """
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise TargetExistsError(f"{path} already exists") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise TargetExistsError(f"{path} already exists") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def _cleanup(tmp: Path) -> Iterator[None]:
    try:
        yield
    finally:
        # The file may be gone already (published); removing it can fail on a
        # read-only or vanished file system, and that must not mask the real error.
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_file(
    path: Path,
    data: str | bytes,
    *,
    overwrite: bool = False,
    mode: int | None = None,
) -> None:
    """Write ``data`` (str is encoded as UTF-8) to ``path`` atomically and durably.

    ``mode`` defaults to :func:`mode_for`. Raises TargetExistsError when ``path``
    exists and ``overwrite`` is false, WriteError (one line) for anything the file
    system refuses: read-only, full, permission denied, a missing directory.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def fill(fd: int) -> None:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]

    write_with(path, fill, overwrite=overwrite, mode=mode)


def write_with(
    path: Path,
    fill: Callable[[int], None],
    *,
    overwrite: bool = False,
    mode: int | None = None,
) -> None:
    """Like :func:`write_file`, with ``fill(fd)`` writing the content to the open temporary file."""
    path = Path(path)
    check_destination(path, overwrite=overwrite)
    bits = mode_for(path) if mode is None else mode
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {reason(exc)}") from exc
    tmp = Path(name)
    with _cleanup(tmp):
        try:
            try:
                fill(fd)
                os.fchmod(fd, bits)
                os.fsync(fd)
            finally:
                os.close(fd)
            publish(tmp, path, overwrite=overwrite)
        except OSError as exc:
            raise WriteError(f"cannot write {path}: {reason(exc)}") from exc
    fsync_dir(path.parent)


def private_workdir(directory: Path) -> tempfile.TemporaryDirectory[str]:
    """A 0700 directory with an unpredictable name inside ``directory``, removed on exit.

    For files another library writes by name (SQLite's backup): nobody else can
    plant anything inside it, and a rename out of it stays on the same file system.
    Raises WriteError when ``directory`` can't hold it.
    """
    try:
        return tempfile.TemporaryDirectory(dir=directory, prefix=".postmortem-", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write in {directory}: {reason(exc)}") from exc
