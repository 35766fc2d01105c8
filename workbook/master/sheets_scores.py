"""The two score sheets: "Chi tiết tiêu chí" (self score and appraisal per criterion) and "Tổng hợp" (ranked).

Everything that follows from the points is a native formula with its cached value, so an appraisal typed in
Excel (or LibreOffice) updates total, rating and rank at once:

* each criterion counts its "thẩm định" cell when it holds a valid number (0 … its maximum; a penalty by
  its size), else its "tự chấm" cell — the same rule as ``read_staff_edits``;
* field sums, bonus and penalty (capped), total;
* the rating (DOMAIN.md §5): thresholds on the total rounded to 9 decimals, the zero-criterion rule, the
  knock-outs and the discipline caps (facts in hidden helper columns), then the NĐ 335 quota across the
  commune (``schemas.rating.apply_quota``: k = min(X, ⌊(H + X)·q / (100 + q)⌋); a unit keeps HTXS when at
  most k HTXS units have a total at least its own, so units tied with the last one over the quota drop
  together);
* the rank: RANK over the rounded totals (equal totals share a rank, 1, 2, 2, 4).

"Tổng hợp" looks its unit's row up by "Mã đơn vị" (INDEX/MATCH), so sorting either sheet keeps the link.
Units without a usable submission have no formulas (KHT, or why they are not rated: ``UnitResult.unrated``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property

from xlsxwriter.utility import xl_col_to_name

from schemas import Criterion, HeadDiscipline, Rating, Rubric, ScoreCard, rate
from schemas.rubric import rubric_label

from .cells import HEADER_ROW, Book, CellItem, Sheet
from .data import MasterInput, UnitResult
from .form import annex_heading, finish_sheet, is_annex, method_line

__all__ = [
    "DETAIL_SHEET",
    "NOTE_HEADER",
    "PROVISIONAL",
    "SUMMARY_SHEET",
    "DetailLayout",
    "appraisal_header",
    "fill_down",
    "rating_text",
    "self_header",
    "write_detail",
    "write_summary",
]

SUMMARY_SHEET = "Tổng hợp"
DETAIL_SHEET = "Chi tiết tiêu chí"
NOTE_HEADER = "Ghi chú của hội đồng"
PROVISIONAL = "tạm tính – phiếu còn lỗi"
_FIRST = HEADER_ROW + 1  # first data row (1-based)
HELPERS = (
    "Có tiêu chí 0 điểm", "Vi phạm loại trừ", "Mức trần do kỷ luật", "Phiếu còn lỗi", "Tổng điểm làm tròn",
    "Bậc trước hạn mức", "Bậc xếp loại", "Xếp hạng",
)
_CAPS = {HeadDiscipline.NONE: 0, HeadDiscipline.REPRIMAND: 1, HeadDiscipline.WARNING: 2, HeadDiscipline.DISMISSAL: 3}
_LABELS = ",".join(f'"{r.label}"' for r in Rating)


@cache
def col(n: int) -> str:
    """The letter of 1-based column ``n``."""
    return xl_col_to_name(n - 1)


def self_header(code: str) -> str:
    return f"{code} tự chấm"


def appraisal_header(code: str) -> str:
    return f"{code} thẩm định"


def rating_text(res: UnitResult) -> str:
    """The rating shown for a unit without formulas: KHT, or why it is not rated ("Chưa nộp (còn hạn)",
    "Chờ xác nhận", "Chưa xếp loại – tệp không đọc được")."""
    return res.rating_label


def _num(value: Fraction | Decimal | float | int) -> str:
    """A number as formula text (no exponent, no trailing zeros)."""
    f = Fraction(value)
    if f.denominator == 1:
        return str(f.numerator)
    return repr(float(f))


@dataclass(frozen=True)
class DetailLayout:
    """Column numbers (1-based) of "Chi tiết tiêu chí" for a rubric and a preset."""

    rubric: Rubric
    nrows: int
    preset: str | None = None

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.rubric.criteria

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return self.rubric.fields

    @cached_property
    def _groups(self) -> dict[str, tuple[int, ...]]:
        """Criterion indexes per field (base criteria), and under "+" the bonus, under "-" the penalty ones."""
        groups: dict[str, list[int]] = {f: [] for f in self.fields}
        groups["+"], groups["-"] = [], []
        for i, c in enumerate(self.criteria):
            groups["+" if c.is_bonus else "-" if c.is_penalty else c.field].append(i)
        return {k: tuple(v) for k, v in groups.items()}

    def self_col(self, i: int) -> int:
        return 3 + 2 * i

    def appraisal_col(self, i: int) -> int:
        return 4 + 2 * i

    @property
    def note_col(self) -> int:
        return 3 + 2 * len(self.criteria)

    def field_col(self, j: int) -> int:
        return self.note_col + 1 + j

    @cached_property
    def bonus_col(self) -> int:
        return self.field_col(len(self.fields))

    @property
    def penalty_col(self) -> int:
        return self.bonus_col + 1

    @property
    def total_col(self) -> int:
        return self.bonus_col + 2

    @property
    def rating_col(self) -> int:
        return self.bonus_col + 3

    def helper_col(self, name: str) -> int:
        return self.rating_col + 1 + HELPERS.index(name)

    @property
    def ncols(self) -> int:
        return self.rating_col + len(HELPERS)

    @property
    def last_row(self) -> int:
        return HEADER_ROW + max(self.nrows, 1)

    def headers(self) -> list[str]:
        out = ["Mã đơn vị", "Tên đơn vị"]
        for c in self.criteria:
            out += [self_header(c.code), appraisal_header(c.code)]
        return [*out, NOTE_HEADER, *self.rubric.fields, "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", *HELPERS]

    def area(self, column: int, *, sheet: bool = True) -> str:
        key = (column, sheet)
        found = self._areas.get(key)
        if found is None:
            where = f"'{DETAIL_SHEET}'!" if sheet else ""
            found = self._areas[key] = f"{where}${col(column)}${_FIRST}:${col(column)}${self.last_row}"
        return found

    @cached_property
    def _areas(self) -> dict[tuple[int, bool], str]:
        return {}

    def lookup(self, column: int, key: str) -> str:
        """Formula text: the value of ``column`` in the detail row whose "Mã đơn vị" equals cell ``key``."""
        return f"INDEX({self.area(column)},MATCH({key},{self.area(1)},0))"

    def _effective(self, i: int, r: int | str) -> str:
        """The points that count: a valid appraisal (a number within 0 … max; a penalty by its size), else the
        self score — as ``read_staff_edits`` and ``compute`` decide (an invalid value is not applied)."""
        a, s = f"{col(self.appraisal_col(i))}{r}", f"{col(self.self_col(i))}{r}"
        top = _num(self.criteria[i].max_fraction)
        if self.criteria[i].is_penalty:
            return f"IF(AND(ISNUMBER({a}),ABS({a})<={top}),ABS({a}),{s})"
        return f"IF(AND(ISNUMBER({a}),{a}>=0,{a}<={top}),{a},{s})"

    @cached_property
    def _templates(self) -> dict[str, str]:
        """The per-row formulas with "§" for the row number (built once; a row only substitutes it)."""
        r = "§"
        eff = self._effective
        out = {f: "=" + ("+".join(eff(i, r) for i in self._groups[f]) or "0") for f in self.fields}
        out["+"] = f"=MIN({self.rubric.bonus_cap},{'+'.join(eff(i, r) for i in self._groups['+']) or '0'})"
        out["-"] = f"=MIN({self.rubric.penalty_cap},{'+'.join(eff(i, r) for i in self._groups['-']) or '0'})"
        tests = [f"{eff(i, r)}=0" for i, c in enumerate(self.criteria) if c.is_base]
        out["0"] = f"=IF(OR({','.join(tests)}),1,0)" if tests else "=0"
        return out

    def field_formula(self, field: str, r: int) -> str:
        return self._templates[field].replace("§", str(r))

    def bonus_formula(self, r: int) -> str:
        return self._templates["+"].replace("§", str(r))

    def penalty_formula(self, r: int) -> str:
        return self._templates["-"].replace("§", str(r))

    def total_formula(self, r: int) -> str:
        first, last = col(self.field_col(0)), col(self.field_col(len(self.fields) - 1))
        return f"=SUM({first}{r}:{last}{r})+{col(self.bonus_col)}{r}-{col(self.penalty_col)}{r}"

    def zero_formula(self, r: int) -> str:
        """1 when a base criterion counts 0 points (the zero rule), else 0."""
        return self._templates["0"].replace("§", str(r))

    @cached_property
    def _h(self) -> dict[str, str]:
        return {name: col(self.helper_col(name)) for name in HELPERS}

    def rounded_formula(self, r: int) -> str:
        return f"=ROUND({col(self.total_col)}{r},9)"

    def level_formula(self, r: int) -> str:
        """The rating level before the quota (0 HTXS … 3 KHT): thresholds, zero rule, knock-out, caps."""
        return self._rating_templates["level"].replace("§", str(r))

    def final_formula(self, r: int) -> str:
        """The rating level after the commune-wide HTXS quota of the preset (when it has one)."""
        return self._rating_templates["final"].replace("§", str(r))

    def rating_formula(self, r: int) -> str:
        return self._rating_templates["rating"].replace("§", str(r))

    def rank_formula(self, r: int) -> str:
        return self._rating_templates["rank"].replace("§", str(r))

    @cached_property
    def _rating_templates(self) -> dict[str, str]:
        """Level, level after the quota, rating and rank with "§" for the row number (built once)."""
        r = "§"
        p = self.rubric.preset(self.preset)
        h = self._h
        t = f"{h['Tổng điểm làm tròn']}{r}"
        top_ok = f"{h['Có tiêu chí 0 điểm']}{r}=0" if p.zero_rule else "TRUE"
        threshold = (
            f"IF(AND({t}>={_num(p.htxs)},{top_ok}),0,IF(AND({t}>={_num(p.htt)},{top_ok}),1,"
            f"IF({t}>={_num(p.ht)},2,3)))"
        )
        out = {"level": f"=MAX({threshold},{h['Mức trần do kỷ luật']}{r},3*{h['Vi phạm loại trừ']}{r})"}
        pre = f"{h['Bậc trước hạn mức']}{r}"
        levels = self.area(self.helper_col("Bậc trước hạn mức"), sheet=False)
        totals = self.area(self.helper_col("Tổng điểm làm tròn"), sheet=False)
        if p.htxs_quota_percent is None:
            out["final"] = f"={pre}"
        else:
            q = _num(p.htxs_quota_percent)
            top, good = f"COUNTIF({levels},0)", f"COUNTIF({levels},1)"
            allowed = f"MIN({top},INT(({top}+{good})*{q}/(100+{q})))"
            above = f"SUMPRODUCT(({levels}=0)*({totals}>={h['Tổng điểm làm tròn']}{r}))"
            out["final"] = f"=IF({pre}=0,IF({above}>{allowed},1,0),{pre})"
        out["rating"] = f"=CHOOSE({h['Bậc xếp loại']}{r}+1,{_LABELS})"
        out["rank"] = f"=RANK({h['Tổng điểm làm tròn']}{r},{totals},0)"
        return out


def fill_down(results: Sequence[UnitResult]) -> tuple[int, int] | None:
    """The rows (1-based) of the leading units with a score card: their formulas are one per column, filled
    down (shared formulas in the file); the units without a card, listed last, have none."""
    scored = next((i for i, r in enumerate(results) if r.card is None), len(results))
    return (_FIRST, _FIRST + scored - 1) if scored > 1 else None


def title_lines(data: MasterInput, *, annex: bool = False) -> list[str]:
    """The information lines under the title: the commune, the rubric, the rating method by its thresholds;
    on a working sheet also when it was made and how it updates (an annex of the report carries neither a
    software's name nor working notes)."""
    preset = data.rubric.preset(data.preset)
    method = method_line(preset)
    if annex:
        return [f"{data.commune}, {data.province} · Bộ tiêu chí “{data.rubric.name}” (phiên bản {data.rubric.version}) · "
                f"{method}"]
    return [
        f"{data.commune}, {data.province} · {_capital(rubric_label(data.rubric))} · {method}",
        f"Lập lúc {data.generated_at:%d/%m/%Y %H:%M}. Tổng điểm, xếp loại và xếp hạng tự cập nhật khi nhập "
        "cột “thẩm định”.",
    ]


def field_sums(card: ScoreCard, fields_of: dict[str, list[str]]) -> dict[str, float]:
    """Points per field as the sheet adds them up: the criteria's points as floats, in rubric order."""
    points = {s.code: float(s.points) for s in card.criteria}
    return {f: sum(points.get(code, 0.0) for code in codes) for f, codes in fields_of.items()}


def _facts(res: UnitResult, data: MasterInput) -> tuple[int, int, int, int, int]:
    """(has a zero base criterion, knock-out, discipline cap level, provisional, level before the quota)."""
    card, sub = res.card, res.row.submission
    assert card is not None and sub is not None
    info = sub.info
    zero = int(any(s.base and s.points == 0 for s in card.criteria))
    ko = int(bool(info.ko_corruption or info.ko_prosecuted))
    cap = _CAPS.get(info.head_discipline, 0)
    pre, _ = rate(data.rubric.preset(data.preset), card.total, has_zero=bool(zero),
                  head_discipline=info.head_discipline, knockout=bool(ko))
    return zero, ko, cap, int(res.provisional), pre.rank


def write_detail(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> Sheet:
    """"Chi tiết tiêu chí": one row per unit, in the order of ``results``."""
    layout = DetailLayout(data.rubric, len(results), data.preset)
    ncrit = len(layout.criteria)
    nf = len(layout.fields)
    widths = [14, 26, *([8] * (2 * ncrit)), 22, *([9] * nf), 8, 8, 9, 25, *([9] * len(HELPERS))]
    hidden = range(layout.rating_col, layout.ncols)
    sheet = Sheet(book, DETAIL_SHEET, widths, hidden=hidden)
    sheet.signature_from = 2  # the staff reader takes any text in column A for a unit code
    annex_heading(sheet, f"Điểm theo tiêu chí – phong trào thi đua “Dân vận khéo” năm {data.year}",
                  title_lines(data, annex=is_annex(sheet)))
    sheet.header(layout.headers())
    fields_of = {f: [c.code for c in data.rubric.base_criteria if c.field == f] for f in layout.fields}
    sheet.fill_down = fill_down(results)
    for res in results:
        r = sheet.row + 1
        cells: list[CellItem] = [sheet.cell(res.code), sheet.cell(res.row.unit.name)]
        own = {s.code: s.points for s in res.self_card.criteria} if res.self_card else {}
        for c in layout.criteria:
            cells.append(sheet.cell(own.get(c.code), "num"))
            if c.code in res.invalid:
                cells.append(sheet.cell(res.invalid[c.code], "staff_bad"))  # as typed: a number stays a number
            else:
                cells.append(sheet.cell(res.appraisal.get(c.code), "staff_num"))
        cells.append(sheet.cell(res.note, "staff_text"))
        card = res.card
        if card is None:
            cells += [sheet.cell(None, "num") for _ in range(nf + 3)]
            cells.append(sheet.cell(rating_text(res), "center"))
            cells += [sheet.cell(None, "helper") for _ in range(3)]
            cells += [sheet.cell(int(res.provisional), "helper"), sheet.cell("–", "helper"),
                      sheet.cell("–", "helper"), sheet.cell("–", "helper"), sheet.cell(None, "helper")]
        else:
            sums = field_sums(card, fields_of)
            for f in layout.fields:
                cells.append(sheet.formula(layout.field_formula(f, r), sums[f]))
            cells += [
                sheet.formula(layout.bonus_formula(r), card.bonus),
                sheet.formula(layout.penalty_formula(r), card.penalty),
                sheet.formula(layout.total_formula(r), card.total, "total"),
                sheet.formula(layout.rating_formula(r), res.rating.label, "center"),
            ]
            zero, ko, cap, provisional, pre = _facts(res, data)
            cells += [
                sheet.formula(layout.zero_formula(r), zero, "helper"),
                sheet.cell(ko, "helper"), sheet.cell(cap, "helper"), sheet.cell(provisional, "helper"),
                sheet.formula(layout.rounded_formula(r), round(float(card.total), 9), "helper"),
                sheet.formula(layout.level_formula(r), pre, "helper"),
                sheet.formula(layout.final_formula(r), res.rating.rank, "helper"),
                sheet.formula(layout.rank_formula(r), res.rank, "helper"),
            ]
        sheet.append(cells)
    sheet.fill_down = None
    if results:
        _validations(sheet, layout)
    finish_sheet(sheet, data.generated_at)
    return sheet


def _validations(sheet: Sheet, layout: DetailLayout) -> None:
    for i, c in enumerate(layout.criteria):
        column = layout.appraisal_col(i) - 1
        what = "số điểm bị trừ (số dương)" if c.is_penalty else "điểm thẩm định"
        top = c.max_points
        maximum = int(top) if top == top.to_integral_value() else float(top)
        sheet.ws.data_validation(_FIRST - 1, column, layout.last_row - 1, column, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": maximum,
            "ignore_blank": True, "error_type": "stop",
            "error_title": "Điểm thẩm định không hợp lệ",
            "error_message": f"{c.code}: hãy nhập {what} từ 0 đến {top} (để trống nếu giữ điểm tự chấm).",
            "input_title": f"{c.code} thẩm định",
            "input_message": f"Nhập {what} từ 0 đến {top}; để trống thì giữ điểm tự chấm.",
        })


SUMMARY_HEADERS_AFTER_FIELDS = (
    "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Xếp hạng", "Tự chấm", "Chênh lệch", "Cần xem lại", "Lý do",
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def write_summary(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> Sheet:
    """"Tổng hợp": the heading, then one row per unit, ranked; sums, rating and rank looked up from the detail."""
    layout = DetailLayout(data.rubric, len(results), data.preset)
    fields = data.rubric.fields
    nf = len(fields)
    provisional = any(r.provisional for r in results)
    after = list(SUMMARY_HEADERS_AFTER_FIELDS)
    if provisional:
        after.insert(after.index("Xếp loại") + 1, "Tạm tính")
    headers = ["Mã đơn vị", "Tên đơn vị", "Loại", *fields, *after]
    widths = [14, 26, 14, *([9] * nf), 8, 8, 9, 25, *([13] if provisional else []), 7, 8, 9, 8, 40]
    sheet = Sheet(book, SUMMARY_SHEET, widths)
    annex_heading(sheet, f"Bảng tổng hợp kết quả – phong trào thi đua “Dân vận khéo” năm {data.year}",
                  title_lines(data))
    sheet.header(headers)
    total_col = 4 + nf + 2
    self_col = total_col + (4 if provisional else 3)
    fields_of = {f: [c.code for c in data.rubric.base_criteria if c.field == f] for f in fields}
    sheet.fill_down = fill_down(results)
    for res in results:
        r = sheet.row + 1
        unit = res.row.unit
        cells: list[CellItem] = [sheet.cell(unit.code), sheet.cell(unit.name), sheet.cell(unit.kind.value)]
        card = res.card
        key = f"$A{r}"
        if card is None:
            cells += [sheet.cell(None, "num") for _ in range(nf + 3)]
            cells.append(sheet.cell(rating_text(res), "center"))
            if provisional:
                cells.append(sheet.cell(None))
            cells.append(sheet.cell(None, "int"))
        else:
            sums = field_sums(card, fields_of)
            for j, f in enumerate(fields):
                cells.append(sheet.formula(layout.lookup(layout.field_col(j), key), sums[f]))
            cells += [
                sheet.formula(layout.lookup(layout.bonus_col, key), card.bonus),
                sheet.formula(layout.lookup(layout.penalty_col, key), card.penalty),
                sheet.formula(f"SUM({col(4)}{r}:{col(3 + nf)}{r})+{col(4 + nf)}{r}-{col(5 + nf)}{r}", card.total, "total"),
                sheet.formula(layout.lookup(layout.rating_col, key), res.rating.label, "center"),
            ]
            if provisional:
                cells.append(sheet.cell(PROVISIONAL if res.provisional else None, "warn"))
            cells.append(sheet.formula(layout.lookup(layout.helper_col("Xếp hạng"), key), res.rank, "int"))
        cells.append(sheet.cell(res.self_total, "num"))
        if card is not None and res.self_total is not None:
            cells.append(sheet.formula(f"{col(total_col)}{r}-{col(self_col)}{r}", card.total - res.self_total))
        else:
            cells.append(sheet.cell(None, "num"))
        flagged = res.row.resubmitted_after_appraisal
        cells.append(sheet.cell("Có" if flagged else "", "flag"))
        reasons = list(res.reasons)
        if flagged:
            reasons.append("Đơn vị nộp lại phiếu sau khi đã thẩm định: hội đồng cần xem lại điểm thẩm định")
        cells.append(sheet.cell("; ".join(reasons)))
        sheet.append(cells)
    sheet.fill_down = None
    finish_sheet(sheet, data.generated_at)
    return sheet
