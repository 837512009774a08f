"""Text files as tools write them: BOMs, UTF-16, and bytes that are not text."""

from __future__ import annotations

import codecs

import pytest

from models.errors import PostmortemError
from models.textfile import decode


@pytest.mark.parametrize(
    "data",
    [
        b"14:32 hello\n",
        codecs.BOM_UTF8 + b"14:32 hello\n",
        codecs.BOM_UTF16_LE + "14:32 hello\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "14:32 hello\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "14:32 hello\n".encode("utf-32-le"),
    ],
)
def test_boms_are_read_and_dropped(data: bytes) -> None:
    assert decode(data, "log.txt") == "14:32 hello\n"


def test_latin1_is_refused_in_one_line_naming_the_offset() -> None:
    with pytest.raises(PostmortemError) as info:
        decode("14:32 caf\u00e9\n".encode("latin-1"), "log.txt")
    message = str(info.value)
    assert message.startswith("log.txt: not UTF-8 text (byte 0xe9 at offset 9)")
    assert "\n" not in message


def test_truncated_utf16_is_refused() -> None:
    with pytest.raises(PostmortemError, match="not valid UTF-16-LE"):
        decode(codecs.BOM_UTF16_LE + b"a\x00b", "log.txt")
