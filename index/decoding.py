"""Turn a file's bytes into text: detect the encoding, refuse binaries, normalise to NFC."""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

from .errors import UnreadableFileError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to NFC text.

    Args:
        data: the raw bytes of a file.

    Returns:
        The text and the name of the encoding it was read with.

    Raises:
        UnreadableFileError: the data is empty, binary or in no encoding we can tell.
    """
    if not data.strip():
        raise UnreadableFileError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise UnreadableFileError(f"not valid {encoding} despite its byte-order mark") from error
    head = data[:8192]
    if b"\x00" in head or sum(head.count(bytes([b])) for b in _CONTROL_BYTES) > len(head) // 100 + 2:
        raise UnreadableFileError("binary file, not text")
    try:
        return _finish(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnreadableFileError("text encoding could not be determined")
    return _finish(str(best)), best.encoding


def _finish(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
