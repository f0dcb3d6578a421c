"""Turn a file's bytes into text: detect the encoding, refuse binaries, normalise to NFC."""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

from index.errors import UnreadableFileError

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
# Control characters other than tab, newline, carriage return and form feed (NUL among them).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_SAMPLE_BYTES = 8192
# A UTF-8 file with a few damaged bytes is still UTF-8 when its valid non-ASCII characters
# outnumber the damaged bytes this many times; text in a legacy code page has almost none.
_UTF8_EVIDENCE_PER_DAMAGED_BYTE = 4


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
    text, encoding = _decode(data)
    if not text.strip():
        raise UnreadableFileError("empty file")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise UnreadableFileError(f"not valid {encoding} despite its byte-order mark") from error
    if _looks_binary(data):
        # UTF-16 and UTF-32 without a byte-order mark are full of NUL bytes too.
        wide = _bomless_wide_encoding(data[:_SAMPLE_BYTES])
        if wide is None:
            raise UnreadableFileError("binary file, not text")
        # The sample read cleanly; a damaged unit further on (a file cut short mid-character)
        # costs one replacement character, not the file.
        return _finish(data.decode(wide, errors="replace")), wide
    try:
        return _finish(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return _finish(damaged), "utf-8"
    best = _most_plausible(charset_normalizer.from_bytes(data))
    if best is None:
        raise UnreadableFileError("text encoding could not be determined")
    return _finish(str(best)), best.encoding


def _looks_binary(data: bytes) -> bool:
    """Whether the start, middle or end of ``data`` holds more control bytes than text does.

    Sampling three places catches text with binary data appended (or a zero-filled tail),
    which would otherwise decode as a legacy code page into garbage.
    """
    middle = len(data) // 2
    for sample in (data[:_SAMPLE_BYTES], data[middle : middle + _SAMPLE_BYTES], data[-_SAMPLE_BYTES:]):
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass, not one per byte value
        if controls > len(sample) // 100 + 2:
            return True
    return False


def _bomless_wide_encoding(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (either byte order) when ``sample`` reads as text in it, else None.

    Each is tried only when its NUL bytes fall where that encoding puts them: UTF-32 has a NUL
    high byte in every code unit, UTF-16 one in every ASCII character (spaces, digits and
    punctuation, even in Cyrillic or Arabic text). UTF-16 text with no ASCII character at all
    (some Chinese or Japanese) shows no such pattern and still needs its byte-order mark.
    """
    candidates = []
    quads = sample[: len(sample) // 4 * 4]
    if len(quads) >= 8:
        units = len(quads) // 4
        if quads[3::4].count(0) == units and max(quads[2::4]) <= 0x10:
            candidates.append("utf-32-le")
        if quads[0::4].count(0) == units and max(quads[1::4]) <= 0x10:
            candidates.append("utf-32-be")
    pairs = sample[: len(sample) // 2 * 2]
    low_first, high_first = pairs[1::2].count(0), pairs[0::2].count(0)
    if low_first >= len(pairs) // 20 and high_first <= low_first // 10:
        candidates.append("utf-16-le")
    if high_first >= len(pairs) // 20 and low_first <= high_first // 10:
        candidates.append("utf-16-be")
    return next((encoding for encoding in candidates if _reads_as_text(sample, encoding)), None)


def _reads_as_text(sample: bytes, encoding: str) -> bool:
    """Whether ``sample`` decodes in ``encoding`` to mostly letters with next to no control characters."""
    width = 4 if encoding.startswith("utf-32") else 2
    try:
        text = sample[: len(sample) // width * width].decode(encoding)
    except UnicodeDecodeError:
        return False
    letters = sum(char.isalpha() for char in text)
    unreadable = sum(unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs") and char not in "\t\n\r\f" for char in text)
    return bool(text) and letters >= len(text) // 2 and unreadable <= len(text) // 100


def _damaged_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8 with its few invalid bytes replaced, or None when it is not mostly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    replacements = text.count("\ufffd")
    damaged = replacements - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid_non_ascii = non_ascii - replacements
    return text if valid_non_ascii >= damaged * _UTF8_EVIDENCE_PER_DAMAGED_BYTE else None


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
