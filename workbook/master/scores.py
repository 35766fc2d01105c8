"""Scores of the master: self score and appraised score per unit, the commune-wide quota, the ranking.

Pure: the domain core does the arithmetic (``schemas.score``, ``apply_quota``, ``rank``); this module only
decides which appraisal applies and how units without a usable submission are shown:

* no submission → rating KHT with the reason, no rank, listed after the ranked units (registry order);
  not rated (``UnitResult.unrated``, no rank, not eligible, outside the rating counts): nothing received before
  the deadline at the as-of date ("Chưa nộp (còn hạn)"), a file held for staff ("Chờ xác nhận"), or only an
  unreadable file ("Chưa xếp loại – tệp không đọc được": the unit did send something, so the "did not
  self-assess" knock-out does not apply until staff know what it is);
* the receipt: criteria that follow it (``Criterion.timeliness``, A4) are scored from when the unit's first
  submission reached dvk (``labels.timely``); a typed level that says otherwise is a warning on the unit's row
  (``UnitResult.receipt_warnings``, also among the reasons) unless the council appraised that criterion;
* a submission with open errors → scored with every criterion in error at 0 (``schemas.validate.without_invalid``;
  a bonus count above the recognised models and exemplars listed counts up to them instead),
  ranked, *provisional* and not eligible for commendation; the reasons say what was counted.
  Staff override: an appraisal typed for every criterion in error lifts the provisional mark (the appraisal is
  what counts); an error outside the criteria (unit information, a table row, a missing sheet) must be fixed
  by the unit.
* eligible for commendation: rated HTT or HTXS and not provisional;
* appraisal: for a cell present in the master file the file's value wins (it is newer; an emptied cell
  means the self score stands); otherwise the stored appraisal (``MasterInput.appraisals``) applies.
  An invalid value in the file is not applied (the self score stands) and is written back as typed.
"""

from __future__ import annotations

from decimal import Decimal

from schemas import Rating, ScoreCard, apply_quota, rank, score
from schemas.receipt import receipt_conflicts
from schemas.validate import criteria_capped, criteria_in_error, without_invalid

from .candidates import is_women_collective
from .data import Appraisal, MasterInput, StaffEdits, UnitResult, UnitRow
from .labels import first_receipt, local, timely, unrated_label

__all__ = ["compute", "missing_reason"]


def missing_reason(row: UnitRow) -> str:
    """Why a unit without a usable submission is not rated, or rated KHT — in the words of an official annex
    (no instruction to the clerk: those stay on “Tình trạng nộp” and on the console)."""
    unrated = unrated_label(row)
    if row.status == "held":
        return "Chờ xác nhận: có tệp chờ cán bộ xác nhận là phiếu của đơn vị"
    if unrated is not None and row.status == "error":
        return "Chưa xếp loại – tệp không đọc được; hội đồng xem xét khi đơn vị gửi lại"
    if unrated is not None:
        return unrated
    if row.status == "invalid":
        return "Phiếu có lỗi chưa sửa, chưa đọc được thông tin đơn vị và năm đánh giá"
    return "Không nộp phiếu tự đánh giá"


_ELIGIBLE = (Rating.HTXS, Rating.HTT)


def _provisional(row: UnitRow, appraised: dict[str, Decimal], known: frozenset[str] = frozenset()) -> tuple[bool, list[str]]:
    """(provisional, reasons): errors of the latest version not covered by a staff appraisal. ``known``: criteria
    dvk scores from the receipt, whatever the sheet says about them."""
    if not row.error_count:
        return False, []
    bad = sorted(criteria_in_error(row.issues) - known)
    capped = criteria_capped(row.issues)
    open_criteria = [c for c in bad if c not in appraised]
    zeroed = [c for c in open_criteria if c not in capped]
    limited = [c for c in open_criteria if c in capped]
    other = sum(1 for i in row.issues if i.is_error and not i.criterion)
    reasons: list[str] = []
    if zeroed:
        reasons.append(f"Tạm tính – phiếu còn lỗi: tiêu chí {', '.join(zeroed)} tính 0 điểm cho đến khi đơn vị sửa "
                       "hoặc cán bộ nhập điểm thẩm định")
    if limited:
        reasons.append(f"Tạm tính – phiếu còn lỗi: tiêu chí {', '.join(limited)} khai nhiều hơn số mô hình, điển hình "
                       "được công nhận đã kê khai, chỉ tính theo số được công nhận cho đến khi đơn vị sửa hoặc cán bộ "
                       "nhập điểm thẩm định")
    if other:
        reasons.append(f"Tạm tính – phiếu còn {other} lỗi ngoài các tiêu chí (thông tin đơn vị, bảng kê); đơn vị cần sửa")
    covered = [c for c in bad if c in appraised]
    if covered:
        reasons.append(f"Tiêu chí {', '.join(covered)} có lỗi trên phiếu, tính theo điểm thẩm định")
    provisional = bool(open_criteria or other)
    if provisional:
        reasons.append("Chưa đủ điều kiện đề nghị khen thưởng khi phiếu còn lỗi")
    return provisional, reasons


def _merge(
    code: str, stored: Appraisal | None, staff: StaffEdits | None
) -> tuple[dict[str, Decimal], dict[str, str | float | int], str]:
    values: dict[str, Decimal] = dict(stored.values) if stored else {}
    note = stored.note if stored else ""
    invalid: dict[str, str | float | int] = {}
    edits = staff.units.get(code) if staff else None
    if edits is not None:
        for criterion, cell in edits.values.items():
            values.pop(criterion, None)
            if cell.value is not None:
                values[criterion] = cell.value
            elif cell.raw is not None:
                invalid[criterion] = cell.raw
        if edits.note is not None:
            note = edits.note
    return values, invalid, note


def _receipt_warnings(data: MasterInput, row: UnitRow, on_time: bool | None, appraised: dict[str, Decimal]) -> list[str]:
    """A level typed for a criterion that follows the receipt (A4) that dvk's record contradicts; none for a
    criterion the council appraised (its decision stands)."""
    first = local(first_receipt(row))
    if row.submission is None or on_time is None or first is None:
        return []
    return [c.message(first.date(), data.deadline) for c in receipt_conflicts(data.rubric, row.submission, on_time)
            if c.criterion not in appraised]


def compute(data: MasterInput, staff: StaffEdits | None = None) -> tuple[UnitResult, ...]:
    """Every unit of ``data`` scored, rated (quota applied across the commune) and ranked; ranked order."""
    rubric = data.rubric
    preset = rubric.preset(data.preset)
    known = {c.code for c in rubric.criteria}
    merged = []
    cards: list[ScoreCard] = []
    selves: list[ScoreCard | None] = []
    for row in data.units:
        values, invalid, note = _merge(row.code, data.appraisals.get(row.code), staff)
        values = {k: v for k, v in values.items() if k in known}
        merged.append((values, invalid, note))
        if row.submission is None:
            selves.append(None)
            continue
        counted = without_invalid(rubric, row.submission, row.issues)  # also for versions stored before the rule
        on_time = timely(row, data.deadline)
        own = score(rubric, counted, preset=preset.code, on_time=on_time)
        selves.append(own)
        cards.append(score(rubric, counted, preset=preset.code, overrides=values, on_time=on_time) if values else own)
    women = {row.code for row in data.units if is_women_collective(row)}
    quota = iter(apply_quota(preset, cards, preferred=women))
    finals = [None if row.submission is None else next(quota) for row in data.units]
    ranks = iter(rank([c.total for c in finals if c is not None]))
    results: list[UnitResult] = []
    for row, self_card, card, (values, invalid, note) in zip(data.units, selves, finals, merged, strict=True):
        if card is None:
            unrated = unrated_label(row)
            reasons = [missing_reason(row)]
            if values:  # typed for a unit with nothing to appraise: kept, and said (review D27)
                typed = ", ".join(f"{c}={v}" for c, v in sorted(values.items()))
                reasons.append(f"Điểm thẩm định đã nhập ({typed}) được giữ nhưng chưa tính vì đơn vị chưa có phiếu đọc được")
            results.append(
                UnitResult(
                    row=row, self_card=None, card=None, rating=Rating.KHT, rank=None,
                    reasons=tuple(reasons), appraisal=values, invalid=invalid, note=note, unrated=unrated,
                )
            )
            continue
        reasons = list(card.reasons)
        on_time = timely(row, data.deadline)
        warnings = _receipt_warnings(data, row, on_time, values)
        reasons.extend(warnings)
        by_receipt = frozenset(c.code for c in rubric.receipt_criteria) if on_time is not None else frozenset()
        provisional, said = _provisional(row, values, by_receipt)
        reasons.extend(said)
        results.append(
            UnitResult(
                row=row, self_card=self_card, card=card, rating=card.rating, rank=next(ranks),
                reasons=tuple(reasons), appraisal=values, invalid=invalid, note=note,
                provisional=provisional, eligible=card.rating in _ELIGIBLE and not provisional,
                receipt_warnings=tuple(warnings),
            )
        )
    order = {id(r): i for i, r in enumerate(results)}
    return tuple(sorted(results, key=lambda r: (r.rank is None, r.rank or 0, order[id(r)])))
