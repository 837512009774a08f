"""Reading text files people hand us: chat logs, exported JSON, pasted dumps.

Editors and tools write text in more ways than Python's default expects. A UTF-8
byte-order mark (Windows Notepad, PowerShell's ``Out-File``) must not become part
of the first line or make valid JSON invalid; UTF-16 with a BOM (PowerShell 5's
default) must be read, not refused. Anything else that isn't valid UTF-8 is
refused in one line that says where and how to convert it: guessing an encoding
would silently change what people wrote.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from models.errors import PostmortemError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, source: str) -> str:
    """Decode a file's bytes: UTF-8 with or without a BOM, or UTF-16/32 with a BOM.

    Raises PostmortemError naming ``source`` and the first bad byte's offset for
    anything else (Latin-1, a binary file). Line ends are left as they are."""
    encoding, skip = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, skip = name, len(bom)
            break
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        bad = data[offset : offset + 1].hex()
        if encoding == "utf-8":
            raise PostmortemError(
                f"{source}: not UTF-8 text (byte 0x{bad} at offset {offset}); "
                f"convert it first, e.g. iconv -f latin1 -t utf-8"
            ) from None
        raise PostmortemError(
            f"{source}: not valid {encoding.upper()} text (at byte offset {offset})"
        ) from None


def read_text(path: Path, source: str | None = None) -> str:
    """Read and :func:`decode` a file, or standard input when ``path`` is ``-``.

    Raises PostmortemError (one line, naming the file) if it is missing, a
    directory, unreadable, or not text we can decode."""
    name = source or str(path)
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise PostmortemError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise PostmortemError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise PostmortemError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return decode(data, name)
