"""Drop-downs and protection set through the Sheets API at provisioning, cell by cell against the layout (the
fake's importer keeps neither, as Google's is reported to drop list validations); `sheets check` verifies
them and `--repair` puts them back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.cli import main
from tests.sync.fake_google import USER_EMAIL, FakeGoogle, a1
from tests.sync.google_workflow_support import fill_sheet, perfect, signed_in, unit_email, write_commune
from tests.sync.sync_support import LAYOUT
from workbook.layout import META_VERSION, split_a1


@pytest.fixture
def sheet(tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          _private_google_token_dir: Path) -> str:
    write_commune(tmp_path, fake, 2)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    mark = len(fake.log)
    assert main(["sheets", "provision", "--format", "json"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    writes = [e.endpoint for e in fake.log[mark:] if e.api == "sheets" and e.method == "POST"]
    assert writes == ["sheets.batchUpdate"] * 2  # one Sheets write per unit: well within the write quota
    return str(units[0]["spreadsheet_id"])


def _expected_dropdowns() -> dict[tuple[str, str], list[str]]:
    cells = {(i.sheet, i.cell): list(i.choices) for i in LAYOUT.inputs if i.choices}
    for table in LAYOUT.tables:
        for col in table.columns:
            for row in range(table.first_row, table.last_row + 1):
                if col.choices:
                    cells[(table.sheet, f"{col.letter}{row}")] = list(col.choices)
    return cells


def _expected_editable() -> set[tuple[str, tuple[int, int]]]:
    """The cells a unit may edit, from the layout (what the .xlsx template unlocks)."""
    cells = {(i.sheet, a1(i.cell)) for i in LAYOUT.inputs if i.name != META_VERSION}
    for table in LAYOUT.tables:
        for col in table.columns:
            cells |= {(table.sheet, a1(f"{col.letter}{row}")) for row in range(table.first_row, table.last_row + 1)}
    return cells


def test_the_fake_holds_the_dropdowns_and_protection_dvk_set_cell_by_cell(sheet: str, fake: FakeGoogle) -> None:
    expected = _expected_dropdowns()
    assert len({(s, c) for s, c in expected if ":" not in c}) == len(expected)
    assert len([i for i in LAYOUT.inputs if i.choices]) + sum(
        1 for t in LAYOUT.tables for c in t.columns if c.choices) == 19  # the template's 19 drop-downs
    for (tab, cell), choices in expected.items():
        rule = fake.validation(sheet, tab, cell)
        assert rule is not None, (tab, cell)
        assert rule["condition"] == {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}
        assert rule["strict"] is True and rule["showCustomUi"] is True
    for table in LAYOUT.tables:  # below the table: no drop-down
        assert fake.validation(sheet, table.sheet, f"{table.columns[0].letter}{table.last_row + 1}") is None
    assert fake.validation(sheet, LAYOUT.input("K1.result").sheet, LAYOUT.input("K1.result").cell) is None

    ids = fake.sheet_ids[sheet]
    by_tab: dict[str, list[dict[str, Any]]] = {}
    for rule in fake.protected_ranges(sheet):
        by_tab.setdefault(next(t for t, i in ids.items() if i == rule["range"]["sheetId"]), []).append(rule)
    assert set(by_tab) == set(fake.files[sheet].sheets)  # every tab, "Hướng dẫn" and "Danh mục" too
    editable: set[tuple[str, tuple[int, int]]] = set()
    for tab, rules in by_tab.items():
        (rule,) = rules
        assert rule["range"] == {"sheetId": ids[tab]} and rule["warningOnly"] is False
        assert rule["editors"] == {"users": [USER_EMAIL]}
        for free in rule["unprotectedRanges"]:
            editable |= {(tab, (r + 1, c + 1)) for r in range(free["startRowIndex"], free["endRowIndex"])
                         for c in range(free["startColumnIndex"], free["endColumnIndex"])}
    assert editable == _expected_editable()


def test_the_unit_can_type_every_input_and_nothing_else(sheet: str, fake: FakeGoogle) -> None:
    token = fake.token_for(unit_email("DV01"))
    assert fill_sheet(fake, sheet, token, perfect("DV01")).status_code == 200
    meta = LAYOUT.input(META_VERSION)
    points = LAYOUT.output("K1.points")
    for tab, cell in ((meta.sheet, meta.cell), (points.sheet, points.cell), ("Danh mục", "A2"), ("Hướng dẫn", "A1")):
        answer = requests.post(
            f"{fake.base_url}/v4/spreadsheets/{sheet}/values:batchUpdate",
            json={"valueInputOption": "USER_ENTERED", "data": [{"range": f"'{tab}'!{cell}", "values": [["x"]]}]},
            headers={"Authorization": f"Bearer {token}"}, timeout=10,
        )
        assert answer.status_code == 400 and "protected" in answer.text, (tab, cell)
    letters, row = split_a1(meta.cell)
    assert fake.files[sheet].sheets[meta.sheet][(row, ord(letters) - 64)] == LAYOUT.template_version


def _owner_batch(fake: FakeGoogle, sheet: str, requests_: list[dict[str, Any]]) -> None:
    answer = requests.post(f"{fake.base_url}/v4/spreadsheets/{sheet}:batchUpdate", json={"requests": requests_},
                           headers={"Authorization": f"Bearer {fake.token_for(USER_EMAIL)}"}, timeout=10)
    assert answer.status_code == 200, answer.text


def test_check_verifies_them_and_repair_puts_them_back(sheet: str, fake: FakeGoogle,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sheets", "check", "--format", "json"]) == 0
    capsys.readouterr()
    ids = fake.sheet_ids[sheet]
    score = next(r for r in fake.protected_ranges(sheet) if r["range"]["sheetId"] == ids["Chấm điểm"])
    a1_level = LAYOUT.input("A1.level")
    _owner_batch(fake, sheet, [  # someone with edit rights removes a protection and a drop-down
        {"deleteProtectedRange": {"protectedRangeId": score["protectedRangeId"]}},
        {"setDataValidation": {"range": {"sheetId": ids[a1_level.sheet], "startRowIndex": 5, "endRowIndex": 6,
                                         "startColumnIndex": 5, "endColumnIndex": 6}}},
    ])
    assert main(["sheets", "check", "--format", "json"]) == 1
    (first, _second) = json.loads(capsys.readouterr().out)["sheets"]
    problems = " ".join(first["problems"])
    assert "Trang “Chấm điểm” không còn được khoá" in problems and f"{a1_level.sheet}!{a1_level.cell}" in problems
    assert "dvk sheets check --repair" in problems
    mark = len(fake.log)
    assert main(["sheets", "check", "--repair", "--format", "json"]) == 0
    (first, _second) = json.loads(capsys.readouterr().out)["sheets"]
    assert first["ok"] and len(first["repaired"]) == 2
    assert [e.endpoint for e in fake.log[mark:] if e.method == "POST" and e.api != "oauth"] == ["sheets.batchUpdate"]
    assert fake.validation(sheet, a1_level.sheet, a1_level.cell) is not None
    assert any(r["range"] == {"sheetId": ids["Chấm điểm"]} for r in fake.protected_ranges(sheet))
    assert main(["sheets", "check", "--format", "json"]) == 0
    assert all(not s["repaired"] for s in json.loads(capsys.readouterr().out)["sheets"])
