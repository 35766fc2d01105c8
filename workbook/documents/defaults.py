"""The default templates dvk ships, built by code with python-docx to the official form (``form.py``).

Built, not stored as binary files: the wording and the form are reviewable in a diff, the four templates share
one implementation of OFFICE.md, and what ``dvk docs --export-templates`` writes is exactly what dvk renders.
The wording is only a starting point: the commune edits the exported copies in Word.
"""

from __future__ import annotations

from pathlib import Path

from .form import Form, Run

__all__ = ["DEFAULT_BUILDERS", "build_default"]

_UBND = (Run("ỦY BAN NHÂN DÂN", bold=True), Run("{{ office.commune_upper }}", bold=True))
_COUNCIL = (Run("{{ office.committee }}"), Run("{{ office.council }}", bold=True))
_MOVEMENT = "Phong trào thi đua “Dân vận khéo”"
_UBND_SIGN = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
_COUNCIL_SIGN = ("TM. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "CHỦ TỊCH")


def _annex_signature(f: Form) -> None:
    f.signature(_COUNCIL_SIGN, "{{ office.council_chair }}", recipients=False, left=("NGƯỜI LẬP BIỂU",),
                left_name="{{ office.preparer }}")


def _loop(f: Form, loop: str, *runs: Run | str, cond: str = "") -> None:
    """Paragraphs repeated for each item of ``loop`` (``"f in fields"``)."""
    if cond:
        f.tag(f"{{%p if {cond} %}}")
    f.tag(f"{{%p for {loop} %}}")
    f.text(*runs)
    f.tag("{%p endfor %}")
    if cond:
        f.tag("{%p endif %}")


def _models_annex(f: Form, number: str, heading: str, reference: str, with_year: bool) -> None:
    f.annex_heading(number, ("DANH SÁCH MÔ HÌNH “DÂN VẬN KHÉO”", heading), reference)
    year = (["Năm"], ["{{ m.year }}"], [1.1]) if with_year else ([], [], [])
    f.table(
        ["STT", *year[0], "Tên mô hình", "Đơn vị", "Lĩnh vực", "Tập thể / Cá nhân", "Tình trạng", "Công nhận"],
        ["{{ m.number }}", *year[1], "{{ m.name }}", "{{ m.unit }}", "{{ m.field }}", "{{ m.kind }}", "{{ m.status }}",
         "{{ m.level }}{% if m.decision %} ({{ m.decision }}){% endif %}"],
        [1.0, *year[2], 4.2, 3.2, 2.4, 1.8, 2.0, 2.6], "m in model_list", size=11,
        align=["center", *(["center"] * len(year[0])), "left", "left", "left", "center", "left", "left"],
    )
    f.line("{%p if not model_list %}", before=0)
    f.line(Run("Không có mô hình nào được đăng ký.", italic=True, size=12), align="center")
    f.line("{%p endif %}", before=0)
    _annex_signature(f)


def _exemplars_annex(f: Form, number: str, heading: str, reference: str, with_year: bool) -> None:
    f.annex_heading(number, ("DANH SÁCH ĐIỂN HÌNH “DÂN VẬN KHÉO”", heading), reference)
    year = (["Năm"], ["{{ e.year }}"], [1.1]) if with_year else ([], [], [])
    f.table(
        ["STT", *year[0], "Tên tập thể, cá nhân", "Tập thể / Cá nhân", "Đơn vị", "Lĩnh vực", "Thành tích, cách làm hiệu quả",
         "Công nhận"],
        ["{{ e.number }}", *year[1], "{{ e.name }}", "{{ e.kind }}", "{{ e.unit }}", "{{ e.field }}", "{{ e.achievements }}",
         "{{ e.level }}"],
        [1.0, *year[2], 3.4, 1.8, 3.0, 2.2, 4.4, 1.6], "e in exemplar_list", size=11,
        align=["center", *(["center"] * len(year[0])), "left", "center", "left", "left", "left", "center"],
    )
    f.line("{%p if not exemplar_list %}", before=0)
    f.line(Run("Không có điển hình nào được đăng ký.", italic=True, size=12), align="center")
    f.line("{%p endif %}", before=0)
    _annex_signature(f)


def _fields_and_criteria(f: Form) -> None:
    _loop(f, "f in fields", "- {{ f.name }}: bình quân {{ f.average }}/{{ f.max }} điểm ({{ f.percent }}); "
          "thấp nhất {{ f.lowest }}, cao nhất {{ f.highest }}.")


def annual_report() -> Form:
    f = Form("Báo cáo kết quả Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("BÁO CÁO", f"Kết quả thực hiện {_MOVEMENT} năm {{{{ year }}}}")
    f.text(f"Thực hiện Kế hoạch tổ chức thực hiện {_MOVEMENT} trên địa bàn {{{{ office.commune }}}} giai đoạn 2026-2030, "
           f"Ủy ban nhân dân {{{{ office.commune }}}} báo cáo kết quả thực hiện Phong trào năm {{{{ year }}}} như sau:")
    f.section_title("I. TÌNH HÌNH CHUNG")
    f.text("Năm {{ year }}, toàn xã có {{ units_total }} đơn vị thuộc diện đánh giá ({% for k in kinds %}{{ k.name }}: "
           "{{ k.count }}{% if not loop.last %}; {% endif %}{% endfor %}). Có {{ submitted }} đơn vị nộp phiếu tự đánh giá "
           "({{ on_time }} đúng hạn, {{ late }} trễ hạn), {{ missing }} đơn vị chưa nộp{% if with_errors %}; "
           "{{ with_errors }} phiếu còn lỗi chưa sửa{% endif %}.")
    f.placeholder("công tác lãnh đạo, chỉ đạo, tuyên truyền và triển khai Phong trào trong năm")
    f.section_title("II. KẾT QUẢ THỰC HIỆN")
    f.section_title("1. Kết quả theo lĩnh vực")
    f.text("Điểm bình quân của các đơn vị được chấm điểm là {{ average }} điểm. Kết quả theo từng nhóm tiêu chí:")
    _fields_and_criteria(f)
    f.text("Các tiêu chí thực hiện tốt nhất: {% for c in strongest %}{{ c.code }} – {{ c.title }} (đạt {{ c.percent }} "
           "số điểm tối đa){% if not loop.last %}; {% endif %}{% endfor %}.")
    f.text("Các tiêu chí còn hạn chế: {% for c in weakest %}{{ c.code }} – {{ c.title }} (đạt {{ c.percent }}, "
           "{{ c.zero }} đơn vị 0 điểm){% if not loop.last %}; {% endif %}{% endfor %}.")
    f.placeholder("kết quả nổi bật trên các lĩnh vực kinh tế, văn hóa – xã hội, quốc phòng – an ninh, xây dựng hệ thống chính trị")
    f.section_title("2. Mức độ hài lòng của Nhân dân và giải quyết kiến nghị, phản ánh")
    _loop(f, "p in people", "- {{ p.title }}: {% if p.target_label %}toàn xã {{ p.result_sum }}/{{ p.target_sum }} "
          "({{ p.result_label }} / {{ p.target_label }}){% if p.rate %}, đạt {{ p.rate }}{% endif %}; {% endif %}"
          "điểm bình quân {{ p.average }}/{{ p.max }}.")
    f.section_title("3. Mô hình, điển hình “Dân vận khéo”")
    f.text("Các đơn vị đăng ký {{ models.registered }} mô hình ({{ models.collective }} tập thể, {{ models.individual }} "
           "cá nhân); {{ models.recognised }} mô hình được công nhận, {{ models.outstanding }} mô hình tiêu biểu, "
           "{{ models.replicated }} mô hình được nhân rộng. Có {{ models.exemplars }} điển hình ({{ models.exemplars_collective }} "
           "tập thể, {{ models.exemplars_individual }} cá nhân); {{ models.bonus_units }} đơn vị được cộng điểm thưởng.")
    _loop(f, "m in models.by_field", "- Lĩnh vực {{ m.field }}: {{ m.registered }} mô hình đăng ký, {{ m.recognised }} "
          "được công nhận, {{ m.replicated }} được nhân rộng.")
    f.text("(Danh sách mô hình tại Phụ lục II, điển hình tại Phụ lục III.)")
    f.section_title("4. Kết quả xếp loại")
    _loop(f, "r in ratings", "- {{ r.label }}: {{ r.count }} đơn vị ({{ r.percent }}){% if r.code == 'HTXS' and r.units %}"
          ", gồm: {{ r.units }}{% endif %}.")
    f.line("{%p if quota %}", before=0)
    f.text("{{ quota }}")
    f.line("{%p endif %}", before=0)
    f.text("(Bảng điểm và xếp loại các đơn vị tại Phụ lục I.)")
    f.section_title("III. ĐÁNH GIÁ CHUNG")
    f.section_title("1. Ưu điểm")
    f.placeholder("những ưu điểm nổi bật, cách làm hay")
    f.section_title("2. Hạn chế, tồn tại")
    _loop(f, "s in shortfalls", "- {{ s }}")
    f.placeholder("hạn chế khác và nguyên nhân")
    f.section_title("IV. NHIỆM VỤ NĂM {{ next_year }}")
    f.text(f"1. Tiếp tục quán triệt, triển khai {_MOVEMENT} gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị, thôn, xóm.")
    f.text("2. Phát hiện, bồi dưỡng, nhân rộng các mô hình, điển hình; nâng cao mức độ hài lòng của Nhân dân và chất "
           "lượng giải quyết kiến nghị, phản ánh.")
    f.text("3. Các đơn vị tự đánh giá, nộp phiếu đúng hạn, đầy đủ minh chứng.")
    f.placeholder("nhiệm vụ trọng tâm khác của năm tới")
    f.text(f"Trên đây là báo cáo kết quả thực hiện {_MOVEMENT} năm {{{{ year }}}} của Ủy ban nhân dân {{{{ office.commune }}}}./.")
    f.signature(_UBND_SIGN, "{{ office.chairman }}")
    reference = "(Kèm theo Báo cáo số {{ paper.number }} {{ paper.date }} của UBND {{ office.commune }})"
    year_line = f"{_MOVEMENT.upper()} NĂM {{{{ year }}}}"
    f.annex_heading("I", ("BẢNG ĐIỂM VÀ XẾP LOẠI CÁC ĐƠN VỊ", year_line), reference)
    f.line("{%p if provisional %}", before=0)
    f.line(Run("Kết quả tạm tính: còn đơn vị chưa được thẩm định xong.", italic=True, size=12), align="center")
    f.line("{%p endif %}", before=0)
    f.table(
        ["STT", "Hạng", "Tên đơn vị", "Loại", "Tự chấm", "Tổng điểm", "Xếp loại", "Ghi chú"],
        ["{{ u.number }}", "{{ u.rank }}", "{{ u.name }}", "{{ u.kind }}", "{{ u.self_total }}", "{{ u.total }}",
         "{{ u.rating }}", "{{ u.note }}"],
        [1.0, 1.3, 3.7, 2.1, 1.6, 1.6, 2.8, 3.5], "u in units", size=11,
        align=["center", "center", "left", "left", "right", "right", "left", "left"],
    )
    _annex_signature(f)
    _models_annex(f, "II", year_line, reference, with_year=False)
    _exemplars_annex(f, "III", year_line, reference, with_year=False)
    return f


def phase_report() -> Form:
    f = Form("Báo cáo sơ kết, tổng kết Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("BÁO CÁO", "{{ kind|capitalize }} giai đoạn {{ roman }} ({{ years_text }}) thực hiện",
            f"{_MOVEMENT} trên địa bàn {{{{ office.commune }}}}")
    f.text(f"Thực hiện Kế hoạch tổ chức thực hiện {_MOVEMENT} trên địa bàn {{{{ office.commune }}}} giai đoạn 2026-2030, "
           "Ủy ban nhân dân {{ office.commune }} báo cáo {{ kind }} giai đoạn {{ roman }} ({{ years_text }}) như sau:")
    f.section_title("I. TÌNH HÌNH CHUNG")
    _loop(f, "y in year_lines", "- Năm {{ y.year }}: {% if y.has_data %}{{ y.units_total }} đơn vị thuộc diện đánh giá, "
          "{{ y.submitted }} đơn vị nộp phiếu tự đánh giá; điểm bình quân {{ y.average }}.{% else %}chưa có dữ liệu.{% endif %}")
    f.placeholder("công tác lãnh đạo, chỉ đạo, tuyên truyền trong giai đoạn")
    f.section_title("II. KẾT QUẢ THỰC HIỆN")
    f.section_title("1. Kết quả theo lĩnh vực")
    f.text("Bình quân các năm của giai đoạn, theo từng nhóm tiêu chí:")
    _fields_and_criteria(f)
    f.section_title("2. Mức độ hài lòng của Nhân dân và giải quyết kiến nghị, phản ánh")
    _loop(f, "y in year_lines", "- Năm {{ y.year }}: {% if y.has_data %}tỷ lệ hài lòng {{ y.satisfaction }}; tỷ lệ kiến "
          "nghị, phản ánh giải quyết đúng hạn {{ y.petitions }}.{% else %}chưa có dữ liệu.{% endif %}")
    f.section_title("3. Mô hình, điển hình “Dân vận khéo”")
    f.text("Trong giai đoạn, các đơn vị đăng ký {{ models.registered }} lượt mô hình ({{ models.collective }} tập thể, "
           "{{ models.individual }} cá nhân); {{ models.recognised }} lượt được công nhận, {{ models.outstanding }} tiêu biểu, "
           "{{ models.replicated }} được nhân rộng; {{ models.exemplars }} lượt điển hình. Theo lĩnh vực và năm:")
    f.table(
        ["Lĩnh vực", "Năm", "Đăng ký", "Được công nhận", "Tiêu biểu", "Nhân rộng", "Tập thể", "Cá nhân"],
        ["{{ m.field }}", "{{ m.year }}", "{{ m.registered }}", "{{ m.recognised }}", "{{ m.outstanding }}",
         "{{ m.replicated }}", "{{ m.collective }}", "{{ m.individual }}"],
        [4.0, 1.3, 1.6, 2.0, 1.6, 1.6, 1.6, 1.6], "m in models_by_field_year", size=11,
        align=["left", *(["center"] * 7)],
    )
    f.section_title("4. Kết quả xếp loại qua các năm")
    f.table(
        ["Năm", "Số đơn vị", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành", "Điểm bình quân"],
        ["{{ y.year }}", "{{ y.units_total }}", "{{ y.htxs }}", "{{ y.htt }}", "{{ y.ht }}", "{{ y.kht }}", "{{ y.average }}"],
        [1.5, 1.8, 1.8, 1.8, 2.0, 2.2, 2.2], "y in year_lines", size=11, align=["center"] * 7,
    )
    f.text("So với năm đầu có dữ liệu, {{ improved }} đơn vị tăng điểm, {{ declined }} đơn vị giảm điểm "
           "(chi tiết tại Phụ lục I).{% if missing_years %} Chưa có dữ liệu năm {{ missing_years }}.{% endif %}")
    f.section_title("III. ĐÁNH GIÁ CHUNG")
    f.section_title("1. Ưu điểm")
    f.placeholder("những ưu điểm nổi bật của giai đoạn")
    f.section_title("2. Hạn chế, tồn tại và nguyên nhân")
    f.placeholder("hạn chế, tồn tại và nguyên nhân")
    f.section_title("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    f.placeholder("phương hướng, nhiệm vụ giai đoạn tiếp theo")
    f.text(f"Trên đây là báo cáo {{{{ kind }}}} giai đoạn {{{{ roman }}}} thực hiện {_MOVEMENT} của Ủy ban nhân dân "
           "{{ office.commune }}./.")
    f.signature(_UBND_SIGN, "{{ office.chairman }}")
    reference = "(Kèm theo Báo cáo số {{ paper.number }} {{ paper.date }} của UBND {{ office.commune }})"
    phase_line = "{{ kind_upper }} GIAI ĐOẠN {{ roman }} ({{ years_text }})"
    f.annex_heading("I", ("ĐIỂM, XẾP LOẠI VÀ XU HƯỚNG CỦA CÁC ĐƠN VỊ", phase_line), reference)
    cells, heads, widths = [], [], []
    for i in range(3):
        heads += [f"Điểm {{{{ years[{i}] }}}}", f"Xếp loại {{{{ years[{i}] }}}}"]
        cells += [f"{{{{ t.years[{i}].total }}}}", f"{{{{ t.years[{i}].rating }}}}"]
        widths += [1.5, 1.6]
    f.table(
        ["STT", "Tên đơn vị", *heads, "Xu hướng", "Chênh lệch"],
        ["{{ t.number }}", "{{ t.name }}", *cells, "{{ t.trend }}", "{{ t.change }}"],
        [0.9, 3.6, *widths, 1.6, 1.6], "t in trends", size=10,
        align=["center", "left", *(["center"] * 8)],
    )
    _annex_signature(f)
    _models_annex(f, "II", phase_line, reference, with_year=True)
    _exemplars_annex(f, "III", phase_line, reference, with_year=True)
    return f


def submission() -> Form:
    f = Form("Tờ trình đề nghị khen thưởng Phong trào thi đua “Dân vận khéo”")
    f.heading(_COUNCIL, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("TỜ TRÌNH", "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc",
            f"trong {_MOVEMENT} năm {{{{ year }}}}")
    f.line("Kính gửi: Chủ tịch Ủy ban nhân dân {{ office.commune }}.", align="center", before=0, after=6)
    f.text(f"Căn cứ Kế hoạch tổ chức thực hiện {_MOVEMENT} trên địa bàn {{{{ office.commune }}}} giai đoạn 2026-2030 và "
           "quy định về khen thưởng thực hiện Phong trào;")
    f.text("Căn cứ kết quả chấm điểm, xếp loại các đơn vị năm {{ year }} (Báo cáo số {{ report.number }} {{ report.date }} "
           "của UBND {{ office.commune }});")
    f.text("Hội đồng Thi đua – Khen thưởng {{ office.commune }} kính trình Chủ tịch Ủy ban nhân dân xã như sau:")
    f.section_title("I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI")
    f.text("Năm {{ year }}, {{ units_total }} đơn vị được đánh giá, xếp loại; trong đó:")
    _loop(f, "r in ratings", "- {{ r.label }}: {{ r.count }} đơn vị ({{ r.percent }}).")
    f.text("Có {{ eligible_units }} đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên, đủ điều kiện được đề nghị khen "
           "thưởng. Thứ tự xếp hạng:")
    _loop(f, "u in ranking", "- Hạng {{ u.rank }}: {{ u.name }}, {{ u.total }} điểm, {{ u.rating }}.")
    f.line("{%p if quota %}", before=0)
    f.text("{{ quota }}")
    f.line("{%p endif %}", before=0)
    f.section_title("II. ĐỀ NGHỊ KHEN THƯỞNG")
    f.text("Hội đồng đề nghị khen thưởng {{ proposals_total }} trường hợp ({{ collective }} tập thể, {{ individual }} cá "
           "nhân{% if households %}, {{ households }} hộ gia đình{% endif %}): tặng Giấy khen của Chủ tịch UBND xã "
           "{{ giay_khen }} trường hợp; đề nghị Chủ tịch UBND tỉnh tặng Bằng khen {{ bang_khen }} trường hợp (có danh "
           "sách kèm theo). Danh sách gồm các đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên, các mô hình, điển hình "
           "tiêu biểu đã được công nhận và các trường hợp đơn vị đề nghị.")
    f.line("{%p if giay_khen_quota %}", before=0)
    f.text("Số lượng Giấy khen Hội đồng xét: {{ giay_khen_quota }}; khi bằng điểm ưu tiên cá nhân nữ, tập thể có từ 70% "
           "nữ trở lên (Nghị định số 152/2025/NĐ-CP, Điều 4 khoản 6).")
    f.line("{%p else %}", before=0)
    f.placeholder("số lượng khen thưởng theo quy định của xã; thứ tự ưu tiên khi bằng điểm (nữ, tập thể có từ 70% nữ)")
    f.line("{%p endif %}", before=0)
    f.line("{%p if beyond_quota %}", before=0)
    f.text("Các trường hợp đủ điều kiện nhưng ngoài số lượng Giấy khen, Hội đồng chưa trình:")
    f.line("{%p endif %}", before=0)
    _loop(f, "b in beyond_quota", "- {{ b.subject }}{% if b.unit != b.subject %} ({{ b.unit }}){% endif %}: {{ b.reason }}.")
    f.line("{%p if ineligible %}", before=0)
    f.text("Các trường hợp chưa đủ điều kiện, Hội đồng không trình:")
    f.line("{%p endif %}", before=0)
    _loop(f, "i in ineligible", "- {{ i.subject }}{% if i.unit != i.subject %} ({{ i.unit }}){% endif %}: {{ i.reason }}.")
    f.line("{%p if notes %}", before=0)
    f.text("Ý kiến của Hội đồng:")
    f.line("{%p endif %}", before=0)
    _loop(f, "n in notes", "- {{ n.unit }}: {{ n.note }}")
    f.text("Hội đồng Thi đua – Khen thưởng xã kính trình Chủ tịch Ủy ban nhân dân xã xem xét, quyết định./.")
    f.signature(_COUNCIL_SIGN, "{{ office.council_chair }}")
    f.annex_heading("", ("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", f"{_MOVEMENT.upper()} NĂM {{{{ year }}}}"),
                    "(Kèm theo Tờ trình số {{ paper.number }} {{ paper.date }} của Hội đồng Thi đua – Khen thưởng "
                    "{{ office.commune }})")
    f.line("{%p if provisional %}", before=0)
    f.line(Run("Kết quả tạm tính: còn đơn vị chưa được thẩm định xong.", italic=True, size=12), align="center")
    f.line("{%p endif %}", before=0)
    f.table(
        ["STT", "Tập thể, cá nhân được đề nghị", "Tập thể / Cá nhân", "Đơn vị", "Hình thức", "Tóm tắt thành tích",
         "Mô hình gắn với", "Tổng điểm", "Xếp loại"],
        ["{{ p.number }}", "{{ p.subject }}", "{{ p.kind }}", "{{ p.unit }}", "{{ p.form }}", "{{ p.achievements }}",
         "{{ p.model }}", "{{ p.total }}", "{{ p.rating }}"],
        [1.15, 2.8, 1.6, 2.4, 2.0, 3.1, 2.4, 1.5, 2.2], "p in proposals", size=10,
        align=["center", "left", "center", "left", "left", "left", "left", "right", "left"],
    )
    _annex_signature(f)
    return f


def decision() -> Form:
    f = Form("Quyết định khen thưởng Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("QUYẾT ĐỊNH", "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc",
            f"trong {_MOVEMENT} năm {{{{ year }}}}")
    f.line(Run("CHỦ TỊCH ỦY BAN NHÂN DÂN {{ office.commune_upper }}", bold=True), align="center", before=0, after=6)
    for ground in (
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, "
        "khen thưởng;",
        f"Căn cứ Kế hoạch số …/KH-UBND của Ủy ban nhân dân {{{{ office.commune }}}} về tổ chức thực hiện {_MOVEMENT} trên "
        "địa bàn xã giai đoạn 2026-2030 và quy định về khen thưởng thực hiện Phong trào;",
        "Theo đề nghị của Hội đồng Thi đua – Khen thưởng xã tại Tờ trình số {{ submission.number }} {{ submission.date }}.",
    ):
        f.text(Run(ground, italic=True))
    f.line(Run("QUYẾT ĐỊNH:", bold=True), align="center", before=12, after=6)
    f.text(Run("Điều 1.", bold=True), " Tặng Giấy khen của Chủ tịch Ủy ban nhân dân {{ office.commune }} cho {{ collective }} "
           "tập thể{% if households %}, {{ households }} hộ gia đình{% endif %} và {{ individual - households }} cá nhân "
           f"(có danh sách kèm theo) đã có thành tích xuất sắc trong {_MOVEMENT} năm {{{{ year }}}}.")
    f.text(Run("Điều 2.", bold=True), " Kèm theo Giấy khen, mỗi tập thể, cá nhân được khen thưởng được nhận tiền thưởng "
           "theo quy định hiện hành. Kinh phí khen thưởng chi từ Quỹ thi đua, khen thưởng của xã.")
    f.text(Run("Điều 3.", bold=True), " Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND xã, Trưởng "
           "phòng Văn hóa – Xã hội, Hội đồng Thi đua – Khen thưởng xã, thủ trưởng các đơn vị có liên quan và các tập thể, "
           "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
    f.signature(("CHỦ TỊCH",), "{{ office.chairman }}")
    f.annex_heading("", ("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", f"{_MOVEMENT.upper()} NĂM {{{{ year }}}}"),
                    "(Kèm theo Quyết định số {{ paper.number }} {{ paper.date }} của Chủ tịch UBND {{ office.commune }})")
    f.table(
        ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Thành tích"],
        ["{{ a.number }}", "{{ a.subject }}", "{{ a.unit }}", "{{ a.achievements }}"],
        [1.2, 4.5, 4.0, 6.8], "a in g.awards", size=12, align=["center", "left", "left", "left"],
        groups=("g in groups", "{{ g.roman }}. {{ g.title }}"),
    )
    f.line("{%p if not total %}", before=0)
    f.line(Run("Không có tập thể, cá nhân nào đủ điều kiện.", italic=True, size=12), align="center")
    f.line("{%p endif %}", before=0)
    return f


DEFAULT_BUILDERS = {
    "bao-cao": annual_report,
    "bao-cao-giai-doan": phase_report,
    "to-trinh": submission,
    "quyet-dinh": decision,
}


def build_default(name: str, path: Path) -> Path:
    """Write the default template ``name`` (``bao-cao``, ``bao-cao-giai-doan``, ``to-trinh``, ``quyet-dinh``)."""
    DEFAULT_BUILDERS[name]().save(path)
    return path
