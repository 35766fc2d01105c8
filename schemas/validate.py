"""Validation as data: raw spreadsheet values in, a parsed Submission and a list of Issues out.

The core knows input *names* (``"K1.target"``, ``"info.year"``, ``"K1.evidence"``) and, per input, the location
the caller read it from; the workbook layer supplies those locations so every Issue points at a cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .forms import INFO_FIELDS, TABLES, YES_NO, ColumnSpec, TableSpec
from .models import (
    CommendationProposal,
    Exemplar,
    HeadDiscipline,
    Issue,
    Location,
    ModelEntry,
    Severity,
    Submission,
    UnitInfo,
)
from .period import YEARS
from .recognition import Row, cap_to_supported, supported
from .rubric import ROW_TABLES, Criterion, InputKind, Rubric, RuleKind
from .text import canonical_code, clean_text, fold, is_nfc
from .text import nfc as nfc_text
from .values import ERROR_VALUES, RawValue, ValueProblem, is_blank, parse_date, parse_integer, parse_number, vn_decimal

__all__ = [
    "CAPPED",
    "YEARS",
    "RawCell",
    "RawSubmission",
    "Validated",
    "criteria_capped",
    "criteria_in_error",
    "criteria_zeroed",
    "match_level",
    "sheet_counts_level",
    "validate",
    "without_invalid",
]



@dataclass(frozen=True, slots=True)
class RawCell:
    """A raw value and where it was read."""

    value: RawValue
    location: Location | None = None


@dataclass(frozen=True)
class RawSubmission:
    """Everything read from one filled sheet, keyed by input name; tables as rows of column key → cell."""

    values: Mapping[str, RawCell]
    tables: Mapping[str, Sequence[Mapping[str, RawCell]]] = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: Mapping[str, RawValue], tables: Mapping[str, Sequence[Mapping[str, RawValue]]] | None = None) -> RawSubmission:
        """Build from plain values (no locations): handy for tests and the Excel functions."""
        return cls(
            values={k: RawCell(v) for k, v in values.items()},
            tables={t: [{c: RawCell(v) for c, v in row.items()} for row in rows] for t, rows in (tables or {}).items()},
        )


@dataclass(frozen=True)
class Validated:
    submission: Submission | None
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def _show(value: RawValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def match_level(value: str, choices: Sequence[str]) -> tuple[str | None, bool]:
    """The choice a typed level means: (choice, corrected?). Case-, accent- and space-insensitive."""
    text = clean_text(value)
    if text in choices:
        return text, False
    folded = fold(text)
    for choice in choices:
        if fold(choice) == folded:
            return choice, True
    return None, False


def _sheet_trim(text: str) -> str:
    """What the spreadsheet's TRIM leaves: ASCII spaces trimmed and runs of them collapsed (nothing else)."""
    return " ".join(part for part in text.split(" ") if part)


def sheet_counts_level(value: str, choice: str) -> bool:
    """Does the template's own formula read ``value`` as ``choice``? Its lookups (``VLOOKUP(TRIM(x), …)``,
    ``TRIM(x)="Có"``) ignore letter case and ASCII spaces only: the same letters, accents and Unicode form."""
    return _sheet_trim(value).casefold() == choice.casefold()


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, code: str, severity: Severity, message: str, cell: RawCell | None, *, criterion: str | None = None) -> None:
        loc = cell.location if cell else None
        value: Any = cell.value if cell else None
        if isinstance(value, dt.date | dt.datetime | dt.time):
            value = value.isoformat()
        self.issues.append(
            Issue(
                code=code, severity=severity, message=message, criterion=criterion, value=value,
                sheet=loc.sheet if loc else None, cell=loc.cell if loc else None,
            )
        )

    def error(self, code: str, message: str, cell: RawCell | None, criterion: str | None = None) -> None:
        self.add(code, Severity.ERROR, message, cell, criterion=criterion)

    def warning(self, code: str, message: str, cell: RawCell | None, criterion: str | None = None) -> None:
        self.add(code, Severity.WARNING, message, cell, criterion=criterion)

    # -- typed readers: return the parsed value or None (after recording the issue) -----------------

    def problem(self, err: ValueProblem, cell: RawCell, what: str, criterion: str | None, *, integer: bool = False) -> None:
        shown = _show(cell.value)
        if err.slug == "error-value":
            self.error("error-value", f"Ô “{what}” đang báo lỗi {shown}. Hãy xóa công thức và nhập trực tiếp giá trị.", cell, criterion)
        elif err.slug == "not-an-integer":
            self.error("not-an-integer", f"“{what}” phải là số nguyên, không phải “{shown}”. Hãy nhập số đếm, ví dụ 3.", cell, criterion)
        elif err.slug == "invalid-date":
            self.error("invalid-date", f"“{what}”: “{shown}” không phải là ngày. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/12/2026.", cell, criterion)
        else:
            example = "3" if integer else "85 hoặc 85,5"
            self.error(
                "value-not-a-number",
                f"“{what}”: “{shown}” không phải là số. Hãy chỉ nhập con số, ví dụ {example} (dấu phẩy cho phần thập phân, không kèm chữ).",
                cell, criterion,
            )

    def text_of(self, cell: RawCell | None, what: str, criterion: str | None = None) -> str:
        if cell is None or is_blank(cell.value):
            return ""
        value = cell.value
        if isinstance(value, str):
            if not is_nfc(value):
                self.warning(
                    "text-not-nfc",
                    f"“{what}” được gõ bằng Unicode tổ hợp (NFD); dvk đã chuyển sang Unicode dựng sẵn (NFC). Nên dùng bộ gõ Unicode dựng sẵn.",
                    cell, criterion,
                )
            if value.strip().upper() in ERROR_VALUES:
                self.error("error-value", f"Ô “{what}” đang báo lỗi {value.strip()}. Hãy nhập trực tiếp nội dung.", cell, criterion)
                return ""
            return clean_text(value)
        return clean_text(_show(value))

    def number_of(self, cell: RawCell, what: str, criterion: str | None, *, integer: bool) -> Decimal | None:
        try:
            number = Decimal(parse_integer(cell.value)) if integer else parse_number(cell.value)
        except ValueProblem as err:
            self.problem(err, cell, what, criterion, integer=integer)
            return None
        if number < 0:
            self.error("negative-value", f"“{what}” không được âm (đang là {_show(cell.value)}). Hãy nhập 0 hoặc số dương.", cell, criterion)
            return None
        if isinstance(cell.value, str) and cell.value.strip().endswith("%"):
            self.warning(
                "percent-as-number",
                f"“{what}” được nhập kèm dấu % (“{_show(cell.value)}”); dvk hiểu là {vn_decimal(number)}. Nên nhập số lượng, không nhập tỷ lệ.",
                cell, criterion,
            )
        return number

    def level_of(
        self, cell: RawCell, what: str, choices: Sequence[str], criterion: str | None, *, counted: str = ""
    ) -> str | None:
        """The choice a level cell means. ``counted``: the template's own formulas read this cell (its points,
        or the self-assessed rating), said as "công thức tính điểm" or "công thức xếp loại": a value those
        formulas cannot read as the choice (no accents, decomposed Unicode, a non-breaking space, TRUE/FALSE)
        is refused, so the sheet the unit signs and dvk never count it differently; case and extra spaces,
        which the formulas ignore too, are accepted with a warning."""
        value = cell.value
        options = "; ".join(f"“{c}”" for c in choices)
        if isinstance(value, bool) and tuple(choices) == YES_NO:
            if not counted:
                return "Có" if value else "Không"
            self.error(
                "level-not-counted",
                f"“{what}”: ô là giá trị đúng/sai ({'TRUE' if value else 'FALSE'}), {counted} trong phiếu không "
                f"đọc được. Hãy chọn một trong: {options}.",
                cell, criterion,
            )
            return None
        if not isinstance(value, str):
            value = _show(value)
        nfd = not is_nfc(value)
        if nfd and not counted:
            self.warning(
                "text-not-nfc",
                f"“{what}” được gõ bằng Unicode tổ hợp (NFD); dvk đã chuyển sang Unicode dựng sẵn (NFC).",
                cell, criterion,
            )
        if value.strip().upper() in ERROR_VALUES:
            self.error("error-value", f"Ô “{what}” đang báo lỗi {value.strip()}. Hãy chọn một mức trong danh sách.", cell, criterion)
            return None
        choice, corrected = match_level(value, choices)
        if choice is None:
            self.error("unknown-level", f"“{what}”: “{clean_text(value)}” không có trong danh sách. Hãy chọn một trong: {options}.", cell, criterion)
            return None
        if counted and not sheet_counts_level(value, choice):
            how = ("được gõ bằng Unicode tổ hợp (NFD)" if nfd and sheet_counts_level(nfc_text(value), choice)
                   else "khác mức trong danh sách (dấu tiếng Việt hoặc dấu cách)")
            self.error(
                "level-not-counted",
                f"“{what}”: “{clean_text(value)}” {how}, nên {counted} trong phiếu không nhận ra và tính khác dvk. "
                f"Hãy chọn đúng “{choice}” trong danh sách.",
                cell, criterion,
            )
            return None
        if corrected:
            self.warning("level-corrected", f"“{what}”: “{clean_text(value)}” đã được hiểu là “{choice}”. Nên chọn đúng mức trong danh sách.", cell, criterion)
        return choice

    def required(self, cell: RawCell | None, what: str, criterion: str | None = None, hint: str = "") -> None:
        self.error("required-missing", f"Chưa nhập “{what}”.{' ' + hint if hint else ''}", cell, criterion)


#: How a refused level names the formula that could not read it.
_POINTS_FORMULA = "công thức tính điểm"
_RATING_FORMULA = "công thức xếp loại"


def _criterion_facts(c: Criterion, raw: RawSubmission, col: _Collector) -> dict[str, Decimal | str | None]:
    facts: dict[str, Decimal | str | None] = {}
    for spec in c.inputs:
        cell = raw.values.get(spec.name)
        what = f"{c.code} – {spec.label}"
        if cell is None or is_blank(cell.value):
            hint = "Hãy chọn một mức trong danh sách." if spec.kind is InputKind.LEVEL else "Nhập 0 nếu không có."
            col.required(cell, what, c.code, hint)
            facts[spec.name] = None
            continue
        if spec.kind is InputKind.LEVEL:
            facts[spec.name] = col.level_of(cell, what, spec.choices, c.code, counted=_POINTS_FORMULA)
        else:
            facts[spec.name] = col.number_of(cell, what, c.code, integer=spec.kind is InputKind.INTEGER)
    return facts


def _cross_checks(rubric: Rubric, c: Criterion, facts: Mapping[str, Decimal | str | None], raw: RawSubmission, col: _Collector) -> None:
    if c.rule not in (RuleKind.RATIO, RuleKind.TIERS):
        return
    t_spec, r_spec = c.inputs[0], c.inputs[1]
    target, result = facts.get(t_spec.name), facts.get(r_spec.name)
    t_cell, r_cell = raw.values.get(t_spec.name), raw.values.get(r_spec.name)
    if not isinstance(target, Decimal):
        return
    if c.rule is RuleKind.TIERS:
        minimum = rubric.satisfaction.min_sample
        if target < minimum:
            col.error(
                "sample-too-small",
                f"{c.code} – {t_spec.label}: {target} phiếu, ít hơn cỡ mẫu tối thiểu {minimum}. "
                f"Hãy khảo sát thêm cho đủ ít nhất {minimum} phiếu hợp lệ.",
                t_cell, c.code,
            )
    elif target == 0 and c.zero_target == "error":
        col.error(
            "target-not-positive",
            f"{c.code} – {t_spec.label} phải lớn hơn 0. Hãy nhập chỉ tiêu được giao (nếu không được giao chỉ tiêu, hỏi Bộ phận Thi đua).",
            t_cell, c.code,
        )
    if isinstance(result, Decimal) and (c.result_le_target or c.rule is RuleKind.TIERS) and result > target:
        col.error(
            "result-exceeds-due",
            f"{c.code} – {r_spec.label} ({result}) lớn hơn {t_spec.label.lower()} ({target}). "
            f"Hãy kiểm tra lại: số này không thể vượt quá {target}.",
            r_cell, c.code,
        )


def _info(raw: RawSubmission, col: _Collector, registry: Mapping[str, Any] | None, years: range) -> tuple[dict[str, Any], bool]:
    out: dict[str, Any] = {}
    fatal = False
    for spec in INFO_FIELDS:
        cell = raw.values.get(spec.name)
        blank = cell is None or is_blank(cell.value)
        if blank:
            if spec.required:
                col.required(cell, spec.label, hint=f"{spec.help}." if spec.help else "")
                fatal = fatal or spec.key in ("unit_code", "year")
            continue
        assert cell is not None
        if spec.kind == "integer":
            try:
                out[spec.key] = parse_integer(cell.value)
            except ValueProblem as err:
                col.problem(err, cell, spec.label, None, integer=True)
                fatal = fatal or spec.key == "year"
        elif spec.kind == "level":  # every level of the unit information feeds the sheet's rating formula
            out[spec.key] = col.level_of(cell, spec.label, spec.choices, None, counted=_RATING_FORMULA)
        elif spec.kind == "date":
            try:
                out[spec.key] = parse_date(cell.value)
            except ValueProblem as err:
                col.problem(err, cell, spec.label, None)
        else:
            out[spec.key] = col.text_of(cell, spec.label)
    code = out.get("unit_code")
    if code:
        code = canonical_code(code)
        out["unit_code"] = code
        if registry is not None and code not in registry:
            col.error(
                "unknown-unit",
                f"Mã đơn vị “{code}” không có trong danh sách đơn vị của xã. Hãy dùng đúng mã đã được cấp (xem trang “Hướng dẫn”).",
                raw.values.get("info.unit_code"),
            )
            fatal = True
    elif "info.unit_code" in raw.values and not is_blank(raw.values["info.unit_code"].value):
        fatal = True
    year = out.get("year")
    if isinstance(year, int) and year not in years:
        col.error(
            "year-out-of-range",
            f"Năm đánh giá {year} nằm ngoài giai đoạn {years.start}–{years.stop - 1} của phong trào. Hãy nhập năm đúng.",
            raw.values.get("info.year"),
        )
        fatal = True
    return out, fatal


_ROW_BUILDERS: dict[str, type] = {"models": ModelEntry, "exemplars": Exemplar, "proposals": CommendationProposal}


def _table(spec: TableSpec, rows: Sequence[Mapping[str, RawCell]], col: _Collector) -> list[Any]:
    entries: list[Any] = []
    for row in rows:
        if all(is_blank(cell.value) for cell in row.values()):
            continue
        data: dict[str, Any] = {}
        ok = True
        for column in spec.columns:
            cell = row.get(column.key)
            what = f"{spec.title} – {column.label}"
            if cell is None or is_blank(cell.value):
                if column.required:
                    col.required(cell, what, hint="Dòng đã có nội dung nên cột này phải nhập.")
                    ok = False
                continue
            value = _column_value(column, cell, what, col)
            if value is None:
                ok = ok and not column.required
                continue
            data[column.key] = value
        if ok:
            entries.append(_ROW_BUILDERS[spec.key](**data))
    return entries


def _column_value(column: ColumnSpec, cell: RawCell, what: str, col: _Collector) -> Any:
    if column.kind == "date":
        try:
            return parse_date(cell.value)
        except ValueProblem as err:
            col.problem(err, cell, what, None)
            return None
    if column.kind == "level":
        choice = col.level_of(cell, what, column.choices, None)
        if column.key == "female" and choice is not None:
            return choice == "Có"
        return choice
    return col.text_of(cell, what)


#: Errors after which a criterion still counts what the sheet supports (a bonus count above the recognised rows
#: listed counts up to them), instead of 0.
CAPPED = frozenset({"bonus-not-recognised"})


def criteria_in_error(issues: Sequence[Issue]) -> frozenset[str]:
    """Codes of the criteria whose own inputs (facts, evidence, the models they require) have an error."""
    return frozenset(i.criterion for i in issues if i.is_error and i.criterion)


def criteria_zeroed(issues: Sequence[Issue]) -> frozenset[str]:
    """Codes of the criteria in error that score 0 (``criteria_in_error`` but for errors of ``CAPPED`` alone)."""
    return frozenset(i.criterion for i in issues if i.is_error and i.criterion and i.code not in CAPPED)


def criteria_capped(issues: Sequence[Issue]) -> frozenset[str]:
    """Codes of the criteria whose only errors are of ``CAPPED``: counted up to what the sheet supports."""
    return criteria_in_error(issues) - criteria_zeroed(issues)


def without_invalid(rubric: Rubric, submission: Submission, issues: Sequence[Issue]) -> Submission:
    """The submission as dvk counts it: every fact of a criterion in error cleared (an invalid criterion scores 0),
    and every bonus count that needs recognised rows brought down to the rows listed (``recognition``).

    "A3 = Có" with no model on “Mô hình”, a result above its target, a sample under the minimum: what the
    sheet claims is not counted until the unit fixes it (or staff type an appraisal for that criterion).
    A B1 count above the recognised models and exemplars listed counts only those (also for a version stored
    before this rule: the cap follows from the sheet's own rows, whatever its stored issues say).
    """
    submission = cap_to_supported(rubric, submission)
    bad = criteria_zeroed(issues)
    if not bad:
        return submission
    names = {spec.name for c in rubric.criteria if c.code in bad for spec in c.inputs}
    names |= {name for c in rubric.criteria if c.code in bad for name, _ in c.weight_fractions}
    facts = {k: (None if k in names else v) for k, v in submission.facts.items()}
    if facts == submission.facts:
        return submission
    return submission.model_copy(update={"facts": facts})


def _bonus_rows(
    rubric: Rubric, year: int, facts: Mapping[str, Decimal | str | None], tables: Mapping[str, Sequence[Any]],
    raw: RawSubmission, col: _Collector,
) -> None:
    """A bonus count must be backed by recognised rows of the sheet's own tables (``Weight.rows``)."""
    listed: list[Row] = [(key, row) for key in ROW_TABLES for row in tables.get(key, ())]
    incomplete = [
        spec.title for spec in TABLES if spec.key in ROW_TABLES
        and sum(1 for r in raw.tables.get(spec.key, ()) if not all(is_blank(c.value) for c in r.values()))
        > len(tables.get(spec.key, ()))
    ]
    for c in rubric.criteria:
        for weight in c.weights:
            rows = weight.rows
            typed = facts.get(f"{c.code}.{weight.key}")
            if rows is None or not isinstance(typed, Decimal):
                continue
            found = len(supported(rows, year, listed))
            if typed == found:
                continue
            where = " / ".join(f"“{spec.title}”" for spec in TABLES if spec.key in rows.tables)
            level = f"cấp công nhận “{rows.level}”" if rows.level else "cấp công nhận"
            status = f", tình trạng “{' / '.join(rows.status)}”" if rows.status else ""
            when = f"trong năm {year}" if rows.decided == "in-year" else f"từ trước năm {year}"
            what = f"{c.code} – {weight.label}"
            kept = vn_decimal(Decimal(found))
            if typed > found:
                broken = (f" (còn dòng chưa đủ thông tin ở trang {', '.join(f'“{t}”' for t in incomplete)}: hãy sửa lỗi ở đó)"
                          if incomplete else "")
                listed_text = f"chỉ có {kept} dòng" if found else "không có dòng nào"
                col.error(
                    "bonus-not-recognised",
                    f"{what}: khai {vn_decimal(typed)} nhưng trang {where} {listed_text} có {level}{status} và số, "
                    f"ngày quyết định công nhận {when}{broken}. Điểm thưởng căn cứ kết quả công nhận của cơ quan có "
                    f"thẩm quyền nên chỉ tính {kept}. Hãy kê khai mô hình, điển hình được công nhận (cấp, số và ngày "
                    f"quyết định), hoặc sửa số đã khai thành {kept}.",
                    raw.values.get(f"{c.code}.{weight.key}"), c.code,
                )
            else:
                col.warning(
                    "bonus-below-recognised",
                    f"{what}: khai {vn_decimal(typed)} nhưng trang {where} có {kept} dòng có {level}{status} và số, "
                    f"ngày quyết định công nhận {when}. Điểm thưởng tính theo số đã khai; nếu đúng là {kept}, hãy sửa "
                    "số đã khai.",
                    raw.values.get(f"{c.code}.{weight.key}"), c.code,
                )


def validate(
    rubric: Rubric,
    raw: RawSubmission,
    *,
    registry: Mapping[str, Any] | None = None,
    years: range = YEARS,
    zero_invalid: bool = True,
) -> Validated:
    """Parse and check one filled evaluation sheet.

    Returns the Submission (None when the unit or year cannot be known) and every Issue found. A criterion
    whose own inputs have an error scores 0 (its facts are cleared, see ``without_invalid``); ``zero_invalid``
    False keeps them (one criterion evaluated alone, without the sheets its cross-checks need).
    """
    col = _Collector()
    info, fatal = _info(raw, col, registry, years)
    facts: dict[str, Decimal | str | None] = {}
    evidence: dict[str, str] = {}
    for c in rubric.criteria:
        own = _criterion_facts(c, raw, col)
        _cross_checks(rubric, c, own, raw, col)
        facts.update(own)
        ev = col.text_of(raw.values.get(f"{c.code}.evidence"), f"{c.code} – Minh chứng", c.code)
        if ev:
            evidence[c.code] = ev
    tables = {spec.key: _table(spec, raw.tables.get(spec.key, ()), col) for spec in TABLES}
    for c in rubric.criteria:
        if c.requires_models and facts.get(f"{c.code}.level") == c.requires_models and not tables["models"]:
            typed = any(not all(is_blank(cell.value) for cell in row.values()) for row in raw.tables.get("models", ()))
            what = (  # rows were typed but none is complete: say so rather than "no model at all"
                "chưa có mô hình nào đủ thông tin (sửa các lỗi ở trang “Mô hình”)" if typed else "chưa có mô hình nào"
            )
            col.error(
                "models-table-empty",
                f"{c.code}: đã chọn “{c.requires_models}” nhưng trang “Mô hình” {what}. "
                "Hãy kê khai mô hình đã đăng ký, hoặc chọn “Không”.",
                raw.values.get(f"{c.code}.level"), c.code,
            )
    if isinstance(info.get("year"), int) and info["year"] in years:  # a year outside the plan: said once, above
        _bonus_rows(rubric, info["year"], facts, tables, raw, col)
    if fatal or "unit_code" not in info or "year" not in info:
        return Validated(None, tuple(col.issues))
    unit_info = UnitInfo(
        unit_code=info["unit_code"],
        unit_name=info.get("unit_name", ""),
        year=info["year"],
        head=info.get("head", ""),
        contact=info.get("contact", ""),
        head_discipline=HeadDiscipline(info.get("head_discipline") or HeadDiscipline.NONE),
        ko_corruption=info.get("ko_corruption") == "Có",
        ko_prosecuted=info.get("ko_prosecuted") == "Có",
        signer=info.get("signer", ""),
        signed_on=info.get("signed_on"),
    )
    submission = Submission(
        info=unit_info,
        facts=facts,
        evidence=evidence,
        models=tuple(tables["models"]),
        exemplars=tuple(tables["exemplars"]),
        proposals=tuple(tables["proposals"]),
    )
    counted = without_invalid(rubric, submission, col.issues) if zero_invalid else submission
    return Validated(counted, tuple(col.issues))
