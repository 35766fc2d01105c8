"""Parsing raw spreadsheet values: Vietnamese-style numbers, dates, serial dates, error values.

Raw values are what a spreadsheet gives: str, int, float, bool, None, datetime/date. Parsers return the
parsed value or raise ``ValueProblem`` with a slug; the validator turns that into an ``Issue``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

__all__ = [
    "ERROR_VALUES",
    "RawValue",
    "ValueProblem",
    "date_to_serial",
    "is_blank",
    "parse_date",
    "parse_integer",
    "parse_number",
    "serial_to_date",
    "vn_decimal",
]

RawValue: TypeAlias = str | int | float | bool | dt.date | dt.datetime | dt.time | None

#: Spreadsheet error values, as openpyxl and the Sheets API (UNFORMATTED_VALUE) give them.
ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#ERROR!", "#SPILL!", "#CALC!"}
)

_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system as every modern spreadsheet uses it
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_SPACE_CHARS = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\t"), None)


class ValueProblem(ValueError):
    """A raw value that cannot be parsed. ``slug`` names the problem."""

    def __init__(self, slug: str, detail: str = "") -> None:
        super().__init__(slug)
        self.slug = slug
        self.detail = detail


def is_blank(value: RawValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_error_value(value: RawValue) -> None:
    if isinstance(value, str) and value.strip().upper() in ERROR_VALUES:
        raise ValueProblem("error-value", value.strip())


def parse_number(value: RawValue) -> Decimal:
    """A number from a cell: 85.5, "85,5", "1.234" (thousands), "1.234,5", "92%" (→ 92), " 12 ".

    Floats are read through their shortest repr, so 0.1 stays 0.1. Booleans and dates are not numbers.
    """
    _check_error_value(value)
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueProblem("value-not-a-number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("value-not-a-number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ValueProblem("value-not-a-number")
    text = value.translate(_SPACE_CHARS).strip()
    if text.endswith("%"):
        text = text[:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValueProblem("value-not-a-number")
        text = text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if not _NUMBER.match(text):
        raise ValueProblem("value-not-a-number")
    try:
        return Decimal(text)
    except InvalidOperation as err:  # pragma: no cover - the regex admits only valid literals
        raise ValueProblem("value-not-a-number") from err


def parse_integer(value: RawValue) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise ValueProblem("not-an-integer")
    return int(number)


def serial_to_date(serial: float) -> dt.date:
    """Excel/Sheets serial number (1900 system, as Sheets' SERIAL_NUMBER) → date."""
    return _EPOCH + dt.timedelta(days=int(serial))


def date_to_serial(day: dt.date) -> int:
    return (day - _EPOCH).days


def parse_date(value: RawValue) -> dt.date:
    """A date from a cell: a date/datetime, a serial number, or text dd/mm/yyyy (also yyyy-mm-dd)."""
    _check_error_value(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("invalid-date")
    if isinstance(value, int | float):
        if not 1 <= value <= 2958465:  # 1900-01-01 … 9999-12-31
            raise ValueProblem("invalid-date")
        return serial_to_date(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            if m := _DATE_DMY.match(text):
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            if m := _DATE_ISO.match(text):
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as err:
            raise ValueProblem("invalid-date") from err
    raise ValueProblem("invalid-date")


def vn_decimal(number: Decimal) -> str:
    """A number as a Vietnamese message shows it, with a decimal comma: Decimal("12.5") → "12,5"."""
    return format(number.normalize(), "f").replace(".", ",")
