"""The rubric as data: a TOML file validated by pydantic models, and the default rubric "Cao Minh 2026".

A rubric lists criteria. Each criterion has a `rule` that turns the facts a unit types (its *inputs*) into
points; `Criterion.inputs` says which inputs a rule needs, so the template, the reader and the Excel
functions all derive from the same data.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .config_files import RUBRIC_LIMIT, ConfigFileError, describe, read_bounded
from .errors import RubricError
from .models import ModelStatus
from .text import nfc

__all__ = [
    "FIELDS",
    "ROW_TABLES",
    "Criterion",
    "CriterionType",
    "InputKind",
    "InputSpec",
    "Level",
    "PresetSpec",
    "RowFilter",
    "Rubric",
    "RuleKind",
    "Timeliness",
    "Weight",
    "default_rubric",
    "load_rubric",
    "parse_rubric",
    "rubric_label",
    "rubric_text",
]

#: The four fields (lĩnh vực) of the plan, in order. Models and exemplars belong to one of them.
FIELDS: tuple[str, ...] = ("Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng HTCT")


class CriterionType(StrEnum):
    """Criterion types of the rubric (DOMAIN.md §5)."""

    DL = "ĐL"  # định lượng: from numbers
    DT = "ĐT"  # định tính: a level chosen from a list
    CT = "CT"  # chấm thẳng: points per counted item
    CTR = "CTR"  # cộng/trừ: bonus or penalty


class RuleKind(StrEnum):
    LEVEL = "level"
    COUNT = "count"
    DEDUCT = "deduct"
    RATIO = "ratio"
    TIERS = "tiers"
    WEIGHTED = "weighted"
    PENALTY = "penalty"


class InputKind(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    LEVEL = "level"


class InputSpec(BaseModel):
    """One fact a unit types for a criterion. ``name`` is ``"<code>.<key>"``, e.g. ``"K1.target"``."""

    model_config = ConfigDict(frozen=True)

    criterion: str
    key: str
    role: Literal["target", "result", "level", "count"]
    label: str
    kind: InputKind
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.criterion}.{self.key}"


def _frac(value: Decimal | int) -> Fraction:
    return Fraction(value)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(_Frozen):
    label: str
    points: Decimal

    _nfc = field_validator("label")(lambda v: nfc(v).strip())


#: The tables of the evaluation sheet whose rows can support a bonus count (``schemas.forms``: MODELS, EXEMPLARS).
ROW_TABLES: tuple[str, ...] = ("models", "exemplars")


class RowFilter(_Frozen):
    """Which rows of the sheet's own "Mô hình" / "Điển hình" tables support one bonus count (``Weight.rows``).

    A row supports the count when it is *recognised*: it carries a recognition level and a decision number and
    date, the date being in the evaluated year (``decided = "in-year"``) or in an earlier one
    (``"before-year"``: a model recognised before, counted again when replicated). ``level``: the recognition
    level required ("Xã", "Tỉnh"); empty: any level. ``status``: the statuses a model row must have (rows of a
    table without a status column, the exemplars, never match a status filter). The rule of the anchor: bonus
    points follow the recognition by the competent body (Cần Thơ QĐ 2579/QĐ-UBND 2025, Quy định, Điều 3).
    """

    tables: tuple[str, ...] = ROW_TABLES
    level: str = ""
    status: tuple[str, ...] = ()
    decided: Literal["in-year", "before-year"] = "in-year"

    @field_validator("tables")
    @classmethod
    def _tables(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in ROW_TABLES]
        if unknown or not value:
            raise ValueError(f"tables chỉ nhận {', '.join(ROW_TABLES)} (đang là {', '.join(value) or 'rỗng'})")
        return value

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        return nfc(value).strip()

    @field_validator("status")
    @classmethod
    def _status(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = [s.value for s in ModelStatus]
        cleaned = tuple(nfc(v).strip() for v in value)
        unknown = [v for v in cleaned if v not in known]
        if unknown:
            raise ValueError(f"status “{unknown[0]}” không phải tình trạng mô hình ({'; '.join(known)})")
        return cleaned


class Weight(_Frozen):
    key: str
    label: str
    weight: Decimal
    #: the rows of the sheet that must back this count (a typed count above them is an error and is not counted)
    rows: RowFilter | None = None


class ZeroIf(_Frozen):
    label: str
    choices: tuple[str, ...] = ("Có", "Không")
    zero_on: str = "Có"


class Timeliness(_Frozen):
    """A level criterion whose level dvk chooses from when it received the unit's sheet (not what the unit typed).

    ``on_time``: the level of a unit whose first submission of the year reached dvk by the deadline; ``late``: the
    level otherwise. Both must be levels of the criterion. The commune's appraisal still overrides the points.
    """

    on_time: str
    late: str

    _nfc = field_validator("on_time", "late")(lambda v: nfc(v).strip())


class SatisfactionTier(_Frozen):
    min_rate: Decimal  # percent
    points: Decimal


class Satisfaction(_Frozen):
    min_sample: int = Field(default=30, ge=1)
    tiers: tuple[SatisfactionTier, ...]

    @cached_property
    def tier_fractions(self) -> tuple[tuple[Fraction, Fraction], ...]:
        """(minimum rate in %, points), highest first, exact."""
        return tuple((Fraction(t.min_rate), Fraction(t.points)) for t in self.tiers)

    @field_validator("tiers")
    @classmethod
    def _descending(cls, tiers: tuple[SatisfactionTier, ...]) -> tuple[SatisfactionTier, ...]:
        return tuple(sorted(tiers, key=lambda t: t.min_rate, reverse=True))


class PresetSpec(_Frozen):
    """A rating preset: thresholds for HTXS / HTT / HT, the zero rule and the HTXS quota."""

    code: str
    name: str
    htxs: Decimal
    htt: Decimal
    ht: Decimal
    zero_rule: bool = False
    htxs_quota_percent: Decimal | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PresetSpec:
        if not self.htxs > self.htt > self.ht:
            raise ValueError(f"ngưỡng xếp loại phải giảm dần (htxs > htt > ht), đang là {self.htxs}, {self.htt}, {self.ht}")
        return self


_DEFAULT_LABELS = {
    "target": "Chỉ tiêu được giao",
    "result": "Kết quả thực hiện",
    "count": "Số lượng",
    "level": "Mức đạt được",
}


class Criterion(_Frozen):
    code: str = Field(pattern=r"^[A-Z][0-9]{1,2}$")
    field: str
    title: str
    type: CriterionType
    max_points: Decimal = Field(gt=0)
    rule: RuleKind
    levels: tuple[Level, ...] = ()
    per_item: Decimal | None = None
    weights: tuple[Weight, ...] = ()
    zero_target: Literal["full", "error"] = "error"
    result_le_target: bool = False
    zero_if: ZeroIf | None = None
    requires_models: str | None = None
    timeliness: Timeliness | None = None  # the level follows dvk's receipt time (A4 "Báo cáo … đúng hạn")
    target_label: str | None = None
    result_label: str | None = None
    count_label: str | None = None

    @field_validator("title", "field")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value).strip()

    @model_validator(mode="after")
    def _rule_fits(self) -> Criterion:
        rule = self.rule
        if rule is RuleKind.LEVEL:
            if not self.levels:
                raise ValueError("quy tắc 'level' cần danh sách mức (levels)")
            labels = [lv.label for lv in self.levels]
            if len(set(labels)) != len(labels):
                raise ValueError("có mức trùng tên")
            if max(lv.points for lv in self.levels) != self.max_points:
                raise ValueError("điểm của mức cao nhất phải bằng điểm tối đa")
            if any(lv.points < 0 or lv.points > self.max_points for lv in self.levels):
                raise ValueError("điểm của mỗi mức phải trong khoảng 0 đến điểm tối đa")
            if self.requires_models is not None and self.requires_models not in labels:
                raise ValueError(f"requires_models '{self.requires_models}' không phải là một mức")
            if self.timeliness is not None:
                for key, label in (("on_time", self.timeliness.on_time), ("late", self.timeliness.late)):
                    if label not in labels:
                        raise ValueError(f"timeliness.{key} '{label}' không phải là một mức")
        elif self.timeliness is not None:
            raise ValueError("khóa timeliness chỉ dùng cho quy tắc 'level'")
        elif rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY) and (self.per_item is None or self.per_item <= 0):
            raise ValueError(f"quy tắc '{rule}' cần per_item > 0")
        elif rule is RuleKind.WEIGHTED and not self.weights:
            raise ValueError("quy tắc 'weighted' cần danh sách trọng số (weights)")
        if rule in (RuleKind.WEIGHTED, RuleKind.PENALTY) and self.type is not CriterionType.CTR:
            raise ValueError(f"quy tắc '{rule}' chỉ dùng cho loại CTR")
        if self.type is CriterionType.CTR and rule not in (RuleKind.WEIGHTED, RuleKind.PENALTY):
            raise ValueError("tiêu chí loại CTR phải dùng quy tắc 'weighted' (thưởng) hoặc 'penalty' (trừ)")
        if self.type is CriterionType.DT and rule not in (RuleKind.LEVEL, RuleKind.DEDUCT):
            raise ValueError("tiêu chí loại ĐT phải dùng quy tắc 'level' hoặc 'deduct'")
        if self.type is CriterionType.CT and rule is not RuleKind.COUNT:
            raise ValueError("tiêu chí loại CT phải dùng quy tắc 'count'")
        if self.type is CriterionType.DL and rule not in (RuleKind.RATIO, RuleKind.TIERS):
            raise ValueError("tiêu chí loại ĐL phải dùng quy tắc 'ratio' hoặc 'tiers'")
        return self

    @property
    def is_bonus(self) -> bool:
        return self.rule is RuleKind.WEIGHTED

    @property
    def is_penalty(self) -> bool:
        return self.rule is RuleKind.PENALTY

    @property
    def is_base(self) -> bool:
        return self.type is not CriterionType.CTR

    @cached_property
    def max_fraction(self) -> Fraction:
        return _frac(self.max_points)

    @cached_property
    def level_points(self) -> dict[str, Fraction]:
        """Level label → exact points (rule "level")."""
        return {lv.label: _frac(lv.points) for lv in self.levels}

    def receipt_level(self, on_time: bool) -> str | None:
        """The level dvk gives from the receipt (``timeliness``): on time or late; None for other criteria."""
        if self.timeliness is None:
            return None
        return self.timeliness.on_time if on_time else self.timeliness.late

    @cached_property
    def per_item_fraction(self) -> Fraction:
        return _frac(self.per_item or 0)

    @cached_property
    def weight_fractions(self) -> tuple[tuple[str, Fraction], ...]:
        return tuple((f"{self.code}.{w.key}", _frac(w.weight)) for w in self.weights)

    @cached_property
    def weight_rows(self) -> tuple[tuple[str, RowFilter], ...]:
        """(input name, the rows that must back it) for each count that the sheet's own rows must support."""
        return tuple((f"{self.code}.{w.key}", w.rows) for w in self.weights if w.rows is not None)

    @cached_property
    def inputs(self) -> tuple[InputSpec, ...]:
        """The facts a unit types for this criterion, in template column order."""
        def spec(key: str, role: str, label: str | None, kind: InputKind, choices: tuple[str, ...] = ()) -> InputSpec:
            return InputSpec(
                criterion=self.code, key=key, role=role,
                label=label or _DEFAULT_LABELS[role], kind=kind, choices=choices,
            )

        rule = self.rule
        if rule is RuleKind.LEVEL:
            return (spec("level", "level", None, InputKind.LEVEL, tuple(lv.label for lv in self.levels)),)
        if rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY):
            return (spec("count", "count", self.count_label, InputKind.INTEGER),)
        if rule is RuleKind.WEIGHTED:
            return tuple(spec(w.key, "count", w.label, InputKind.INTEGER) for w in self.weights)
        if rule is RuleKind.TIERS:
            return (
                spec("target", "target", self.target_label or "Số phiếu hợp lệ", InputKind.INTEGER),
                spec("result", "result", self.result_label or "Số phiếu hài lòng", InputKind.INTEGER),
            )
        specs = [
            spec("target", "target", self.target_label, InputKind.NUMBER),
            spec("result", "result", self.result_label, InputKind.NUMBER),
        ]
        if self.zero_if is not None:
            specs.append(spec("flag", "level", self.zero_if.label, InputKind.LEVEL, self.zero_if.choices))
        return tuple(specs)


class Rubric(_Frozen):
    name: str
    version: str
    base_max: Decimal
    bonus_cap: Decimal = Field(ge=0)
    penalty_cap: Decimal = Field(ge=0)
    default_preset: str
    satisfaction: Satisfaction
    presets: tuple[PresetSpec, ...]
    criteria: tuple[Criterion, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        codes = [c.code for c in self.criteria]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"mã tiêu chí trùng: {', '.join(dupes)}")
        base = sum((c.max_points for c in self.criteria if c.is_base), Decimal(0))
        if base != self.base_max:
            raise ValueError(f"tổng điểm tối đa các tiêu chí là {base}, không bằng điểm chuẩn base_max = {self.base_max}")
        preset_codes = [p.code for p in self.presets]
        if self.default_preset not in preset_codes:
            raise ValueError(f"default_preset '{self.default_preset}' không có trong presets")
        if len(set(preset_codes)) != len(preset_codes):
            raise ValueError("mã preset trùng")
        for c in self.criteria:
            if c.is_bonus and c.max_points != self.bonus_cap:
                raise ValueError(f"tiêu chí {c.code}: điểm thưởng tối đa phải bằng bonus_cap = {self.bonus_cap}")
            if c.is_penalty and c.max_points != self.penalty_cap:
                raise ValueError(f"tiêu chí {c.code}: điểm trừ tối đa phải bằng penalty_cap = {self.penalty_cap}")
        return self

    def __iter__(self) -> Iterator[Criterion]:  # type: ignore[override]
        return iter(self.criteria)

    def criterion(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code.strip().upper():
                return c
        raise KeyError(code)

    def preset(self, code: str | None = None) -> PresetSpec:
        wanted = code or self.default_preset
        for p in self.presets:
            if p.code == wanted:
                return p
        known = ", ".join(p.code for p in self.presets)
        raise RubricError(f"Không có cách xếp loại '{wanted}'. Các cách có sẵn: {known}.", preset=wanted)

    @property
    def base_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.is_base)

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields of the base criteria in rubric order ("Chung", "Kinh tế", ...)."""
        seen: list[str] = []
        for c in self.base_criteria:
            if c.field not in seen:
                seen.append(c.field)
        return tuple(seen)

    @property
    def inputs(self) -> tuple[InputSpec, ...]:
        return tuple(spec for c in self.criteria for spec in c.inputs)

    @property
    def receipt_criteria(self) -> tuple[Criterion, ...]:
        """Criteria whose level dvk derives from its receipt time (key ``timeliness``), e.g. A4 of the default."""
        return tuple(c for c in self.criteria if c.timeliness is not None)


def _describe(err: ValidationError, data: dict[str, Any]) -> str:
    parts = []
    for e in err.errors():
        loc = e["loc"]
        where = ""
        if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
            try:
                where = f"tiêu chí {data['criteria'][loc[1]].get('code', '#' + str(loc[1] + 1))}: "
            except (KeyError, IndexError, AttributeError):
                where = f"tiêu chí thứ {loc[1] + 1}: "
            rest = ".".join(str(x) for x in loc[2:])
        else:
            rest = ".".join(str(x) for x in loc)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "enum" and rest.endswith("type"):
            msg = f"loại '{e.get('input')}' không hợp lệ (chỉ nhận ĐL, ĐT, CT, CTR)"
        elif e["type"] == "missing":
            msg = "thiếu giá trị"
        parts.append(f"{where}{rest + ': ' if rest else ''}{msg}")
    return "; ".join(parts)


def parse_rubric(data: dict[str, Any], *, source: str = "<rubric>") -> Rubric:
    """Validate rubric data; a broken rubric raises RubricError naming the file, the criterion and the problem."""
    try:
        return Rubric.model_validate(data)
    except ValidationError as err:
        criterion = None
        for e in err.errors():
            loc = e["loc"]
            if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
                with contextlib.suppress(KeyError, IndexError, AttributeError):
                    criterion = data["criteria"][loc[1]].get("code")
                break
        raise RubricError(
            f"Bộ tiêu chí {source} không hợp lệ — {_describe(err, data)}", file=source, criterion=criterion
        ) from err


def rubric_text(path: str | Path) -> str:
    """The text of a rubric file: an ordinary file of at most ``RUBRIC_LIMIT`` bytes, UTF-8 (``RubricError``)."""
    p = Path(path)
    try:
        return read_bounded(p, RUBRIC_LIMIT).decode("utf-8")
    except FileNotFoundError as err:
        raise RubricError(f"Không tìm thấy tệp bộ tiêu chí {p}.", file=str(p)) from err
    except ConfigFileError as err:  # /dev/zero, a FIFO, a file of gigabytes (review H13)
        raise RubricError(describe(err, "Tệp bộ tiêu chí"), file=str(p)) from err
    except UnicodeDecodeError as err:
        raise RubricError(f"Bộ tiêu chí {p} phải lưu bằng mã UTF-8.", file=str(p)) from err
    except OSError as err:
        reason = "không có quyền đọc" if isinstance(err, PermissionError) else err.strerror or str(err)
        raise RubricError(f"Không đọc được tệp bộ tiêu chí {p} ({reason}).", file=str(p)) from err


def load_rubric(path: str | Path) -> Rubric:
    """Load a rubric TOML file."""
    p = Path(path)
    text = rubric_text(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RubricError(f"Bộ tiêu chí {p} không đọc được (lỗi cú pháp TOML): {err}", file=str(p)) from err
    return parse_rubric(data, source=str(p))


@cache
def default_rubric() -> Rubric:
    """The rubric shipped with dvk: "Cao Minh 2026" (DOMAIN.md §5)."""
    text = resources.files("schemas").joinpath("rubrics/cao-minh-2026.toml").read_text(encoding="utf-8")
    return parse_rubric(tomllib.loads(text), source="cao-minh-2026.toml")


def rubric_label(rubric: Rubric) -> str:
    """How a document names ``rubric``. The one shipped with dvk is named neutrally, "bộ tiêu chí mặc định của
    dvk (phiên bản 2026.1)": another commune using it unchanged must not read a commune's name in its own papers
    (its data name, "Cao Minh 2026", is the plan's); a commune's own rubric is named as it is."""
    if rubric == default_rubric():
        return f"bộ tiêu chí mặc định của dvk (phiên bản {rubric.version})"
    return f"bộ tiêu chí “{rubric.name}” (phiên bản {rubric.version})"
