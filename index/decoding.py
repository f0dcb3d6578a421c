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
# Legacy encodings by how often they occur in news archives, to break ties between equal matches.
_COMMON_ENCODINGS = [
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "cp1254",
    "cp1256",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp1258",
    "mac_roman",
]
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
    best = _most_plausible(charset_normalizer.from_bytes(data))
    if best is None:
        raise UnreadableFileError("text encoding could not be determined")
    return _finish(str(best)), best.encoding


def _most_plausible(matches: charset_normalizer.CharsetMatches) -> charset_normalizer.CharsetMatch | None:
    """The best match; among equally good ones, the encoding most common in news archives.

    Short texts often score the same in several code pages (French cp1252 reads as cp1250 with
    "ï" turned into "ď"), and charset-normalizer then picks one arbitrarily.
    """
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    most_coherent = max(m.coherence for m in matches if m.chaos <= least_chaos + 0.01)
    tied = [m for m in matches if m.chaos <= least_chaos + 0.01 and m.coherence >= most_coherent - 0.02]
    return min(tied, key=lambda m: _COMMON_ENCODINGS.index(m.encoding) if m.encoding in _COMMON_ENCODINGS else 99)


def _finish(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
