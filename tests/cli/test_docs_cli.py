"""`dvk docs` on the demo commune: .docx and PDF in the official form, numbers equal to the master's.

The documents dvk writes are drafts (the báo cáo's judgement paragraphs are for the staff to write), so
`dvk docs` exits 1 and says what is missing; tests of the commendation file's rules are in
``test_docs_file.py``."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

import workbook.documents
from sync.cli import main
from sync.config import load_settings
from sync.ledger import Ledger
from sync.reporting import master_input
from tests.support.demo import DemoRun, copy_demo
from tests.support.libreoffice import soffice
from tests.workbook.documents.docx_support import docx_text, remove_column, reword, table_with_header
from workbook.documents import font_warning, strip_blanks
from workbook.master import compute
from workbook.master.cells import HEADER_ROW

YEAR = 2028
NAMES = {"chairman": "Ma Văn Tuấn", "council_chair": "Hoàng Văn Minh", "preparer": "Nông Thị Hoa"}
DOCS = """
[documents]
report_number = "15/BC-UBND"
report_date = 2029-01-05
submission_number = "08/TTr-HĐTĐKT"
submission_date = 2029-01-08
decision_number = "120/QĐ-UBND"
decision_date = 2029-01-10

[documents.phase1]
report_number = "20/BC-UBND"
report_date = 2029-01-06
submission_number = "09/TTr-HĐTĐKT"
submission_date = 2029-01-09
decision_number = "121/QĐ-UBND"
decision_date = 2029-01-12
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_run: DemoRun) -> Path:
    """The demo commune (three years synced, masters written) with names and document numbers configured."""
    root = copy_demo(demo_run, tmp_path_factory.mktemp("demo-docs") / "xa")
    text = (root / "dvk.toml").read_text(encoding="utf-8")
    names = "".join(f'{k} = "{v}"\n' for k, v in NAMES.items())
    text = text.replace('province = "Thái Nguyên"\n', f'province = "Thái Nguyên"\n{names}', 1) + DOCS
    (root / "docs.toml").write_text(text, encoding="utf-8")
    return root


def _words(text: str) -> str:
    return " ".join(text.split())


EXPECTED = {
    "bao-cao-dan-van-kheo-2028": (
        "ỦY BAN NHÂN DÂN", "XÃ CAO MINH", "Số: 15/BC-UBND", "Cao Minh, ngày 05 tháng 01 năm 2029", "BÁO CÁO",
        "Kết quả thực hiện Phong trào thi đua “Dân vận khéo” năm 2028", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ma Văn Tuấn",
        "Phụ lục I", "BẢNG ĐIỂM VÀ XẾP LOẠI CÁC ĐƠN VỊ", "Nơi nhận:", "- Lưu: VT.", "DỰ THẢO",
        "(Kèm theo Báo cáo số 15/BC-UBND ngày 05 tháng 01 năm 2029 của Ủy ban nhân dân xã Cao Minh)",
    ),
    "so-ket-dan-van-kheo-giai-doan-1": (
        "ỦY BAN NHÂN DÂN", "XÃ CAO MINH", "Số: 20/BC-UBND", "Cao Minh, ngày 06 tháng 01 năm 2029", "BÁO CÁO",
        "Sơ kết giai đoạn I (2026-2028) thực hiện", "TM. ỦY BAN NHÂN DÂN", "Ma Văn Tuấn", "Phụ lục I",
        "ĐIỂM, XẾP LOẠI VÀ XU HƯỚNG CỦA CÁC ĐƠN VỊ", "Nơi nhận:",
    ),
    "to-trinh-khen-thuong-2028": (
        "UBND XÃ CAO MINH", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "Số: 08/TTr-HĐTĐKT", "Cao Minh, ngày 08 tháng 01 năm 2029",
        "TỜ TRÌNH", "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc", "Kính gửi: Chủ tịch",
        "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "Hoàng Văn Minh", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "Nơi nhận:",
        "(Kèm theo Tờ trình số 08/TTr-HĐTĐKT ngày 08 tháng 01 năm 2029",
    ),
    "quyet-dinh-khen-thuong-2028": (
        "ỦY BAN NHÂN DÂN", "Số: 120/QĐ-UBND", "Cao Minh, ngày 10 tháng 01 năm 2029", "QUYẾT ĐỊNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CAO MINH", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025", "Tờ trình số 08/TTr-HĐTĐKT ngày 08 tháng 01 năm 2029",
        "Điều 1.", "Điều 2.",
        "Điều 3.", "Ma Văn Tuấn", "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", "- Như Điều 3;",
    ),
}
EXPECTED |= {
    # the awards at the end of giai đoạn I: the year's forms with the phase's wording and numbers
    "to-trinh-khen-thuong-giai-doan-1": (
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "Số: 09/TTr-HĐTĐKT", "Cao Minh, ngày 09 tháng 01 năm 2029", "TỜ TRÌNH",
        "trong Phong trào thi đua “Dân vận khéo” giai đoạn I (2026-2028)", "Báo cáo sơ kết số 20/BC-UBND",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” GIAI ĐOẠN I (2026-2028)", "Nơi nhận:",
    ),
    "quyet-dinh-khen-thuong-giai-doan-1": (
        "Số: 121/QĐ-UBND", "Cao Minh, ngày 12 tháng 01 năm 2029", "QUYẾT ĐỊNH",
        "Tờ trình số 09/TTr-HĐTĐKT ngày 09 tháng 01 năm 2029", "Điều 1.",
        "thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” giai đoạn I (2026-2028)",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", "- Như Điều 3;",
    ),
}
COMMON = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MM = 72 / 25.4


def _lines(pdf: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, height, xMin, yMin, xMax, yMax, text) of every text line of a PDF."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for n, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S), 1):
        w, h = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())  # type: ignore[union-attr]
        for attrs, body in re.findall(r"<line (.*?)>(.*?)</line>", page, re.S):
            box = [float(re.search(rf'{k}="([-\d.]+)"', attrs)[1]) for k in ("xMin", "yMin", "xMax", "yMax")]  # type: ignore[index]
            text = " ".join(re.findall(r">([^<]*)</word>", body))
            lines.append((n, w, h, *box, text))
    return lines


def _serif_family() -> str:
    """What this machine prints for "Times New Roman" (Liberation Serif without Microsoft's fonts)."""
    fc = shutil.which("fc-match")
    family = subprocess.run([fc, "-f", "%{family[0]}", "Times New Roman"], capture_output=True, text=True).stdout if fc else ""
    return (family or "Times New Roman").replace(" ", "")


def _page_numbers_restart_per_section(lines: list[tuple[int, float, float, float, float, float, float, str]]) -> None:
    """Each page of a document and of each annex: no number on its first page, then 2, 3, … (Phụ lục I, I.7 and
    III.1đ: annex pages are numbered on their own)."""
    pages = max(ln[0] for ln in lines)
    numbers = {ln[0]: int(ln[7]) for ln in lines if ln[4] < 20 * MM - 1 and ln[7].isdigit()}
    expected = 1
    for page in range(1, pages + 1):
        if page in numbers:
            expected += 1
            assert numbers[page] == expected, (page, numbers)
        else:
            expected = 1  # the first page of the document or of an annex
    assert numbers, "no page numbers"


@pytest.mark.libreoffice
def test_documents_open_in_libreoffice_in_the_official_form(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    soffice()  # skipped without LibreOffice locally, a failure under CI
    warning = font_warning()
    if warning:  # e.g. fonts-liberation 1.07: Liberation Serif without Vietnamese letters
        pytest.skip("Cần phông Times New Roman hoặc Liberation Serif 2 có chữ tiếng Việt (gói fonts-liberation2): "
                    + warning)
    out = demo / "van-ban"
    config = str(demo / "docs.toml")
    assert main(["docs", "--config", config, "--year", str(YEAR), "--out", str(out), "--pdf"]) == 1  # drafts
    assert main(["docs", "--config", config, "--phase", "1", "--out", str(out), "--pdf"]) == 1
    printed = capsys.readouterr().out
    family = _serif_family()
    for stem, expected in EXPECTED.items():
        docx, pdf = out / f"{stem}.docx", out / f"{stem}.pdf"
        assert f"Đã ghi bản DỰ THẢO: {pdf}" in printed.replace("\n", "")
        pdf_text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        word_text = _words(docx_text(docx))
        for part in (*COMMON, *expected):
            assert part in word_text, (stem, "docx", part)
            assert part in pdf_text, (stem, "pdf", part)
        assert "{{" not in pdf_text and "{%" not in pdf_text
        lines = _lines(pdf)
        _page_numbers_restart_per_section(lines)
        for page in sorted({ln[0] for ln in lines}):
            on_page = [ln for ln in lines if ln[0] == page]
            w, h = on_page[0][1], on_page[0][2]
            assert (round(w, 1), round(h, 1)) in {(595.3, 841.9), (841.9, 595.3)}  # A4, portrait or landscape
            # the margins of OFFICE.md (landscape: the binding edge at the top), the page number in the top margin
            top, bottom, left, right = (20, 20, 30, 15) if w < h else (30, 20, 20, 20)
            body = [ln for ln in on_page if ln[4] >= top * MM - 1]
            numbers = [ln for ln in on_page if ln[4] < top * MM - 1]
            assert all(ln[7].isdigit() and abs((ln[3] + ln[5]) / 2 - (left * MM + w - right * MM) / 2) < 3
                       for ln in numbers), numbers
            assert min(ln[3] for ln in body) >= left * MM - 1, (stem, page)
            assert max(ln[5] for ln in body) <= w - right * MM + 1, (stem, page)
            assert max(ln[6] for ln in body) <= h - bottom * MM + 2, (stem, page)  # a line box includes its descent
        # Times New Roman throughout (as this machine renders it)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        names = {f.split()[0].split("+")[-1] for f in fonts}
        assert names and all(n.replace("-", "").startswith(family) for n in names), (stem, names, family)


def _expected(demo: Path) -> dict[str, tuple[str, str, str]]:
    """Unit name → (self score, total, rating) as the master computes them, shown with two decimals."""
    settings = load_settings(demo / "docs.toml", env={})
    with Ledger.open(settings.ledger_path) as ledger:
        # as of the báo cáo's date ([documents] report_date): the documents state every status at it
        results = compute(master_input(settings, ledger, YEAR, now=dt.datetime(2029, 1, 5, 9, 0).astimezone()))

    def shown(value: object) -> str:
        return "" if value is None else f"{float(value):.2f}".replace(".", ",")  # type: ignore[arg-type]

    return {r.row.unit.name: (shown(r.self_total), shown(r.total), r.rating_label) for r in results}


def test_annex_totals_and_ratings_equal_the_master(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--config", str(demo / "docs.toml"), "--out", str(tmp_path)]) == 1  # drafts
    assert "dvk report" not in capsys.readouterr().out  # the master is current
    expected = _expected(demo)
    rows = table_with_header(tmp_path / "bao-cao-dan-van-kheo-2028.docx", "STT")
    annex = {r["Tên đơn vị"]: (r["Tự chấm"], r["Tổng điểm"], r["Xếp loại"]) for r in rows}
    assert annex == expected and len(annex) == 26
    # the master workbook's own ranking sheet says the same ratings and self scores
    ws = load_workbook(demo / "tong-hop" / "tong-hop-dan-van-kheo-2028.xlsx", read_only=True, data_only=True)["Tổng hợp"]
    sheet = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    head = list(sheet[0])
    for row in sheet[1:]:
        if row and row[1] in annex:
            cells = dict(zip(head, row, strict=False))
            assert annex[str(row[1])][2] == cells["Xếp loại"]
            assert annex[str(row[1])][0] == (f"{cells['Tự chấm']:.2f}".replace(".", ",") if cells["Tự chấm"] is not None else "")
    # the proposals submitted: the council's candidates (issue 15), each with its unit's score; a unit proposed
    # itself only when rated at least Hoàn thành tốt; the top-ranked eligible units are among them
    proposals = table_with_header(tmp_path / "to-trinh-khen-thuong-2028.docx", "STT")
    assert proposals
    good = {"Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"}
    by_unit = {name: v for name, v in expected.items()}
    for p in proposals:
        assert (p["Tổng điểm"], p["Xếp loại"]) == by_unit[p["Đơn vị"]][1:]
        if p["Tập thể, cá nhân được đề nghị"] == p["Đơn vị"]:
            assert p["Xếp loại"] in good
    settings = load_settings(demo / "docs.toml", env={})
    with Ledger.open(settings.ledger_path) as ledger:
        results = compute(master_input(settings, ledger, YEAR, now=dt.datetime.now().astimezone()))
    top = [r.row.unit.name for r in results if r.eligible][:3]
    assert top and set(top) <= {p["Tập thể, cá nhân được đề nghị"] for p in proposals}
    decision = docx_text(tmp_path / "quyet-dinh-khen-thuong-2028.docx")
    giay_khen = [p for p in proposals if "Bằng khen" not in p["Hình thức"]]
    assert all(p["Tập thể, cá nhân được đề nghị"] in decision for p in giay_khen)


def test_commune_template_is_used(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mau-cua-xa"
    assert main(["docs", "--export-templates", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "bao-cao-giai-doan.docx", "bao-cao.docx", "bien-ban-giai-doan.docx", "bien-ban.docx", "can-cu.toml",
        "cong-nhan.docx", "danh-sach-truong.txt", "quyet-dinh-giai-doan.docx", "quyet-dinh.docx",
        "to-trinh-giai-doan.docx", "to-trinh.docx"]
    assert "  units[].total" in (folder / "danh-sach-truong.txt").read_text(encoding="utf-8")
    template = folder / "bao-cao.docx"
    reword(template, "Trên đây là báo cáo kết quả thực hiện", "Ủy ban nhân dân xã trân trọng báo cáo kết quả thực hiện")
    remove_column(template, "Loại")
    config = tmp_path / "dvk.toml"
    text = (demo / "docs.toml").read_text(encoding="utf-8").replace("[documents]\n", f"[documents]\ntemplates = '{folder}'\n")
    config.write_text(text.replace('path = "nop-bai"', f"path = '{demo / 'nop-bai'}'")
                      .replace('master = "tong-hop/', f"master = '{demo}/tong-hop/").replace('{year}.xlsx"', "{year}.xlsx'"),
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["docs", "--config", str(config), "--kind", "bao-cao", "--out", str(out)]) == 1  # a draft
    written = out / "bao-cao-dan-van-kheo-2028.docx"
    assert sorted(p.name for p in out.iterdir()) == [written.name]
    words = _words(docx_text(written))
    assert "Ủy ban nhân dân xã trân trọng báo cáo kết quả thực hiện" in words and "Trên đây là báo cáo" not in words
    rows = table_with_header(written, "STT")
    assert "Loại" not in rows[0] and {r["Tên đơn vị"]: r["Tổng điểm"] for r in rows} == {
        k: v[1] for k, v in _expected(demo).items()}
    # a broken copy: the Vietnamese message names the file, the paragraph and the placeholder; nothing is written
    reword(folder / "to-trinh.docx", "{{ p.total }}", "{{ p.tong_diem }}")
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "2000")  # the error console: one line per message
    again = tmp_path / "again"
    assert main(["docs", "--config", str(config), "--out", str(again)]) == 2
    err = _words(capsys.readouterr().err)
    assert "to-trinh.docx" in err and "đoạn" in err and "p.tong_diem" in err and "Chưa ghi văn bản nào" in err
    assert "Traceback" not in err and not again.exists()


def test_usage_and_missing_libreoffice(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config = str(demo / "docs.toml")
    assert main(["docs", "--config", config, "--phase", "1", "--kind", "cong-nhan", "--out", str(tmp_path)]) == 2
    assert "Quyết định công nhận mô hình, điển hình lập theo năm" in _words(capsys.readouterr().err)
    assert main(["docs", "--config", config, "--year", "2030", "--out", str(tmp_path)]) == 2
    assert "chưa có dữ liệu năm 2030" in _words(capsys.readouterr().err)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # a machine without LibreOffice
    assert main(["docs", "--config", config, "--kind", "quyet-dinh", "--out", str(tmp_path), "--pdf"]) == 1
    text = _words(capsys.readouterr().out)
    assert "Không tìm thấy LibreOffice" in text and (tmp_path / "quyet-dinh-khen-thuong-2028.docx").exists()
    assert not list(tmp_path.glob("*.pdf"))


def test_phase_review_agrees_with_the_phase_workbook(demo: Path, tmp_path: Path) -> None:
    assert main(["docs", "--config", str(demo / "docs.toml"), "--phase", "1", "--out", str(tmp_path)]) == 1
    doc = tmp_path / "so-ket-dan-van-kheo-giai-doan-1.docx"
    wb = load_workbook(demo / "tong-hop" / "so-ket-dan-van-kheo-giai-doan-1.xlsx", read_only=True)

    def sheet(name: str) -> list[dict[str, object]]:
        rows = [r for r in wb[name].iter_rows(values_only=True)]
        start = next(i for i, r in enumerate(rows) if r and r[0] in ("Mã đơn vị", "Lĩnh vực"))
        table = []
        for r in rows[start + 1:]:
            if not r or r[0] is None:  # the table ends at its first empty row (the signature block follows)
                break
            table.append(dict(zip(rows[start], r, strict=False)))
        return table

    models = {(r["Lĩnh vực"], str(r["Năm"])): tuple(str(r[k]) for k in ("Đăng ký", "Được công nhận", "Nhân rộng"))
              for r in sheet("Mô hình theo lĩnh vực")}
    subtotal = models.pop(("Cộng giai đoạn I (2026-2028)", "2026-2028"))  # in "lượt", each year once
    table = table_with_header(doc, "Lĩnh vực")
    assert {(r["Lĩnh vực"], r["Năm"]): (r["Đăng ký"], r["Được công nhận"], r["Nhân rộng"]) for r in table} == models
    (phase_line,) = table_with_header(doc, "Giai đoạn")
    assert phase_line["Giai đoạn"] == "Giai đoạn I (2026-2028)"
    assert (phase_line["Lượt mô hình"], phase_line["Được công nhận"]) == subtotal[:2]
    trends = {r["Tên đơn vị"]: r for r in table_with_header(doc, "STT")}
    overview = sheet("Tổng hợp giai đoạn")
    assert len(trends) == len(overview) == 26
    for row in overview:
        line = trends[str(row["Tên đơn vị"])]
        for year in (2026, 2027, 2028):
            value = row[f"Điểm {year}"]
            assert line[f"Điểm {year}"] == (f"{value:.2f}".replace(".", ",") if isinstance(value, float | int) else "–")
        assert line["Xu hướng 2026-2028"] == row["Xu hướng"]


def test_names_numbers_and_recipients_from_the_configuration(tmp_path: Path) -> None:
    from sync.documents.papers import office, paper

    config = tmp_path / "dvk.toml"
    config.write_text('[commune]\nname = "xã Cao Minh"\nyear = 2027\n\n[documents]\nrecipients = ["Thường trực Đảng ủy xã",'
                      ' "- Ủy ban MTTQ VN xã;"]\ndecision_number = "07/QĐ-UBND"\ndecision_date = 2028-02-03\n', encoding="utf-8")
    settings = load_settings(config, env={})
    submitted = paper(settings, "to-trinh")
    assert strip_blanks(submitted.number) == "…/TTr-HĐTĐKT"  # the council's own series
    assert strip_blanks(submitted.date_line) == "Cao Minh, ngày … tháng … năm …"
    # the configured recipients extend the defaults; "Như trên" and the archive line stay
    assert submitted.recipients == ("- Như trên;", "- Các thành viên Hội đồng Thi đua - Khen thưởng xã;",
                                    "- Thường trực Đảng ủy xã;", "- Ủy ban MTTQ VN xã;", "- Lưu: VT, HĐTĐKT.")
    decided = paper(settings, "quyet-dinh")
    assert (decided.number, decided.date_line) == ("07/QĐ-UBND", "Cao Minh, ngày 03 tháng 02 năm 2028")
    assert decided.recipients[0] == "- Như Điều 3;" and decided.recipients[-1] == "- Lưu: VT."
    names = office(settings)
    assert (strip_blanks(names.chairman), strip_blanks(names.council_chair), strip_blanks(names.preparer)) == ("…", "…", "…")
    assert (names.committee, names.commune_upper) == ("UBND XÃ CAO MINH", "XÃ CAO MINH")


def test_appraisal_typed_into_the_master_reaches_the_documents(demo: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Staff typed "K1 thẩm định" into the master and saved it: the documents show the appraised total."""
    copy = tmp_path / "xa"
    shutil.copytree(demo, copy, ignore=shutil.ignore_patterns("van-ban"))
    master = copy / "tong-hop" / "tong-hop-dan-van-kheo-2028.xlsx"
    wb = load_workbook(master)
    ws = wb["Chi tiết tiêu chí"]
    head_row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Mã đơn vị")
    col = next(c.column for c in ws[head_row] if c.value == "K1 thẩm định")
    row = next(r for r in range(head_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == "TYT")
    ws.cell(row, col).value = 0  # the council takes K1's 8 points away from Trạm Y tế
    wb.save(master)
    assert main(["docs", "--config", str(copy / "docs.toml"), "--kind", "bao-cao", "--out", str(tmp_path / "out")]) == 1
    assert "chạy dvk report --year 2028" in _words(capsys.readouterr().out)  # the master's ratings catch up then
    rows = {r["Tên đơn vị"]: r for r in table_with_header(tmp_path / "out" / "bao-cao-dan-van-kheo-2028.docx", "STT")}
    before = _expected(demo)["Trạm Y tế"]
    assert rows["Trạm Y tế"]["Tự chấm"] == before[0]
    assert float(rows["Trạm Y tế"]["Tổng điểm"].replace(",", ".")) < float(before[1].replace(",", ".")) - 7


# -- the commendation file: numbers per year and phase, legal grounds, drafts, PDFs -------------------------------

CAMPAIGN = """
[documents]
plan_number = "45/KH-UBND"
plan_date = 2026-04-03
regulation_number = "02/QyĐ-VHXH"
regulation_date = 2026-04-20

[documents.signers.to-trinh]
lines = ["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
position = "PHÓ CHỦ TỊCH UBND XÃ CAO MINH"
name = "Lê Thị Hoa"
{years}
[documents.phase1]
report_number = "30/BC-UBND"
report_date = 2028-12-30
"""
YEARS = {
    2026: ("15/BC-UBND", "2026-12-22", "01/BB-HĐTĐKT", "2026-12-24", "01/TTr-HĐTĐKT", "2026-12-26", "02/QĐ-UBND",
           "2027-01-05", "03/QĐ-UBND", "2027-01-05"),
    2027: ("15/BC-UBND", "2027-12-21", "02/BB-HĐTĐKT", "2027-12-23", "02/TTr-HĐTĐKT", "2027-12-27", "05/QĐ-UBND",
           "2028-01-06", "06/QĐ-UBND", "2028-01-06"),
    2028: ("21/BC-UBND", "2028-12-22", "03/BB-HĐTĐKT", "2028-12-24", "03/TTr-HĐTĐKT", "2028-12-26", "160/QĐ-UBND",
           "2029-01-05", "161/QĐ-UBND", "2029-01-05"),
}
_KEYS = ("report", "minutes", "submission", "decision", "recognition")


def _campaign(demo: Path, tmp_path: Path, *, change: dict[str, str] | None = None) -> Path:
    """The demo's configuration with three years' numbers and dates and the sơ kết's (``change``: text replaced)."""
    tables = ""
    for year, values in YEARS.items():
        tables += f"\n[documents.{year}]\n"
        for i, key in enumerate(_KEYS):
            tables += f'{key}_number = "{values[2 * i]}"\n{key}_date = {values[2 * i + 1]}\n'
    text = (demo / "docs.toml").read_text(encoding="utf-8").split("\n[documents]\n")[0]
    text += CAMPAIGN.replace("{years}", tables)
    for old, new in (change or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    config = tmp_path / "dvk.toml"
    config.write_text(text.replace('path = "nop-bai"', f"path = '{demo / 'nop-bai'}'")
                      .replace('master = "tong-hop/', f"master = '{demo}/tong-hop/").replace('{year}.xlsx"', "{year}.xlsx'"),
                      encoding="utf-8")
    return config


_DATE = re.compile(r"ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})")


def _number_and_date(path: Path) -> tuple[str, dt.date | None]:
    text = _words(docx_text(path))
    number = re.search(r"Số: (\S+)", text)
    line = re.search(r"Cao Minh, " + _DATE.pattern, text)
    assert number, path
    day = dt.date(int(line[3]), int(line[2]), int(line[1])) if line else None
    return number[1], day


def test_a_three_year_campaign_has_its_own_numbers_and_dates(demo: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = _campaign(demo, tmp_path)
    out = tmp_path / "van-ban"
    for year in YEARS:
        assert main(["docs", "--config", str(config), "--year", str(year), "--out", str(out)]) == 1  # drafts
    assert main(["docs", "--config", str(config), "--phase", "1", "--out", str(out)]) == 1
    printed = _words(capsys.readouterr().out)
    assert "trùng" not in printed and "chưa sau hạn" not in printed  # 15/BC-UBND in 2026 and in 2027: numbers restart
    seen: dict[tuple[str, int], str] = {}
    for year in YEARS:
        deadline = dt.date(year, 12, 15)
        for path in sorted(out.glob(f"*-{year}.docx")):
            number, day = _number_and_date(path)
            assert (number, (day or deadline).year) not in {(n, y) for n, y in seen}, (path.name, number)
            seen[(number, day.year if day else year)] = path.name
            if day is not None:  # the biên bản has no date line (Mẫu 1.9)
                assert day > deadline, (path.name, day)
        assert len(list(out.glob(f"*-{year}.docx"))) == 5
    so_ket = out / "so-ket-dan-van-kheo-giai-doan-1.docx"
    assert _number_and_date(so_ket) == ("30/BC-UBND", dt.date(2028, 12, 30))
    assert "(Kèm theo Báo cáo số 30/BC-UBND ngày 30 tháng 12 năm 2028" in _words(docx_text(so_ket))
    # the 2028 decision cites its own year's tờ trình, not 2026's
    decision = _words(docx_text(out / "quyet-dinh-khen-thuong-2028.docx"))
    assert "Tờ trình số 03/TTr-HĐTĐKT ngày 26 tháng 12 năm 2028" in decision and "01/TTr" not in decision
    # the tờ trình: the council's series, the signer's title in the council and position in the People's Committee
    submission = _words(docx_text(out / "to-trinh-khen-thuong-2027.docx"))
    assert "Số: 02/TTr-HĐTĐKT" in submission
    assert "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in submission
    assert "PHÓ CHỦ TỊCH UBND XÃ CAO MINH Lê Thị Hoa" in submission
    assert "- Như trên; - Các thành viên Hội đồng Thi đua - Khen thưởng xã; - Lưu: VT, HĐTĐKT." in submission


@pytest.mark.parametrize(("change", "said"), [
    ({'report_number = "30/BC-UBND"': 'report_number = "21/BC-UBND"'},
     "số 21/BC-UBND trùng với số của báo cáo năm 2028 ([documents.2028] report_number)"),
    ({"report_date = 2028-12-30": "report_date = 2028-12-10"},
     "ngày báo cáo 10/12/2028 chưa sau hạn nộp phiếu năm 2028 (15/12/2028), năm cuối của giai đoạn 1"),
])
def test_a_shared_number_or_an_early_date_keeps_the_phase_review_a_draft(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, str], said: str) -> None:
    config = _campaign(demo, tmp_path, change=change)
    out = tmp_path / "out"
    assert main(["docs", "--config", str(config), "--phase", "1", "--out", str(out), "--final"]) == 1
    printed = _words(capsys.readouterr().out)
    assert "Chưa ghi văn bản nào (--final)" in printed and said in printed, printed
    assert not out.exists()


def test_an_early_date_in_a_year_is_listed(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _campaign(demo, tmp_path, change={"report_date = 2027-12-21": "report_date = 2027-12-01"})
    assert main(["docs", "--config", str(config), "--year", "2027", "--kind", "bao-cao", "--out", str(tmp_path)]) == 1
    printed = _words(capsys.readouterr().out)
    assert ("ngày báo cáo 01/12/2027 chưa sau hạn nộp phiếu năm 2027 (15/12/2027): kết quả năm 2027 chưa khép lại "
            "([documents.2027] report_date)") in printed


def _official(day: dt.date) -> str:
    """Nghị định 30/2020, Phụ lục I, II.4b, written independently of dvk: a leading zero for days < 10 and
    for the months 1 and 2 only."""
    month = f"0{day.month}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _expected_grounds(kind: str, settings_values: dict[str, tuple[str, dt.date]]) -> list[str]:
    data = tomllib.loads((Path(workbook.documents.__file__).parent / "can-cu.toml").read_text(encoding="utf-8"))
    lines = []
    for entry in data["grounds"]:
        assert {"type", "issuer", "title", "documents"} <= set(entry), entry  # NĐ 30, Phụ lục I, II.6a
        if kind not in entry["documents"]:
            continue
        if entry.get("setting"):
            number, day = settings_values[entry["setting"]]
        else:
            assert entry["number"] and isinstance(entry["date"], dt.date), entry
            number, day = entry["number"], entry["date"]
        title = entry["title"].replace("{commune}", "xã Cao Minh")
        if entry["type"] == "Luật":  # a law: its name and date only
            lines.append(f"Căn cứ Luật {title} {_official(day)};")
        else:
            issuer = entry["issuer"].replace("{commune}", "xã Cao Minh")
            lines.append(f"Căn cứ {entry['type']} số {number} {_official(day)} của {issuer} {title};")
    return lines


def _grounds_read_back(path: Path) -> list[str]:
    doc = Document(str(path))
    return [" ".join(p.text.split()) for p in doc.paragraphs
            if p.text.startswith("Căn cứ ") and all(r.italic for r in p.runs if r.text.strip())]


def test_the_legal_grounds_read_back_equal_the_shipped_data_file(demo: Path, tmp_path: Path) -> None:
    config = _campaign(demo, tmp_path)
    out = tmp_path / "out"
    assert main(["docs", "--config", str(config), "--year", "2028", "--out", str(out)]) == 1
    values = {"plan": ("45/KH-UBND", dt.date(2026, 4, 3)), "regulation": ("02/QyĐ-VHXH", dt.date(2026, 4, 20))}
    decision = _grounds_read_back(out / "quyet-dinh-khen-thuong-2028.docx")
    assert decision == _expected_grounds("quyet-dinh", values)
    assert decision[:4] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền "
        "trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, "
        "khen thưởng;",
        "Căn cứ Nghị định số 129/2025/NĐ-CP ngày 11 tháng 6 năm 2025 của Chính phủ quy định về phân định thẩm quyền của "
        "chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Nội vụ;",
    ]
    assert _grounds_read_back(out / "quyet-dinh-cong-nhan-mo-hinh-2028.docx") == _expected_grounds("cong-nhan", values)
    submission = [" ".join(p.text.split()) for p in Document(str(out / "to-trinh-khen-thuong-2028.docx")).paragraphs
                  if p.text.startswith("Căn cứ ")]
    expected = _expected_grounds("to-trinh", values)
    assert submission[: len(expected)] == expected and len(expected) == 2
    assert submission[len(expected)].startswith("Căn cứ kết quả chấm điểm, xếp loại các đơn vị năm 2028 (Báo cáo số "
                                                "21/BC-UBND ngày 22 tháng 12 năm 2028")
    # the báo cáo cites the plan in full at its first mention (II.6b)
    assert ("Thực hiện Kế hoạch số 45/KH-UBND ngày 03 tháng 4 năm 2026 của Ủy ban nhân dân xã Cao Minh tổ chức thực hiện "
            "Phong trào thi đua “Dân vận khéo”") in _words(docx_text(out / "bao-cao-dan-van-kheo-2028.docx"))


def test_final_writes_only_complete_documents(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _campaign(demo, tmp_path)
    out = tmp_path / "final"
    # the recognition decision: every number, date, name and ground configured, nothing to write by hand
    assert main(["docs", "--config", str(config), "--year", "2028", "--kind", "cong-nhan", "--final", "--out", str(out)]) == 0
    done = out / "quyet-dinh-cong-nhan-mo-hinh-2028.docx"
    text = _words(docx_text(done))
    assert "DỰ THẢO" not in text and "…" not in text and "Số: 161/QĐ-UBND" in text and "CHỦ TỊCH Ma Văn Tuấn" in text
    assert "Điều 1. Công nhận" in text and "“Dân vận khéo” cấp xã năm 2028" in text
    capsys.readouterr()
    # the award decision: results still provisional in the demo (sheets with errors) -> refused, nothing written
    again = tmp_path / "again"
    assert main(["docs", "--config", str(config), "--year", "2028", "--kind", "quyet-dinh", "--final", "--out",
                 str(again)]) == 1
    printed = _words(capsys.readouterr().out)
    assert "Chưa ghi văn bản nào (--final)" in printed and "kết quả còn tạm tính" in printed and not again.exists()
    # without --final the same decision is written as a draft: the mark on the page, the list on the console
    assert main(["docs", "--config", str(config), "--year", "2028", "--kind", "quyet-dinh", "--out", str(again)]) == 1
    printed = _words(capsys.readouterr().out)
    assert f"Đã ghi bản DỰ THẢO: {again / 'quyet-dinh-khen-thuong-2028.docx'}" in printed
    assert "còn thiếu: quyet-dinh-khen-thuong-2028.docx: - kết quả còn tạm tính" in printed
    assert _words(docx_text(again / "quyet-dinh-khen-thuong-2028.docx")).startswith("DỰ THẢO ")


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for LibreOffice")
def test_a_failed_pdf_is_that_documents_error_and_no_old_pdf_is_left(demo: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "quyet-dinh-khen-thuong-2028.pdf"
    old.write_bytes(b"%PDF-1.4 an earlier run's figures" + b" " * 300)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "soffice").write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n", encoding="utf-8")
    (fake / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    assert main(["docs", "--config", str(demo / "docs.toml"), "--kind", "quyet-dinh", "--pdf", "--out", str(out)]) == 1
    printed = _words(capsys.readouterr().out)
    assert ("Không xuất được PDF của quyet-dinh-khen-thuong-2028.docx: LibreOffice không mở được tệp .docx (Error: "
            "source file could not be loaded); đã xóa tệp PDF cũ quyet-dinh-khen-thuong-2028.pdf") in printed
    assert "Đã ghi: " + str(old) not in printed and "Đã ghi bản DỰ THẢO: " + str(old) not in printed
    assert not old.exists() and (out / "quyet-dinh-khen-thuong-2028.docx").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".dvk-pdf-")]  # the temporary folder is gone


def test_a_phase_year_with_no_data_is_a_dash_not_zeros(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New-commune review, defect 18: "Kết quả xếp loại qua các năm" printed 2028 | 0 | 0 | 0 | 0 | 0 | – for a
    year with no data, under a sentence saying there was none."""
    from sync.service import run_sync
    from tests.sync.sync_support import facts_for, filled, settings, write_config

    config = write_config(tmp_path, ["VP-UBND", "HND"])
    for code in ("VP-UBND", "HND"):
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    run_sync(settings(config))
    assert main(["docs", "--config", str(config), "--phase", "1", "--out", str(tmp_path / "vb")]) == 1  # a draft
    capsys.readouterr()
    out = tmp_path / "vb" / "so-ket-dan-van-kheo-giai-doan-1.docx"
    rows = {r["Năm"]: r for r in table_with_header(out, "Năm")}
    assert rows["2026"]["Số đơn vị"] == "2" and rows["2026"]["Xuất sắc"] != "–"
    for year in ("2027", "2028"):
        assert [rows[year][k] for k in ("Số đơn vị", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành")] == ["–"] * 5
    assert "Chưa có dữ liệu năm 2027, 2028" in docx_text(out)
