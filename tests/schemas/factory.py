"""Builders of test submissions from plain facts (through the real validator or directly)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from schemas import RawSubmission, Submission, UnitInfo, default_rubric
from schemas.models import HeadDiscipline
from schemas.validate import validate

PERFECT: dict[str, Any] = {
    "A1.level": "Ban hành đúng hạn",
    "A2.count": 2,
    "A3.level": "Có",
    "A4.level": "Đúng hạn",
    "K1.target": 100, "K1.result": 100,
    "K2.target": 10, "K2.result": 12,
    "V1.target": 5, "V1.result": 5,
    "V2.target": 8, "V2.result": 8,
    "Q1.target": 3, "Q1.result": 3, "Q1.flag": "Không",
    "Q2.target": 4, "Q2.result": 4,
    "H1.target": 6, "H1.result": 6,
    "H2.count": 4,
    "S1.target": 100, "S1.result": 96,
    "S2.level": "Không có",
    "P1.target": 12, "P1.result": 12,
    "P2.target": 20, "P2.result": 20,
    "P3.count": 0,
    "D1.target": 4, "D1.result": 4,
    "D2.count": 4,
    "D3.level": "Không có",
    "B1.commune": 0, "B1.province": 0, "B1.replicated": 0,
    "M1.count": 0,
}

INFO: dict[str, Any] = {
    "info.unit_code": "VP-UBND",
    "info.unit_name": "Văn phòng HĐND và UBND",
    "info.year": 2026,
    "info.head": "Ma Văn Tuấn",
    "info.head_discipline": "Không",
    "info.ko_corruption": "Không",
    "info.ko_prosecuted": "Không",
}

ONE_MODEL = {"models": [{"name": "Dân vận khéo trong chuyển đổi số", "field": "Kinh tế", "kind": "Tập thể", "status": "Đăng ký"}]}


def submission(
    *,
    discipline: HeadDiscipline = HeadDiscipline.NONE,
    corruption: bool = False,
    prosecuted: bool = False,
    **facts: Any,
) -> Submission:
    """A Submission built directly from facts (numbers given as anything Decimal accepts)."""
    merged: dict[str, Any] = dict(PERFECT)
    merged.update({k.replace("_", "."): v for k, v in facts.items()})
    parsed = {
        k: (Decimal(str(v)) if isinstance(v, int | float | Decimal) else v) for k, v in merged.items()
    }
    return Submission(
        info=UnitInfo(
            unit_code="VP-UBND", year=2026, head_discipline=discipline, ko_corruption=corruption, ko_prosecuted=prosecuted
        ),
        facts=parsed,
    )


def raw(values: dict[str, Any] | None = None, tables: dict[str, Any] | None = None, **overrides: Any) -> RawSubmission:
    merged = {**INFO, **PERFECT, **(values or {})}
    merged.update({k.replace("_", "."): v for k, v in overrides.items()})
    return RawSubmission.from_values(merged, ONE_MODEL if tables is None else tables)


def validated(values: dict[str, Any] | None = None, tables: dict[str, Any] | None = None, **overrides: Any):  # type: ignore[no-untyped-def]
    return validate(default_rubric(), raw(values, tables, **overrides))
