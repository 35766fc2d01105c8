"""Staff edits survive: appraisal values and notes typed into the master are read back and written again."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schemas import default_rubric
from tests.support.libreoffice import recalc
from workbook.master import Appraisal, MasterInput, read_staff_edits, write_master
from workbook.master.cells import HEADER_ROW

from .conftest import table
from .factory import sample

DETAIL = "Chi tiết tiêu chí"
TYPED = {  # unit → {header: value as a person types it}
    "CA": {"K1 thẩm định": 5, "M1 thẩm định": 2, "Ghi chú của hội đồng": "Đã xác minh minh chứng K1"},
    "HND": {"S1 thẩm định": "2,5", "Ghi chú của hội đồng": "=không phải công thức"},
    "TYT": {"B1 thẩm định": "abc"},
    "DTN": {"K2 thẩm định": 99, "A1 thẩm định": "1,5"},
}
APPLIED = {"CA": {"K1": Fraction(5), "M1": Fraction(2)}, "HND": {"S1": Fraction(5, 2)}, "DTN": {"A1": Fraction(3, 2)}}


def _type_and_sort(path: Path) -> None:
    """Type values as a person would, then sort the data rows by name descending (rows move)."""
    wb = load_workbook(path)
    ws = wb[DETAIL]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = []
    for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if r[0] is None:
            break  # the end of the table (the signature block follows)
        rows.append(list(r))
    for r in rows:
        for head, value in TYPED.get(str(r[0]), {}).items():
            r[header.index(head)] = value
    rows.sort(key=lambda r: str(r[1]), reverse=True)
    for i, r in enumerate(rows, start=HEADER_ROW + 1):
        for j, value in enumerate(r, start=1):
            ws.cell(i, j).value = value
    wb.save(path)


def _check(path: Path, results: tuple[object, ...]) -> None:
    wb = load_workbook(path)
    detail = {r["Mã đơn vị"]: r for r in table(wb[DETAIL])}
    for code, typed in TYPED.items():
        for head, value in typed.items():
            seen = detail[code][head]
            if value == "2,5":
                assert seen == 2.5
            elif value == "1,5":
                assert seen == 1.5
            else:
                # invalid values are kept as typed: a number out of range stays a number (new-commune review, defect 16)
                assert seen == value and type(seen) is type(value), (code, head)
    by_code = {r.code: r for r in results}  # type: ignore[attr-defined]
    for code, applied in APPLIED.items():
        card = by_code[code].card
        for criterion, points in applied.items():
            assert card.points(criterion) == points, (code, criterion)
    # invalid values are not applied: the self score stands
    assert by_code["TYT"].card.points("B1") == by_code["TYT"].self_card.points("B1")
    assert by_code["DTN"].card.points("K2") == by_code["DTN"].self_card.points("K2")
    errors = {(r["Mã đơn vị"], r["Mã lỗi"]) for r in table(wb["Lỗi"])}
    assert {("TYT", "appraisal-not-a-number"), ("DTN", "appraisal-out-of-range")} <= errors


def test_edits_survive_twenty_rebuilds_with_changing_submissions(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    write_master(path, sample(11, seed=0))
    _type_and_sort(path)
    rubric = default_rubric()
    staff = read_staff_edits(path, rubric)
    assert {i.key() for i in staff.issues} == {(DETAIL, i.cell, i.code) for i in staff.issues}
    assert sorted(i.code for i in staff.issues) == ["appraisal-not-a-number", "appraisal-out-of-range"]
    assert staff.units["HND"].values["S1"].value == Decimal("2.5")
    assert staff.units["CA"].note == "Đã xác minh minh chứng K1"
    stored: dict[str, Appraisal] = {}
    for k in range(1, 21):
        staff = read_staff_edits(path, rubric)
        stored.update(staff.appraisals())  # what the ledger keeps between runs
        base = sample(11, seed=k)  # every unit resubmits changed facts
        data = MasterInput(**{**base.__dict__, "appraisals": stored})
        result = write_master(path, data, staff=staff)
        assert result.path == path
        _check(path, result.results)
    out = load_workbook(recalc(path, tmp_path / "lo"), data_only=True)
    summary = {r["Mã đơn vị"]: r["Tổng điểm"] for r in table(out["Tổng hợp"])}
    for res in result.results:
        if res.card is not None:
            assert summary[res.code] == pytest.approx(float(res.card.total), abs=1e-9)


def test_file_wins_over_the_ledger_and_the_ledger_fills_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    data = sample(11)
    ledger = {
        "CA": Appraisal(values={"K1": Decimal(3), "V1": Decimal(4)}, note="ghi chú cũ"),
        "P-KT": Appraisal(values={"K1": Decimal(1)}, note="giữ"),
    }
    write_master(path, MasterInput(**{**data.__dict__, "appraisals": ledger}))
    wb = load_workbook(path)
    ws = wb[DETAIL]
    header = [c.value for c in ws[HEADER_ROW]]
    for r in ws.iter_rows(min_row=HEADER_ROW + 1):
        if r[0].value == "CA":
            r[header.index("K1 thẩm định")].value = 6  # changed in Excel
            r[header.index("V1 thẩm định")].value = None  # cleared in Excel: the self score stands again
            r[header.index("Ghi chú của hội đồng")].value = "ghi chú mới"
    # a criterion the file no longer has (an older rubric): neither of its columns
    ws.cell(HEADER_ROW, header.index("D3 thẩm định") + 1).value = "Cột khác"
    ws.cell(HEADER_ROW, header.index("D3 tự chấm") + 1).value = "Cột khác 2"
    wb.save(path)
    staff = read_staff_edits(path, default_rubric())
    assert "D3" not in staff.criteria and staff.has_note
    ledger["P-KT"] = Appraisal(values={"K1": Decimal(1), "D3": Decimal(2)}, note="giữ")
    result = write_master(path, MasterInput(**{**data.__dict__, "appraisals": ledger}), staff=staff)
    by_code = {r.code: r for r in result.results}
    assert dict(by_code["CA"].appraisal) == {"K1": Decimal(6)} and by_code["CA"].note == "ghi chú mới"
    assert dict(by_code["P-KT"].appraisal) == {"K1": Decimal(1), "D3": Decimal(2)}  # D3 only in the ledger
    assert by_code["P-KT"].card is not None and by_code["P-KT"].card.points("D3") == 2


def test_resubmission_after_appraisal_is_flagged(tmp_path: Path) -> None:
    base = sample(11)
    units = tuple(
        r if r.code != "CA" else type(r)(**{**r.__dict__, "resubmitted_after_appraisal": True}) for r in base.units
    )
    data = MasterInput(**{**base.__dict__, "units": units, "appraisals": {"CA": Appraisal({"K1": Decimal(1)})}})
    rows = {r["Mã đơn vị"]: r for r in table(load_workbook(write_master(tmp_path / "m.xlsx", data).path)["Tổng hợp"])}
    assert rows["CA"]["Cần xem lại"] == "Có" and "nộp lại phiếu sau khi đã thẩm định" in str(rows["CA"]["Lý do"])
    assert rows["HND"]["Cần xem lại"] is None


def test_no_master_yet_and_a_master_without_the_sheet(tmp_path: Path) -> None:
    rubric = default_rubric()
    assert read_staff_edits(tmp_path / "none.xlsx", rubric).units == {}
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Khác"
    wb.save(tmp_path / "other.xlsx")
    from schemas import WorkbookError

    # a valid .xlsx that is no dvk master (or whose sheet was renamed): refused, never overwritten silently
    with pytest.raises(WorkbookError, match="không có trang “Chi tiết tiêu chí”"):
        read_staff_edits(tmp_path / "other.xlsx", rubric)


def test_a_broken_master_is_a_clear_error(tmp_path: Path) -> None:
    from schemas import WorkbookError

    bad = tmp_path / "tong-hop.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(WorkbookError, match=r"Không đọc được tệp tổng hợp tong-hop\.xlsx"):
        read_staff_edits(bad, default_rubric())
