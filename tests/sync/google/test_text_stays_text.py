"""Text stays text on the Google side (review H6): the template dvk uploads for a unit named like a formula,
the "Kết quả kiểm tra" rows it writes with ``USER_ENTERED``, and the CSV of ``dvk sheets list``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from schemas.models import Issue, Severity
from sync.cli import main
from sync.google.write_back import result_rows
from tests.sync.fake_google import FakeGoogle
from tests.sync.google_workflow_support import signed_in, unit_name, write_commune
from tests.sync.sync_support import LAYOUT
from tests.workbook.master.factory import sample
from workbook.layout import INFO_SHEET
from workbook.master import compute

HOSTILE = {"DV01": '=IMPORTXML("http://127.0.0.1:9/","//a")', "DV02": "@SUM(1+1)*cmd|' /C calc'!A0"}



def _hostile_commune(root: Path, fake: FakeGoogle) -> Path:
    config = write_commune(root, fake, 3)
    text = config.read_text(encoding="utf-8")
    for code, name in HOSTILE.items():
        text = text.replace(f'name = "{unit_name(code)}"', f"name = {json.dumps(name, ensure_ascii=False)}")
    config.write_text(text, encoding="utf-8")
    return config


def test_the_uploaded_template_of_a_unit_named_like_a_formula_holds_the_name_as_text(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    _hostile_commune(tmp_path, fake)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    assert main(["sheets", "provision", "--format", "json"]) == 0, capsys.readouterr()
    report = json.loads(capsys.readouterr().out)
    ids = {u["code"]: u["spreadsheet_id"] for u in report["units"]}
    cell = LAYOUT.input("info.unit_name").cell
    for code, name in HOSTILE.items():
        # the fake converts like Drive: string cells are text, formula cells are formulas
        assert fake.files[ids[code]].sheets[INFO_SHEET].get(_rc(cell)) == name

    assert main(["sheets", "list", "--format", "csv"]) == 0
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["DV01"]["name"] == "'" + HOSTILE["DV01"] and rows["DV02"]["name"] == "'" + HOSTILE["DV02"]
    assert rows["DV03"]["name"] == unit_name("DV03")


def _rc(a1: str) -> tuple[int, int]:
    letters = "".join(ch for ch in a1 if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(a1[len(letters):]), col


def test_result_rows_keep_every_text_a_text_and_only_dvks_links_as_formulas() -> None:
    results = compute(sample(3))
    first = next(r for r in results if r.row.submission is not None)
    hostile = Issue(code="x", severity=Severity.ERROR, sheet="Chấm điểm", cell="G10",
                    message='=IMPORTXML("http://127.0.0.1:9/","//a")')
    unit = first.row.unit.model_copy(update={"name": "+1+1"})
    result = replace(first, row=replace(first.row, unit=unit, issues=(hostile,)), reasons=("-1+1",))
    rows = result_rows(result, "1sheet", {"Chấm điểm": 7}, "09:00 ngày 16/12/2026")
    cells = [c for r in rows for c in r]
    formulas = [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert formulas and all(c.startswith('=HYPERLINK("https://docs.google.com/spreadsheets/d/1sheet/edit#gid=7')
                            for c in formulas), formulas
    assert "'" + hostile.message in cells and "'-1+1" in cells
    assert rows[0][0].endswith("– +1+1 (" + unit.code + ")")  # after fixed words: already text
