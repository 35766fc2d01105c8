"""Legacy Vietnamese encodings in old office files: TCVN3 (ABC) and VNI, back to Unicode NFC.

Before Unicode, Vietnamese was typed with fonts that draw Vietnamese letters at the code points of
Windows-1252. The workbook stores those code points; only the font makes them readable:

* **TCVN3** (TCVN 5712:1993, the VN3 subset of the "ABC" fonts ``.VnTime``, ``.VnArial`` …): one code point
  per letter (``"¸"`` → á, ``"®"`` → đ). The normal fonts have codes for lower-case letters and for the seven
  bare capitals Ă Â Ê Ô Ơ Ư Đ only. Capitals with a tone are typed with the upper-case fonts (``.VnTimeH``,
  name ending in ``H``), which draw every code point as its capital: the same code ``"¸"`` shows "Á".
* **VNI** (``VNI-Times`` …): a base letter followed by a diacritic code point (``"aù"`` → á, ``"oà"`` → ồ,
  ``"Vieät"`` → Việt); ơ ư đ and the toned i and ỵ have a code point of their own (``"ô"`` → ơ).

The three code points 0xB0–0xB4 that TCVN 5712 reserves for combining tones, and the VN1 capitals some
other fonts add, are not decoded: the ABC fonts do not use them and they collide with ``°``, ``²`` etc.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = [
    "VIETNAMESE_LETTERS",
    "Encoding",
    "detect_legacy_font",
    "from_unicode",
    "looks_legacy",
    "to_unicode",
    "to_unicode_for_font",
]

Encoding = Literal["tcvn3", "vni"]

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = ("", _GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)
_BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _letters() -> tuple[str, ...]:
    lower = ["đ"]
    for base in _BASES:
        for tone in _TONES:
            letter = _nfc(base + tone)
            if not letter.isascii():
                lower.append(letter)
    return (*lower, *(letter.upper() for letter in lower))


VIETNAMESE_LETTERS: tuple[str, ...] = _letters()
"""The 134 letters of Vietnamese that are not plain ASCII (67 lower-case, then their 67 capitals), NFC."""

# --- TCVN3 ---------------------------------------------------------------------------------------------

# Every lower-case letter, and the seven bare capitals, with its TCVN3 code point (as Windows-1252 text).
_TCVN3_ENCODE: dict[str, str] = {
    "à": "µ", "á": "¸", "ả": "¶", "ã": "·", "ạ": "¹",
    "ă": "¨", "ằ": "»", "ắ": "¾", "ẳ": "¼", "ẵ": "½", "ặ": "Æ",
    "â": "©", "ầ": "Ç", "ấ": "Ê", "ẩ": "È", "ẫ": "É", "ậ": "Ë",
    "đ": "®",
    "è": "Ì", "é": "Ð", "ẻ": "Î", "ẽ": "Ï", "ẹ": "Ñ",
    "ê": "ª", "ề": "Ò", "ế": "Õ", "ể": "Ó", "ễ": "Ô", "ệ": "Ö",
    "ì": "×", "í": "Ý", "ỉ": "Ø", "ĩ": "Ü", "ị": "Þ",
    "ò": "ß", "ó": "ã", "ỏ": "á", "õ": "â", "ọ": "ä",
    "ô": "«", "ồ": "å", "ố": "è", "ổ": "æ", "ỗ": "ç", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ớ": "í", "ở": "ë", "ỡ": "ì", "ợ": "î",
    "ù": "ï", "ú": "ó", "ủ": "ñ", "ũ": "ò", "ụ": "ô",
    "ư": "\xad", "ừ": "õ", "ứ": "ø", "ử": "ö", "ữ": "÷", "ự": "ù",
    "ỳ": "ú", "ý": "ý", "ỷ": "û", "ỹ": "ü", "ỵ": "þ",
    "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§",
}  # fmt: skip
_TCVN3_DECODE: dict[int, str] = {ord(code): letter for letter, code in _TCVN3_ENCODE.items()}

# --- VNI -----------------------------------------------------------------------------------------------

_VNI_TONE = {"": "", _GRAVE: "ø", _ACUTE: "ù", _HOOK: "û", _TILDE: "õ", _DOT: "ï"}
_VNI_CIRCUMFLEX = {"": "â", _GRAVE: "à", _ACUTE: "á", _HOOK: "å", _TILDE: "ã", _DOT: "ä"}
_VNI_BREVE = {"": "ê", _GRAVE: "è", _ACUTE: "é", _HOOK: "ú", _TILDE: "ü", _DOT: "ë"}
_VNI_I = {"": "i", _GRAVE: "ì", _ACUTE: "í", _HOOK: "æ", _TILDE: "ó", _DOT: "ò"}
# Base letters written as one code point that then takes a tone mark: ơ and ư.
_VNI_HORN = {"ơ": "ô", "ư": "ö"}


def _split(letter: str) -> tuple[str, str]:
    """``"ấ"`` → ``("â", acute)``: the letter without its tone, and the tone ("" for none)."""
    parts = unicodedata.normalize("NFD", letter)
    tone = next((mark for mark in parts if mark in _TONES[1:]), "")
    return _nfc(parts.replace(tone, "") if tone else parts), tone


def _vni_lower(letter: str) -> str:
    if letter == "đ":
        return "ñ"
    base, tone = _split(letter)
    if base == "i":
        return _VNI_I[tone]
    if letter == "ỵ":
        return "î"
    if base in _VNI_HORN:
        return _VNI_HORN[base] + _VNI_TONE[tone]
    if base in ("â", "ê", "ô"):
        return unicodedata.normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    return base + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {
    **{letter: _vni_lower(letter) for letter in VIETNAMESE_LETTERS[:67]},
    **{letter.upper(): _vni_lower(letter).upper() for letter in VIETNAMESE_LETTERS[:67]},
}


def _vni_decode_table() -> dict[str, str]:
    """Every VNI spelling of a letter: the standard one and the tolerated ones.

    Tolerated: the mark in the other case than its base (the base decides the case), the circumflex or
    breve and the tone as two marks (``"aâù"``), a tone mark after a plain ``i`` or ``y`` (``"iù"``).
    """
    table: dict[str, str] = {}
    for base in _BASES:
        for tone in _TONES:
            letter = _nfc(base + tone)
            spellings = {_vni_lower(letter)} if not letter.isascii() else set()
            plain, _ = _split(letter)
            if plain in ("â", "ê", "ô", "ă") and tone:
                first = unicodedata.normalize("NFD", plain)[0]
                shape = _VNI_BREVE[""] if plain == "ă" else _VNI_CIRCUMFLEX[""]
                spellings.add(first + shape + _VNI_TONE[tone])
            if plain in ("i", "y") and tone:
                spellings.add(plain + _VNI_TONE[tone])
            for spelling in spellings:
                table[spelling] = letter
                head, marks = spelling[0], spelling[1:]
                for head_form, marks_form, result in (
                    (head.upper(), marks.upper(), letter.upper()),
                    (head.upper(), marks, letter.upper()),
                    (head, marks.upper(), letter),
                ):
                    table.setdefault(head_form + marks_form, result)
    table.update({"ñ": "đ", "Ñ": "Đ"})
    return table


_VNI_DECODE = _vni_decode_table()
_VNI_LONGEST = max(len(spelling) for spelling in _VNI_DECODE)


def _vni_to_unicode(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(_VNI_LONGEST, len(text) - i), 0, -1):
            letter = _VNI_DECODE.get(text[i : i + size])
            if letter is not None:
                out.append(letter)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# --- public API ----------------------------------------------------------------------------------------


def detect_legacy_font(font_name: str | None) -> Encoding | None:
    """The legacy encoding a font implies: ``".VnTime"``/``".VnTimeH"`` → "tcvn3", ``"VNI-Times"`` → "vni"."""
    if not font_name:
        return None
    name = font_name.strip().casefold()
    if name.startswith(".vn"):
        return "tcvn3"
    if name.startswith("vni-"):
        return "vni"
    return None


def to_unicode(text: str, encoding: Encoding) -> str:
    """Text typed in a legacy font, as Unicode NFC. Code points the encoding does not use pass unchanged.

    TCVN3 gives lower-case for the toned letters (the normal fonts cannot show toned capitals); use
    `to_unicode_for_font` when the font is known, so that ``.VnTimeH`` text comes out in capitals.
    """
    if encoding == "tcvn3":
        return _nfc(text.translate(_TCVN3_DECODE))
    if encoding == "vni":
        return _nfc(_vni_to_unicode(text))
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


def to_unicode_for_font(text: str, font_name: str | None) -> str | None:
    """`to_unicode` for the encoding of ``font_name``; None if the font is not a legacy one.

    The TCVN3 upper-case fonts (name ending in "H", e.g. ``.VnTimeH``) draw every letter as a capital, so
    their text is returned upper-cased.
    """
    encoding = detect_legacy_font(font_name)
    if encoding is None:
        return None
    converted = to_unicode(text, encoding)
    if encoding == "tcvn3" and font_name is not None and font_name.strip().endswith("H"):
        return converted.upper()
    return converted


def from_unicode(text: str, encoding: Encoding) -> str:
    """The inverse of `to_unicode`: how a legacy font stores ``text``.

    TCVN3 has no code for a capital with a tone; it is written with the lower-case code, as the
    upper-case fonts (``.VnTimeH``) expect. Characters outside Vietnamese pass unchanged.
    """
    text = _nfc(text)
    if encoding == "tcvn3":
        return "".join(_TCVN3_ENCODE.get(ch) or _TCVN3_ENCODE.get(ch.lower(), ch) for ch in text)
    if encoding == "vni":
        return "".join(_VNI_ENCODE.get(ch, ch) for ch in text)
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


# --- heuristic -----------------------------------------------------------------------------------------

# Vietnamese letters that Windows-1252 lacks: any of them proves the text is real Unicode.
_UNICODE_ONLY = frozenset(letter for letter in VIETNAMESE_LETTERS if ord(letter) > 0xFF)
_LATIN1_VIETNAMESE = frozenset(letter for letter in VIETNAMESE_LETTERS if ord(letter) <= 0xFF)
# TCVN3 code points that are not themselves Vietnamese letters (µ, ¸, Ö, ®, ...).
_TCVN3_TELLTALE = frozenset(set(_TCVN3_ENCODE.values()) - _LATIN1_VIETNAMESE)
_TCVN3_TELLTALE_RE = re.compile(
    "[A-Za-z{codes}][{tell}]|[{tell}][A-Za-z{codes}]".format(
        codes=re.escape("".join(sorted(_TCVN3_ENCODE.values()))),
        tell=re.escape("".join(sorted(_TCVN3_TELLTALE))),
    )
)
# VNI spellings of two or more code points, except o + à/á/ã which Unicode "hoà", "khoá" also contain.
_VNI_TELLTALE = frozenset(
    spelling for spelling in _VNI_DECODE if len(spelling) > 1 and spelling.casefold() not in ("oà", "oá", "oã")
)
_VNI_SINGLE_TELLTALE = frozenset("ñÑöÖæÆîÎ")
_VNI_TELLTALE_SIZES = tuple(sorted({len(spelling) for spelling in _VNI_TELLTALE}))
# every code point, other than an ASCII letter, that a VNI telltale contains: where a telltale can be
_VNI_MARKS = frozenset(ch for spelling in _VNI_TELLTALE for ch in spelling if not ch.isascii()) | _VNI_SINGLE_TELLTALE
_VNI_MARK_RE = re.compile("[" + re.escape("".join(sorted(_VNI_MARKS))) + "]")


def looks_legacy(text: str) -> bool:
    """Whether ``text`` looks like TCVN3 or VNI read without its font (a guess, for a warning).

    True when the text has none of the Vietnamese letters that only Unicode has (ạ ơ ư đ …) and has a
    trace of a legacy encoding next to a letter: a TCVN3 code point that is not a Vietnamese letter
    (``"Hµ"``, ``"ViÖt"``), a VNI letter with its mark (``"Vieät"``) or a VNI ñ/ö.

    Linear in the length of the text: only the few positions holding a VNI mark code point are looked at, and
    there each spelling length is one set lookup.
    """
    if not _UNICODE_ONLY.isdisjoint(text):
        return False
    if _TCVN3_TELLTALE_RE.search(text):
        return True
    for match in _VNI_MARK_RE.finditer(text):
        i = match.start()
        if text[i] in _VNI_SINGLE_TELLTALE and _next_to_letter(text, i):
            return True
        # a VNI spelling is a base letter then marks: it ends at or after this mark code point
        for size in _VNI_TELLTALE_SIZES:
            for start in range(max(0, i - size + 1), i + 1):
                if text[start : start + size] in _VNI_TELLTALE:
                    return True
    return False


def _next_to_letter(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())
