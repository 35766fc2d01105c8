"""The template as printed and as previewed: LibreOffice converts the blank, a pre-filled and a filled template
to PDF (one start for all) and recalculates them; the pages are read with pdfplumber.

- no text under 8 pt on any page, no blank page;
- "Hướng dẫn" is not cut on either side (its lines start with their first characters);
- the totals block and signatures of "Chấm điểm" are on one page;
- the contact office comes from the letterhead;
- the cached results of the formulas equal LibreOffice's recalculated values.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from schemas import Rubric
from schemas.office import Letterhead
from tests.support.libreoffice import recalc_many, soffice
from workbook.fill import fill_template
from workbook.layout import Layout
from workbook.template import write_template

from .sheet_support import TABLES, UNITS, valid_values

pdfplumber = pytest.importorskip("pdfplumber")

pytestmark = pytest.mark.libreoffice

LETTERHEAD = Letterhead(
    commune="xã Tân Lập", office="Văn phòng HĐND và UBND xã Tân Lập", phone="0208.3861114",
    email="p-vhxh@tanlap.gov.vn",
)


def _to_pdf(paths: list[Path], outdir: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, check=True, timeout=900,
        )
    return [outdir / f"{p.stem}.pdf" for p in paths]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("print")
    blank = write_template(root / "trong.xlsx", rubric, year=2026, letterhead=LETTERHEAD)
    unit = write_template(root / "don-vi.xlsx", rubric, year=2027, unit=UNITS["HND"], letterhead=LETTERHEAD)
    values = valid_values()
    values["info.contact"] = "0208.3861114 — p-vhxh@tanlap.gov.vn, chị Nguyễn Thị Hoa (cán bộ văn phòng)"
    tables = {"models": [{**TABLES["models"][0], "content": "Tổ chức các lớp hướng dẫn người dân dùng dịch vụ công "
                                                             "trực tuyến, thanh toán không dùng tiền mặt " * 2}]}
    filled = fill_template(blank, root / "da-dien.xlsx", values, tables)
    long_contact = Letterhead(
        commune="xã Tân Lập", office="Văn phòng HĐND và UBND xã Tân Lập (bộ phận Thi đua – Khen thưởng, phòng 203, "
        "nhà B, trụ sở UBND xã)", phone="0210 3 826 555 hoặc 0912 345 678 (đồng chí Nguyễn Thị Hà, công chức Văn hóa – "
        "Xã hội)", email="thiduakhenthuong.tanlap@phutho.gov.vn",
    )
    contact = write_template(root / "lien-he-dai.xlsx", rubric, year=2026, unit=UNITS["HND"], letterhead=long_contact)
    files = [blank, unit, filled, contact]
    pdfs = _to_pdf(files, root / "pdf")
    pages: dict[str, list[dict[str, Any]]] = {}
    for path, pdf_path in zip(files, pdfs, strict=True):
        with pdfplumber.open(pdf_path) as pdf:
            pages[path.stem] = [
                {"text": p.extract_text() or "", "sizes": [c["size"] for c in p.chars if c["text"].strip()]}
                for p in pdf.pages
            ]
    return {"files": dict(zip(("blank", "unit", "filled", "contact"), files, strict=True)), "pages": pages, "root": root}


def test_no_text_under_8_pt_and_no_blank_page(printed: dict[str, Any]) -> None:
    for name, pages in printed["pages"].items():
        assert len(pages) <= 20, (name, len(pages))
        for n, page in enumerate(pages, start=1):
            assert page["sizes"], f"{name}: page {n} is blank"
            assert min(page["sizes"]) >= 8.0, (name, n, min(page["sizes"]))


def test_guide_is_not_cut_and_names_the_configured_office(printed: dict[str, Any]) -> None:
    first = printed["pages"]["trong"][0]["text"]
    lines = first.splitlines()
    assert lines[0].startswith("HƯỚNG DẪN ĐIỀN PHIẾU"), lines[0]
    assert any(line.startswith("Hạn gửi phiếu:") for line in lines), lines[:8]
    assert any(line.startswith("1. Chỉ nhập vào các ô nền vàng") for line in lines)
    flat = " ".join(lines)
    assert "Văn phòng HĐND và UBND xã Tân Lập — 0208.3861114, p-vhxh@tanlap.gov.vn" in flat
    assert "Phòng Văn hóa – Xã hội" not in flat  # no office wording of another commune


def test_totals_and_signatures_on_one_page(printed: dict[str, Any]) -> None:
    for name in ("trong", "da-dien"):
        pages = [p["text"] for p in printed["pages"][name]]
        with_totals = [i for i, t in enumerate(pages) if "Tổng điểm chuẩn" in t]
        assert len(with_totals) == 1, name
        page = pages[with_totals[0]]
        for text in ("Điểm thưởng", "Điểm trừ", "TỔNG ĐIỂM", "Số tiêu chí chuẩn được 0 điểm", "Xếp loại tự đánh giá",
                     "Tân Lập, ngày … tháng … năm …", "NGƯỜI LẬP BIỂU", "NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ"):
            assert text in page, (name, text)
        assert "(1) Chỉ tiêu" in page or "(1) Chỉ" in page  # the slot header renders as plain digits


def test_blank_template_prints_no_score(printed: dict[str, Any]) -> None:
    page = next(p["text"] for p in printed["pages"]["trong"] if "Tổng điểm chuẩn" in p["text"])
    assert "Không hoàn thành nhiệm vụ" not in page
    assert "0.00" not in page and "0,00" not in page


def _values(path: Path) -> dict[tuple[str, str], Any]:
    wb = load_workbook(path, data_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value.strip() if isinstance(cell.value, str) else cell.value  # LibreOffice trims
                out[(ws.title, cell.coordinate)] = value if value != "" else None
    return out


def test_cached_values_equal_libreoffice(printed: dict[str, Any], layout: Layout) -> None:
    files = printed["files"]
    originals = [files["blank"], files["unit"]]
    computed = recalc_many(originals, printed["root"] / "lo")
    for original, recalculated in zip(originals, computed, strict=True):
        formulas = load_workbook(original)
        cached, expected = _values(original), _values(recalculated)
        n = 0
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        key = (ws.title, cell.coordinate)
                        assert cached[key] == expected[key], (original.name, key, cached[key], expected[key])
                        n += 1
        assert n >= 30, n
    unit = _values(files["unit"])
    assert unit[("Chấm điểm", "A2")] == "Đơn vị: Hội Nông dân"
    assert unit[("Chấm điểm", "A1")].endswith("NĂM 2027")
    assert unit[("Mô hình", "A2")] == "Đơn vị: Hội Nông dân"
    assert unit[("Chấm điểm", layout.output("rating").cell)] is None  # blank until facts are typed


def _column_text(pdf_path: Path, *, landscape: bool, scale: float, before: list[float], width: float,
                 marker: str) -> str:
    """The text printed in one column (its x-range on the page) of the pages holding ``marker``, no spaces."""
    import re

    from workbook.styles import MARGINS_MM, column_points

    left = MARGINS_MM["landscape" if landscape else "portrait"][0] / 25.4 * 72
    x0 = left + sum(column_points(w) for w in before) * scale / 100
    x1 = x0 + column_points(width) * scale / 100
    out = ""
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            if marker in (page.extract_text() or ""):
                out += page.crop((x0 - 3, 0, min(x1 + 4, page.width), page.height)).extract_text() or ""
    return re.sub(r"\s+", "", out)


def test_wrapped_text_is_not_clipped(printed: dict[str, Any], rubric: Rubric) -> None:
    """Rows are tall enough: every criterion's title and rule, and a long contact, print whole."""
    import re

    from workbook.template_score import _WIDTHS, rule_text

    files = printed["files"]
    pdf = printed["root"] / "pdf" / "da-dien.pdf"
    score = load_workbook(files["filled"])["Chấm điểm"]
    scale = score.page_setup.scale
    widths = [_WIDTHS[k] for k in ("code", "field", "title", "max_points", "what")]
    titles = _column_text(pdf, landscape=True, scale=scale, before=widths[:2], width=widths[2], marker="Nội dung tiêu chí")
    rules = _column_text(pdf, landscape=True, scale=scale, before=widths[:4], width=widths[4], marker="Nội dung tiêu chí")
    for c in rubric.criteria:
        assert re.sub(r"\s+", "", c.title) in titles, c.code
        assert re.sub(r"\s+", "", rule_text(rubric, c)) in rules, c.code
    info = load_workbook(files["filled"])["Thông tin đơn vị"]
    contact = _column_text(pdf, landscape=False, scale=info.page_setup.scale,
                           before=[info.column_dimensions[x].width for x in "AB"], width=info.column_dimensions["C"].width,
                           marker="THÔNG TIN ĐƠN VỊ")
    assert "0208.3861114—p-vhxh@tanlap.gov.vn,chịNguyễnThịHoa(cánbộvănphòng)" in contact


def test_a_long_contact_line_keeps_the_guide_on_one_page(printed: dict[str, Any]) -> None:
    """New-commune review, defect 13: a three-line contact line pushed "Kiểm tra trước khi gửi" and the version
    line onto an almost empty second page."""
    pages = [p["text"] for p in printed["pages"]["lien-he-dai"]]
    assert "Kiểm tra trước khi gửi" in pages[0] and "Mẫu phiếu:" in pages[0]
    assert "THÔNG TIN ĐƠN VỊ" in pages[1]


def test_continuation_pages_of_mo_hinh_carry_a_whole_instruction(printed: dict[str, Any]) -> None:
    """New-commune review, defect 13: the instruction was cut mid-word on the pages the repeated columns
    continue ("Mỗi dòng một mô hình, nhập từ dòng 5, khôn")."""
    for name in ("trong", "lien-he-dai"):
        pages = [p["text"] for p in printed["pages"][name] if "MÔ HÌNH NĂM" in p["text"]]
        assert len(pages) >= 2, name  # "Mô hình" prints across pages
        first, *rest = pages
        assert "Không bỏ dòng trống" in first
        for page in rest:
            instruction = next(line for line in page.splitlines() if line.startswith("Mỗi dòng"))
            assert instruction.strip() == "Mỗi dòng một mô hình, từ dòng 5.", (name, instruction)
