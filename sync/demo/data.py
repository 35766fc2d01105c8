"""The sample commune of `dvk demo`: 26 units of the kinds in DOMAIN.md §1, three years of realistic facts,
and the typical mistakes clerks make. Pure data generation (seeded), no files.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from schemas.models import Exemplar, ModelEntry, Unit, UnitKind
from schemas.recognition import Row, supported_counts
from schemas.rubric import FIELDS, InputKind, Rubric, RuleKind

__all__ = ["DEMO_UNITS", "DEMO_YEARS", "DemoSheet", "demo_sheets"]

DEMO_YEARS = (2026, 2027, 2028)

_U = UnitKind
DEMO_UNITS: tuple[Unit, ...] = tuple(
    Unit(code=code, name=name, kind=kind, email=f"{code.lower()}@caominh.example.vn")
    for code, name, kind in [
        ("VP-UBND", "Văn phòng HĐND và UBND", _U.PHONG_BAN),
        ("P-KT", "Phòng Kinh tế", _U.PHONG_BAN),
        ("P-VHXH", "Phòng Văn hóa – Xã hội", _U.PHONG_BAN),
        ("TT-HCC", "Trung tâm Phục vụ hành chính công", _U.PHONG_BAN),
        ("TT-DVTH", "Trung tâm dịch vụ tổng hợp", _U.PHONG_BAN),
        ("MTTQ", "Ủy ban MTTQ Việt Nam xã", _U.MTTQ_DOAN_THE),
        ("HND", "Hội Nông dân", _U.MTTQ_DOAN_THE),
        ("HLHPN", "Hội Liên hiệp Phụ nữ", _U.MTTQ_DOAN_THE),
        ("DTN", "Đoàn Thanh niên", _U.MTTQ_DOAN_THE),
        ("HCCB", "Hội Cựu chiến binh", _U.MTTQ_DOAN_THE),
        ("CA", "Công an xã", _U.DON_VI_THUOC),
        ("BCHQS", "Ban Chỉ huy Quân sự xã", _U.DON_VI_THUOC),
        ("TYT", "Trạm Y tế", _U.DON_VI_THUOC),
        ("MN", "Trường Mầm non Cao Minh", _U.DON_VI_THUOC),
        ("TH", "Trường Tiểu học Cao Minh", _U.DON_VI_THUOC),
        ("THCS", "Trường THCS Cao Minh", _U.DON_VI_THUOC),
        ("T-NAMO", "Thôn Nà Mò", _U.THON_XOM),
        ("T-BANCHANG", "Thôn Bản Chang", _U.THON_XOM),
        ("T-KHUOITAT", "Thôn Khuổi Tát", _U.THON_XOM),
        ("T-NALAY", "Thôn Nà Lầy", _U.THON_XOM),
        ("T-PACNGOA", "Thôn Pác Ngòa", _U.THON_XOM),
        ("T-COCKHE", "Thôn Cốc Khế", _U.THON_XOM),
        ("T-BANMONG", "Thôn Bản Mông", _U.THON_XOM),
        ("T-NAHAN", "Thôn Nà Hản", _U.THON_XOM),
        ("T-LUNGVAI", "Thôn Lũng Vài", _U.THON_XOM),
        ("T-KHAUMA", "Thôn Khau Mạ", _U.THON_XOM),
    ]
)

_HEADS = [
    "Ma Văn Tuấn", "Hoàng Thị Lan", "Nông Văn Hùng", "Lương Thị Hoa", "Triệu Văn Minh", "Lý Thị Thu",
    "Hà Văn Đức", "Đàm Thị Hương", "Lục Văn Thắng", "Vi Thị Mai", "Bế Văn Long", "Nguyễn Thị Hà", "Trần Văn Bình",
]
_MODEL_NAMES = [
    "Dân vận khéo trong hiến đất làm đường giao thông nông thôn",
    "Chuyển đổi số trong tiêu thụ nông sản — chợ 4.0 thôn bản",
    "Tổ hòa giải ở cơ sở gắn với camera an ninh",
    "Mỗi hội viên một việc làm tốt vì cộng đồng",
    "Vận động xóa bỏ hủ tục trong việc cưới, việc tang",
    "Dân vận khéo trong thu gom, phân loại rác thải tại hộ gia đình",
    "Nhóm nuôi ong lấy mật liên kết tiêu thụ",
    "Thắp sáng đường quê",
    "Tiếp công dân lưu động tại nhà văn hóa thôn",
    "Khuyến học — quỹ nâng bước em tới trường",
]
_EXEMPLARS = [
    ("Bà Hoàng Thị Lan — người hiến 500 m² đất làm đường", "Cá nhân"),
    ("Chi hội Phụ nữ thôn Nà Mò", "Tập thể"),
    ("Ông Nông Văn Hùng — tổ trưởng tổ an ninh tự quản", "Cá nhân"),
    ("Tổ liên kết trồng chè an toàn", "Tập thể"),
]

#: The mistakes a clerk makes, by name; each sheet carries at most one.
MISTAKES = (
    "text-in-number",  # "85 điểm" typed in a number cell
    "unaccented-level",  # "khong co" instead of "Không có" (an error: the sheet's own formula cannot read it)
    "bonus-unsupported",  # B1 claims two more recognised models than the sheet lists
    "result-exceeds-due",  # petitions resolved on time > due
    "sample-too-small",  # 20 survey answers
    "models-missing",  # A3 "Có" with an empty models table
    "decomposed-text",  # the head's name in NFD Unicode
    "formula-in-input",  # =SUM(...) in an input cell
    "formula-injection",  # a model name starting with "=HYPERLINK("
    "legacy-font",  # the head's name typed in TCVN3 with the .VnTime font
    "old-xls",  # an old .xls file
    "csv-renamed",  # a CSV saved with an .xlsx name
)


@dataclass(frozen=True)
class DemoSheet:
    """One unit's filled sheet for one year, as the demo will write it."""

    unit: Unit
    year: int
    values: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    received_at: dt.datetime  # the file's time (late when after the deadline)
    mistake: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _level(rnd: random.Random, choices: tuple[str, ...], quality: float) -> str:
    # choices are listed best first; good units mostly pick the best, the worst is rare
    if rnd.random() < quality or len(choices) == 1:
        return choices[0]
    return choices[1] if len(choices) == 2 or rnd.random() < 0.8 else rnd.choice(choices[2:])


def _facts(rubric: Rubric, rnd: random.Random, quality: float) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for c in rubric.criteria:
        for spec in c.inputs:
            if spec.kind is InputKind.LEVEL:
                if c.zero_if is not None and spec.key == "flag":
                    values[spec.name] = "Có" if rnd.random() < 0.04 else "Không"
                else:
                    values[spec.name] = _level(rnd, spec.choices, quality)
            elif c.rule is RuleKind.TIERS:
                if spec.role == "target":
                    values[spec.name] = rnd.randint(40, 180)
                else:
                    n = values[f"{c.code}.target"]
                    values[spec.name] = min(n, round(n * rnd.uniform(0.78 + 0.2 * quality, 1.0)))
            elif c.rule is RuleKind.RATIO:
                if spec.role == "target":
                    values[spec.name] = 0 if c.zero_target == "full" and rnd.random() < 0.15 else rnd.randint(4, 60)
                else:
                    t = values[f"{c.code}.target"]
                    share = rnd.uniform(0.6 + 0.4 * quality, 1.0 if c.result_le_target else 1.15)
                    values[spec.name] = min(t, round(t * share)) if c.result_le_target else round(t * share, 1)
            elif c.rule is RuleKind.DEDUCT:
                values[spec.name] = 0 if rnd.random() < quality else 1
            elif c.rule is RuleKind.PENALTY:
                values[spec.name] = 0 if rnd.random() < 0.8 + 0.2 * quality else rnd.randint(1, 2)
            elif c.rule is RuleKind.WEIGHTED:
                values[spec.name] = rnd.choice([0, 0, 0, 1]) if quality > 0.6 else 0
            else:  # counts
                values[spec.name] = rnd.randint(int(quality * 3), 5)
    return values


#: How a model moves on from one year to the next (the plan's phát hiện → bồi dưỡng → công nhận → nhân rộng).
_NEXT: dict[str, tuple[str, ...]] = {
    "Đăng ký": ("Đang thực hiện", "Đang thực hiện", "Được công nhận", "Dừng"),
    "Đang thực hiện": ("Được công nhận", "Được công nhận", "Đang thực hiện"),
    "Được công nhận": ("Tiêu biểu", "Nhân rộng", "Được công nhận", "Đề nghị khen thưởng"),
    "Tiêu biểu": ("Đề nghị khen thưởng", "Nhân rộng", "Tiêu biểu"),
    "Đề nghị khen thưởng": ("Nhân rộng", "Đề nghị khen thưởng"),
    "Nhân rộng": ("Nhân rộng",),
}
_RECOGNISED = ("Được công nhận", "Tiêu biểu", "Đề nghị khen thưởng", "Nhân rộng")


def _new_model(unit: Unit, year: int, rnd: random.Random, i: int) -> dict[str, Any]:
    status = rnd.choice(["Đăng ký", "Đăng ký", "Đang thực hiện", "Được công nhận"])
    return {
        "name": rnd.choice(_MODEL_NAMES) + ("" if i == 0 else f" (giai đoạn {i + 1})"),
        "lead_unit": unit.name,
        "field": rnd.choice(FIELDS),
        "kind": rnd.choice(["Tập thể", "Cá nhân"]),
        "situation": "Nhu cầu thực tế của Nhân dân trên địa bàn",
        "goals": "Trên 90% hộ tham gia; không phát sinh đơn thư",
        "content": "Họp dân, vận động từng hộ, phân công đảng viên phụ trách",
        "area": unit.name,
        "forces": "Chi bộ chủ trì; MTTQ và các đoàn thể phối hợp",
        "resources": f"{rnd.randint(50, 900)} ngày công",
        "start_date": dt.date(year, rnd.randint(1, 6), rnd.randint(1, 28)),
        "outputs": "Biên bản, hình ảnh, số liệu kiểm chứng",
        "sustainability": "Duy trì và nhân rộng được",
        "status": status,
    }


def _recognise(model: dict[str, Any], year: int, rnd: random.Random) -> None:
    """The commune's (or the province's) decision recognising the model, in ``year``."""
    model["recognition_level"] = "Xã" if rnd.random() < 0.75 else "Tỉnh"
    model["decision_no"] = f"{rnd.randint(10, 300)}/QĐ-UBND"
    model["decision_date"] = dt.date(year, rnd.randint(7, 11), rnd.randint(1, 28))


def _models(unit: Unit, year: int, rnd: random.Random, previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Last year's models moved on a step (the same names, so the register follows them), or 1–3 new ones."""
    models: list[dict[str, Any]] = []
    for old in previous:
        model = dict(old)
        model["status"] = rnd.choice(_NEXT.get(old["status"], (old["status"],)))
        if model["status"] == "Dừng":
            continue
        if model["status"] in _RECOGNISED and not model.get("decision_no"):
            _recognise(model, year, rnd)
        models.append(model)
    if not models:
        models = [_new_model(unit, year, rnd, i) for i in range(rnd.randint(1, 3))]
        for model in models:
            if model["status"] in _RECOGNISED:
                _recognise(model, year, rnd)
    return models


def _tables(unit: Unit, year: int, rnd: random.Random, with_models: bool,
            previous: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    models = _models(unit, year, rnd, previous) if with_models else []
    exemplars = []
    if rnd.random() < 0.4:
        name, kind = rnd.choice(_EXEMPLARS)
        exemplar: dict[str, Any] = {"name": name, "kind": kind, "field": rnd.choice(FIELDS),
                                    "achievements": "Cách làm sáng tạo, hiệu quả"}
        if rnd.random() < 0.5:
            _recognise(exemplar, year, rnd)
        exemplars.append(exemplar)
    proposals = []
    if rnd.random() < 0.3:
        proposals.append({
            "subject": unit.name, "kind": "Tập thể", "form": "Giấy khen của Chủ tịch UBND xã",
            "achievements": "Hoàn thành xuất sắc phong trào thi đua “Dân vận khéo”",
            "model": models[0]["name"] if models else None,
            "female": "Có" if unit.code == "HLHPN" else "Không",
        })
    if unit.kind is UnitKind.THON_XOM and rnd.random() < 0.25:  # a household that gave land for the road (plan II.4a)
        proposals.append({
            "subject": f"Hộ gia đình ông {rnd.choice([h for h in _HEADS if ' Thị ' not in h])}, {unit.name}",
            "kind": "Hộ gia đình",
            "form": "Giấy khen của Chủ tịch UBND xã", "achievements": "Hiến 500 m² đất làm đường giao thông nông thôn",
            "model": None, "female": None,
        })
    return {"models": models, "exemplars": exemplars, "proposals": proposals}


def _bonus_counts(rubric: Rubric, year: int, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """The B1 counts the unit's own recognised models and exemplars back (``schemas.recognition``)."""
    rows: list[Row] = []
    for key, build in (("models", ModelEntry), ("exemplars", Exemplar)):
        for row in tables.get(key, []):
            data = {k: v for k, v in row.items() if v is not None and k in build.model_fields}
            rows.append((key, build.model_validate(data)))
    return supported_counts(rubric, year, rows)


def demo_sheets(rubric: Rubric, *, seed: int = 2026) -> list[DemoSheet]:
    """Every sheet of the sample commune: three years, some late, some missing, some with typical mistakes."""
    rnd = random.Random(seed)
    quality = {u.code: rnd.uniform(0.55, 0.98) for u in DEMO_UNITS}
    sheets: list[DemoSheet] = []
    portfolio: dict[str, list[dict[str, Any]]] = {}  # each unit's models of its last sheet
    for year in DEMO_YEARS:
        deadline = dt.datetime(year, 12, 15, 17, 0)
        mistakes = list(MISTAKES)
        rnd.shuffle(mistakes)
        for unit in DEMO_UNITS:
            if rnd.random() < 0.06:  # did not submit this year
                continue
            q = min(0.99, quality[unit.code] + (year - DEMO_YEARS[0]) * 0.03)
            values = _facts(rubric, rnd, q)
            with_models = values.get("A3.level") == "Có"
            tables = _tables(unit, year, rnd, with_models, portfolio.get(unit.code, []))
            if tables["models"]:
                portfolio[unit.code] = tables["models"]
            values.update(_bonus_counts(rubric, year, tables))  # B1 typed as the recognised rows listed
            values.update({
                "info.unit_code": unit.code,
                "info.unit_name": unit.name,
                "info.year": year,
                "info.head": rnd.choice(_HEADS),
                "info.contact": f"0208.38{rnd.randint(10000, 99999)} — {unit.email}",
                "info.head_discipline": "Không" if rnd.random() < 0.93 else rnd.choice(["Khiển trách", "Cảnh cáo"]),
                "info.ko_corruption": "Không",
                "info.ko_prosecuted": "Không",
                "info.signer": rnd.choice(_HEADS),
                "info.signed_on": dt.date(year, 12, rnd.randint(5, 15)),
            })
            for c in rubric.criteria:
                values[f"{c.code}.evidence"] = f"Báo cáo số {rnd.randint(1, 99)}/BC ngày {rnd.randint(1, 28)}/{rnd.randint(6, 12)}/{year}"
            late = rnd.random() < 0.12
            received = deadline - dt.timedelta(days=rnd.randint(0, 10), hours=rnd.randint(0, 8))
            if late:
                received = deadline + dt.timedelta(days=rnd.randint(1, 6))
            mistake = mistakes.pop() if mistakes and rnd.random() < 0.35 else None
            sheets.append(DemoSheet(unit, year, values, tables, received, mistake))
    return sheets
