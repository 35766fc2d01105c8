"""The default templates dvk ships, built by code with python-docx to the official form (``form.py``).

Built, not stored as binary files: the wording and the form are reviewable in a diff, the templates share
one implementation of OFFICE.md, and what ``dvk docs --export-templates`` writes is exactly what dvk renders.
The wording is only a starting point: the commune edits the exported copies in Word.

The documents of one year's commendation file: báo cáo (UBND), biên bản of the council's meeting (Nghị định
30/2020, Phụ lục III, Mẫu 1.9), tờ trình (the council, or its standing office), quyết định khen thưởng and
quyết định công nhận mô hình, điển hình (the commune chairman, Mẫu 1.2); and the phase review (sơ kết,
tổng kết) with the phase's awards: its biên bản, tờ trình and quyết định, built by the same code with the phase's
wording (“… giai đoạn I (2026-2028)”). Annexes follow Mẫu 2.1 (no signature; a rule under the reference line); the annexes of a report
are numbered in one scheme with the master's printed annexes (I–III here, IV–V from the master).
"""

from __future__ import annotations

from pathlib import Path

from .form import Form, Run

__all__ = ["DEFAULT_BUILDERS", "build_default"]

_UBND = (Run("ỦY BAN NHÂN DÂN", bold=True), Run("{{ office.commune_upper }}", bold=True))
_ISSUER = (Run("{{ issuer.parent }}"), Run("{{ issuer.heading }}", bold=True))
_MOVEMENT = "Phong trào thi đua “Dân vận khéo”"
_DOTS = "……………"


def _loop(f: Form, loop: str, *runs: Run | str, cond: str = "") -> None:
    """Paragraphs repeated for each item of ``loop`` (``"f in fields"``)."""
    if cond:
        f.tag(f"{{%p if {cond} %}}")
    f.tag(f"{{%p for {loop} %}}")
    f.text(*runs)
    f.tag("{%p endfor %}")
    if cond:
        f.tag("{%p endif %}")


def _when(f: Form, cond: str, *runs: Run | str, italic: bool = False, center: bool = False) -> None:
    """A paragraph printed only when ``cond`` holds."""
    f.tag(f"{{%p if {cond} %}}")
    if center:
        f.line(*(Run(r, italic=italic, size=12) if isinstance(r, str) else r for r in runs), align="center")
    else:
        f.text(*(Run(r, italic=italic) if isinstance(r, str) else r for r in runs))
    f.tag("{%p endif %}")


def _grounds(f: Form, loop: str = "g in grounds") -> None:
    f.tag(f"{{%p for {loop} %}}")
    f.text(Run("Căn cứ {{ g.text }};", italic=True))
    f.tag("{%p endfor %}")


def _models_annex(f: Form, number: str, heading: str, reference: str, with_year: bool) -> None:
    f.annex_heading(number, ("DANH SÁCH MÔ HÌNH “DÂN VẬN KHÉO”", heading), reference, landscape=True)
    year = (["Năm"], ["{{ m.year }}"], [1.5]) if with_year else ([], [], [])
    f.table(
        ["STT", *year[0], "Tên mô hình", "Đơn vị", "Lĩnh vực", "Tập thể / Cá nhân", "Tình trạng", "Công nhận"],
        ["{{ m.number }}", *year[1], "{{ m.name }}", "{{ m.unit }}", "{{ m.field }}", "{{ m.kind }}", "{{ m.status }}",
         "{{ m.level }}{% if m.decision %} ({{ m.decision }}){% endif %}"],
        [1.3, *year[2], 6.0, 4.0, 3.4, 2.2, 3.0, 5.0], "m in model_list", size=11,
        align=["center", *(["center"] * len(year[0])), "left", "left", "left", "center", "left", "left"],
    )
    _when(f, "not model_list", "Không có mô hình nào được đăng ký.", italic=True, center=True)


def _exemplars_annex(f: Form, number: str, heading: str, reference: str, with_year: bool) -> None:
    f.annex_heading(number, ("DANH SÁCH ĐIỂN HÌNH “DÂN VẬN KHÉO”", heading), reference, landscape=True)
    year = (["Năm"], ["{{ e.year }}"], [1.5]) if with_year else ([], [], [])
    f.table(
        ["STT", *year[0], "Tên tập thể, cá nhân", "Tập thể / Cá nhân", "Đơn vị", "Lĩnh vực", "Thành tích, cách làm hiệu quả",
         "Công nhận"],
        ["{{ e.number }}", *year[1], "{{ e.name }}", "{{ e.kind }}", "{{ e.unit }}", "{{ e.field }}", "{{ e.achievements }}",
         "{{ e.level }}"],
        [1.3, *year[2], 4.4, 2.2, 3.6, 3.0, 8.0, 2.2], "e in exemplar_list", size=11,
        align=["center", *(["center"] * len(year[0])), "left", "center", "left", "left", "left", "center"],
    )
    _when(f, "not exemplar_list", "Không có điển hình nào được đăng ký.", italic=True, center=True)


def _fields(f: Form, *, with_models: bool) -> None:
    """The plan's four fields, then the other groups in one sentence (the people's section has its own)."""
    models = "{% if f.models %}; {{ f.models }}{% endif %}" if with_models else ""
    _loop(f, "f in fields if f.group == 'plan'", "- Lĩnh vực {{ f.name }}: bình quân {{ f.average }}/{{ f.max }} điểm "
          "({{ f.percent }}); thấp nhất {{ f.lowest }}, cao nhất {{ f.highest }}" + models + ".")
    _when(f, "fields|selectattr('group', 'equalto', 'other')|first",
          "- Các nhóm tiêu chí khác: {% for g in fields if g.group == 'other' %}{{ g.name }} bình quân {{ g.average }}/"
          "{{ g.max }} điểm ({{ g.percent }}){% if not loop.last %}; {% endif %}{% endfor %}.")


def _provisional(f: Form, cond: str = "provisional", *, annex: bool = False) -> None:
    _when(f, cond, "Kết quả còn tạm tính: có đơn vị còn lỗi trong phiếu hoặc chưa được thẩm định xong; các con số "
          "có thể thay đổi khi Hội đồng thẩm định xong.", italic=True, center=annex)


def annual_report() -> Form:
    f = Form("Báo cáo kết quả Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("BÁO CÁO", f"Kết quả thực hiện {_MOVEMENT} năm {{{{ year }}}}")
    f.text("Thực hiện {{ plan.text }}, Ủy ban nhân dân {{ office.commune }} báo cáo kết quả thực hiện Phong trào "
           "năm {{ year }} như sau:")
    f.section_title("I. TÌNH HÌNH CHUNG")
    f.text("Năm {{ year }}, toàn xã có {{ units_total }} đơn vị thuộc diện đánh giá ({% for k in kinds %}{{ k.name }}: "
           "{{ k.count }}{% if not loop.last %}; {% endif %}{% endfor %}). Có {{ submitted }} đơn vị nộp phiếu tự đánh giá"
           "{% if late %} ({{ on_time }} đúng hạn, {{ late }} trễ hạn){% endif %}{% if missing %}, {{ missing }} đơn vị "
           "chưa nộp{% endif %}{% if with_errors %}; {{ with_errors }} phiếu còn lỗi chưa sửa{% endif %}.")
    f.placeholder("công tác lãnh đạo, chỉ đạo, tuyên truyền và triển khai Phong trào trong năm")
    f.section_title("II. KẾT QUẢ THỰC HIỆN")
    f.section_title("1. Kết quả theo lĩnh vực")
    f.text("Điểm bình quân của các đơn vị được chấm điểm là {{ average }} điểm. Kết quả theo các lĩnh vực của Kế hoạch:")
    _fields(f, with_models=True)
    f.text("Các tiêu chí thực hiện tốt nhất: {% for c in strongest %}{{ c.title }} (đạt {{ c.percent }} số điểm tối đa)"
           "{% if not loop.last %}; {% endif %}{% endfor %}.")
    f.text("Các tiêu chí còn hạn chế: {% for c in weakest %}{{ c.title }} (đạt {{ c.percent }}{% if c.zero %}, "
           "{{ c.zero }} đơn vị không có điểm{% endif %}){% if not loop.last %}; {% endif %}{% endfor %}.")
    f.placeholder("kết quả nổi bật trên các lĩnh vực kinh tế, văn hóa - xã hội, quốc phòng - an ninh, xây dựng hệ thống "
                  "chính trị")
    f.section_title("2. Mức độ hài lòng của Nhân dân và giải quyết kiến nghị, phản ánh")
    _loop(f, "p in people", "- {{ p.title }}: {% if p.counts %}{{ p.counts }}{% else %}{% if p.target_label %}"
          "{{ p.result_label }}: {{ p.result_sum }}, {{ p.target_label|lower }}: {{ p.target_sum }}{% if p.rate %}, đạt "
          "{{ p.rate }}{% endif %}; {% endif %}điểm bình quân {{ p.average }}/{{ p.max }}{% endif %}.")
    f.section_title("3. Mô hình, điển hình “Dân vận khéo”")
    f.text("{{ models.summary }} (Theo lĩnh vực tại mục 1; danh sách mô hình tại Phụ lục II, điển hình tại Phụ lục III.)")
    f.section_title("4. Kết quả xếp loại")
    _loop(f, "r in ratings", "- {{ r.label }}: {{ r.count }} đơn vị ({{ r.percent }}){% if r.code == 'HTXS' and r.units %}"
          ", gồm: {{ r.units }}{% endif %}.")
    _when(f, "quota", "{{ quota }}")
    _provisional(f)
    f.text("(Bảng điểm và xếp loại các đơn vị tại Phụ lục I; điểm theo từng tiêu chí tại Phụ lục IV và biểu đồ kết quả "
           "tại Phụ lục V.)")
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
    f.signature()
    reference = "(Kèm theo Báo cáo số {{ paper.number }} {{ paper.date }} của Ủy ban nhân dân {{ office.commune }})"
    year_line = f"{_MOVEMENT.upper()} NĂM {{{{ year }}}}"
    f.annex_heading("I", ("BẢNG ĐIỂM VÀ XẾP LOẠI CÁC ĐƠN VỊ", year_line), reference)
    _provisional(f, annex=True)
    f.table(
        ["STT", "Hạng", "Tên đơn vị", "Loại", "Tự chấm", "Tổng điểm", "Xếp loại", "Ghi chú"],
        ["{{ u.number }}", "{{ u.rank }}", "{{ u.name }}", "{{ u.kind }}", "{{ u.self_total }}", "{{ u.total }}",
         "{{ u.rating }}", "{{ u.note }}"],
        [1.2, 1.3, 3.3, 1.9, 1.6, 1.6, 3.3, 3.5], "u in units", size=11,
        align=["center", "center", "left", "left", "right", "right", "left", "left"],
    )
    _models_annex(f, "II", "NĂM {{ year }}", reference, with_year=False)
    _exemplars_annex(f, "III", "NĂM {{ year }}", reference, with_year=False)
    return f


def phase_report() -> Form:
    f = Form("Báo cáo sơ kết, tổng kết Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("BÁO CÁO", "{{ period }} thực hiện", f"{_MOVEMENT} trên địa bàn {{{{ office.commune }}}}")
    f.text("Thực hiện {{ plan.text }}, Ủy ban nhân dân {{ office.commune }} báo cáo {{ period_lower }} như sau:")
    f.text("{{ convention }}")
    f.section_title("I. TÌNH HÌNH CHUNG")
    _loop(f, "y in year_lines", "- Năm {{ y.year }}: {% if y.has_data %}{{ y.units_total }} đơn vị thuộc diện đánh giá, "
          "{{ y.submitted }} đơn vị nộp phiếu tự đánh giá; điểm bình quân {{ y.average }}.{% else %}chưa có dữ liệu.{% endif %}")
    f.placeholder("công tác lãnh đạo, chỉ đạo, tuyên truyền trong giai đoạn")
    f.section_title("II. KẾT QUẢ THỰC HIỆN")
    f.section_title("1. Kết quả theo lĩnh vực")
    f.text("Bình quân các năm của giai đoạn, theo các lĩnh vực của Kế hoạch:")
    _fields(f, with_models=False)
    f.section_title("2. Mức độ hài lòng của Nhân dân và giải quyết kiến nghị, phản ánh")
    _loop(f, "y in year_lines", "- Năm {{ y.year }}: {% if y.has_data %}tỷ lệ hài lòng {{ y.satisfaction }}; tỷ lệ kiến "
          "nghị, phản ánh giải quyết đúng hạn {{ y.petitions }}.{% else %}chưa có dữ liệu.{% endif %}")
    f.section_title("3. Mô hình, điển hình “Dân vận khéo”")
    f.text("Trong giai đoạn: {{ models.summary }} Theo lĩnh vực và năm:")
    f.table(
        ["Lĩnh vực", "Năm", "Đăng ký", "Được công nhận", "Tiêu biểu", "Nhân rộng", "Tập thể", "Cá nhân"],
        ["{{ m.field }}", "{{ m.year }}", "{{ m.registered }}", "{{ m.recognised }}", "{{ m.outstanding }}",
         "{{ m.replicated }}", "{{ m.collective }}", "{{ m.individual }}"],
        [4.0, 1.5, 1.8, 2.1, 1.8, 1.8, 1.7, 1.7], "m in models_by_field_year", size=11,
        align=["left", *(["center"] * 7)],
    )
    f.section_title("4. Kết quả xếp loại qua các năm")
    f.table(
        ["Năm", "Số đơn vị", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành", "Điểm bình quân"],
        # a year with no data prints "–", not a row of zeros (new-commune review, defect 18)
        ["{{ y.year }}", *(f"{{{{ y.{k} if y.has_data else '–' }}}}" for k in ("units_total", "htxs", "htt", "ht", "kht")),
         "{{ y.average }}"],
        [1.6, 1.8, 1.8, 1.6, 2.1, 2.4, 2.2], "y in year_lines", size=11, align=["center"] * 7,
    )
    f.text("Cộng dồn theo giai đoạn (lượt; mỗi năm đánh giá tính một lần):")
    f.table(
        ["Giai đoạn", "Lượt đơn vị", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành", "Lượt mô hình",
         "Được công nhận"],
        ["{{ p.name }}", "{{ p.unit_years }}", "{{ p.htxs }}", "{{ p.htt }}", "{{ p.ht }}", "{{ p.kht }}", "{{ p.models }}",
         "{{ p.recognised }}"],
        [3.6, 1.6, 1.5, 1.4, 1.8, 2.0, 1.6, 1.8], "p in phase_lines", size=11,
        align=["left", *(["center"] * 7)],
    )
    f.text("So với năm đầu có dữ liệu ({{ trend_text }}), {{ improved }} đơn vị tăng điểm, {{ declined }} đơn vị giảm "
           "điểm (chi tiết tại Phụ lục I).{% if missing_years %} Chưa có dữ liệu năm {{ missing_years }}.{% endif %}")
    f.section_title("III. ĐÁNH GIÁ CHUNG")
    f.section_title("1. Ưu điểm")
    f.placeholder("những ưu điểm nổi bật của giai đoạn")
    f.section_title("2. Hạn chế, tồn tại và nguyên nhân")
    f.placeholder("hạn chế, tồn tại và nguyên nhân")
    f.section_title("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    f.placeholder("phương hướng, nhiệm vụ giai đoạn tiếp theo")
    f.text(f"Trên đây là báo cáo {{{{ period_lower }}}} thực hiện {_MOVEMENT} của Ủy ban nhân dân "
           "{{ office.commune }}./.")
    f.signature()
    reference = "(Kèm theo Báo cáo số {{ paper.number }} {{ paper.date }} của Ủy ban nhân dân {{ office.commune }})"
    phase_line = "{{ period|upper }}"
    f.annex_heading("I", ("ĐIỂM, XẾP LOẠI VÀ XU HƯỚNG CỦA CÁC ĐƠN VỊ", phase_line), reference, landscape=True)
    cells, heads, widths = [], [], []
    for i in range(3):
        heads += [f"Điểm {{{{ years[{i}] }}}}", f"Xếp loại {{{{ years[{i}] }}}}"]
        cells += [f"{{{{ t.years[{i}].total }}}}", f"{{{{ t.years[{i}].rating }}}}"]
        widths += [1.8, 2.6]
    f.table(
        ["STT", "Tên đơn vị", *heads, "Xu hướng {{ trend_text }}", "Chênh lệch"],
        ["{{ t.number }}", "{{ t.name }}", *cells, "{{ t.trend }}", "{{ t.change }}"],
        [1.3, 4.6, *widths, 2.0, 2.0], "t in trends", size=11,
        align=["center", "left", *(["center"] * 8)],
    )
    _models_annex(f, "II", phase_line, reference, with_year=True)
    _exemplars_annex(f, "III", phase_line, reference, with_year=True)
    return f


def _what(phase: bool) -> str:
    """What the documents are about, after the movement's name: "năm 2026", "giai đoạn I (2026-2028)"."""
    return "{{ period }}" if phase else "năm {{ year }}"


def _year_lines(f: Form) -> None:
    """The ratings of each year a phase weighs, one line a year."""
    _loop(f, "y in year_lines", "- Năm {{ y.year }}: {% if y.has_data %}{{ y.units_total }} đơn vị được đánh giá; Hoàn "
          "thành xuất sắc nhiệm vụ: {{ y.htxs }}, Hoàn thành tốt nhiệm vụ: {{ y.htt }}, Hoàn thành nhiệm vụ: {{ y.ht }}, "
          "Không hoàn thành nhiệm vụ: {{ y.kht }}.{% else %}chưa có dữ liệu.{% endif %}")


def minutes(phase: bool = False) -> Form:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng (Mẫu 1.9): no date line; the votes are blanks to fill. ``phase``:
    the meeting on the awards at the end of a phase (the candidates over it, their mean and results per year)."""
    f = Form("Biên bản họp Hội đồng Thi đua - Khen thưởng")
    f.heading(_ISSUER, "Số: {{ paper.number }}", None)
    f.title("BIÊN BẢN", "Họp Hội đồng Thi đua - Khen thưởng xét đề nghị khen thưởng",
            f"{_MOVEMENT} {_what(phase)}")
    f.text(f"Thời gian bắt đầu: {_DOTS} giờ {_DOTS} phút, {{{{ date_text }}}}.")
    f.line(f"Địa điểm: {_DOTS * 5}", align="left", indent=True)
    f.text("Thành phần tham dự: các thành viên Hội đồng Thi đua - Khen thưởng {{ office.commune }}, gồm:")
    f.table(
        ["STT", "Họ và tên, chức vụ", "Có mặt", "Vắng mặt (lý do)"],
        ["{{ m.number }}", f"{{% if m.name %}}{{{{ m.name }}}}{{% else %}}{_DOTS}{_DOTS}{{% endif %}}", "", ""],
        [1.3, 8.5, 2.2, 4.5], "m in members", size=12, align=["center", "left", "center", "left"],
    )
    f.text("Chủ trì (chủ tọa): {{ chair.name }}.")
    f.text("Thư ký (người ghi biên bản): {{ secretary.name }}.")
    f.text(Run("Nội dung:", bold=True))
    if phase:
        f.text("1. Thường trực Hội đồng báo cáo kết quả {{ kind }} (Báo cáo số {{ report.number }} {{ report.date }} của "
               "Ủy ban nhân dân {{ office.commune }}) và kết quả chấm điểm, xếp loại các đơn vị các năm {{ years_text }}:")
        _year_lines(f)
        f.text("{{ scope }}")
    else:
        f.text("1. Thường trực Hội đồng báo cáo kết quả chấm điểm, xếp loại các đơn vị năm {{ year }} (Báo cáo số "
               "{{ report.number }} {{ report.date }} của Ủy ban nhân dân {{ office.commune }}): {{ units_total }} đơn vị "
               "được đánh giá; {% for r in ratings %}{% if r.count %}{{ r.label }}: {{ r.count }}{% if not loop.last %}; "
               "{% endif %}{% endif %}{% endfor %}.")
    _provisional(f)
    f.text("2. Hội đồng thảo luận và biểu quyết từng trường hợp được đề xuất khen thưởng:")
    f.table(
        ["STT", "Tập thể, cá nhân được đề xuất", "Đơn vị", "Căn cứ đề xuất",
         "Điểm bình quân; kết quả các năm" if phase else "Điểm, xếp loại", "Hình thức",
         "Tán thành (phiếu)", "Không tán thành (phiếu)"],
        ["{{ c.number }}", "{{ c.name }}", "{{ c.unit }}", "{{ c.source }}", "{{ c.score }}; {{ c.rating }}", "{{ c.form }}",
         "", ""],
        [1.1, 3.2, 2.6, 1.8, 2.8, 2.4, 1.8, 1.8], "c in candidates", size=11,
        align=["center", "left", "left", "left", "left", "left", "center", "center"],
    )
    _when(f, "not candidates", "Không có trường hợp nào đủ điều kiện để đưa ra biểu quyết.", italic=True)
    _when(f, "not_proposed", "Các trường hợp chưa đủ điều kiện, không đưa ra biểu quyết:")
    _loop(f, "c in not_proposed", "- {{ c.name }}{% if c.unit != c.name %} ({{ c.unit }}){% endif %}: {{ c.reason }}.")
    f.text("3. Ý kiến của các thành viên Hội đồng:")
    for _ in range(3):
        f.line(_DOTS * 6, align="left")
    f.text(Run("4. Kết luận:", bold=True), f" Hội đồng thống nhất đề nghị Chủ tịch Ủy ban nhân dân xã tặng Giấy khen cho "
           f"{_DOTS} tập thể, {_DOTS} cá nhân; đề nghị Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen cho {_DOTS} "
           f"trường hợp (có danh sách kèm theo Tờ trình của Hội đồng).")
    f.text(f"Cuộc họp kết thúc vào {_DOTS} giờ {_DOTS} phút cùng ngày. Biên bản đã được đọc lại và được các thành viên "
           "dự họp thông qua./.")
    f.signature("chair", recipients=False, left="secretary", recipients_below=True)
    return f


def submission(phase: bool = False) -> Form:
    """Tờ trình đề nghị khen thưởng of a year, or (``phase``) at the end of a phase: the units eligible over it by
    their mean total, the models and exemplars of the phase, no nominations (they are the years')."""
    f = Form("Tờ trình đề nghị khen thưởng Phong trào thi đua “Dân vận khéo”")
    f.heading(_ISSUER, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("TỜ TRÌNH", "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc",
            f"trong {_MOVEMENT} {_what(phase)}")
    f.line("Kính gửi: Chủ tịch Ủy ban nhân dân {{ office.commune }}.", align="center", before=0, after=6)
    _grounds(f)
    if phase:
        f.text("Căn cứ kết quả chấm điểm, xếp loại các đơn vị các năm {{ years_text }} (Báo cáo {{ kind }} số "
               "{{ report.number }} {{ report.date }} của Ủy ban nhân dân {{ office.commune }}) và Biên bản họp Hội đồng "
               "Thi đua - Khen thưởng số {{ minutes.number }} {{ minutes.date }},")
    else:
        f.text("Căn cứ kết quả chấm điểm, xếp loại các đơn vị năm {{ year }} (Báo cáo số {{ report.number }} "
               "{{ report.date }} của Ủy ban nhân dân {{ office.commune }}) và Biên bản họp Hội đồng Thi đua - Khen thưởng "
               "số {{ minutes.number }} {{ minutes.date }},")
    f.text("{{ issuer.running }} kính trình Chủ tịch Ủy ban nhân dân xã như sau:")
    f.section_title("I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI")
    if phase:
        f.text("Kết quả đánh giá, xếp loại các đơn vị trong {{ period }}:")
        _year_lines(f)
        f.text("{{ scope }}")
        f.text("Có {{ eligible_units }} đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên ở tất cả các năm có kết quả "
               "của giai đoạn, đủ điều kiện được đề nghị khen thưởng. Thứ tự theo điểm bình quân:")
        _loop(f, "u in ranking", "- Hạng {{ u.rank }}: {{ u.name }}, bình quân {{ u.average }} điểm ({{ u.results }}).")
    else:
        f.text("Năm {{ year }}, {{ units_total }} đơn vị được đánh giá, xếp loại; trong đó:")
        _loop(f, "r in ratings", "- {{ r.label }}: {{ r.count }} đơn vị ({{ r.percent }}).")
        f.text("Có {{ eligible_units }} đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên, đủ điều kiện được đề nghị "
               "khen thưởng. Thứ tự xếp hạng:")
        _loop(f, "u in ranking", "- Hạng {{ u.rank }}: {{ u.name }}, {{ u.total }} điểm, {{ u.rating }}.")
        _when(f, "quota", "{{ quota }}")
    _provisional(f)
    f.section_title("II. ĐỀ NGHỊ KHEN THƯỞNG")
    if phase:
        f.text("{{ issuer.short }} đề nghị tặng Giấy khen của Chủ tịch Ủy ban nhân dân xã {{ proposals_text }} (có danh "
               "sách kèm theo). Danh sách gồm các đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên ở tất cả các năm "
               "của giai đoạn, các mô hình đã được công nhận đạt mức tiêu biểu, đề nghị khen thưởng hoặc được nhân rộng "
               "và các điển hình được công nhận trong giai đoạn. {{ nominations }}")
    else:
        f.text("{{ issuer.short }} đề nghị khen thưởng {{ proposals_text }}{% if forms_text %}: {{ forms_text }}{% endif %} "
               "(có danh sách kèm theo). Danh sách gồm các đơn vị xếp loại từ Hoàn thành tốt nhiệm vụ trở lên, các mô "
               "hình, điển hình tiêu biểu đã được công nhận và các trường hợp đơn vị đề nghị.")
    f.line("{%p if giay_khen_quota %}", before=0)
    f.text("Số lượng Giấy khen Hội đồng xét: {{ giay_khen_quota }}; khi bằng điểm ưu tiên cá nhân nữ, tập thể có từ 70% "
           "nữ trở lên (Nghị định số 152/2025/NĐ-CP, Điều 4 khoản 6).")
    f.line("{%p else %}", before=0)
    f.placeholder("số lượng khen thưởng theo quy định của xã; thứ tự ưu tiên khi bằng điểm (nữ, tập thể có từ 70% nữ)")
    f.line("{%p endif %}", before=0)
    _when(f, "beyond_quota", "Các trường hợp đủ điều kiện nhưng ngoài số lượng Giấy khen, {{ issuer.short }} chưa trình:")
    _loop(f, "b in beyond_quota", "- {{ b.subject }}{% if b.unit != b.subject %} ({{ b.unit }}){% endif %}: {{ b.reason }}.")
    _when(f, "ineligible", "Các trường hợp chưa đủ điều kiện, {{ issuer.short }} không trình:")
    _loop(f, "i in ineligible", "- {{ i.subject }}{% if i.unit != i.subject %} ({{ i.unit }}){% endif %}: {{ i.reason }}.")
    if not phase:
        _when(f, "notes", "Ý kiến của Hội đồng:")
        _loop(f, "n in notes", "- {{ n.unit }}: {{ n.note }}")
    f.text("{{ issuer.running }} kính trình Chủ tịch Ủy ban nhân dân xã xem xét, quyết định./.")
    f.signature()
    what = "{{ period|upper }}" if phase else "NĂM {{ year }}"
    f.annex_heading("", ("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", f"{_MOVEMENT.upper()} {what}"),
                    "(Kèm theo Tờ trình số {{ paper.number }} {{ paper.date }} của {{ issuer.running }})", landscape=True)
    _provisional(f, annex=True)
    f.table(
        ["STT", "Tập thể, cá nhân được đề nghị", "Tập thể / Cá nhân", "Đơn vị", "Hình thức", "Tóm tắt thành tích",
         "Mô hình gắn với", "Nguồn đề nghị", "Nữ / tập thể ≥ 70% nữ",
         *(("Điểm bình quân", "Kết quả các năm") if phase else ("Tổng điểm", "Xếp loại"))],
        ["{{ p.number }}", "{{ p.subject }}", "{{ p.kind }}", "{{ p.unit }}", "{{ p.form }}", "{{ p.achievements }}",
         "{{ p.model }}", "{{ p.source }}", "{{ p.female }}", "{{ p.total }}", "{{ p.rating }}"],
        [1.1, 3.0, 1.8, 2.5, 2.3, 3.6, 2.8, 2.3, 1.6, 1.7, 2.6], "p in proposals", size=11,
        align=["center", "left", "center", "left", "left", "left", "left", "left", "center", "right", "left"],
    )
    return f


def decision(phase: bool = False) -> Form:
    """Quyết định khen thưởng (the commune chairman, Mẫu 1.2) of a year, or (``phase``) at the end of a phase."""
    f = Form("Quyết định khen thưởng Phong trào thi đua “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("QUYẾT ĐỊNH", "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc",
            f"trong {_MOVEMENT} {_what(phase)}")
    f.line(Run("CHỦ TỊCH ỦY BAN NHÂN DÂN {{ office.commune_upper }}", bold=True), align="center", before=0, after=6)
    _grounds(f)
    f.text(Run("Theo đề nghị của {{ proposer }} tại Tờ trình số {{ submission.number }} {{ submission.date }}.",
               italic=True))
    f.line(Run("QUYẾT ĐỊNH:", bold=True), align="center", before=12, after=6)
    f.text(Run("Điều 1.", bold=True), " Tặng Giấy khen của Chủ tịch Ủy ban nhân dân {{ office.commune }} cho {{ awards_text }} "
           f"(có danh sách kèm theo) đã có thành tích xuất sắc trong {_MOVEMENT} {_what(phase)}.")
    f.text(Run("Điều 2.", bold=True), " Kèm theo Giấy khen, mỗi tập thể, cá nhân được khen thưởng được nhận tiền thưởng "
           "theo quy định hiện hành. Kinh phí khen thưởng chi từ Quỹ thi đua, khen thưởng của xã.")
    f.text(Run("Điều 3.", bold=True), " Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND xã, Trưởng "
           "phòng Văn hóa - Xã hội, Hội đồng Thi đua - Khen thưởng xã, thủ trưởng các đơn vị có liên quan và các tập thể, "
           "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
    f.signature()
    f.annex_heading("", ("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", f"{_MOVEMENT.upper()} {'{{ period|upper }}' if phase else 'NĂM {{ year }}'}"),
                    "(Kèm theo Quyết định số {{ paper.number }} {{ paper.date }} của Chủ tịch Ủy ban nhân dân "
                    "{{ office.commune }})")
    f.table(
        ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Thành tích"],
        ["{{ a.number }}", "{{ a.subject }}", "{{ a.unit }}", "{{ a.achievements }}"],
        [1.3, 4.5, 4.0, 6.7], "a in g.awards", size=12, align=["center", "left", "left", "left"],
        groups=("g in groups", "{{ g.roman }}. {{ g.title }}"),
    )
    return f


def recognition() -> Form:
    """Quyết định công nhận mô hình, điển hình “Dân vận khéo” (Mẫu 1.2, the commune chairman)."""
    f = Form("Quyết định công nhận mô hình, điển hình “Dân vận khéo”")
    f.heading(_UBND, "Số: {{ paper.number }}", "{{ paper.date_line }}")
    f.title("QUYẾT ĐỊNH", "Về việc công nhận mô hình, điển hình “Dân vận khéo”", "năm {{ year }}")
    f.line(Run("CHỦ TỊCH ỦY BAN NHÂN DÂN {{ office.commune_upper }}", bold=True), align="center", before=0, after=6)
    _grounds(f)
    f.text(Run("Theo đề nghị của {{ proposer }}.", italic=True))
    f.line(Run("QUYẾT ĐỊNH:", bold=True), align="center", before=12, after=6)
    f.text(Run("Điều 1.", bold=True), " Công nhận {{ counts_text }} “Dân vận khéo” cấp xã năm {{ year }} (có danh sách kèm "
           "theo).")
    f.text(Run("Điều 2.", bold=True), " Các tập thể, cá nhân có mô hình, điển hình được công nhận có trách nhiệm duy trì, "
           f"phát huy, chia sẻ cách làm hiệu quả để nhân rộng trong {_MOVEMENT}.")
    f.text(Run("Điều 3.", bold=True), " Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND xã, Trưởng "
           "phòng Văn hóa - Xã hội, thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu "
           "trách nhiệm thi hành Quyết định này./.")
    f.signature()
    f.annex_heading("", ("DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO”", "ĐƯỢC CÔNG NHẬN NĂM {{ year }}"),
                    "(Kèm theo Quyết định số {{ paper.number }} {{ paper.date }} của Chủ tịch Ủy ban nhân dân "
                    "{{ office.commune }})")
    f.table(
        ["STT", "Tên mô hình, điển hình", "Tập thể / Cá nhân", "Đơn vị", "Lĩnh vực"],
        ["{{ m.number }}", "{{ m.name }}", "{{ m.subject }}", "{{ m.unit }}", "{{ m.field }}"],
        [1.2, 5.6, 2.0, 3.8, 3.9], "m in g.entries", size=12, align=["center", "left", "center", "left", "left"],
        groups=("g in groups", "{{ g.roman }}. {{ g.title }}"),
    )
    return f


DEFAULT_BUILDERS = {
    "bao-cao": annual_report,
    "bao-cao-giai-doan": phase_report,
    "bien-ban": minutes,
    "to-trinh": submission,
    "quyet-dinh": decision,
    "cong-nhan": recognition,
    "bien-ban-giai-doan": lambda: minutes(phase=True),
    "to-trinh-giai-doan": lambda: submission(phase=True),
    "quyet-dinh-giai-doan": lambda: decision(phase=True),
}


def build_default(name: str, path: Path) -> Path:
    """Write the default template ``name`` (one of ``DEFAULT_BUILDERS``)."""
    DEFAULT_BUILDERS[name]().save(path)
    return path
