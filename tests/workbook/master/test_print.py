"""Printed on A4 by LibreOffice: legible text, the charts, the official form on every sheet, no blank page.

One LibreOffice start converts a 30-unit master and a phase review to PDF; ``pdftotext -bbox-layout`` gives
each word's box. A word's box is about 1.11 × the font size for Times New Roman (Liberation Serif), so a box
of at least 8.8 pt means text of at least 8 pt after the print scale.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from schemas.office import Letterhead
from tests.support.libreoffice import soffice
from workbook.master import PHASE_SHEETS, SHEETS, MasterInput, write_master, write_phase_review

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


@pytest.mark.libreoffice
def test_printed_master_and_phase_review_are_legible_and_official(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    data = sample(30)
    data = MasterInput(**{**data.__dict__, "letterhead": LETTERHEAD})
    master = write_master(tmp_path / "tong-hop.xlsx", data).path
    second = MasterInput(**{**sample(30, year=2027, seed=3).__dict__, "letterhead": LETTERHEAD})
    review = write_phase_review(tmp_path / "so-ket.xlsx", 1, {2026: data, 2027: second}).path
    pdfs = _pdf([master, review], tmp_path / "pdf")
    for pdf, sheets in zip(pdfs, (SHEETS, PHASE_SHEETS), strict=True):
        pages = _pages(pdf)
        assert pages, pdf.name
        for n, words in enumerate(pages, start=1):
            assert words, f"{pdf.name}: page {n} is blank"
            horizontal = [h for h, w, text in words if w >= h * 0.6 or len(text) <= 1]
            assert min(horizontal) >= _MIN_BOX, (pdf.name, n, min(horizontal))
        text = "\n".join(" ".join(t for _, _, t in words) for words in pages)
        flat = re.sub(r"\s+", " ", text)
        for k in range(1, len(sheets) + 1):
            assert f"Phụ lục số {k} " in flat, (pdf.name, k)
        for line in ("UBND XÃ CAO MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "NGƯỜI LẬP BIỂU", "CHỦ TỊCH", "Nông Thị Hạnh", "Hoàng Văn Khánh",
                     "Cao Minh, ngày 16 tháng 12 năm"):
            assert flat.count(line) >= len(sheets), (pdf.name, line, flat.count(line))
        assert flat.count("TM. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG") == len(sheets), pdf.name
        assert "2,026" not in flat and "2.026" not in flat, pdf.name  # years without separators
    # the charts are printed: their titles are on the pages of "Biểu đồ" (annex 8, before annex 9)
    texts = [re.sub(r"\s+", " ", " ".join(t for _, _, t in words)) for words in _pages(pdfs[0])]
    start = next(i for i, t in enumerate(texts) if "Phụ lục số 8 " in t)
    end = next(i for i, t in enumerate(texts) if "Phụ lục số 9 " in t)
    joined = " ".join(texts[start:end])
    assert "BIỂU ĐỒ KẾT QUẢ" in texts[start] and end - start <= 4
    for title in ("Số đơn vị theo xếp loại", "Điểm trung bình theo lĩnh vực", "Tổng điểm theo đơn vị"):
        assert title in joined, title
