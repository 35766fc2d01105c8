"""Staff edits are never lost (hostile review H2, H3): the master and its "(ban moi)" copy are merged per cell
against what dvk wrote into each file — a clearing is kept, a clock never decides, two different edits are
shown, not picked — and a master saved by a person while dvk rebuilds it is read again, never replaced."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sync.config import Settings
from sync.ledger import Ledger
from sync.reporting import ATTEMPTS, StaffFile, merge_staff_edits, write_year_master
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.sync.test_staff_edits_sync import _rows, _type
from workbook.master import StaffCell, StaffEdits, UnitStaffEdits
from workbook.master.written import NOTE

CODES = ["VP-UBND", "P-KT"]
DETAIL = "Chi tiết tiêu chí"
K1, NOTE_HEADER = "K1 thẩm định", "Ghi chú của hội đồng"


def _commune(tmp_path: Path) -> tuple[Settings, Path]:
    config = write_config(tmp_path, CODES)
    for code in CODES:
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    s = settings(config)
    path = run_sync(s).master.path  # type: ignore[union-attr]
    return s, path


def _report(s: Settings, **kw: Any) -> Any:
    with Ledger.open(s.ledger_path) as ledger:
        result, _ = write_year_master(s, ledger, 2026, **kw)
    return result


def _stored(s: Settings) -> Any:
    with Ledger.open(s.ledger_path) as ledger:
        return ledger.appraisals(2026).get("VP-UBND")


def _open_in_excel(path: Path) -> Path:
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(b"owner")
    return owner


def _excel_save(path: Path, edits: dict[str, dict[str, Any]]) -> None:
    """Save as Excel does: the whole workbook written aside, then renamed over the file."""
    aside = path.with_name("~excel-save.xlsx")
    wb = load_workbook(path)
    wb.save(aside)
    _type(aside, edits)
    os.replace(aside, path)


def _appraised_and_copied(tmp_path: Path) -> tuple[Settings, Path, Path, Path]:
    """K1 = 5 and a note stored; the master then open in Excel, so dvk writes "(ban moi)" holding them."""
    s, path = _commune(tmp_path)
    _type(path, {"VP-UBND": {K1: 5, NOTE_HEADER: "Đề nghị xem lại minh chứng"}})
    _report(s)
    owner = _open_in_excel(path)
    copy = _report(s).path
    assert copy.name == "tong-hop-2026 (ban moi).xlsx" and _rows(copy, DETAIL)["VP-UBND"][K1] == 5
    return s, path, copy, owner


def test_a_clearing_in_the_master_is_kept_though_the_copy_holds_the_old_value(tmp_path: Path) -> None:
    s, path, copy, owner = _appraised_and_copied(tmp_path)
    _type(path, {"VP-UBND": {K1: None, NOTE_HEADER: None}})  # staff clear both in the open master, save, close
    owner.unlink()
    result = _report(s)
    assert result.path == path and not copy.exists()
    row = _rows(path, DETAIL)["VP-UBND"]
    assert row[K1] is None and row[NOTE_HEADER] is None
    assert _stored(s) is None  # nothing left stored for the unit


def test_a_slow_clock_never_lets_the_copy_overwrite_a_change(tmp_path: Path) -> None:
    s, path, copy, owner = _appraised_and_copied(tmp_path)
    _type(path, {"VP-UBND": {K1: 3}})
    owner.unlink()
    day_before = copy.stat().st_mtime - 86_400  # edited on a PC whose clock is a day behind
    os.utime(path, (day_before, day_before))
    _report(s)
    assert _rows(path, DETAIL)["VP-UBND"][K1] == 3
    assert _stored(s).values == {"K1": Decimal(3)}


def test_two_different_edits_of_one_cell_are_both_shown_never_picked(tmp_path: Path) -> None:
    s, path, copy, owner = _appraised_and_copied(tmp_path)
    _type(copy, {"VP-UBND": {K1: 4}})  # someone typed into the copy
    _type(path, {"VP-UBND": {K1: 3}})  # and someone else into the master
    os.utime(copy, (path.stat().st_mtime + 60, path.stat().st_mtime + 60))  # the copy is newer: it must not matter
    owner.unlink()
    result = _report(s)
    assert _rows(path, DETAIL)["VP-UBND"][K1] == 3  # the master keeps the value it had
    assert _stored(s).values == {"K1": Decimal(3)}
    errors = [r for r in load_workbook(path)["Lỗi"].iter_rows(values_only=True) if "staff-conflict" in r]
    assert len(errors) == 1
    row = [str(v) for v in errors[0] if v is not None]
    assert "VP-UBND" in row and "K1" in row and "Hai tệp sửa khác nhau" in row
    assert any("tong-hop-2026.xlsx: 3" in v and "tong-hop-2026 (ban moi).xlsx: 4" in v for v in row)
    (kept,) = path.parent.glob("tong-hop-2026 (ban cu *).xlsx")  # the copy's 4 is kept for staff to look at
    assert _rows(kept, DETAIL)["VP-UBND"][K1] == 4 and not copy.exists()
    assert "được sửa khác nhau ở hai tệp" in result.message and kept.name in result.message


def test_a_save_during_the_rebuild_is_read_again_not_replaced(tmp_path: Path) -> None:
    s, path = _commune(tmp_path)
    _type(path, {"VP-UBND": {K1: 5}})
    seen: list[Path] = []

    def staff_save(target: Path) -> None:  # a person saves the master while dvk builds its replacement
        seen.append(target)
        if len(seen) == 1:
            _excel_save(path, {"VP-UBND": {K1: 7, NOTE_HEADER: "Lưu lúc dvk đang chạy"}})

    result = _report(s, before_replace=staff_save)
    assert seen == [path, path] and result.path == path
    row = _rows(path, DETAIL)["VP-UBND"]
    assert row[K1] == 7 and row[NOTE_HEADER] == "Lưu lúc dvk đang chạy"
    assert _stored(s).values == {"K1": Decimal(7)}
    assert "vừa được lưu" in result.message and "đọc lại" in result.message


def test_a_master_saved_at_every_attempt_goes_beside_and_is_merged_next_time(tmp_path: Path) -> None:
    s, path = _commune(tmp_path)
    typed = iter(range(1, 10))

    def staff_save(target: Path) -> None:
        if target == path:
            _excel_save(path, {"VP-UBND": {K1: next(typed)}})

    result = _report(s, before_replace=staff_save)
    last = ATTEMPTS  # each attempt on the master saw a new save; then the new version went beside it
    assert result.path.name == "tong-hop-2026 (ban moi).xlsx"
    assert "được lưu lại nhiều lần" in result.message
    assert _rows(path, DETAIL)["VP-UBND"][K1] == last == _rows(result.path, DETAIL)["VP-UBND"][K1]
    result = _report(s)  # the next run: nothing saved meanwhile
    assert result.path == path and not path.with_name("tong-hop-2026 (ban moi).xlsx").exists()
    assert _rows(path, DETAIL)["VP-UBND"][K1] == last and _stored(s).values == {"K1": Decimal(last)}


def test_a_copy_saved_during_the_rebuild_is_not_deleted(tmp_path: Path) -> None:
    s, path, copy, owner = _appraised_and_copied(tmp_path)
    owner.unlink()

    def staff_save(target: Path) -> None:
        if copy.exists() and _rows(copy, DETAIL)["P-KT"]["M1 thẩm định"] is None:
            _excel_save(copy, {"P-KT": {"M1 thẩm định": 1}})

    result = _report(s, before_replace=staff_save)
    assert result.path == path and copy.exists() and "chưa được gộp" in result.message
    _report(s)
    assert _rows(path, DETAIL)["P-KT"]["M1 thẩm định"] == 1 and not copy.exists()


# -- the rule itself, cell by cell ------------------------------------------------------------------------------


def _file(name: str, cells: dict[str, Any], note: str | None = "", *, base: dict[str, str] | None = None,
          master: bool = False) -> StaffFile:
    values = {k: StaffCell(v, Decimal(str(v)) if isinstance(v, int | float) else None) for k, v in cells.items()}
    edits = StaffEdits(units={"U": UnitStaffEdits(values=values, note=note)}, criteria=frozenset(cells))
    return StaffFile(Path(name), edits, {"U": base or {}}, None, master)


def test_the_merge_rule() -> None:
    base = {"K1": "=5", NOTE: "ghi chú"}
    same = _file("m.xlsx", {"K1": 5}, "ghi chú", base=base, master=True)
    copy = _file("c.xlsx", {"K1": 5}, "ghi chú", base=base)
    assert merge_staff_edits([same, copy]).staff.units == {}  # nothing differs from what dvk wrote
    cleared = _file("m.xlsx", {"K1": None}, "", base=base, master=True)
    merged = merge_staff_edits([cleared, copy]).staff.units["U"]
    assert merged.values["K1"].empty and merged.note == ""  # a clearing is an edit
    agreed = merge_staff_edits([_file("m.xlsx", {"K1": 3}, base=base, master=True), _file("c.xlsx", {"K1": 3}, base=base)])
    assert agreed.staff.units["U"].values["K1"].raw == 3 and not agreed.conflicts
    two = merge_staff_edits([copy, _file("c1.xlsx", {"K1": 2}, base=base), _file("c2.xlsx", {"K1": 4}, base=base)])
    assert "K1" not in two.staff.units.get("U", UnitStaffEdits({}, None)).values  # nobody wins: the stored value
    assert [c.values for c in two.conflicts] == [(("c1.xlsx", "2"), ("c2.xlsx", "4"))]
    assert two.losing == {Path("c1.xlsx"), Path("c2.xlsx")}
    invalid = _file("m.xlsx", {"K1": "abc"}, base={"K1": "?abc"}, master=True)
    assert merge_staff_edits([invalid]).staff.units["U"].values["K1"].raw == "abc"  # carried as typed
    unknown = _file("m.xlsx", {"K1": 5}, base={}, master=True)  # no record: what the ledger holds is the base
    assert merge_staff_edits([unknown]).staff.units["U"].values["K1"].value == Decimal(5)


def test_an_old_master_brought_back_does_not_undo_later_edits(tmp_path: Path) -> None:
    """A master copied back from a USB stick carries the id of the write it came from: only what staff
    changed in it since counts, not the values dvk has changed since (nothing by the file's date)."""
    s, path = _commune(tmp_path)
    _type(path, {"VP-UBND": {K1: 5}})
    _report(s)
    usb = tmp_path / "usb.xlsx"
    usb.write_bytes(path.read_bytes())  # taken home: K1 = 5
    _type(path, {"VP-UBND": {K1: 6}})  # meanwhile at the office
    _report(s)
    _type(usb, {"P-KT": {NOTE_HEADER: "Ghi ở nhà"}})  # at home: a note for P-KT, K1 of VP-UBND untouched
    path.write_bytes(usb.read_bytes())
    future = dt.datetime.now().timestamp() + 3600
    os.utime(path, (future, future))
    _report(s)
    rows = _rows(path, DETAIL)
    assert rows["VP-UBND"][K1] == 6 and rows["P-KT"][NOTE_HEADER] == "Ghi ở nhà"
