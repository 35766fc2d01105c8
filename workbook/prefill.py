"""What dvk itself writes into a unit's template, and whether a filled sheet holds anything more (pure).

``dvk template --unit`` and ``dvk sheets provision`` pre-fill the template version, the year, the unit's code
and name and its contact line (phone, e-mail from the registry). A sheet whose inputs hold only that — every
other input and every table row empty — is *untouched*: the unit has not answered yet, so it is no
submission ("Chưa nộp"), whatever its file date or Drive ``modifiedTime`` says. The first value a unit types
anywhere in an input cell makes it one.

The comparison is over the layout's input cells (not a hash of bytes): a sheet re-saved by Excel,
LibreOffice or Google, or converted on upload, is still untouched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from schemas.models import Unit

from .layout import META_VERSION, Layout

__all__ = ["prefill_values", "untouched"]


def prefill_values(layout: Layout, year: int, unit: Unit | None = None) -> dict[str, Any]:
    """Input name → the value dvk writes into the template for ``year`` (and ``unit``, if given)."""
    values: dict[str, Any] = {META_VERSION: layout.template_version, "info.year": year}
    if unit is not None:
        values["info.unit_code"] = unit.code
        values["info.unit_name"] = unit.name
        if unit.email or unit.phone:
            values["info.contact"] = ", ".join(x for x in (unit.phone, unit.email) if x)
    return values


def _text(value: Any) -> str | None:
    """A cell as comparable text: None when blank; whole numbers without ".0"; text stripped, NFC."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def untouched(layout: Layout, grid: Mapping[tuple[str, str], Any], prefills: Sequence[Mapping[str, Any]]) -> bool:
    """True when every input cell of ``grid`` is blank or holds what one of ``prefills`` (see
    :func:`prefill_values`; e.g. what the registry says now and what dvk recorded when it made the sheet)
    put there, and every table cell (with the rows read under each table) is blank."""
    for item in layout.inputs:
        value = _text(grid.get((item.sheet, item.cell)))
        if value is None:
            continue
        allowed = {_text(p.get(item.name)) for p in prefills} - {None}
        if value not in allowed:
            return False
    for table in layout.tables:
        for row in range(table.first_row, table.last_row + table.overflow_rows + 1):
            for column in table.columns:
                if _text(grid.get((table.sheet, f"{column.letter}{row}"))) is not None:
                    return False
    return True
