"""Domain values: units, submissions, models and exemplars, commendation proposals, issues, score cards.

All are immutable pydantic models; every Vietnamese string is stored in NFC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .text import canonical_code, nfc

__all__ = [
    "CommendationProposal",
    "CriterionScore",
    "Exemplar",
    "HeadDiscipline",
    "Issue",
    "Location",
    "ModelEntry",
    "ModelStatus",
    "NFCStr",
    "Points",
    "Rating",
    "ScoreCard",
    "Severity",
    "Submission",
    "Unit",
    "UnitCode",
    "UnitInfo",
    "UnitKind",
]

NFCStr = Annotated[str, AfterValidator(lambda v: nfc(v).strip())]
#: Exact points (a Fraction); serialised as a float rounded to 2 decimals.
#: A unit code, always in its canonical form (``schemas.text.canonical_code``: upper case, NFC, trimmed).
UnitCode = Annotated[str, BeforeValidator(lambda v: canonical_code(v) if isinstance(v, str) else v)]
Points = Annotated[Fraction, PlainSerializer(lambda f: round(float(f), 2), return_type=float)]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class UnitKind(StrEnum):
    """Kinds of units evaluated (DOMAIN.md §1)."""

    PHONG_BAN = "Phòng, ban"
    MTTQ_DOAN_THE = "MTTQ, đoàn thể"
    DON_VI_THUOC = "Đơn vị thuộc UBND xã"
    THON_XOM = "Thôn, xóm"


class Unit(_Value):
    code: UnitCode = Field(pattern=r"^[A-Za-z0-9_.\-]{1,20}$")  # canonical: "hnd" in a config is unit "HND"
    name: NFCStr
    kind: UnitKind
    email: str | None = None
    phone: str | None = None
    sheet: str | None = None  # Google Sheets URL or id


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Location(_Value):
    """Where a value lives in the template: a sheet and an A1 cell (both optional in the core)."""

    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or ""


class Issue(_Value):
    """A finding about a submission: data, not an exception."""

    code: str  # slug, e.g. "value-not-a-number"
    severity: Severity
    message: NFCStr
    sheet: str | None = None
    cell: str | None = None
    criterion: str | None = None
    value: Any = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, location: Location | None) -> Issue:
        if location is None:
            return self
        return self.model_copy(update={"sheet": location.sheet, "cell": location.cell})

    def key(self) -> tuple[str | None, str | None, str]:
        """Compact form for tests and comparisons: (sheet, cell, code)."""
        return (self.sheet, self.cell, self.code)


class HeadDiscipline(StrEnum):
    """Discipline of the unit's head or a deputy this year."""

    NONE = "Không"
    REPRIMAND = "Khiển trách"
    WARNING = "Cảnh cáo"
    DISMISSAL = "Cách chức trở lên"


class UnitInfo(_Value):
    unit_code: UnitCode
    unit_name: NFCStr = ""
    year: int
    head: NFCStr = ""
    contact: NFCStr = ""
    head_discipline: HeadDiscipline = HeadDiscipline.NONE
    ko_corruption: bool = False  # tham nhũng, mất đoàn kết nghiêm trọng
    ko_prosecuted: bool = False  # cán bộ bị truy cứu trách nhiệm hình sự
    signer: NFCStr = ""
    signed_on: dt.date | None = None


class ModelStatus(StrEnum):
    REGISTERED = "Đăng ký"
    IN_PROGRESS = "Đang thực hiện"
    RECOGNISED = "Được công nhận"
    OUTSTANDING = "Tiêu biểu"
    PROPOSED = "Đề nghị khen thưởng"
    REPLICATED = "Nhân rộng"
    STOPPED = "Dừng"


class ModelEntry(_Value):
    """A registered model (mô hình Dân vận khéo), with the registration fields of DOMAIN.md §6."""

    name: NFCStr
    lead_unit: NFCStr = ""
    field: NFCStr
    kind: NFCStr  # "Tập thể" | "Cá nhân"
    situation: NFCStr = ""
    goals: NFCStr = ""
    content: NFCStr = ""
    area: NFCStr = ""
    forces: NFCStr = ""
    resources: NFCStr = ""
    start_date: dt.date | None = None
    milestones: NFCStr = ""
    outputs: NFCStr = ""
    sustainability: NFCStr = ""
    status: ModelStatus = ModelStatus.REGISTERED
    recognition_level: NFCStr = ""  # "" | "Xã" | "Tỉnh"
    decision_no: NFCStr = ""
    decision_date: dt.date | None = None


class Exemplar(_Value):
    """An exemplar (điển hình): a collective or individual with effective methods."""

    name: NFCStr
    kind: NFCStr  # "Tập thể" | "Cá nhân"
    field: NFCStr
    achievements: NFCStr = ""
    recognition_level: NFCStr = ""
    decision_no: NFCStr = ""
    decision_date: dt.date | None = None


class CommendationProposal(_Value):
    subject: NFCStr
    kind: NFCStr  # "Tập thể" | "Cá nhân" | "Hộ gia đình"
    form: NFCStr  # "Giấy khen của Chủ tịch UBND xã" | "Đề nghị Bằng khen của Chủ tịch UBND tỉnh"
    achievements: NFCStr = ""
    model: NFCStr = ""
    female: bool | None = None  # individual: a woman; collective: ≥ 70 % women (a tie-break preference)


class Submission(_Value):
    """One unit's evaluation sheet for one year, as parsed from the facts it typed.

    ``facts`` maps an input name ``"<code>.<key>"`` (see ``Criterion.inputs``) to its parsed value:
    a Decimal for numbers and counts, the canonical label for levels, None when left blank.
    """

    info: UnitInfo
    facts: dict[str, Decimal | str | None]
    evidence: dict[str, NFCStr] = Field(default_factory=dict)
    models: tuple[ModelEntry, ...] = ()
    exemplars: tuple[Exemplar, ...] = ()
    proposals: tuple[CommendationProposal, ...] = ()

    @property
    def unit_code(self) -> str:
        return self.info.unit_code

    @property
    def year(self) -> int:
        return self.info.year

    def fact(self, name: str) -> Decimal | str | None:
        return self.facts.get(name)


class Rating(StrEnum):
    """Rating codes; ``.label`` gives the Vietnamese name."""

    HTXS = "HTXS"
    HTT = "HTT"
    HT = "HT"
    KHT = "KHT"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]

    @property
    def rank(self) -> int:
        """0 best … 3 worst."""
        return list(Rating).index(self)


_RATING_LABELS = {
    Rating.HTXS: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.HTT: "Hoàn thành tốt nhiệm vụ",
    Rating.HT: "Hoàn thành nhiệm vụ",
    Rating.KHT: "Không hoàn thành nhiệm vụ",
}


class CriterionScore(_Value):
    code: str
    points: Points
    max_points: Points
    base: bool = True  # a base criterion (not bonus or penalty): counts for the zero rule
    overridden: bool = False  # the appraisal replaced the self score


class ScoreCard(_Value):
    """The score of one submission: points per criterion, totals, and the rating with its reasons."""

    unit_code: str
    year: int
    criteria: tuple[CriterionScore, ...]
    base_total: Points
    bonus: Points
    penalty: Points  # a positive number subtracted from the total
    total: Points
    rating: Rating
    reasons: tuple[NFCStr, ...] = ()  # why the rating is lower than the thresholds alone would give

    def points(self, code: str) -> Fraction:
        for c in self.criteria:
            if c.code == code:
                return c.points
        raise KeyError(code)

    @property
    def zero_criteria(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria if c.base and c.points == 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit_code,
            "year": self.year,
            "criteria": {c.code: {"points": round(float(c.points), 2)} for c in self.criteria},
            "base_total": round(float(self.base_total), 2),
            "bonus": round(float(self.bonus), 2),
            "penalty": round(float(self.penalty), 2),
            "total": round(float(self.total), 2),
            "rating": self.rating.label,
            "rating_code": self.rating.value,
            "reasons": list(self.reasons),
        }
