"""The Excel worksheet functions as plain Python: Excel arguments in, values or 2-D lists out.

Each function adapts what a spreadsheet runtime passes (classic xlwings: floats, None for blanks,
datetimes, 2-D lists for ranges; Office.js runtimes such as xlwings Lite: ints, serial dates, every
argument as a 2-D list, "" for blanks) to calls of the domain core in ``schemas/``. They never raise and
never return NaN: a bad argument gives a Vietnamese message starting with "Lỗi:".

Numbers coming back from Excel are binary floats of exact fractions (``8 × 115/120`` arrives as
``7.666666666666667``); they are read back as the nearest fraction with a denominator below 10⁹, so
thresholds compare the exact value again (94.99999999999999 stays 95).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any, ParamSpec, TypeVar

from schemas import HeadDiscipline, Rating, Rubric, default_rubric, rank, rate
from schemas.errors import DvkError
from schemas.forms import YES_NO
from schemas.rubric import Criterion, parse_rubric
from schemas.scoring import criterion_points, total_of
from schemas.text import clean_text
from schemas.validate import YEARS, RawSubmission, match_level, validate
from schemas.values import ValueProblem, is_blank, parse_number

__all__ = [
    "ERROR_PREFIX",
    "active_rubric",
    "cells",
    "dvk_diem",
    "dvk_maxeploai",
    "dvk_tongdiem",
    "dvk_xephang",
    "dvk_xeploai",
    "exact",
    "safe",
    "scalar",
]

ERROR_PREFIX = "Lỗi: "
_DENOMINATOR = 10**9
_P = ParamSpec("_P")
_R = TypeVar("_R")


@functools.cache
def active_rubric() -> Rubric:
    """The rubric the functions use: ``addin/rubric.toml`` when a bundle carries one, else the default."""
    import tomllib

    bundled = resources.files("addin").joinpath("rubric.toml")
    if bundled.is_file():
        return parse_rubric(tomllib.loads(bundled.read_text(encoding="utf-8")), source="rubric.toml")
    return default_rubric()


def safe(fn: Callable[_P, _R]) -> Callable[_P, _R | str]:
    """Turn any exception into a Vietnamese message: an Excel function must never show a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R | str:
        try:
            return fn(*args, **kwargs)
        except _Bad as err:
            return ERROR_PREFIX + str(err)
        except DvkError as err:
            return ERROR_PREFIX + err.message
        except Exception as err:  # an unforeseen argument: say so, never a traceback
            return f"{ERROR_PREFIX}không tính được với giá trị đã nhập ({type(err).__name__}). Hãy kiểm tra lại các ô tham chiếu."

    return wrapper


class _Bad(ValueError):
    """A bad argument; the message is Vietnamese and shown in the cell."""


# -- argument adapters ---------------------------------------------------------------------------


def scalar(value: Any) -> Any:
    """One cell's value: unwraps ``[[x]]``/``[x]`` (Office.js passes every argument as a 2-D list); "" → None."""
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, list | tuple):
        raise _Bad("cần một ô, không phải một vùng nhiều ô.")
    return None if is_blank(value) else value


def cells(value: Any) -> list[Any]:
    """All cells of an argument in reading order (row by row); blanks are None."""
    if isinstance(value, list | tuple):
        return [v for item in value for v in cells(item)]
    return [None if is_blank(value) else value]


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list | tuple):
        return [[value]]
    if value and all(isinstance(r, list | tuple) for r in value):
        return [[None if is_blank(v) else v for v in r] for r in value]
    return [[None if is_blank(v) else v for v in value]]


def exact(number: Decimal | int | float) -> Fraction:
    """The fraction a number from Excel stands for (see the module docstring)."""
    return Fraction(number).limit_denominator(_DENOMINATOR)


def _number(value: Any, what: str) -> Fraction:
    try:
        return exact(parse_number(value))
    except ValueProblem as err:
        raise _Bad(f"{what}: “{value}” không phải là số.") from err


def _out(value: Fraction) -> float:
    return float(value)


def _text(value: Any) -> str:
    return clean_text(str(value)) if value is not None else ""


# -- DVK_DIEM ------------------------------------------------------------------------------------

_PLACEHOLDER_INFO = {"info.unit_code": "DVK", "info.year": YEARS.start}
# Checks that need the rest of the sheet (the models and exemplars tables); one criterion's points do not depend on them.
_NOT_FOR_ONE_CRITERION = frozenset({"models-table-empty", "bonus-not-recognised", "bonus-below-recognised"})


def _criterion(rubric: Rubric, code: Any) -> Criterion:
    text = _text(scalar(code))
    try:
        return rubric.criterion(text)
    except KeyError:
        known = ", ".join(c.code for c in rubric.criteria)
        raise _Bad(f"không có tiêu chí mã “{text}”. Các mã có: {known}.") from None


@safe
def dvk_diem(code: Any, *inputs: Any, rubric: Rubric | None = None) -> float:
    """Points of one criterion from its facts, in the order of ``Criterion.inputs``, as the core gives them.

    The penalty criterion gives the (positive) amount subtracted, as the template's points column shows it.
    All inputs blank gives 0, as a criterion left blank scores 0 in the core.
    """
    rubric = rubric or active_rubric()
    c = _criterion(rubric, code)
    values = [scalar(v) for v in inputs]
    specs = c.inputs
    if any(v is not None for v in values[len(specs):]):
        labels = "; ".join(s.label for s in specs)
        raise _Bad(f"tiêu chí {c.code} chỉ cần {len(specs)} thông tin: {labels}.")
    if all(v is None for v in values):
        return 0.0
    raw: dict[str, Any] = dict(_PLACEHOLDER_INFO)
    raw.update({spec.name: (values[i] if i < len(values) else None) for i, spec in enumerate(specs)})
    # one criterion alone: its cross-sheet checks (A3 needs a row on “Mô hình”) cannot apply here
    checked = validate(rubric, RawSubmission.from_values(raw), zero_invalid=False)
    for issue in checked.errors:
        if issue.criterion == c.code and issue.code not in _NOT_FOR_ONE_CRITERION:
            raise _Bad(issue.message)
    assert checked.submission is not None
    return _out(criterion_points(rubric, c, checked.submission.facts))


# -- points rows: DVK_TONGDIEM, DVK_XEPLOAI ------------------------------------------------------


def _code_pairs(rubric: Rubric, rows: list[list[Any]]) -> list[tuple[Any, Any]] | None:
    """(code, points) pairs when the range is two columns (code | points) or two rows (codes over points)."""
    codes = {c.code for c in rubric.criteria}

    def is_code(v: Any) -> bool:
        return isinstance(v, str) and v.strip().upper() in codes

    if rows and all(len(r) == 2 for r in rows) and any(is_code(r[0]) for r in rows):
        return [(r[0], r[1]) for r in rows if r[0] is not None or r[1] is not None]
    if len(rows) == 2 and len(rows[0]) > 2 and any(is_code(v) for v in rows[0]):
        return [(k, v) for k, v in zip(rows[0], rows[1], strict=True) if k is not None or v is not None]
    return None


def _check_range(c: Criterion, value: Fraction, shown: Any) -> Fraction:
    amount = abs(value) if c.is_penalty else value
    if amount < 0 or amount > c.max_fraction:
        top = _out(c.max_fraction)
        limit = f"từ −{top:g} đến 0" if c.is_penalty else f"từ 0 đến {top:g}"
        raise _Bad(f"điểm tiêu chí {c.code} là {shown}, phải {limit}.")
    return amount


def criterion_points_of(rubric: Rubric, points: Any) -> dict[str, Fraction]:
    """Criterion code → points from a row/column in rubric order, or a code/points range. Blank → 0."""
    rows = _rows(points)
    pairs = _code_pairs(rubric, rows)
    if pairs is None:
        flat = [v for r in rows for v in r]
        n = len(rubric.criteria)
        while len(flat) > n and flat[-1] is None:
            flat.pop()
        if len(flat) != n:
            first, last = rubric.criteria[0].code, rubric.criteria[-1].code
            raise _Bad(
                f"cần {n} ô điểm theo thứ tự tiêu chí ({first} … {last}), hoặc vùng hai cột mã tiêu chí | điểm; "
                f"vùng đã chọn có {len(flat)} ô."
            )
        pairs = [(c.code, v) for c, v in zip(rubric.criteria, flat, strict=True)]
    out: dict[str, Fraction] = {}
    for key, value in pairs:
        c = _criterion(rubric, key)
        if c.code in out:
            raise _Bad(f"tiêu chí {c.code} xuất hiện hai lần trong vùng điểm.")
        out[c.code] = Fraction(0) if value is None else _check_range(c, _number(value, f"Điểm {c.code}"), value)
    return out


@safe
def dvk_tongdiem(points: Any, *, rubric: Rubric | None = None) -> float:
    """Total = base + bonus − penalty, the bonus and penalty caps applied."""
    rubric = rubric or active_rubric()
    return _out(total_of(rubric, criterion_points_of(rubric, points))[3])


def _discipline(value: Any) -> HeadDiscipline:
    v = scalar(value)
    if v is None:
        return HeadDiscipline.NONE
    choices = tuple(d.value for d in HeadDiscipline)
    choice, _ = match_level(str(v), choices)
    if choice is None:
        raise _Bad(f"kỷ luật người đứng đầu “{v}” không hợp lệ. Chọn một trong: {'; '.join(choices)}.")
    return HeadDiscipline(choice)


def _knockout(value: Any) -> bool:
    found = False
    for v in cells(value):
        if v is None:
            continue
        if isinstance(v, bool):
            found = found or v
            continue
        choice, _ = match_level(str(v), YES_NO)
        if choice is None:
            raise _Bad(f"câu trả lời “{v}” về trường hợp không hoàn thành phải là “Có” hoặc “Không”.")
        found = found or choice == "Có"
    return found


def _rating(rubric: Rubric, points: Any, head_discipline: Any, knockout: Any, preset: Any) -> Rating:
    if len(cells(points)) == 1:
        value = scalar(points)
        if value is None:
            raise _Bad("chưa có điểm.")
        total, has_zero = _number(value, "Tổng điểm"), False
    else:
        by_code = criterion_points_of(rubric, points)
        total = total_of(rubric, by_code)[3]
        has_zero = any(by_code.get(c.code, Fraction(0)) == 0 for c in rubric.base_criteria)
    code = scalar(preset)
    spec = rubric.preset(_text(code) if code is not None else None)
    rating, _ = rate(spec, total, has_zero=has_zero, head_discipline=_discipline(head_discipline), knockout=_knockout(knockout))
    return rating


@safe
def dvk_xeploai(
    points: Any, head_discipline: Any = None, knockout: Any = None, preset: Any = None, *, rubric: Rubric | None = None
) -> str:
    """The rating name. ``points``: a row of criterion points (the zero rule applies) or one total (it cannot)."""
    return _rating(rubric or active_rubric(), points, head_discipline, knockout, preset).label


@safe
def dvk_maxeploai(
    points: Any, head_discipline: Any = None, knockout: Any = None, preset: Any = None, *, rubric: Rubric | None = None
) -> str:
    """The rating code (HTXS, HTT, HT, KHT); arguments as ``dvk_xeploai``."""
    return _rating(rubric or active_rubric(), points, head_discipline, knockout, preset).value


# -- DVK_XEPHANG ---------------------------------------------------------------------------------


def _totals(values: Iterable[Any]) -> list[Fraction]:
    return [_number(v, "Điểm trong vùng xếp hạng") for v in values if v is not None]


def rank_of(total: Fraction, all_totals: Sequence[Fraction]) -> int:
    ranks = rank([*all_totals, total])
    result = ranks[-1]
    assert result is not None
    return result


@safe
def dvk_xephang(total: Any, all_totals: Any) -> int | str | list[list[int | str]]:
    """Rank of a total among all totals (descending, equal totals share a rank); a range gives a range."""
    everyone = _totals(cells(all_totals))
    rows = _rows(total)
    if len(rows) == 1 and len(rows[0]) == 1:
        value = rows[0][0]
        return "" if value is None else rank_of(_number(value, "Tổng điểm"), everyone)
    return [["" if v is None else rank_of(_number(v, "Tổng điểm"), everyone) for v in r] for r in rows]
