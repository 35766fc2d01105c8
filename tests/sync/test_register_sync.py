"""The commune register through real passes (issue 15 item 2): three years of sheets received in the folder,
the ledger's register (migration 6), `dvk models` and its exports, the master's "Mô hình" sheet, a renamed model
linked by staff, a decision number used by two units with two dates, and B1 following recognition."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.cli import main
from sync.ledger import Ledger
from sync.ledger.register import load_register
from sync.service import run_sync
from workbook.master.cells import HEADER_ROW

from .sync_support import facts_for, filled, settings, write_config

CAMERA = "Tổ hòa giải ở cơ sở gắn với camera an ninh"
GOOD_DEED = "Mỗi hội viên một việc làm tốt"
RENAMED = "Mỗi hội viên một việc làm tốt vì cộng đồng"


def _model(name: str, status: str, *, level: str = "", number: str = "", day: dt.date | None = None,
           field: str = "Quốc phòng – an ninh") -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "field": field, "kind": "Tập thể", "status": status, "lead_unit": None}
    if level:
        row.update({"recognition_level": level, "decision_no": number, "decision_date": day})
    return row


def _sheets(year: int) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """CA's camera model: registered in 2026, recognised by the commune in 2027, replicated in 2028 (B1 follows).
    HLHPN's model: recognised in 2026; in 2027 its decision number is CA's with another date; renamed in 2028."""
    if year == 2026:
        ca = ({}, _model(CAMERA, "Đăng ký"))
        hpn = ({"B1.commune": 1}, _model(GOOD_DEED, "Được công nhận", level="Xã", number="45/QĐ-UBND",
                                         day=dt.date(2026, 10, 12), field="Văn hóa – xã hội"))
    elif year == 2027:
        ca = ({"B1.commune": 1}, _model("tổ hòa giải ở cơ sở  gắn với CAMERA an ninh", "Được công nhận", level="Xã",
                                        number="118/QĐ-UBND", day=dt.date(2027, 11, 20)))
        hpn = ({"B1.commune": 1}, _model(GOOD_DEED, "Tiêu biểu", level="Xã", number="Số 118/QĐ-UBND",
                                         day=dt.date(2027, 10, 12), field="Văn hóa – xã hội"))
    else:
        ca = ({"B1.replicated": 1}, _model(CAMERA, "Nhân rộng", level="Xã", number="118/QĐ-UBND",
                                           day=dt.date(2027, 11, 20)))
        hpn = ({}, _model(RENAMED, "Nhân rộng", field="Văn hóa – xã hội"))
    return {"CA": ca, "HLHPN": hpn}


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three passes, one per year, each with the year's sheets in the folder (the previous year's moved away)."""
    root = tmp_path_factory.mktemp("so-mo-hinh")
    config = write_config(root, ["CA", "HLHPN"])
    for year in (2026, 2027, 2028):
        for old in (root / "nop-bai").iterdir():
            old.unlink()
        for code, (facts, model) in _sheets(year).items():
            values = facts_for(code, **{"info.year": year, "A3.level": "Có", **facts})
            filled(root, f"{code}-{year}.xlsx", values, {"models": [model]})
        report = run_sync(settings(config, DVK_COMMUNE__YEAR=str(year)), use_google=False,
                          now=dt.datetime(year, 12, 10, 9, 0).astimezone())
        assert {u.code: u.status for u in report.units} == {"CA": "ok", "HLHPN": "ok"}, (year, report.to_json())
    return root


def _models(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code = main(["models", "--config", str(root / "dvk.toml"), *args])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_the_register_follows_one_model_from_registration_to_replication(
    commune: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = json.loads(_models(commune, capsys, "--format", "json"))
    camera = next(e for e in data["entries"] if e["unit"] == "CA")
    assert camera["name"] == CAMERA and camera["first_year"] == 2026 and camera["code"].startswith("MH-")
    assert camera["statuses"] == {"2026": "Đăng ký", "2027": "Được công nhận", "2028": "Nhân rộng"}
    assert camera["recognition"] == {"level": "Xã", "decision_no": "118/QĐ-UBND", "decision_date": "2027-11-20",
                                     "issuer": "UBND xã Cao Minh", "year": 2028}
    # the bonus follows: nothing in 2026, the commune's recognition in 2027, the replication of an old model in 2028
    cfg = settings(commune / "dvk.toml")
    with Ledger.open(cfg.ledger_path) as ledger:
        bonus = {y: ledger.latest("CA", y).score().bonus for y in (2026, 2027, 2028)}  # type: ignore[union-attr]
        assert load_register(ledger).years == (2026, 2027, 2028)
    assert bonus == {2026: 0, 2027: 1, 2028: 1}
    # the master of 2028 shows the code, the first year and the statuses of the years on "Mô hình"
    ws = load_workbook(commune / "tong-hop" / "tong-hop-2028.xlsx")["Mô hình"]
    head = [c.value for c in ws[HEADER_ROW]]
    rows = [dict(zip(head, r, strict=False)) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] == "CA"]
    assert head[:3] == ["Mã đơn vị", "Tên đơn vị", "Tên mô hình"]  # the earlier columns first, unchanged
    (ca,) = rows
    assert (ca["Mã trong sổ"], ca["Năm đầu tiên"]) == (camera["code"], 2026)
    assert ca["Tình trạng qua các năm"] == "2026: Đăng ký → 2027: Được công nhận → 2028: Nhân rộng"
    # and the sơ kết reads the same register: one code for the model's three rows, the trend over the phase
    assert main(["report", "--config", str(commune / "dvk.toml"), "--phase", "1"]) == 0
    capsys.readouterr()
    phase = load_workbook(commune / "tong-hop" / "so-ket-dan-van-kheo-giai-doan-1.xlsx")["Danh sách mô hình"]
    head = [c.value for c in phase[HEADER_ROW]]
    listed = [dict(zip(head, r, strict=False)) for r in phase.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
              if r[1] == "CA"]
    assert [(r["Năm"], r["Tình trạng"], r["Mã trong sổ"]) for r in listed] == [
        (2026, "Đăng ký", camera["code"]), (2027, "Được công nhận", camera["code"]), (2028, "Nhân rộng", camera["code"])]
    assert {r["Tình trạng qua các năm"] for r in listed} == {ca["Tình trạng qua các năm"]}


def test_a_decision_number_of_two_units_with_two_dates_is_flagged(commune: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_models(commune, capsys, "--year", "2027", "--format", "json"))
    (flag,) = data["decision_flags"]
    assert flag["conflict"] and flag["year"] == 2027 and flag["level"] == "Xã"
    # CA's 2028 sheet lists its 2027 decision again: the same entry, the same date, one use more
    assert sorted((u["unit"], u["date"], u["year"]) for u in flag["uses"]) == [
        ("CA", "2027-11-20", 2027), ("CA", "2027-11-20", 2028), ("HLHPN", "2027-10-12", 2027)]
    notices = {e["unit"]: e["notices"] for e in data["entries"]}
    assert "HLHPN – “Mỗi hội viên một việc làm tốt” ngày 12/10/2027" in notices["CA"][0]
    assert "CA – “tổ hòa giải ở cơ sở gắn với CAMERA an ninh” ngày 20/11/2027" in notices["HLHPN"][0]
    # on both units' rows of the master's "Mô hình" sheet too
    ws = load_workbook(commune / "tong-hop" / "tong-hop-2027.xlsx")["Mô hình"]
    head = [c.value for c in ws[HEADER_ROW]]
    checks = {r[0]: dict(zip(head, r, strict=False))["Kiểm tra số quyết định"]
              for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] in ("CA", "HLHPN")}
    assert all("các ngày khác nhau (12/10/2027, 20/11/2027)" in str(v) for v in checks.values()) and len(checks) == 2
    text = _models(commune, capsys, "--year", "2027")
    assert "Số quyết định công nhận cần kiểm tra:" in text and "118/QĐ-UBND" in text


def test_a_renamed_model_is_linked_by_staff_and_exports(commune: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_models(commune, capsys, "--format", "json"))
    old = next(e for e in data["entries"] if e["name"] == GOOD_DEED)
    new = next(e for e in data["entries"] if e["name"] == RENAMED)
    assert new["first_year"] == 2028 and old["statuses"] == {"2026": "Được công nhận", "2027": "Tiêu biểu"}
    printed = _models(commune, capsys, "link", new["code"].lower(), old["code"])
    assert f"Đã nối {new['code']} vào {old['code']}" in printed
    data = json.loads(_models(commune, capsys, "--format", "json"))
    (joined,) = [e for e in data["entries"] if e["unit"] == "HLHPN"]
    assert joined["code"] == old["code"] and joined["linked"] == [new["code"]] and joined["first_year"] == 2026
    assert joined["statuses"] == {"2026": "Được công nhận", "2027": "Tiêu biểu", "2028": "Nhân rộng"}
    assert joined["names"] == [GOOD_DEED, RENAMED] and joined["name"] == RENAMED
    # the link survives the next pass's rebuild of the year's rows
    run_sync(settings(commune / "dvk.toml", DVK_COMMUNE__YEAR="2028"), use_google=False,
             now=dt.datetime(2028, 12, 11, 9, 0).astimezone())
    again = json.loads(_models(commune, capsys, "--format", "json"))
    assert [e["code"] for e in again["entries"] if e["unit"] == "HLHPN"] == [old["code"]]
    # exports: .xlsx and .csv with one row per entry and one status column per year
    xlsx, table = tmp_path / "so-mo-hinh.xlsx", tmp_path / "so-mo-hinh.csv"
    assert "Đã ghi:" in _models(commune, capsys, "--out", str(xlsx))
    assert "Đã ghi:" in _models(commune, capsys, "--out", str(table), "--year", "2028")
    ws = load_workbook(xlsx)["Sổ mô hình, điển hình"]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Mã trong sổ", "Loại", "Mã đơn vị"] and "Tình trạng 2027" in header
    body = [r for r in ws.iter_rows(min_row=5, values_only=True)]
    assert {r[0] for r in body} == {e["code"] for e in again["entries"]}
    with table.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    hpn = next(r for r in lines if r["Mã đơn vị"] == "HLHPN")
    assert (hpn["Tình trạng 2026"], hpn["Tình trạng 2028"], hpn["Tên khác"]) == ("Được công nhận", "Nhân rộng", GOOD_DEED)
    assert "Đã bỏ nối" in _models(commune, capsys, "unlink", new["code"])
    assert len([e for e in json.loads(_models(commune, capsys, "--format", "json"))["entries"] if e["unit"] == "HLHPN"]) == 2


def test_models_refuses_a_commune_without_a_ledger_and_a_wrong_export(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["CA"])
    assert main(["models", "--config", str(config)]) == 2
    assert "Chưa có sổ lưu trữ" in capsys.readouterr().err
    run_sync(settings(config), use_google=False)
    assert main(["models", "--config", str(config), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "phải có đuôi .xlsx hoặc .csv" in capsys.readouterr().err
    assert main(["models", "--config", str(config), "link", "MH-9999", "MH-0001"]) == 2
    assert "Không có mô hình, điển hình mã “MH-9999”" in capsys.readouterr().err
