"""Unit codes are identities (hostile review H4): "hnd", " HND " and "Hnd" are one unit — in dvk.toml and the
units file, in a unit's file (its code cell and its name), on the master's rows, in the ledger — and two
registered codes that are the same identity are refused at load, naming both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schemas.errors import ConfigError
from schemas.text import canonical_code
from sync.cli import main
from sync.config import load_settings
from sync.config.registry import read_registry
from sync.ledger import Ledger
from sync.ledger.migrations import migrate
from sync.ledger.sheets import sheets_for
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from tests.sync.test_staff_edits_sync import _rows, _type
from workbook.fill import fill_template

UNITS = (("hnd", "Hội Nông dân", "MTTQ, đoàn thể"), ("T-NaMo", "Thôn Nà Mò", "Thôn, xóm"),
         ("TYT", "Trạm Y tế", "Đơn vị thuộc UBND xã"))


def _config(root: Path, units: tuple[tuple[str, str, str], ...] = UNITS) -> Path:
    lines = ["[commune]", "year = 2026", "", "[sources.folder]", 'path = "nop-bai"', "",
             "[output]", 'master = "tong-hop/tong-hop-{year}.xlsx"', ""]
    for code, name, kind in units:
        lines += ["[[units]]", f'code = "{code}"', f'name = "{name}"', f'kind = "{kind}"', ""]
    (root / "nop-bai").mkdir(parents=True, exist_ok=True)
    path = root / "dvk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_canonical_code() -> None:
    assert canonical_code(" hnd\u00a0") == canonical_code("HND") == canonical_code("Hnd") == "HND"
    assert canonical_code("T-NaMo") == "T-NAMO" and canonical_code(None) == ""
    assert canonical_code("cơ") == "CƠ" and canonical_code("co\u031b") == "CƠ"  # NFC: one identity, one spelling


def test_lower_and_mixed_case_codes_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path)
    assert main(["template", "--all-units", "--out", str(tmp_path / "mau"), "--config", str(config)]) == 0
    made = sorted(p.name for p in (tmp_path / "mau").glob("*.xlsx"))
    assert made == ["HND.xlsx", "T-NAMO.xlsx", "TYT.xlsx"]
    # each unit fills the template it was given; two of them retype their code in their own way
    typed = {"HND.xlsx": ("hnd ", "hnd.xlsx"), "T-NAMO.xlsx": ("t-namo", "T-NaMo.xlsx"), "TYT.xlsx": (None, "TYT.xlsx")}
    for template, (code, name) in typed.items():
        assert load_workbook(tmp_path / "mau" / template)["Thông tin đơn vị"]["C4"].value == template[:-5]
        values = {**INFO, **PERFECT}
        values.pop("info.unit_code", None)
        values.pop("info.unit_name", None)
        if code is not None:
            values["info.unit_code"] = code
        fill_template(tmp_path / "mau" / template, tmp_path / "nop-bai" / name, values, ONE_MODEL)
    capsys.readouterr()
    assert main(["sync", "--config", str(config), "--format", "json"]) == 0
    out = capsys.readouterr().out
    import json

    report = json.loads(out)
    assert {(u["code"], u["status"]) for u in report["units"]} == {("HND", "ok"), ("T-NAMO", "ok"), ("TYT", "ok")}
    assert not report.get("other_files")
    master = tmp_path / "tong-hop" / "tong-hop-2026.xlsx"
    rows = _rows(master, "Chi tiết tiêu chí")
    assert set(rows) == {"HND", "T-NAMO", "TYT"}
    _type(master, {code: {"K1 thẩm định": 5} for code in rows})
    rows_typed_lower = load_workbook(master)
    ws = rows_typed_lower["Chi tiết tiêu chí"]
    for r in range(1, ws.max_row + 1):  # a clerk retypes a code in lower case on its row
        if ws.cell(r, 1).value == "T-NAMO":
            ws.cell(r, 1).value = " t-namo"
    rows_typed_lower.save(master)
    assert main(["report", "--config", str(config)]) == 0
    assert "không có trong danh sách" not in capsys.readouterr().err
    assert {code: row["K1 thẩm định"] for code, row in _rows(master, "Chi tiết tiêu chí").items()} == {
        "HND": 5, "T-NAMO": 5, "TYT": 5}
    with Ledger.open(tmp_path / "tong-hop" / "dvk-ledger.sqlite") as ledger:
        assert set(ledger.appraisals(2026)) == {"HND", "T-NAMO", "TYT"}


@pytest.mark.parametrize(("first", "second"), [("hnd", "HND"), ("T-NaMo", "t-namo"), ("Hnd", " HND ")])
def test_two_spellings_of_one_code_are_refused_naming_both(tmp_path: Path, first: str, second: str) -> None:
    config = _config(tmp_path, ((first, "Hội Nông dân", "MTTQ, đoàn thể"), (second, "Hội Nông dân 2", "MTTQ, đoàn thể")))
    with pytest.raises(ConfigError) as err:
        load_settings(config, env={})
    message = str(err.value)
    assert f"'{second.strip()}'" in message and f"'{first}'" in message and "chữ hoa, chữ thường" in message
    csv = tmp_path / "don-vi.csv"
    csv.write_text(f"code,name,kind\n{first},Hội Nông dân,Thôn xóm\n{second},Hội 2,Thôn xóm\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_registry(csv)
    assert "dòng 3" in str(err.value) and f"'{first}'" in str(err.value)


@pytest.mark.parametrize("code", [".", "..", "-", "_."])
def test_a_code_without_a_letter_or_digit_is_refused(tmp_path: Path, code: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(_config(tmp_path, ((code, "Đơn vị", "Thôn, xóm"),)), env={})
    assert "phải có ít nhất một chữ hoặc số" in str(err.value)


def test_a_ledger_of_lower_case_codes_is_upgraded(tmp_path: Path) -> None:
    """Sheets provisioned (and anything stored) under "hnd" before codes were canonical stay found."""
    path = tmp_path / "dvk-ledger.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=4)
    conn.execute("INSERT INTO google_sheets (unit_code, year, spreadsheet_id, url, created_at) VALUES"
                 " ('hnd', 2026, 'sheet-1', 'https://docs.google.com/spreadsheets/d/sheet-1', '2026-11-01T00:00:00+00:00')")
    conn.execute("INSERT INTO notes (unit_code, year, text, seen_at) VALUES ('t-NaMo', 2026, 'Đạt', '2026-11-02T00:00:00+00:00')")
    conn.close()
    with Ledger.open(path) as ledger:
        assert set(sheets_for(ledger, 2026)) == {"HND"}
        assert set(ledger.appraisals(2026)) == {"T-NAMO"}
