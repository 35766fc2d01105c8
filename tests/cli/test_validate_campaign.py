"""`dvk validate` warns about a readable file that `dvk sync` would not use as it is (review D3, issue 10 §1).

A file of another year than the campaign's, and a file whose xlwings Lite parts a LibreOffice re-save broke.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from addin.embed import WEBEXTENSION_PART, embed_lite
from sync.cli import main
from workbook.fill import fill_template

from .test_template_cli import FACTS, INFO, MODELS

CONFIG = '[commune]\nname = "xã Tân Lập"\nprovince = "Phú Thọ"\nyear = 2026\n'


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("DVK_")]:
        monkeypatch.delenv(name)


def _filled(tmp_path: Path, capsys: pytest.CaptureFixture[str], year: int, name: str) -> Path:
    assert main(["template", "--year", str(year), "--out", str(tmp_path / f"t{year}.xlsx")]) == 0
    capsys.readouterr()
    models = {"models": [{**MODELS["models"][0], "decision_date": f"20/10/{year}"}]}  # recognised in that year: backs B1
    return fill_template(tmp_path / f"t{year}.xlsx", tmp_path / name, {**INFO, **FACTS}, models)


def test_a_file_of_another_year_is_flagged_against_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, 2027, "vp.xlsx")
    assert main(["validate", str(path)]) == 0  # no dvk.toml, no --year: no campaign to compare with
    assert capsys.readouterr().out.endswith("năm 2027: hợp lệ\n")

    (tmp_path / "dvk.toml").write_text(CONFIG, encoding="utf-8")
    assert main(["validate", str(path)]) == 0  # a warning, not an error
    out = capsys.readouterr().out
    assert "năm 2027: hợp lệ, 1 cảnh báo" in out
    assert "Cảnh báo: Thông tin đơn vị!C6 — phiếu ghi năm 2027, đợt đánh giá là 2026" in out
    assert main(["validate", str(path), "--year", "2027"]) == 0
    assert "cảnh báo" not in capsys.readouterr().out
    assert main(["validate", str(path), "--format", "json"]) == 0
    issue = json.loads(capsys.readouterr().out)[0]["issues"][0]
    assert (issue["code"], issue["severity"], issue["value"]) == ("year-not-campaign", "warning", 2027)
    assert main(["score", str(path)]) == 0
    assert "đợt đánh giá là 2026" in capsys.readouterr().out


def test_a_file_of_the_campaign_year_has_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, 2026, "vp.xlsx")
    assert main(["validate", str(path), "--year", "2026"]) == 0
    assert capsys.readouterr().out.endswith("năm 2026: hợp lệ\n")


def test_broken_lite_parts_are_reported_by_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, 2026, "lite.xlsx")
    embed_lite(path, {"main.py": "print('x')\n", "requirements.txt": "xlwings\n"})
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.endswith("năm 2026: hợp lệ\n")  # intact parts: nothing to say
    broken = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:  # what a LibreOffice re-save leaves
        for item in z.infolist():
            if item.filename not in (WEBEXTENSION_PART, "xl/webextensions/_rels/taskpanes.xml.rels"):
                out.writestr(item, z.read(item.filename))
    assert main(["validate", str(broken)]) == 0
    out = capsys.readouterr().out
    assert "hợp lệ, 1 cảnh báo" in out
    assert "Tệp hong.xlsx: phần mã xlwings Lite đã bị mất" in out and "LibreOffice" in out


def test_validate_with_the_units_list_says_what_sync_would_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New-commune review, defect 15: a sheet made from Đồng Tâm's template with only the name changed is held
    by `dvk sync`; `dvk validate --units` says so before it is sent (exit 1), and the right sheet is valid."""
    from tests.sync.sync_support import facts_for, filled

    units = tmp_path / "don-vi.csv"
    units.write_text("code,name,kind\nVP-UBND,Văn phòng HĐND và UBND,\"Phòng, ban\"\nHND,Hội Nông dân,"
                     "\"MTTQ, đoàn thể\"\n", encoding="utf-8")
    wrong = filled(tmp_path, "hoi-nong-dan.xlsx", facts_for("VP-UBND", **{"info.unit_name": "Hội Nông dân"}))
    right = filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    assert main(["validate", "--units", str(units), str(wrong), str(right)]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "Phiếu ghi mã VP-UBND nhưng tên đơn vị là “Hội Nông dân” (đơn vị HND)" in out
    assert "dvk sync sẽ giữ tệp này" in out and "VP-UBND.xlsx — Văn phòng HĐND và UBND (VP-UBND), năm 2026: hợp lệ" in out
    assert main(["validate", str(wrong)]) == 0  # no units list: nothing to compare the name with
    capsys.readouterr()
    # a file named after another unit is held too
    misnamed = filled(tmp_path, "HND.xlsx", facts_for("VP-UBND"))
    assert main(["validate", "--units", str(units), "--format", "json", str(misnamed)]) == 1
    issue = json.loads(capsys.readouterr().out)[0]["issues"][0]
    assert issue["code"] == "unit-mismatch" and "mang tên đơn vị HND" in issue["message"]
