"""Builders of master inputs from plain facts, through the real validator (``schemas.validate``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from schemas import RawSubmission, Rubric, Unit, UnitKind, default_rubric
from schemas.validate import validate
from workbook.master import Appraisal, HistoryRow, MasterInput, UnitRow

PERFECT: dict[str, Any] = {
    "A1.level": "Ban hành đúng hạn", "A2.count": 2, "A3.level": "Có", "A4.level": "Đúng hạn",
    "K1.target": 100, "K1.result": 100, "K2.target": 10, "K2.result": 12,
    "V1.target": 5, "V1.result": 5, "V2.target": 8, "V2.result": 8,
    "Q1.target": 3, "Q1.result": 3, "Q1.flag": "Không", "Q2.target": 4, "Q2.result": 4,
    "H1.target": 6, "H1.result": 6, "H2.count": 4,
    "S1.target": 100, "S1.result": 96, "S2.level": "Không có",
    "P1.target": 12, "P1.result": 12, "P2.target": 20, "P2.result": 20, "P3.count": 0,
    "D1.target": 4, "D1.result": 4, "D2.count": 4, "D3.level": "Không có",
    "B1.commune": 0, "B1.province": 0, "B1.replicated": 0, "M1.count": 0,
}

NAMES: tuple[tuple[str, str, UnitKind], ...] = (
    ("VP-UBND", "Văn phòng HĐND và UBND", UnitKind.PHONG_BAN),
    ("P-KT", "Phòng Kinh tế", UnitKind.PHONG_BAN),
    ("P-VHXH", "Phòng Văn hóa – Xã hội", UnitKind.PHONG_BAN),
    ("MTTQ", "Ủy ban MTTQ Việt Nam xã", UnitKind.MTTQ_DOAN_THE),
    ("HND", "Hội Nông dân", UnitKind.MTTQ_DOAN_THE),
    ("HPN", "Hội Liên hiệp Phụ nữ", UnitKind.MTTQ_DOAN_THE),
    ("DTN", "Đoàn Thanh niên", UnitKind.MTTQ_DOAN_THE),
    ("CA", "Công an xã", UnitKind.DON_VI_THUOC),
    ("TYT", "Trạm Y tế", UnitKind.DON_VI_THUOC),
    ("T-NAMO", "Thôn Nà Mò", UnitKind.THON_XOM),
    ("T-BANCHANG", "Thôn Bản Chang", UnitKind.THON_XOM),
)

MODEL = {"name": "Dân vận khéo trong chuyển đổi số", "field": "Kinh tế", "kind": "Tập thể", "status": "Được công nhận",
         "recognition_level": "Xã", "decision_no": "12/QĐ-UBND", "decision_date": "15/10/2026"}
EXEMPLAR = {"name": "Bà Hoàng Thị Lan", "kind": "Cá nhân", "field": "Văn hóa – xã hội", "achievements": "Vận động hiến đất"}
PROPOSAL = {"subject": "Hội Liên hiệp Phụ nữ", "kind": "Tập thể", "form": "Giấy khen của Chủ tịch UBND xã",
            "achievements": "Dẫn đầu phong trào", "female": "Có"}


def tables_for(year: int, recognised: Any = 1) -> dict[str, list[dict[str, Any]]]:
    """``MODEL`` recognised by the commune in ``year``, ``EXEMPLAR`` and ``PROPOSAL``: as many commune-recognised
    rows as B1 "Được xã công nhận" claims (a claim above the recognised rows listed is an error,
    ``schemas.recognition``): a second one is the exemplar, recognised too, further ones more models."""
    n = recognised if isinstance(recognised, int) else 1
    models = [{**MODEL, "name": MODEL["name"] + (f" {k + 1}" if k else ""), "decision_date": f"15/10/{year}"}
              for k in range(max(1, n - 1))]
    exemplar = dict(EXEMPLAR)
    if n >= 2:
        exemplar.update({"recognition_level": "Xã", "decision_no": "12/QĐ-UBND", "decision_date": f"15/10/{year}"})
    return {"models": models, "exemplars": [exemplar], "proposals": [PROPOSAL]}


def unit(i: int) -> Unit:
    if i < len(NAMES):
        code, name, kind = NAMES[i]
    else:
        code, name, kind = f"THON{i:04d}", f"Thôn Khuổi {i}", UnitKind.THON_XOM
    return Unit(code=code, name=name, kind=kind)


def raw(u: Unit, year: int = 2026, facts: Mapping[str, Any] | None = None,
        tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, **info: Any) -> RawSubmission:
    values = {
        "info.unit_code": u.code, "info.unit_name": u.name, "info.year": year, "info.head": "Ma Văn Tuấn",
        "info.head_discipline": "Không", "info.ko_corruption": "Không", "info.ko_prosecuted": "Không",
        **PERFECT, **(facts or {}),
    }
    values.update({f"info.{k}": v for k, v in info.items()})
    default_tables = tables_for(year, values.get("B1.commune"))
    return RawSubmission.from_values(values, default_tables if tables is None else tables)


def row(u: Unit, rubric: Rubric | None = None, *, year: int = 2026, facts: Mapping[str, Any] | None = None,
        tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, version: int = 1,
        received: dt.datetime | None = None, sheet_url: str | None = None, resubmitted: bool = False,
        **info: Any) -> UnitRow:
    """A unit's latest version from facts, validated for real."""
    checked = validate(rubric or default_rubric(), raw(u, year, facts, tables, **info))
    status = "invalid" if checked.errors else "ok"
    return UnitRow(
        unit=u, submission=checked.submission, issues=checked.issues, status=status,
        status_message="" if status == "ok" else f"{len(checked.errors)} lỗi cần sửa",
        source="google" if sheet_url else "folder", revision=f"rev-{version}", version=version,
        received_at=received or dt.datetime(year, 12, 10, 9, 30), sheet_url=sheet_url,
        resubmitted_after_appraisal=resubmitted,
    )


def missing(u: Unit) -> UnitRow:
    return UnitRow(unit=u, status="missing")


def varied_facts(i: int) -> dict[str, Any]:
    """Deterministic, different facts for unit i (totals spread over all ratings)."""
    return {
        "K1.result": 40 + (i * 7) % 61,
        "V1.result": (i * 3) % 6,
        "S1.result": 70 + (i * 5) % 31,
        "P1.result": (i * 11) % 13,
        "D2.count": i % 5,
        "B1.commune": i % 3,
        "M1.count": i % 2,
    }


def master_input(rows: Sequence[UnitRow], *, year: int = 2026, preset: str = "dan-van-2025",
                 appraisals: Mapping[str, Appraisal] | None = None, history: Sequence[HistoryRow] = (),
                 rubric: Rubric | None = None) -> MasterInput:
    return MasterInput(
        commune="xã Cao Minh", province="tỉnh Thái Nguyên", year=year, rubric=rubric or default_rubric(),
        preset=preset, deadline=dt.date(year, 12, 15), generated_at=dt.datetime(year, 12, 16, 9, 30),
        units=tuple(rows), history=tuple(history), appraisals=dict(appraisals or {}),
    )


def sample(n: int = 11, *, year: int = 2026, preset: str = "dan-van-2025", seed: int = 0) -> MasterInput:
    """n units: most submitted with varied facts, one missing, one late with an error, one from Google."""
    rows: list[UnitRow] = []
    history: list[HistoryRow] = []
    for i in range(n):
        u = unit(i)
        if i == 3:
            rows.append(missing(u))
            continue
        facts = varied_facts(i + seed)
        received = dt.datetime(year, 12, 10 + i % 9, 8 + i % 9, 15)
        if i == 5:
            facts["K2.result"] = "nhiều"  # a typical mistake: text in a number cell
        url = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit" if i == 1 else None
        r = row(u, year=year, facts=facts, received=received, sheet_url=url, version=1 + i % 3)
        rows.append(r)
        for v in range(1, (r.version or 1) + 1):
            history.append(HistoryRow(u.code, v, r.source, f"rev-{v}", received - dt.timedelta(days=r.version or 1 - v),
                                      None if r.submission is None else 80.5, "HT", r.error_count))
    return master_input(rows, year=year, preset=preset, history=history)


def decimal(text: str) -> Decimal:
    return Decimal(text)
