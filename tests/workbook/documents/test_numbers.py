"""Numbers as documents print them: the master's two-decimal display, Vietnamese separators."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from workbook.documents import vn_count, vn_percent, vn_points


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(171, 2), "85,50"),
        (Fraction(341, 4), "85,25"),
        (Fraction(681, 8), "85,13"),  # 85.125 exactly: half away from zero, as Excel shows it
        (Fraction(-681, 8), "-85,13"),
        (Fraction(1, 3), "0,33"),
        (Fraction(-1, 1000), "0,00"),  # never "-0,00"
        (Decimal("1234.5"), "1.234,50"),
        (100, "100,00"),
        (Fraction(1006575569358178, 10**13), "100,66"),
    ],
)
def test_points(value: Fraction | Decimal | int, shown: str) -> None:
    assert vn_points(value) == shown


def test_blank_percent_and_counts() -> None:
    assert vn_points(None) == "" and vn_points(None, "–") == "–"
    assert vn_percent(1910, 2000) == "95,50%" and vn_percent(1, 0, "–") == "–"
    assert vn_count(2345) == "2.345" and vn_count(Decimal("12")) == "12" and vn_count(Fraction(5, 2)) == "2,50"
