"""Printed on A4 by LibreOffice: legible text, the charts, the official form on every sheet, no blank page.

One LibreOffice start converts a 30-unit master and a phase review to PDF; ``pdftotext -bbox-layout`` gives
each word's box. A word's box is about 1.11 × the font size for Times New Roman (Liberation Serif), so a box
of at least 8.8 pt means text of at least 8 pt after the print scale (the rules under the heading, drawn with
underscores, are not text). The master's "Chi tiết tiêu chí" and "Biểu đồ" are the report's Phụ lục IV and V;
every other sheet, and every sheet of the phase review, is a working sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from schemas.office import Letterhead
from tests.support.libreoffice import soffice
from workbook.master import PHASE_SHEETS, SHEETS, MasterInput, write_master, write_phase_review
from workbook.master.form import WORKING_SHEET
from workbook.master.writer import REPORT_ANNEXES

from .factory import sample

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_MIN_BOX = 8.8
LETTERHEAD = Letterhead(
    commune="xã Cao Minh", province="tỉnh Thái Nguyên", preparer="Nông Thị Hạnh", council_chair="Hoàng Văn Khánh",
)


def _pdf(paths: list[Path], outdir: Path) -> list[Path]:
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--convert-to",
             "pdf", "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, text=True, timeout=300, check=True,
        )
    return [outdir / f"{p.stem}.pdf" for p in paths]


def _pages(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page: (box height, box width, text) of every word."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [
        [(float(y1) - float(y0), float(x1) - float(x0), text) for x0, y0, x1, y1, text in _WORD.findall(page)]
        for page in _PAGE.findall(xml)
    ]


def _page_numbers(pdf: Path) -> list[tuple[bool, list[tuple[str, float]]]]:
    """Per page: (an annex starts on it, [(word, distance of its centre from the page's centre)] in the top
    margin, above 56 pt: the smallest top margin, portrait 20 mm)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    out = []
    for attrs, body in re.findall(r"<page ([^>]*)>(.*?)</page>", xml, re.S):
        width = float(re.search(r'width="([\d.]+)"', attrs).group(1))  # type: ignore[union-attr]
        words = _WORD.findall(body)
        top = [(t, abs((float(x0) + float(x1)) / 2 - width / 2)) for x0, _, x1, y1, t in words if float(y1) < 56]
        flat = re.sub(r"\s+", " ", " ".join(w[4] for w in words))
        starts = bool(re.search(r"Phụ lục [IVX]+ ", flat)) or WORKING_SHEET in flat
        out.append((starts, top))
    return out


@pytest.mark.libreoffice
def test_printed_master_and_phase_review_are_legible_and_official(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    data = sample(30)
    data = MasterInput(**{**data.__dict__, "letterhead": LETTERHEAD, "report_number": "15/BC-UBND",
                          "report_date": dt.date(2026, 12, 25)})
    master = write_master(tmp_path / "tong-hop.xlsx", data).path
    second = MasterInput(**{**sample(30, year=2027, seed=3).__dict__, "letterhead": LETTERHEAD})
    review = write_phase_review(tmp_path / "so-ket.xlsx", 1, {2026: data, 2027: second}).path
    pdfs = _pdf([master, review], tmp_path / "pdf")
    for pdf, sheets, annexes in zip(pdfs, (SHEETS, PHASE_SHEETS), (REPORT_ANNEXES, {}), strict=True):
        pages = _pages(pdf)
        assert pages, pdf.name
        for n, words in enumerate(pages, start=1):
            assert words, f"{pdf.name}: page {n} is blank"
            horizontal = [h for h, w, text in words if (w >= h * 0.6 or len(text) <= 1) and text.strip("_")]
            assert min(horizontal) >= _MIN_BOX, (pdf.name, n, min(horizontal))
        text = "\n".join(" ".join(t for _, _, t in words) for words in pages)
        flat = re.sub(r"\s+", " ", text)
        working = len(sheets) - len(annexes)
        assert [f"Phụ lục {k} " in flat for k in ("IV", "V")] == [bool(annexes)] * 2, pdf.name
        assert "Phụ lục số" not in flat and "Phụ lục I " not in flat, pdf.name  # I–III are the .docx report's
        assert flat.count(WORKING_SHEET) == working, pdf.name
        for line in ("UBND XÃ CAO MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
            assert flat.count(line) >= len(sheets), (pdf.name, line, flat.count(line))
        # the signatures: on the working sheets only (an annex of the signed report has none: Mẫu 2.1)
        for line in ("NGƯỜI LẬP BIỂU", "Nông Thị Hạnh", "Hoàng Văn Khánh", "Cao Minh, ngày 16 tháng 12 năm"):
            assert flat.count(line) == working, (pdf.name, line, flat.count(line))
        assert flat.count("TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG") == working, pdf.name
        # no software's name, no other province's decision as the method; the method by its thresholds
        assert "QĐ 2579" not in flat, pdf.name
        if annexes:
            assert "Hoàn thành xuất sắc nhiệm vụ từ 95 điểm" in flat, pdf.name
        # no heading broken before its last word (new-commune review, defect 10): the council breaks after its
        # dash or not at all, the national heading stays on one line
        lines = [line.strip() for line in subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                                         text=True, check=True).stdout.splitlines()]
        assert not [line for line in lines if line in ("THƯỞNG", "NAM")], pdf.name
        assert not [line for line in lines if line.endswith(("CHỦ NGHĨA VIỆT", "- KHEN", "– KHEN"))], pdf.name
        assert sum("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines) >= len(sheets), pdf.name
        assert "2,026" not in flat and "2.026" not in flat, pdf.name  # years without separators
        # page numbers: none on an annex's first page, then 2, 3, … centred in the top margin
        numbers = _page_numbers(pdf)
        assert sum(starts for starts, _ in numbers) == len(sheets) and numbers[0][0], pdf.name
        expected = 0
        for n, (starts, top) in enumerate(numbers, start=1):
            expected = 1 if starts else expected + 1
            if starts:
                assert top == [], (pdf.name, n, top)
            else:
                assert [t for t, _ in top] == [str(expected)], (pdf.name, n, top)
                assert top[0][1] < 20, (pdf.name, n, top)  # centred (within the margins' asymmetry, 17 pt)
    attached = "(Kèm theo Báo cáo số 15/BC-UBND ngày 25 tháng 12 năm 2026 của Ủy ban nhân dân xã Cao Minh)"
    master_text = re.sub(r"\s+", " ", " ".join(t for words in _pages(pdfs[0]) for _, _, t in words))
    assert master_text.count(attached) == len(REPORT_ANNEXES)
    annex_iv = master_text[master_text.index("Phụ lục IV "):]
    annex_iv = annex_iv[: annex_iv.index(WORKING_SHEET)]
    assert "dvk" not in annex_iv and "Bộ tiêu chí “" in annex_iv and "Lập lúc" not in annex_iv
    # the charts are printed: their titles are on the pages of "Biểu đồ" (Phụ lục V, before "Lịch sử")
    texts = [re.sub(r"\s+", " ", " ".join(t for _, _, t in words)) for words in _pages(pdfs[0])]
    start = next(i for i, t in enumerate(texts) if "Phụ lục V " in t)
    end = next(i for i, t in enumerate(texts) if i > start and WORKING_SHEET in t)
    joined = " ".join(texts[start:end])
    assert "BIỂU ĐỒ KẾT QUẢ" in texts[start] and end - start <= 4
    for title in ("Số đơn vị theo xếp loại", "Điểm trung bình theo lĩnh vực", "Tổng điểm theo đơn vị"):
        assert title in joined, title


def test_the_score_chart_starts_at_zero_and_names_every_unit(tmp_path: Path) -> None:
    """New-commune review, defect 20: eleven units with totals of 84–103 gave an axis starting at 84 and only
    six of eleven names on "Tổng điểm theo đơn vị" (LibreOffice drops labels that crowd)."""
    import zipfile

    from .factory import master_input, row, unit

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    rows = [row(unit(i), facts={"K1.result": 88 + i, "B1.commune": i % 3, "S1.result": 90 + i % 7}) for i in range(11)]
    master = write_master(tmp_path / "tong-hop.xlsx", master_input(rows)).path
    with zipfile.ZipFile(master) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3 and all('<c:min val="0"/>' in c for c in charts)
    (pdf,) = _pdf([master], tmp_path / "pdf")
    pages = [" ".join(t for _, _, t in words) for words in _pages(pdf)]
    (page,) = [p for p in pages if "Tổng điểm theo đơn vị" in p]
    assert "Xếp hạng" not in page  # the table of totals is on the page before: every name here is the chart's
    missing = [unit(i).name for i in range(11) if " ".join(unit(i).name.split()) not in page]
    assert missing == [], missing
