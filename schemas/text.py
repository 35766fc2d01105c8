"""Vietnamese text helpers: NFC normalisation, accent-folding for tolerant matching, alphabetical sort key."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["canonical_code", "clean_text", "fold", "is_nfc", "nfc", "size_text", "vn_sort_key"]

_SPACES = re.compile(r"\s+")
# Characters Excel refuses in a cell (XML 1.0 control characters other than tab, newline, carriage return).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(text: str) -> str:
    """The text in Unicode NFC, the only form dvk stores or shows."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def clean_text(text: str) -> str:
    """NFC, control characters dropped, runs of spaces collapsed, trimmed (newlines kept as spaces)."""
    return _SPACES.sub(" ", _CONTROL.sub("", nfc(text))).strip()


def canonical_code(value: object) -> str:
    """A unit code in its one canonical form, the form every reader compares and stores: NFC, control
    characters and surrounding spaces dropped, upper case ("hnd " → "HND", "T-NaMo" → "T-NAMO").

    Unit codes are identities: the code in dvk.toml or the units file, in a unit's file (cell and file name),
    on a row of the master and in the ledger are the same unit when their canonical forms are equal.
    ``None`` gives "".
    """
    if value is None:
        return ""
    return nfc(clean_text(str(value)).upper())


def fold(text: str) -> str:
    """A key for tolerant matching: lower case, no diacritics, đ → d, single spaces ("Không có" → "khong co")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_BASE_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}  # huyền hỏi ngã sắc nặng


def _letter_key(ch: str) -> tuple[int, int, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = 1
    base = ""
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        else:
            base += part
    base = unicodedata.normalize("NFC", base)
    if base in _BASE_ORDER:
        return (0, _BASE_ORDER[base], tone)
    return (1, ord(base[0]) if base else 0, tone)


def vn_sort_key(text: str) -> tuple[tuple[tuple[int, int, int], ...], tuple[tuple[int, int, int], ...]]:
    """Sort key following the Vietnamese alphabet: letters first, tones only break ties."""
    letters = tuple(_letter_key(ch) for ch in nfc(text))
    return (tuple((a, b, 0) for a, b, _ in letters), letters)


def size_text(size: int) -> str:
    """A size as a person reads it, Vietnamese decimals: "16 KB", "1,5 MB", "2,3 GB"."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            value = size / scale
            return (f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")).removesuffix(",0") + f" {unit}"
    return f"{size} byte"
