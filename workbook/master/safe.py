"""Text from submissions made safe for a cell: never a formula, no XML-illegal characters, within Excel's limit.

Writers turn a ``str`` starting with "=" into a formula when asked generically (openpyxl always, XlsxWriter's
``write``); Excel and LibreOffice treat a string cell as text whatever it starts with. So every text cell the
master writes is written as a string explicitly (``write_string``), and a text that *looks* like a formula
(starts with =, +, -, @, a tab or a carriage return) also gets Excel's quote prefix, so it stays text even
when a person presses F2 and Enter on it.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "MAX_CELL_CHARS", "TRUNCATION_NOTE", "looks_like_formula", "safe_text"]

MAX_CELL_CHARS = 32_767
TRUNCATION_NOTE = " … [đã cắt bớt: nội dung dài quá giới hạn 32.767 ký tự của một ô Excel]"
# XML 1.0 forbids these (tab, newline and carriage return are allowed); also lone surrogates and U+FFFE/FFFF.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet could take for a formula if it were typed (CSV-injection prefixes)."""
    return text.startswith(FORMULA_START)


def safe_text(value: object) -> str:
    """``value`` as cell text: illegal control characters dropped, capped at 32,767 characters with a note."""
    if type(value) is str and value.isprintable() and len(value) <= MAX_CELL_CHARS:
        return value  # the common case: nothing to drop (every illegal character is unprintable)
    text = _ILLEGAL.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATION_NOTE)] + TRUNCATION_NOTE
    return text
