"""Scores of the master: self score and appraised score per unit, the commune-wide quota, the ranking.

Pure: the domain core does the arithmetic (``schemas.score``, ``apply_quota``, ``rank``); this module only
decides which appraisal applies and how units without a usable submission are shown:

* no submission → rating KHT with the reason, no rank, listed after the ranked units (registry order);
* a submission with open errors → scored from what parsed, ranked, and the reason says errors remain;
* appraisal: for a cell present in the master file the file's value wins (it is newer; an emptied cell
  means the self score stands); otherwise the stored appraisal (``MasterInput.appraisals``) applies.
  An invalid value in the file is not applied (the self score stands) and is written back as typed.
"""

from __future__ import annotations

from decimal import Decimal

from schemas import Rating, ScoreCard, apply_quota, rank, score

from .data import Appraisal, MasterInput, StaffEdits, UnitResult, UnitRow

__all__ = ["compute", "missing_reason"]


def missing_reason(row: UnitRow) -> str:
    """Why a unit without a usable submission is rated KHT (or not rated yet, before the deadline)."""
    if row.status == "pending":
        return "Chưa nộp phiếu, còn trong hạn nộp: chưa xếp loại"
    if row.status == "missing" or (row.status == "unchanged" and row.version is None):
        return "Không nộp phiếu tự đánh giá"
    if row.status == "invalid":
        return "Phiếu có lỗi chưa sửa, chưa đọc được thông tin đơn vị và năm đánh giá"
    detail = f": {row.status_message}" if row.status_message else ""
    return f"Không đọc được phiếu tự đánh giá{detail}"


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
        own = score(rubric, row.submission, preset=preset.code)
        selves.append(own)
        cards.append(score(rubric, row.submission, preset=preset.code, overrides=values) if values else own)
    quota = iter(apply_quota(preset, cards))
    finals = [None if row.submission is None else next(quota) for row in data.units]
    ranks = iter(rank([c.total for c in finals if c is not None]))
    results: list[UnitResult] = []
    for row, self_card, card, (values, invalid, note) in zip(data.units, selves, finals, merged, strict=True):
        if card is None:
            results.append(
                UnitResult(
                    row=row, self_card=None, card=None, rating=Rating.KHT, rank=None,
                    reasons=(missing_reason(row),), appraisal=values, invalid=invalid, note=note,
                )
            )
            continue
        reasons = list(card.reasons)
        if row.error_count:
            reasons.append(f"Phiếu còn {row.error_count} lỗi chưa sửa; điểm tính trên phần đọc được")
        results.append(
            UnitResult(
                row=row, self_card=self_card, card=card, rating=card.rating, rank=next(ranks),
                reasons=tuple(reasons), appraisal=values, invalid=invalid, note=note,
            )
        )
    order = {id(r): i for i, r in enumerate(results)}
    return tuple(sorted(results, key=lambda r: (r.rank is None, r.rank or 0, order[id(r)])))
