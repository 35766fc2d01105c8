"""The commendation file at the end of a phase (issue 15 item 5, review M10): `dvk docs --phase 1 --kind
to-trinh|quyet-dinh|bien-ban` from three synced years, with the phase's numbers and dates, drafts marked, the
dates and numbers checked, and the same candidates as the phase workbook."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from sync.cli import main
from sync.config import load_settings
from sync.ledger import Ledger
from sync.reporting import master_input, write_phase
from sync.service import run_sync
from tests.schemas.factory import ONE_MODEL
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.workbook.documents.docx_support import docx_text, table_with_header, tables
from workbook.documents import DRAFT_MARK, strip_blanks
from workbook.master import compute
from workbook.master.phase import award_scope
from workbook.master.phase_awards import NOMINATIONS_NOTE

CODES = ["VP-UBND", "HND", "HLHPN"]
NAMES = {"VP-UBND": "Văn phòng HĐND và UBND", "HND": "Hội Nông dân", "HLHPN": "Hội Liên hiệp Phụ nữ"}
YEARS = (2026, 2027, 2028)
CHI_HOI = "Chi hội Phụ nữ thôn Nà Mò"
MODEL = "Tổ phụ nữ tự quản đường hoa"
PHASE = """
[commune]
chairman = "Ma Văn Tuấn"
council_chair = "Hoàng Văn Minh"
preparer = "Nông Thị Hoa"

[documents.2028]
submission_number = "03/TTr-HĐTĐKT"
submission_date = 2028-12-26

[documents.phase1]
report_number = "30/BC-UBND"
report_date = 2028-12-30
minutes_number = "05/BB-HĐTĐKT"
minutes_date = 2029-01-06
submission_number = "06/TTr-HĐTĐKT"
submission_date = 2029-01-08
decision_number = "12/QĐ-UBND"
decision_date = 2029-01-12
"""


def _tables(code: str, year: int) -> dict[str, Any]:
    """Every unit lists one model; the women's union's is led by a village branch and follows the life cycle:
    registered 2026, recognised by the commune in 2027, outstanding (Tiêu biểu) in 2028."""
    if code != "HLHPN":
        return ONE_MODEL
    status = {2026: "Đăng ký", 2027: "Được công nhận", 2028: "Tiêu biểu"}[year]
    row: dict[str, Any] = {"name": MODEL, "lead_unit": CHI_HOI, "field": "Văn hóa – xã hội", "kind": "Tập thể",
                           "status": status}
    if year == 2027:
        row.update(recognition_level="Xã", decision_no="07/QĐ-UBND", decision_date=dt.date(2027, 10, 15))
    return {"models": [row]}


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three campaign years of three units: VP-UBND steady, HND below HTT in 2027, the women's union with its
    model's life cycle; each year synced after its deadline. Returns the dvk.toml with the phase's papers."""
    root = tmp_path_factory.mktemp("phase-awards")
    config = write_config(root, CODES)
    for year in YEARS:
        folder = root / "nop-bai" / str(year)
        folder.mkdir(parents=True)
        for code in CODES:
            facts = facts_for(code, **{"info.year": year})
            if code == "HND" and year == 2027:
                facts["K1.result"] = 0
            filled(root, f"{year}/{code}.xlsx", facts, _tables(code, year))
        s = settings(config, DVK_COMMUNE__YEAR=str(year), DVK_SOURCES__FOLDER__PATH=str(folder))
        run_sync(s, now=dt.datetime(year, 12, 20, 9, 0).astimezone())
    text = config.read_text(encoding="utf-8").replace("[commune]\n", PHASE.split("\n[documents.2028]")[0].strip() + "\n", 1)
    config.write_text(text + "\n[documents.2028]" + PHASE.split("\n[documents.2028]")[1], encoding="utf-8")
    return config


def _mean(commune: Path, code: str) -> str:
    """The unit's mean total over 2026–2028 from each year's master computation, as the documents print it."""
    s = load_settings(commune, env={})
    with Ledger.open(s.ledger_path) as ledger:
        totals = [r.total for y in YEARS
                  for r in compute(master_input(s, ledger, y, now=dt.datetime(2029, 1, 8, 9, 0).astimezone()))
                  if r.code == code]
    assert len(totals) == 3 and all(t is not None for t in totals)
    return f"{float(sum(totals, Fraction(0)) / 3):.2f}".replace(".", ",")  # type: ignore[arg-type]


def _words(text: str) -> str:
    return " ".join(text.split())


def _config(commune: Path, tmp_path: Path, **change: str) -> str:
    text = commune.read_text(encoding="utf-8")
    for old, new in change.items():
        assert old in text, old
        text = text.replace(old, new)
    path = commune.parent / f"{tmp_path.name}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_phase_tờ_trình_is_a_draft_with_the_list_and_the_phase_numbers(
        commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--config", str(commune), "--phase", "1", "--kind", "to-trinh", "--out", str(tmp_path)]) == 1
    printed = _words(capsys.readouterr().out)
    path = tmp_path / "to-trinh-khen-thuong-giai-doan-1.docx"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert f"Đã ghi bản DỰ THẢO: {path}" in printed and "[documents] plan_number" in printed
    text = _words(docx_text(path))
    assert DRAFT_MARK in text
    for part in (
        "Số: 06/TTr-HĐTĐKT", "Cao Minh, ngày 08 tháng 01 năm 2029", "TỜ TRÌNH",
        "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” "
        "giai đoạn I (2026-2028)",
        "(Báo cáo sơ kết số 30/BC-UBND ngày 30 tháng 12 năm 2028 của Ủy ban nhân dân xã Cao Minh)",
        "Biên bản họp Hội đồng Thi đua - Khen thưởng số 05/BB-HĐTĐKT ngày 06 tháng 01 năm 2029", award_scope(1),
        NOMINATIONS_NOTE, "Có 2 đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên ở tất cả các năm",
        "PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” GIAI ĐOẠN I (2026-2028)",
        "(Kèm theo Tờ trình số 06/TTr-HĐTĐKT ngày 08 tháng 01 năm 2029 của Hội đồng Thi đua - Khen thưởng xã Cao Minh)",
        # the refused unit, with the year and the cause in the master's words
        "- Hội Nông dân: năm 2027, đơn vị xếp loại Hoàn thành nhiệm vụ (cần từ Hoàn thành tốt nhiệm vụ trở lên).",
    ):
        assert part in text, part
    rows = table_with_header(path, "STT")
    proposed = {r["Tập thể, cá nhân được đề nghị"]: r for r in rows}
    assert set(proposed) == {NAMES["VP-UBND"], NAMES["HLHPN"], CHI_HOI}
    assert proposed[NAMES["VP-UBND"]]["Kết quả các năm"] == "2026: HTXS; 2027: HTXS; 2028: HTXS"
    assert proposed[NAMES["VP-UBND"]]["Điểm bình quân"] == _mean(commune, "VP-UBND")
    model = proposed[CHI_HOI]
    assert model["Đơn vị"] == NAMES["HLHPN"] and model["Mô hình gắn với"].endswith(f"“{MODEL}”")
    assert "2027: Được công nhận → 2028: Tiêu biểu" in model["Tóm tắt thành tích"]


def test_the_phase_decision_and_minutes_list_the_proposed(commune: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--config", str(commune), "--phase", "1", "--out", str(tmp_path)]) == 1  # drafts
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bien-ban-hop-hoi-dong-giai-doan-1.docx", "quyet-dinh-khen-thuong-giai-doan-1.docx",
        "so-ket-dan-van-kheo-giai-doan-1.docx", "to-trinh-khen-thuong-giai-doan-1.docx"]
    decision = tmp_path / "quyet-dinh-khen-thuong-giai-doan-1.docx"
    text = _words(docx_text(decision))
    for part in ("Số: 12/QĐ-UBND", "Cao Minh, ngày 12 tháng 01 năm 2029",
                 "Theo đề nghị của Hội đồng Thi đua - Khen thưởng xã Cao Minh tại Tờ trình số 06/TTr-HĐTĐKT ngày 08 "
                 "tháng 01 năm 2029.",
                 "Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân xã Cao Minh cho 3 tập thể (có danh sách kèm theo) "
                 "đã có thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” giai đoạn I (2026-2028).",
                 "Ma Văn Tuấn", "- Như Điều 3;"):
        assert part in text, part
    awarded = table_with_header(decision, "STT")
    assert [r["Tên tập thể, cá nhân"] for r in awarded[1:]] == [NAMES["VP-UBND"], NAMES["HLHPN"], CHI_HOI]
    assert awarded[0]["STT"] == "I. Tập thể"
    assert all(r["Thành tích"] == "Đã có thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” giai đoạn I "
                                  "(2026-2028)" for r in awarded[1:])
    minutes = tmp_path / "bien-ban-hop-hoi-dong-giai-doan-1.docx"
    text = _words(docx_text(minutes))
    assert "Số: 05/BB-HĐTĐKT" in text and "ngày 06 tháng 01 năm 2029" in text
    assert "Thường trực Hội đồng báo cáo kết quả sơ kết (Báo cáo số 30/BC-UBND ngày 30 tháng 12 năm 2028" in text
    assert "- Năm 2027: 3 đơn vị được đánh giá; Hoàn thành xuất sắc nhiệm vụ: 2" in text
    assert "- Hội Nông dân: năm 2027, đơn vị xếp loại Hoàn thành nhiệm vụ" in text
    (voted,) = [[dict(zip(t[0], r, strict=True)) for r in t[1:]] for t in tables(minutes)
                if "Tập thể, cá nhân được đề xuất" in t[0]]
    assert [r["Tập thể, cá nhân được đề xuất"] for r in voted if r["STT"].isdigit()] == [
        NAMES["VP-UBND"], NAMES["HLHPN"], CHI_HOI]
    assert voted[0]["Điểm bình quân; kết quả các năm"] == f"{_mean(commune, 'VP-UBND')}; 2026: HTXS; 2027: HTXS; 2028: HTXS"
    # the phase workbook lists the same candidates
    s = load_settings(commune, env={})
    with Ledger.open(s.ledger_path) as ledger:
        book = write_phase(s, ledger, 1, tmp_path / "so-ket.xlsx").path
    from openpyxl import load_workbook

    from tests.workbook.master.conftest import table
    sheet = table(load_workbook(book)["Đề nghị khen thưởng giai đoạn"])
    assert [r["Tập thể, cá nhân được đề nghị"] for r in sheet if r["Điều kiện đề nghị"] == "Đủ điều kiện"
            or str(r["Điều kiện đề nghị"]).startswith("Đủ điều kiện;")] == [NAMES["VP-UBND"], NAMES["HLHPN"], CHI_HOI]


@pytest.mark.parametrize(("change", "said"), [
    ({"decision_date = 2029-01-12": "decision_date = 2028-12-10"},
     ["ngày quyết định khen thưởng 10/12/2028 chưa sau hạn nộp phiếu năm 2028 (15/12/2028), năm cuối của giai đoạn 1 "
      "([documents.phase1] decision_date)",
      "ngày quyết định khen thưởng 10/12/2028 trước ngày tờ trình giai đoạn 1 08/01/2029 mà văn bản này dẫn"]),
    ({"submission_date = 2028-12-26": "submission_date = 2029-01-02", 'submission_number = "06/TTr-HĐTĐKT"':
      'submission_number = "03/TTr-HĐTĐKT"'},
     ["số 03/TTr-HĐTĐKT trùng với số của tờ trình năm 2028 ([documents.2028] submission_number)"]),
])
def test_an_early_date_or_a_shared_number_keeps_the_phase_awards_drafts(
        commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, str], said: list[str]) -> None:
    config = _config(commune, tmp_path, **change)
    out = tmp_path / "out"
    assert main(["docs", "--config", config, "--phase", "1", "--out", str(out), "--final"]) == 1
    printed = _words(capsys.readouterr().out)
    assert "Chưa ghi văn bản nào (--final)" in printed and not out.exists()
    for text in said:
        assert text in printed, text


def test_the_recognition_decision_is_the_years(commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--config", str(commune), "--phase", "1", "--kind", "cong-nhan", "--out", str(tmp_path)]) == 2
    assert "Quyết định công nhận mô hình, điển hình lập theo năm" in _words(capsys.readouterr().err)
    assert not list(tmp_path.iterdir())


def test_blank_phase_numbers_are_highlighted_blanks(commune: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(commune, tmp_path, **{'decision_number = "12/QĐ-UBND"\n': "", "decision_date = 2029-01-12\n": ""})
    assert main(["docs", "--config", config, "--phase", "1", "--kind", "quyet-dinh", "--out", str(tmp_path)]) == 1
    printed = _words(capsys.readouterr().out)
    assert "[documents.phase1] decision_number" in printed and "[documents.phase1] decision_date" in printed
    text = _words(strip_blanks(docx_text(tmp_path / "quyet-dinh-khen-thuong-giai-doan-1.docx")))
    assert "Số: …/QĐ-UBND" in text


def test_the_tong_ket_without_phase_two_data_writes_the_review_alone(commune: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Giai đoạn II's awards weigh 2029–2030 (2028 was the sơ kết's): before those years the tổng kết's review can
    be drafted, its awards not — said, not an error; asked for by name, they are refused."""
    assert main(["docs", "--config", str(commune), "--phase", "2", "--out", str(tmp_path)]) == 1  # a draft
    printed = _words(capsys.readouterr().out)
    assert [p.name for p in tmp_path.iterdir()] == ["tong-ket-dan-van-kheo-giai-doan-2.docx"]
    assert ("Chưa lập hồ sơ khen thưởng giai đoạn II (2029-2030) (biên bản, tờ trình, quyết định): sổ lưu trữ chưa có "
            "dữ liệu năm nào từ 2029 đến 2030.") in printed
    assert main(["docs", "--config", str(commune), "--phase", "2", "--kind", "to-trinh", "--out", str(tmp_path)]) == 2
    assert "chưa có dữ liệu năm nào của giai đoạn II (2029-2030)" in _words(capsys.readouterr().err)
