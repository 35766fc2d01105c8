"""The xlwings layer: Excel functions and scripts, thin wrappers over ``functions``, ``checks`` and ``master``.

Loaded by classic xlwings on Windows (``UDF Modules: addin.udfs``, then "Import Functions") and, inside the
Lite bundle's ``main.py``, by xlwings Lite. Excel names are the upper-cased Python names (DVK_DIEM …).

Parameters carry no type annotations on purpose: xlwings turns an annotation into a value converter,
and these functions take whatever a cell holds. Scripts differ by runtime: xlwings Lite injects the
workbook into a ``book: xw.Book`` parameter; a classic macro takes no argument and uses the calling
workbook. Both variants are defined; each is registered only in its runtime. The classic macros are imported
into a workbook of their own (``dvk-ham.xlsm``, see ``classic``) and act on the dvk workbook in front.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import xlwings as xw

from workbook.layout import INFO_SHEET, SCORE_SHEET, build_layout

from . import functions as _f
from .checks import ERRORS_SHEET, check_ranges
from .checks import dvk_kiemtra as _kiemtra
from .master import DETAIL_SHEET, SUMMARY_SHEET, rating_counts, update_master
from .meta import SCRIPTS, FunctionHelp, function_help

__all__ = [
    "cap_nhat_tong_hop",
    "dvk_cap_nhat_tong_hop",
    "dvk_diem",
    "dvk_kiem_tra_phieu",
    "dvk_kiemtra",
    "dvk_maxeploai",
    "dvk_tongdiem",
    "dvk_xephang",
    "dvk_xeploai",
    "kiem_tra_phieu",
]

_F = TypeVar("_F", bound=Callable[..., Any])

#: Classic xlwings (COM, Windows). In xlwings Lite (Pyodide) and xlwings Server the decorators come from
#: ``xlwings.server``, which has no ``sub``.
CLASSIC = sys.platform == "win32" and hasattr(xw, "sub")

ERROR_FILL = "#FFC7CE"  # light red: an error
WARNING_FILL = "#FFE699"  # amber: a warning
INPUT_FILL = "#FFF2CC"  # the template's input cells (workbook.styles.INPUT_FILL)
_RANGE_ARGS = frozenset({"diem", "vi_pham", "tong_diem", "cac_tong_diem", "vung"})


def _excel(help: FunctionHelp, *, spills: bool = False) -> Callable[[_F], _F]:
    """Register a function under its help entry: docstring, argument help, 2-D ranges."""

    def decorate(fn: _F) -> _F:
        fn.__doc__ = help.description
        for a in reversed(help.args):
            options: dict[str, Any] = {"ndim": 2} if a.name in _RANGE_ARGS else {}
            fn = xw.arg(("*" if a.repeating else "") + a.name, doc=a.doc, **options)(fn)
        if spills and CLASSIC:  # Excel 2016/2019 have no dynamic arrays: legacy expansion
            fn = xw.ret(expand="table")(fn)
        return xw.func(fn)

    return decorate


@_excel(function_help("DVK_DIEM"))
def dvk_diem(ma_tieu_chi, so_lieu_1, so_lieu_2=None, so_lieu_3=None):
    return _f.dvk_diem(ma_tieu_chi, so_lieu_1, so_lieu_2, so_lieu_3)


@_excel(function_help("DVK_TONGDIEM"))
def dvk_tongdiem(diem):
    return _f.dvk_tongdiem(diem)


@_excel(function_help("DVK_XEPLOAI"))
def dvk_xeploai(diem, ky_luat=None, vi_pham=None, cach_xep_loai=None):
    return _f.dvk_xeploai(diem, ky_luat, vi_pham, cach_xep_loai)


@_excel(function_help("DVK_MAXEPLOAI"))
def dvk_maxeploai(diem, ky_luat=None, vi_pham=None, cach_xep_loai=None):
    return _f.dvk_maxeploai(diem, ky_luat, vi_pham, cach_xep_loai)


@_excel(function_help("DVK_XEPHANG"), spills=True)
def dvk_xephang(tong_diem, cac_tong_diem):
    return _f.dvk_xephang(tong_diem, cac_tong_diem)


@_excel(function_help("DVK_KIEMTRA"), spills=True)
def dvk_kiemtra(*vung):
    return _kiemtra(*vung)


# -- scripts -------------------------------------------------------------------------------------


def _identity(fn: _F) -> _F:
    return fn


def _lite(title: str) -> Callable[[_F], _F]:
    if CLASSIC:
        return _identity
    help = next(s for s in SCRIPTS if s.title == title)

    def decorate(fn: _F) -> _F:
        fn.__doc__ = help.description
        return xw.script(name=title)(fn)

    return decorate


def _classic(title: str) -> Callable[[_F], _F]:
    if not CLASSIC:
        return _identity
    help = next(s for s in SCRIPTS if s.title == title)

    def decorate(fn: _F) -> _F:
        fn.__doc__ = help.description
        return xw.sub(fn)

    return decorate


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def _replace_sheet(book: Any, name: str, rows: list[list[Any]]) -> Any:
    if name in _sheet_names(book):
        book.sheets[name].delete()
    sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    sheet["A1"].value = rows
    return sheet


def _previous_marks(book: Any) -> list[tuple[str, str]]:
    if ERRORS_SHEET not in _sheet_names(book):
        return []
    rows = book.sheets[ERRORS_SHEET]["A1"].expand().options(ndim=2).value or []
    return [(r[0], r[1]) for r in rows[1:] if len(r) > 1 and isinstance(r[0], str) and isinstance(r[1], str)]


def _check_book(book: Any) -> None:
    rubric = _f.active_rubric()
    layout = build_layout(rubric)
    names = _sheet_names(book)
    values = [
        book.sheets[sheet].range(f"{a}:{b}").options(ndim=2).value if sheet in names else []
        for sheet, (a, b) in layout.boxes().items()
    ]
    report = check_ranges(rubric, values, layout)
    inputs = {(i.sheet, i.cell) for i in layout.inputs}
    for sheet, cell in _previous_marks(book):
        if (sheet, cell) in inputs and sheet in names:
            book.sheets[sheet][cell].color = INPUT_FILL
    _replace_sheet(book, ERRORS_SHEET, report.sheet_rows())
    for sheet, cell, is_error in report.cells():
        if sheet in names:
            book.sheets[sheet][cell].color = ERROR_FILL if is_error else WARNING_FILL
    errors = sum(1 for i in report.issues if i.is_error)
    print(f"Kiểm tra phiếu: {errors} lỗi, {len(report.issues) - errors} cảnh báo. Xem trang “{ERRORS_SHEET}”.")


def _read_all(book: Any, name: str) -> list[list[Any]] | None:
    if name not in _sheet_names(book):
        return None
    sheet = book.sheets[name]
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value


def _update_book(book: Any) -> None:
    detail = _read_all(book, DETAIL_SHEET)
    if detail is None:
        print(f"Không có trang “{DETAIL_SHEET}”: đây không phải tệp tổng hợp của dvk.")
        return
    update = update_master(_f.active_rubric(), detail, _read_all(book, SUMMARY_SHEET))
    for w in update.writes:
        book.sheets[w.sheet][w.cell].value = w.as_column()
    counts = ", ".join(f"{r.value} {n}" for r, n in rating_counts(update.cards).items())
    print(f"Đã cập nhật {len(update.cards)} đơn vị ({counts}).")
    for note in update.notes:
        print(note)


@_lite("Kiểm tra phiếu")
def kiem_tra_phieu(book: xw.Book) -> None:
    _check_book(book)


@_lite("Cập nhật tổng hợp")
def cap_nhat_tong_hop(book: xw.Book) -> None:
    _update_book(book)


def is_dvk_book(book: Any) -> bool:
    """A unit's sheet (its "Thông tin đơn vị" and "Chấm điểm") or a master ("Chi tiết tiêu chí")."""
    names = set(_sheet_names(book))
    return DETAIL_SHEET in names or {INFO_SHEET, SCORE_SHEET} <= names


def target_book(caller: Any, active: Any | None) -> Any:
    """The workbook a classic macro works on. The macros are imported into a workbook of their own
    (``dvk-ham.xlsm``: the master and the sheets stay .xlsx), which ``Book.caller()`` returns; so the workbook
    in front, when it is a dvk file, is the one meant. Otherwise the caller (a sheet with the macros in it)."""
    if active is not None and is_dvk_book(active):
        return active
    return caller


def _in_front(caller: Any) -> Any | None:
    try:
        return caller.app.books.active
    except Exception:  # no active workbook (or an old xlwings): use the caller
        return None


@_classic("Kiểm tra phiếu")
def dvk_kiem_tra_phieu() -> None:
    caller = xw.Book.caller()
    _check_book(target_book(caller, _in_front(caller)))


@_classic("Cập nhật tổng hợp")
def dvk_cap_nhat_tong_hop() -> None:
    caller = xw.Book.caller()
    _update_book(target_book(caller, _in_front(caller)))

