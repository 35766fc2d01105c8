"""When a unit submitted, as the commune counts it: the first submission, lateness, and a typed level it contradicts.

The rules (decided for dvk, stated in README "Nộp đúng hạn, trễ hạn"):

* **What counts as a submission** ("valid or correctable"): a sheet dvk could read, of a registered unit and
  of the year evaluated, *filled in* — at least half of the rubric's criteria have something typed
  (``is_filled``). Errors do not matter: the unit corrects them. An unreadable file (.xls, a damaged or
  encrypted file), a file of another year and a blank template sent by mistake do not count. A file held for
  staff because its unit code and unit name disagree counts once staff confirm whose it is.
* **On time** when the first submission of the year reached dvk by the deadline day (dvk's receipt time —
  when it first saw the content — in local time; never a file's date). A correction sent later keeps the
  unit on time ("bản sửa ngày …").
* **Criteria that follow the receipt** (``Criterion.timeliness``, A4 of the default rubric) take the level of
  that fact; a typed level that says otherwise is a warning on the unit's row (``receipt_conflicts``).

Pure: dates and issues in, facts out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Issue, Submission
from .rubric import Rubric

__all__ = ["ReceiptConflict", "days_late", "is_filled", "on_time", "receipt_conflicts"]

_MISSING = "required-missing"


def is_filled(rubric: Rubric, issues: Sequence[Issue]) -> bool:
    """Does a readable sheet hold a self-assessment? At least half of the criteria have an input typed.

    A criterion is blank when every one of its inputs was reported "Chưa nhập" (``required-missing``); the blank
    template dvk issues (code, name and year pre-filled) has every criterion blank.
    """
    missing: dict[str, int] = {}
    for issue in issues:
        if issue.code == _MISSING and issue.criterion:
            missing[issue.criterion] = missing.get(issue.criterion, 0) + 1
    criteria = rubric.criteria
    typed = sum(1 for c in criteria if missing.get(c.code, 0) < len(c.inputs))
    return typed >= math.ceil(len(criteria) / 2)


def days_late(received: dt.date, deadline: dt.date) -> int:
    """Whole days after the deadline day (0 or less: on time)."""
    return (received - deadline).days


def on_time(first: dt.date | None, deadline: dt.date) -> bool | None:
    """True when the first submission was received by the deadline day; None when nothing counts yet."""
    return None if first is None else days_late(first, deadline) <= 0


@dataclass(frozen=True)
class ReceiptConflict:
    """A level the unit typed for a criterion that follows the receipt, and the level dvk gives instead."""

    criterion: str
    typed: str
    level: str
    points: str  # the points of ``level`` as the master prints them ("1", "1,5")

    def message(self, first: dt.date, deadline: dt.date) -> str:
        """The warning on the unit's row (Vietnamese)."""
        late = days_late(first, deadline)
        when = (f"dvk nhận phiếu ngày {first:%d/%m/%Y}, trễ hạn {late} ngày (hạn {deadline:%d/%m/%Y})" if late > 0
                else f"dvk nhận phiếu ngày {first:%d/%m/%Y}, đúng hạn (hạn {deadline:%d/%m/%Y})")
        return (f"{self.criterion}: đơn vị ghi “{self.typed}” nhưng {when}; tính mức “{self.level}” "
                f"({self.points} điểm). Hội đồng có thể nhập điểm thẩm định khác")


def _points(value: object) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]
    return text.replace(".", ",")


def receipt_conflicts(rubric: Rubric, submission: Submission, timely: bool | None) -> tuple[ReceiptConflict, ...]:
    """Levels typed for the criteria with ``timeliness`` that differ from what the receipt gives.

    Nothing when the receipt is unknown (``timely`` None) or the level was left blank or not understood (the
    sheet's own error says so).
    """
    if timely is None:
        return ()
    out: list[ReceiptConflict] = []
    for c in rubric.receipt_criteria:
        level = c.receipt_level(timely)
        typed = submission.facts.get(f"{c.code}.level")
        if level is None or not isinstance(typed, str) or typed == level:
            continue
        out.append(ReceiptConflict(c.code, typed, level, _points(c.level_points[level])))
    return tuple(out)
