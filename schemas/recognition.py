"""Recognition of models and exemplars: which rows of a sheet back a bonus count, and decision numbers.

The rule (DOMAIN.md §4, the anchor Cần Thơ QĐ 2579/QĐ-UBND 2025, Quy định kèm theo, Điều 3): bonus points
follow the recognition of models and exemplars by the competent body. A row is *recognised* when it carries a
recognition level ("Xã", "Tỉnh"), a decision number and the decision's date. The rubric says, per bonus count,
which recognised rows back it (``Weight.rows``); a typed count above them is an error on its cell
(``schemas.validate``) and is counted only up to them (``supported``, ``cap_to_supported``).

Pure functions of a ``Submission`` (or its rows): the same counts on a loose file (`dvk validate`, `dvk score`)
as in the master, and for versions stored before the rule existed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from .models import Exemplar, ModelEntry, Submission
from .rubric import RowFilter, Rubric
from .text import clean_text

__all__ = [
    "Row",
    "cap_to_supported",
    "decision_key",
    "describe_rows",
    "is_recognised",
    "matches",
    "supported",
    "supported_counts",
]

#: A table row with the table it came from: ("models", ModelEntry) or ("exemplars", Exemplar).
Row = tuple[str, ModelEntry | Exemplar]

_NUMBER_PREFIX = re.compile(r"^(số|so|no\.?)\s*[:.]?\s*", re.IGNORECASE)


def decision_key(number: str) -> str:
    """A decision number as compared: "Số 118/QĐ-UBND", "118 / qđ-ubnd" → "118/qđ-ubnd"."""
    text = _NUMBER_PREFIX.sub("", clean_text(number))
    return re.sub(r"\s+", "", text).casefold()


_TITLES = {"models": "Mô hình", "exemplars": "Điển hình"}


def describe_rows(rows: RowFilter) -> str:
    """What backs a count, in Vietnamese: "dòng ở trang “Mô hình”/“Điển hình” có cấp công nhận “Xã”, số và ngày
    quyết định công nhận trong năm đánh giá"."""
    where = "/".join(f"“{_TITLES[t]}”" for t in rows.tables)
    level = f"cấp công nhận “{rows.level}”" if rows.level else "cấp công nhận"
    status = f", tình trạng “{' / '.join(rows.status)}”" if rows.status else ""
    when = "trong năm đánh giá" if rows.decided == "in-year" else "từ các năm trước"
    return f"dòng ở trang {where} có {level}{status}, số và ngày quyết định công nhận {when}"


def is_recognised(row: ModelEntry | Exemplar) -> bool:
    """Carries a recognition level, a decision number and the decision's date."""
    return bool(row.recognition_level and decision_key(row.decision_no) and row.decision_date is not None)


def matches(rows: RowFilter, table: str, row: ModelEntry | Exemplar, year: int) -> bool:
    """Does ``row`` (of ``table``) back a count with filter ``rows`` in the evaluated ``year``?"""
    if table not in rows.tables or not is_recognised(row):
        return False
    if rows.level and row.recognition_level != rows.level:
        return False
    if rows.status and (not isinstance(row, ModelEntry) or row.status.value not in rows.status):
        return False
    assert row.decision_date is not None
    decided = row.decision_date.year
    return decided == year if rows.decided == "in-year" else decided < year


def _rows(submission: Submission) -> list[Row]:
    return [*(("models", m) for m in submission.models), *(("exemplars", e) for e in submission.exemplars)]


def supported(rows: RowFilter, year: int, table_rows: Iterable[Row]) -> list[Row]:
    """The rows that back one count."""
    return [(table, row) for table, row in table_rows if matches(rows, table, row, year)]


def supported_counts(rubric: Rubric, year: int, table_rows: Iterable[Row]) -> dict[str, int]:
    """Input name → the number of rows that back it, for every count of the rubric that needs rows."""
    listed = list(table_rows)
    return {
        name: len(supported(rows, year, listed))
        for c in rubric.criteria for name, rows in c.weight_rows
    }


def cap_to_supported(rubric: Rubric, submission: Submission) -> Submission:
    """The submission with each row-backed count brought down to the rows that back it (never raised)."""
    counts = supported_counts(rubric, submission.year, _rows(submission))
    facts: Mapping[str, Decimal | str | None] = submission.facts
    changed = {
        name: Decimal(found)
        for name, found in counts.items()
        if isinstance(facts.get(name), Decimal) and facts[name] > found  # type: ignore[operator]
    }
    if not changed:
        return submission
    return submission.model_copy(update={"facts": {**facts, **changed}})
