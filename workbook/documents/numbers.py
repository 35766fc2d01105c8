"""Numbers as the documents print them: Vietnamese format, the master's display rounding.

The master stores a total as the float of the exact fraction and shows it with two decimals; a document
prints the same digits: the float's decimal form rounded half away from zero ("85,50", "1.234,50").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["vn_count", "vn_percent", "vn_points"]

_CENT = Decimal("0.01")


def _grouped(text: str) -> str:
    """"1234.50" → "1.234,50" (dot for thousands, comma for decimals)."""
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def vn_points(value: Fraction | Decimal | int | float | None, blank: str = "") -> str:
    """Points with two decimals, as the master displays them: Fraction(171, 2) → "85,50"."""
    if value is None:
        return blank
    shown = Decimal(repr(float(value))).quantize(_CENT, rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)  # no "-0,00"
    return _grouped(f"{shown:f}")


def vn_percent(part: Fraction | Decimal | int, whole: Fraction | Decimal | int, blank: str = "") -> str:
    """part ÷ whole as a percentage with two decimals: (1910, 2000) → "95,50%"; blank when whole is 0."""
    if not whole:
        return blank
    return vn_points(Fraction(part) / Fraction(whole) * 100) + "%"


def vn_count(value: int | Decimal | Fraction) -> str:
    """A count or a sum of counts: 2345 → "2.345"; a non-integer sum keeps two decimals."""
    frac = Fraction(value)
    if frac.denominator == 1:
        return _grouped(str(frac.numerator))
    return vn_points(frac)
