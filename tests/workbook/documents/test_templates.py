"""Default templates (OFFICE.md form), the template checker and rendering, without LibreOffice or a ledger."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from workbook.documents import (
    TEMPLATE_CONTEXTS,
    AwardGroup,
    AwardLine,
    DecisionContext,
    Ground,
    Office,
    Paper,
    Signer,
    TemplateError,
    blank,
    check,
    check_template,
    export_templates,
    load_template,
    render,
    render_document,
)

from .docx_support import docx_text, remove_column, reword, table_with_header

BLANK = "…"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def decision_context(*, chairman: str = BLANK, achievements: str = "Dẫn đầu phong trào", number: str = "120/QĐ-UBND",
                     grounds: tuple[Ground, ...] = ()) -> DecisionContext:
    office = Office(
        commune="xã Cao Minh", commune_upper="XÃ CAO MINH", province="Thái Nguyên", committee="UBND XÃ CAO MINH",
        council="HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", chairman=chairman, council_chair=BLANK, preparer=BLANK,
        national_heading="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto="Độc lập - Tự do - Hạnh phúc",
    )
    paper = Paper(number, "Cao Minh, ngày 05 tháng 01 năm 2027", "ngày 05 tháng 01 năm 2027",
                  ("- Như Điều 3;", "- Lưu: VT."))
    submission = Paper("08/TTr-HĐTĐKT", "", "ngày 28 tháng 12 năm 2026", ())
    groups = (
        AwardGroup("Tập thể", "I", (AwardLine(1, "Hội Nông dân & Phụ nữ <xã>", "Hội Nông dân", achievements),)),
        AwardGroup("Cá nhân", "II", (AwardLine(1, "Bà Hoàng Thị Lan", "Thôn Nà Mò", "Vận động hiến đất"),)),
    )
    return DecisionContext(office=office, paper=paper, submission=submission, year=2026, collective=1, individual=1,
                           total=2, groups=groups, signer=Signer(("CHỦ TỊCH",), "", chairman), grounds=grounds,
                           proposer="Hội đồng Thi đua - Khen thưởng xã Cao Minh", awards_text="1 tập thể và 1 cá nhân")


@pytest.mark.parametrize("name", sorted(TEMPLATE_CONTEXTS))
def test_defaults_are_checked_and_follow_the_form(name: str, tmp_path: Path) -> None:
    template = load_template(name)
    check(template, TEMPLATE_CONTEXTS[name])
    path = tmp_path / f"{name}.docx"
    path.write_bytes(template.data)
    doc = Document(str(path))
    section = doc.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin, section.left_margin,
             section.right_margin]
    assert [round(s.mm, 1) for s in sizes if s is not None] == [210, 297, 20, 20, 30, 15]
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("word/styles.xml").decode()
        xml = styles + zf.read("word/document.xml").decode()
    fonts = {f for tag in re.findall(r"<w:rFonts [^>]*>", xml) for f in re.findall(r'w:\w+="([^"]+)"', tag)}
    assert fonts == {"Times New Roman"}
    assert re.search(r'<w:rPrDefault><w:rPr>.*<w:lang w:val="vi-VN"', styles, re.S)  # Word checks Vietnamese
    assert "<w:tblHeader/>" in xml  # annex headers repeat on every page
    # every table row (the signature block too) stays on one page
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.S)
    assert rows and all("<w:cantSplit/>" in r for r in rows)
    # each annex is a section of its own whose pages are numbered from 1 (Phụ lục I, III.1đ)
    annexes = sum(1 for p in doc.paragraphs if re.fullmatch(r"Phụ lục( [IVX]+)?", p.text.strip()))
    assert len(doc.sections) == annexes + 1
    assert all(s._sectPr.find(f"{_W}pgNumType").get(f"{_W}start") == "1" for s in doc.sections[1:])
    text = docx_text(path)
    assert "{{ office.national_heading }}" in text and "{{ office.motto }}" in text and "Nơi nhận:" in text
    assert "Số: {{ paper.number }}" in text
    # a biên bản has no date line (Phụ lục III, Mẫu 1.9); every other document has one
    assert ("{{ paper.date_line }}" in text) is (not name.startswith("bien-ban"))
    # annexes carry no signature of another authority (Mẫu 2.1): only the document's own signer
    assert "NGƯỜI LẬP BIỂU" not in text


def test_render_decision_escapes_and_lists(tmp_path: Path) -> None:
    grounds = (Ground("Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "Luật", "", "ngày 15 tháng 6 năm 2022",
                      "Quốc hội", "Thi đua, khen thưởng"),)
    out = render(load_template("quyet-dinh"), decision_context(chairman="Ma Văn Tuấn", grounds=grounds), tmp_path / "qd.docx")
    text = docx_text(out)
    for part in ("ỦY BAN NHÂN DÂN", "XÃ CAO MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Số: 120/QĐ-UBND", "Cao Minh, ngày 05 tháng 01 năm 2027", "QUYẾT ĐỊNH",
                 "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "Điều 1.", "Điều 2.", "Điều 3.",
                 "cho 1 tập thể và 1 cá nhân", "Ma Văn Tuấn", "- Như Điều 3;",
                 "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", "I. Tập thể", "II. Cá nhân",
                 "(Kèm theo Quyết định số 120/QĐ-UBND ngày 05 tháng 01 năm 2027"):
        assert part in text, part
    assert "{{" not in text and "{%" not in text
    rows = table_with_header(out, "STT")
    assert [r["Tên tập thể, cá nhân"] for r in rows if r["STT"].isdigit()] == [
        "Hội Nông dân & Phụ nữ <xã>", "Bà Hoàng Thị Lan"]


def _highlighted_runs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>(.*?)</w:r>", xml, re.S)
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", r)) for r in runs if '<w:highlight w:val="yellow"/>' in r]


def test_unconfigured_values_are_highlighted_blanks_that_make_a_draft(tmp_path: Path) -> None:
    context = decision_context(chairman=blank("họ tên Chủ tịch UBND xã ([commune] chairman)"),
                               number=f"{blank('số quyết định ([documents] decision_number)')}/QĐ-UBND")
    done = render_document(load_template("quyet-dinh"), context, ("kết quả còn tạm tính: 1 đơn vị",))
    assert done.draft
    assert done.missing == ("số quyết định ([documents] decision_number)", "họ tên Chủ tịch UBND xã ([commune] chairman)",
                            "kết quả còn tạm tính: 1 đơn vị")
    path = tmp_path / "qd.docx"
    path.write_bytes(done.data)
    text = docx_text(path)
    assert text.startswith("DỰ THẢO\n")  # the mark, top of the first page
    assert "Số: …/QĐ-UBND" in text and "(Kèm theo Quyết định số …/QĐ-UBND" in text
    assert "\ue000" not in text and "[documents]" not in text  # the descriptions are for the console only
    # every blank is highlighted: 2 of the number, 1 of the name
    assert _highlighted_runs(path) == ["…", "…", "…"]
    assert text.count("…") == 3
    # a complete document is no draft: no mark, nothing highlighted, nothing listed
    final = render_document(load_template("quyet-dinh"), decision_context(chairman="Ma Văn Tuấn"))
    assert not final.draft and final.missing == ()
    path.write_bytes(final.data)
    assert "DỰ THẢO" not in docx_text(path) and _highlighted_runs(path) == []


def test_unit_text_prints_exactly_as_typed(tmp_path: Path) -> None:
    """docxtpl's own escapes in unit text stay as typed; a Word line break (U+000B) is a line break."""
    typed = "C{_{ 7*7 }_} {_% if 1 %_} {{ 7*7 }} Mô hình\vdòng hai\x07"
    out = render(load_template("quyet-dinh"), decision_context(achievements=typed), tmp_path / "qd.docx")
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "C{_{ 7*7 }_} {_% if 1 %_} {{ 7*7 }} Mô hình" in xml
    assert re.search(r"Mô hình</w:t>\s*<w:br/>\s*<w:t[^>]*>dòng hai</w:t>", xml)  # not "Mô hìnhdòng hai"
    assert "\x07" not in xml and "\ue010" not in xml
    cells = [c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells]
    assert any("Mô hình\ndòng hai" in c for c in cells) and not any("Mô hìnhdòng hai" in c for c in cells)


def _exported(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "mau"
    export_templates(folder)
    return folder / f"{name}.docx"


def test_edited_template_is_used(tmp_path: Path) -> None:
    path = _exported(tmp_path, "quyet-dinh")
    assert (path.parent / "can-cu.toml").is_file()  # the legal grounds, to copy and edit
    reword(path, "Kèm theo Giấy khen, mỗi tập thể", "Mỗi tập thể, cá nhân có tên tại Điều 1")
    remove_column(path, "Đơn vị")
    template = load_template("quyet-dinh", path.parent)
    assert template.source == path
    out = render(template, decision_context(), tmp_path / "qd.docx")
    text = docx_text(out)
    assert "Mỗi tập thể, cá nhân có tên tại Điều 1" in text and "Kèm theo Giấy khen, mỗi tập thể" not in text
    rows = table_with_header(out, "STT")
    assert "Đơn vị" not in rows[0] and any(r["Tên tập thể, cá nhân"] == "Bà Hoàng Thị Lan" for r in rows)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{{ a.subject }}", "{{ a.subjct }}", ("a.subjct", "phần thân, đoạn", "«{{ a.subjct }}»")),
        ("{{ year }}.", "{{ nam }}.", ("«nam»", "không có trường")),
        ("{{ a.unit }}", "{{ a.unit | viet_hoa }}", ("viet_hoa", "bộ lọc")),
        ("{{ a.unit }}", "{{ a.unit }", ("lỗi cú pháp", "phần thân, đoạn", "«{{ a.unit }»")),
        ("{%tr endfor %}", "", ("lỗi cú pháp", "«{%tr for g in groups %}»", "chưa có thẻ đóng {% endfor %}")),
        ("{%tr for a in g.awards %}", "", ("lỗi cú pháp", "{% endfor %} thừa")),
    ],
)
def test_broken_template_names_file_paragraph_and_placeholder(tmp_path: Path, old: str, new: str,
                                                              expected: tuple[str, ...]) -> None:
    path = _exported(tmp_path, "quyet-dinh")
    reword(path, old, new)
    template = load_template("quyet-dinh", path.parent)
    out = tmp_path / "qd.docx"
    with pytest.raises(TemplateError) as info:
        render(template, decision_context(), out)
    message = str(info.value)
    assert str(path) in message and "Chưa ghi văn bản nào" in message
    for part in expected:
        assert part in message, (part, message)
    assert not out.exists()


def test_problem_points_at_the_paragraph(tmp_path: Path) -> None:
    path = _exported(tmp_path, "quyet-dinh")
    reword(path, "Theo đề nghị của", "Theo đề nghị của {{ hoi_dong }}")
    with pytest.raises(TemplateError) as info:
        check_template(path, DecisionContext)
    (problem,) = info.value.problems
    paragraphs = [p for p in docx_text(path).split("\n")]
    assert "{{ hoi_dong }}" in paragraphs[problem.paragraph - 1] and problem.placeholder == "hoi_dong"


def test_not_a_docx(tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "to-trinh.docx").write_text("không phải tệp Word", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"không đọc được tệp \.docx"):
        check(load_template("to-trinh", folder), TEMPLATE_CONTEXTS["to-trinh"])
