"""Bytes to text as people's files really are: UTF-8 with or without BOM, UTF-16 as Excel saves "Unicode text",
Windows-1252/Latin-1 from older Excel; archives, workbooks and other binaries recognised by their first bytes."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from bot.triage.errors import ExportError, Problem

# What is read before anything is decided: enough for the header and a couple of hundred rows.
HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 256 * 1024
# Text of an export has tabs and line breaks but hardly any other control character; a file with more than this
# share of them is binary whatever its encoding seemed to be.
MAX_CONTROL_SHARE = 0.01

_UTF8_FALLBACK = "invitation-bot-utf8-or-cp1252"
_CP1252_FALLBACK = "invitation-bot-cp1252-or-latin1"


@dataclass(frozen=True)
class Encoding:
    codec: str
    # Bytes of byte-order mark to skip.
    bom: int
    # How the encoding is named to people ("UTF-8 with BOM", "Windows-1252").
    label: str
    errors: str = "strict"


@functools.cache
def _register_fallbacks() -> None:
    """Error handlers that keep a slightly mixed file readable instead of failing on its first odd byte.

    A file that looks like UTF-8 may still hold a Windows-1252 "ö" written by another program further down; a
    Windows-1252 file may hold one of the five bytes that code page leaves undefined (Latin-1 has them all).
    """

    def utf8_or_cp1252(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        bad = error.object[error.start:error.end]
        return bytes(bad).decode("cp1252", errors=_CP1252_FALLBACK), error.end

    def cp1252_or_latin1(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        return bytes(error.object[error.start:error.end]).decode("latin-1"), error.end

    codecs.register_error(_CP1252_FALLBACK, cp1252_or_latin1)
    codecs.register_error(_UTF8_FALLBACK, utf8_or_cp1252)


def read_head(stream: IO[bytes], size: int = HEAD_BYTES) -> bytes:
    """Up to `size` bytes; a socket or pipe may hand them over in several pieces."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _refuse_binaries(head: bytes) -> None:
    """Workbooks, archives, web pages and other binaries, told apart so the message can say what to do."""
    if head.startswith(b"PK\x03\x04"):
        spreadsheet = b"[Content_Types].xml" in head[:2000] or b"xl/" in head[:2000] or b"spreadsheet" in head[:2000]
        raise ExportError(Problem.SPREADSHEET if spreadsheet else Problem.ARCHIVE)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the old binary Excel format (.xls)
        raise ExportError(Problem.SPREADSHEET)
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"BZh")):
        raise ExportError(Problem.ARCHIVE)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:400].lower()
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head[:4000]:
        raise ExportError(Problem.SPREADSHEET)  # Excel 2003 XML, often saved with an .xls name
    if start.startswith((b"<!doctype html", b"<html")):
        raise ExportError(Problem.WEB_PAGE)


def _utf16_without_bom(head: bytes) -> str | None:
    """Little- or big-endian UTF-16 told by where the zero bytes of ASCII characters fall."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _valid_utf8(head: bytes, complete: bool) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut in half by the end of the sample is no evidence against UTF-8.
        return not complete and error.reason == "unexpected end of data" and error.start >= len(head) - 3
    return True


def sniff_encoding(head: bytes, complete: bool) -> Encoding:
    """The encoding of a file that starts with `head` (`complete`: the head is the whole file).

    Raises ExportError for an empty file and for anything that is not text.
    """
    _register_fallbacks()
    if head.startswith(codecs.BOM_UTF8):
        encoding = Encoding("utf-8", 3, "UTF-8 with BOM", _UTF8_FALLBACK)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        encoding = Encoding(codec, 2, "UTF-16", "replace")
    elif codec16 := _utf16_without_bom(head):
        encoding = Encoding(codec16, 0, "UTF-16", "replace")
    else:
        _refuse_binaries(head)
        if b"\x00" in head:
            raise ExportError(Problem.BINARY)
        if _valid_utf8(head, complete):
            encoding = Encoding("utf-8", 0, "UTF-8", _UTF8_FALLBACK)
        else:
            encoding = Encoding("cp1252", 0, "Windows-1252", _CP1252_FALLBACK)
    text = head[encoding.bom:].decode(encoding.codec, errors="replace")
    if not text.strip():
        raise ExportError(Problem.EMPTY)
    _refuse_binaries(text[:4000].encode("utf-8", errors="replace"))
    controls = sum(1 for char in text if char < " " and char not in "\t\r\n\f\v")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ExportError(Problem.BINARY)
    return encoding


def decoded_lines(head: bytes, rest: IO[bytes], encoding: Encoding) -> Iterator[str]:
    """The file's text, one line at a time with its line break kept (what the csv module wants).

    Only "\\n" ends a line: a quoted field may hold other line separators, and "\\r\\n" keeps its "\\r" for
    the csv module to drop. A file with bare "\\r" line ends (old Mac Excel) is split on those instead.
    """
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors=encoding.errors)
    carry = ""
    separator: str | None = None
    chunk = head[encoding.bom:]
    while True:
        final = not chunk
        text = carry + decoder.decode(chunk, final=final)
        if separator is None and text:
            separator = "\n" if "\n" in text or "\r" not in text else "\r"
        if separator is not None:
            lines = text.split(separator)
            carry = lines.pop()
            for line in lines:
                yield line + "\n"
        else:
            carry = text
        if final:
            break
        chunk = rest.read(CHUNK_BYTES)
    if carry:
        yield carry
