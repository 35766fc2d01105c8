"""`dvk docs` on the demo commune: .docx and PDF in the official form, numbers equal to the master's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.cli import main
from sync.config import load_settings
from sync.demo import run_demo
from sync.ledger import Ledger
from sync.reporting import master_input
from tests.support.libreoffice import soffice
from tests.workbook.documents.docx_support import docx_text, remove_column, reword, table_with_header
from workbook.master import compute
from workbook.master.cells import HEADER_ROW

YEAR = 2028
NAMES = {"chairman": "Ma Văn Tuấn", "council_chair": "Hoàng Văn Minh", "preparer": "Nông Thị Hoa"}
DOCS = """
[documents]
report_number = "15/BC-UBND"
report_date = 2029-01-05
submission_number = "08/TTr-UBND"
submission_date = 2029-01-08
decision_number = "120/QĐ-UBND"
decision_date = 2029-01-10
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo commune (three years synced, masters written) with names and document numbers configured."""
    root = tmp_path_factory.mktemp("demo-docs")
    run_demo(root)
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
        "Phụ lục I", "BẢNG ĐIỂM VÀ XẾP LOẠI CÁC ĐƠN VỊ", "Nơi nhận:", "- Lưu: VT.", "NGƯỜI LẬP BIỂU", "Nông Thị Hoa",
        "(Kèm theo Báo cáo số 15/BC-UBND ngày 05 tháng 01 năm 2029 của UBND xã Cao Minh)",
    ),
    "so-ket-dan-van-kheo-giai-doan-1": (
        "ỦY BAN NHÂN DÂN", "XÃ CAO MINH", "Số: 15/BC-UBND", "Cao Minh, ngày 05 tháng 01 năm 2029", "BÁO CÁO",
        "Sơ kết giai đoạn I (2026–2028) thực hiện", "TM. ỦY BAN NHÂN DÂN", "Ma Văn Tuấn", "Phụ lục I",
        "ĐIỂM, XẾP LOẠI VÀ XU HƯỚNG CỦA CÁC ĐƠN VỊ", "Nơi nhận:",
    ),
    "to-trinh-khen-thuong-2028": (
        "UBND XÃ CAO MINH", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "Số: 08/TTr-UBND", "Cao Minh, ngày 08 tháng 01 năm 2029",
        "TỜ TRÌNH", "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc", "Kính gửi: Chủ tịch",
        "TM. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "Hoàng Văn Minh", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "Nơi nhận:",
        "(Kèm theo Tờ trình số 08/TTr-UBND ngày 08 tháng 01 năm 2029",
    ),
    "quyet-dinh-khen-thuong-2028": (
        "ỦY BAN NHÂN DÂN", "Số: 120/QĐ-UBND", "Cao Minh, ngày 10 tháng 01 năm 2029", "QUYẾT ĐỊNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CAO MINH", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Nghị định số 152/2025/NĐ-CP", "Tờ trình số 08/TTr-UBND ngày 08 tháng 01 năm 2029", "Điều 1.", "Điều 2.",
        "Điều 3.", "Ma Văn Tuấn", "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", "- Như Điều 3;",
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


@pytest.mark.libreoffice
def test_documents_open_in_libreoffice_in_the_official_form(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    soffice()  # skipped without LibreOffice locally, a failure under CI
    out = demo / "van-ban"
    config = str(demo / "docs.toml")
    assert main(["docs", "--config", config, "--year", str(YEAR), "--out", str(out), "--pdf"]) == 0
    assert main(["docs", "--config", config, "--phase", "1", "--out", str(out), "--pdf"]) == 0
    printed = capsys.readouterr().out
    family = _serif_family()
    for stem, expected in EXPECTED.items():
        docx, pdf = out / f"{stem}.docx", out / f"{stem}.pdf"
        assert f"Đã ghi: {pdf}" in printed.replace("\n", "")
        pdf_text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        word_text = _words(docx_text(docx))
        for part in (*COMMON, *expected):
            assert part in word_text, (stem, "docx", part)
            assert part in pdf_text, (stem, "pdf", part)
        assert "{{" not in pdf_text and "{%" not in pdf_text
        # A4, the margins of OFFICE.md, page numbers centred in the top margin from page 2
        lines = _lines(pdf)
        assert {(round(w, 1), round(h, 1)) for _, w, h, *_ in lines} == {(595.3, 841.9)}
        body = [ln for ln in lines if ln[4] >= 20 * MM - 1]
        numbers = [ln for ln in lines if ln[4] < 20 * MM - 1]
        assert all(ln[7].isdigit() and ln[0] > 1 and abs((ln[3] + ln[5]) / 2 - (30 * MM + ln[1] - 15 * MM) / 2) < 3
                   for ln in numbers), numbers
        assert {int(ln[7]) for ln in numbers} == set(range(2, max(ln[0] for ln in lines) + 1))
        assert min(ln[3] for ln in body) >= 30 * MM - 1 and min(ln[3] for ln in body) < 30 * MM + 3
        assert max(ln[5] for ln in body) <= 595.28 - 15 * MM + 1 and max(ln[5] for ln in body) > 595.28 - 15 * MM - 6
        assert max(ln[6] for ln in body) <= 841.89 - 20 * MM + 2  # a line box includes its descent
        # Times New Roman throughout (as this machine renders it)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        names = {f.split()[0].split("+")[-1] for f in fonts}
        assert names and all(n.replace("-", "").startswith(family) for n in names), (stem, names, family)


def _expected(demo: Path) -> dict[str, tuple[str, str, str]]:
    """Unit name → (self score, total, rating) as the master computes them, shown with two decimals."""
    settings = load_settings(demo / "docs.toml", env={})
    with Ledger.open(settings.ledger_path) as ledger:
        results = compute(master_input(settings, ledger, YEAR))

    def shown(value: object) -> str:
        return "" if value is None else f"{float(value):.2f}".replace(".", ",")  # type: ignore[arg-type]

    return {r.row.unit.name: (shown(r.self_total), shown(r.total), r.rating.label) for r in results}


def test_annex_totals_and_ratings_equal_the_master(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--config", str(demo / "docs.toml"), "--out", str(tmp_path)]) == 0
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
        results = compute(master_input(settings, ledger, YEAR))
    top = [r.row.unit.name for r in results if r.eligible][:3]
    assert top and set(top) <= {p["Tập thể, cá nhân được đề nghị"] for p in proposals}
    decision = docx_text(tmp_path / "quyet-dinh-khen-thuong-2028.docx")
    giay_khen = [p for p in proposals if "Bằng khen" not in p["Hình thức"]]
    assert all(p["Tập thể, cá nhân được đề nghị"] in decision for p in giay_khen)


def test_commune_template_is_used(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mau-cua-xa"
    assert main(["docs", "--export-templates", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["bao-cao-giai-doan.docx", "bao-cao.docx", "danh-sach-truong.txt",
                                                        "quyet-dinh.docx", "to-trinh.docx"]
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
    assert main(["docs", "--config", str(config), "--kind", "bao-cao", "--out", str(out)]) == 0
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
    assert main(["docs", "--config", config, "--phase", "1", "--kind", "to-trinh", "--out", str(tmp_path)]) == 2
    assert "--phase chỉ dùng cho báo cáo" in _words(capsys.readouterr().err)
    assert main(["docs", "--config", config, "--year", "2030", "--out", str(tmp_path)]) == 2
    assert "chưa có dữ liệu năm 2030" in _words(capsys.readouterr().err)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # a machine without LibreOffice
    assert main(["docs", "--config", config, "--kind", "quyet-dinh", "--out", str(tmp_path), "--pdf"]) == 1
    text = _words(capsys.readouterr().out)
    assert "Không tìm thấy LibreOffice" in text and (tmp_path / "quyet-dinh-khen-thuong-2028.docx").exists()
    assert not list(tmp_path.glob("*.pdf"))


def test_phase_review_agrees_with_the_phase_workbook(demo: Path, tmp_path: Path) -> None:
    assert main(["docs", "--config", str(demo / "docs.toml"), "--phase", "1", "--out", str(tmp_path)]) == 0
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
    table = table_with_header(doc, "Lĩnh vực")
    assert {(r["Lĩnh vực"], r["Năm"]): (r["Đăng ký"], r["Được công nhận"], r["Nhân rộng"]) for r in table} == models
    trends = {r["Tên đơn vị"]: r for r in table_with_header(doc, "STT")}
    overview = sheet("Tổng hợp giai đoạn")
    assert len(trends) == len(overview) == 26
    for row in overview:
        line = trends[str(row["Tên đơn vị"])]
        for year in (2026, 2027, 2028):
            value = row[f"Điểm {year}"]
            assert line[f"Điểm {year}"] == (f"{value:.2f}".replace(".", ",") if isinstance(value, float | int) else "–")
        assert line["Xu hướng"] == row["Xu hướng"]


def test_names_numbers_and_recipients_from_the_configuration(tmp_path: Path) -> None:
    from sync.documents.build import office, paper

    config = tmp_path / "dvk.toml"
    config.write_text('[commune]\nname = "xã Cao Minh"\nyear = 2027\n\n[documents]\nrecipients = ["Thường trực Đảng ủy xã",'
                      ' "- Ủy ban MTTQ VN xã;"]\ndecision_number = "07/QĐ-UBND"\ndecision_date = 2028-02-03\n', encoding="utf-8")
    settings = load_settings(config, env={})
    submitted = paper(settings, "to-trinh")
    assert submitted.number == "…/TTr-UBND" and submitted.date_line == "Cao Minh, ngày … tháng … năm …"
    assert submitted.recipients == ("- Thường trực Đảng ủy xã;", "- Ủy ban MTTQ VN xã;", "- Lưu: VT.")
    decided = paper(settings, "quyet-dinh")
    assert (decided.number, decided.date_line) == ("07/QĐ-UBND", "Cao Minh, ngày 03 tháng 02 năm 2028")
    names = office(settings)
    assert (names.chairman, names.council_chair, names.preparer) == ("…", "…", "…")
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
    assert main(["docs", "--config", str(copy / "docs.toml"), "--kind", "bao-cao", "--out", str(tmp_path / "out")]) == 0
    assert "chạy dvk report --year 2028" in _words(capsys.readouterr().out)  # the master's ratings catch up then
    rows = {r["Tên đơn vị"]: r for r in table_with_header(tmp_path / "out" / "bao-cao-dan-van-kheo-2028.docx", "STT")}
    before = _expected(demo)["Trạm Y tế"]
    assert rows["Trạm Y tế"]["Tự chấm"] == before[0]
    assert float(rows["Trạm Y tế"]["Tổng điểm"].replace(",", ".")) < float(before[1].replace(",", ".")) - 7
