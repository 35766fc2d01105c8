"""Numbers, dates, signers, issuers, recipients and legal grounds of the documents, from dvk.toml; and the
checks of numbers and dates (Nghị định 30/2020/NĐ-CP, Phụ lục I).

    paper(settings, kind, year) -> Paper          number, date line, recipients of one document
    phase_paper(settings, phase, kind) -> Paper   the same for a document of a phase ([documents.phase1])
    signer(settings, role) -> Signer              [documents.signers.<role>] over the defaults
    issuer(settings, kind) -> Issuer              the council, or its standing office, issuing the tờ trình
    grounds(settings, kind, texts) -> (Ground, …)  the căn cứ a document prints
    paper_problems(settings, kind, year)          a date before the period ends, a number shared in a year
    phase_date_problems(settings, phase, kind)    a phase's date before its last year's deadline, or before a
                                                  document it cites

A value nobody configured is a ``blank`` naming the key to set, so the document knows it is a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.office import official_date
from schemas.text import fold
from workbook.documents import Ground, Issuer, LegalText, Office, Paper, Signer, blank, citation
from workbook.master.phase import PHASES

from ..config import Settings
from ..config.settings import DOCUMENT_PREFIXES, PHASE_KINDS

__all__ = [
    "LABELS",
    "config_key",
    "config_warnings",
    "date_text",
    "duplicates",
    "grounds",
    "issuer",
    "office",
    "paper",
    "paper_problems",
    "phase_date_problems",
    "phase_ident",
    "phase_label",
    "phase_paper",
    "phase_problems",
    "plan_ground",
    "signer",
]

#: How the console and the problems name each document.
LABELS = {
    "bao-cao": "báo cáo", "bien-ban": "biên bản họp Hội đồng", "to-trinh": "tờ trình", "quyet-dinh": "quyết định khen thưởng",
    "cong-nhan": "quyết định công nhận mô hình, điển hình",
}
#: The documents a document cites (its date must not be before theirs).
CITES = {"to-trinh": ("bao-cao", "bien-ban"), "quyet-dinh": ("to-trinh",), "bien-ban": ("bao-cao",)}
_SERIES = {"bao-cao": "BC-UBND", "bien-ban": "BB-HĐTĐKT", "quyet-dinh": "QĐ-UBND", "cong-nhan": "QĐ-UBND"}
_COMMON = ("Đảng ủy, HĐND xã", "Ủy ban MTTQ Việt Nam xã", "CT, các PCT UBND xã")


def config_key(settings: Settings, year: int | None, name: str, phase: int | None = None) -> str:
    if phase is not None:
        return f"[documents.phase{phase}] {name}"
    y = year or settings.year
    if y == settings.year and y not in settings.documents.years:
        return f"[documents] {name}"
    return f"[documents.{y}] {name}"


def _name(value: str, what: str) -> str:
    return value.strip() or blank(what)


def office(settings: Settings) -> Office:
    head = settings.letterhead()
    return Office(
        commune=head.commune, commune_upper=head.commune.upper(), province=head.province, committee=head.committee,
        council=head.council,
        chairman=_name(head.chairman, "họ tên Chủ tịch UBND xã ([commune] chairman)"),
        council_chair=_name(head.council_chair, "họ tên Chủ tịch Hội đồng Thi đua - Khen thưởng ([commune] council_chair)"),
        preparer=_name(head.preparer, "họ tên người lập biểu ([commune] preparer)"),
        national_heading=head.national_heading, motto=head.motto,
    )


def _series(settings: Settings, kind: str) -> str:
    if kind != "to-trinh":
        return _SERIES[kind]
    docs = settings.documents
    if docs.submission_series:
        return docs.submission_series
    return "TTr-HĐTĐKT" if docs.submission_issuer == "council" else f"TTr-{docs.standing_office_code}"


def date_text(day: dt.date | None, what: str) -> str:
    return official_date(day, blank=blank(what))


def _paper_of(settings: Settings, kind: str, number: str, day: dt.date | None, key_number: str, key_date: str) -> Paper:
    label = LABELS[kind]
    shown = number or f"{blank(f'số {label} ({key_number})')}/{_series(settings, kind)}"
    date = date_text(day, f"ngày {label} ({key_date})")
    place = settings.letterhead().date_place
    return Paper(number=shown, date_line=f"{place}, {date}", date=date, recipients=_recipients(settings, kind))


def paper(settings: Settings, kind: str, year: int | None = None) -> Paper:
    """The number, date and recipients of ``kind`` for ``year`` (the configured year by default)."""
    y = year or settings.year
    prefix = DOCUMENT_PREFIXES[kind]
    papers = settings.papers(y)
    return _paper_of(settings, kind, getattr(papers, f"{prefix}_number"), getattr(papers, f"{prefix}_date"),
                     config_key(settings, y, f"{prefix}_number"), config_key(settings, y, f"{prefix}_date"))


def phase_paper(settings: Settings, phase: int, kind: str = "bao-cao") -> Paper:
    """The number, date and recipients of ``kind`` of ``phase`` ([documents.phase1]: the sơ kết / tổng kết report,
    the biên bản, tờ trình and quyết định of the phase's awards)."""
    papers = settings.documents.phase_papers(phase)
    prefix = DOCUMENT_PREFIXES[kind]
    return _paper_of(settings, kind, getattr(papers, f"{prefix}_number"), getattr(papers, f"{prefix}_date"),
                     config_key(settings, None, f"{prefix}_number", phase),
                     config_key(settings, None, f"{prefix}_date", phase))


def phase_label(kind: str, phase: int) -> str:
    """How the console and the problems name a document of a phase."""
    if kind == "bao-cao":
        return f"báo cáo {'sơ kết' if phase == 1 else 'tổng kết'} giai đoạn {phase}"
    return f"{LABELS[kind]} giai đoạn {phase}"


def phase_ident(kind: str, phase: int) -> tuple[str, int]:
    """The identity of a phase's document among the numbers checked for duplicates."""
    return (f"giai-doan:{kind}", phase)


def _office_recipient(settings: Settings) -> str:
    head = settings.letterhead()
    text = head.office.strip()
    for suffix in (f", UBND {head.commune}", f", Ủy ban nhân dân {head.commune}"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text or f"{settings.documents.standing_office} (bộ phận Thi đua - Khen thưởng)"


def _defaults(settings: Settings, kind: str) -> tuple[tuple[str, ...], str]:
    """(the default recipients of ``kind``, its archive line)."""
    docs = settings.documents
    if kind == "bao-cao":
        return (*_COMMON, "Các cơ quan, đơn vị được đánh giá", _office_recipient(settings)), "Lưu: VT"
    if kind == "to-trinh":
        members = "Các thành viên Hội đồng Thi đua - Khen thưởng xã"
        archive = "Lưu: VT, HĐTĐKT" if docs.submission_issuer == "council" else f"Lưu: VT, {docs.standing_office_code}"
        return ("Như trên", members), archive
    if kind in ("quyet-dinh", "cong-nhan"):
        return ("Như Điều 3", *_COMMON), "Lưu: VT"
    return (), "Lưu: VT, Hồ sơ"  # bien-ban (Mẫu 1.9)


def _recipients(settings: Settings, kind: str) -> tuple[str, ...]:
    """The defaults of ``kind``, then [documents] recipients and the kind's own list (each once), the "Lưu" line
    last ("- X;" per line, the last "- Lưu: VT."). A configured "Lưu: …" replaces the default one."""
    docs = settings.documents
    defaults, archive = _defaults(settings, kind)
    own = {"bao-cao": docs.report_recipients, "to-trinh": docs.submission_recipients,
           "quyet-dinh": docs.decision_recipients, "cong-nhan": docs.recognition_recipients}.get(kind, ())
    extra = docs.recipients if kind != "bien-ban" else ()
    items: dict[str, str] = {}
    for line in (*defaults, *extra, *own):
        item = line.strip().lstrip("-").strip().rstrip(";.").strip()
        if not item:
            continue
        if fold(item).startswith("luu"):
            archive = item
            continue
        items.setdefault(fold(item), item)
    lines = [*items.values(), archive]
    return tuple(f"- {i}{'.' if n == len(lines) - 1 else ';'}" for n, i in enumerate(lines))


def _signer(settings: Settings, role: str, lines: Sequence[str], name: str, name_key: str, position: str = "") -> Signer:
    own = settings.documents.signers.get(role)
    what = f"họ tên người ký ({name_key})"
    return Signer(
        lines=tuple(own.lines) if own is not None and own.lines else tuple(lines),
        position=own.position if own is not None and own.position is not None else position,
        name=_name(own.name if own is not None and own.name else name, what),
    )


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and fold(a) == fold(b)


def signer(settings: Settings, role: str) -> Signer:
    """Who signs ``role`` (a document kind, or "thu-ky": the minutes' secretary): [documents.signers.<role>]
    over the defaults (Nghị định 30/2020, Phụ lục I, II.7; Phụ lục III, Mẫu 1.2 and 1.9)."""
    head = settings.letterhead()
    docs = settings.documents
    chairman = head.chairman
    if role == "bao-cao":
        return _signer(settings, role, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), chairman, "[commune] chairman")
    if role in ("quyet-dinh", "cong-nhan"):
        return _signer(settings, role, ("CHỦ TỊCH",), chairman, "[commune] chairman")
    if role == "to-trinh" and docs.submission_issuer == "office":
        return _signer(settings, role, ("TRƯỞNG PHÒNG",), "", "[documents.signers.to-trinh] name")
    if role == "to-trinh":
        # an advisory body using the People's Committee's seal: the title in the council and the position in the
        # Committee (Phụ lục I, II.7c), the latter above the name (II.7đ, box 7b)
        chair = head.council_chair
        own = docs.signers.get(role)
        name = own.name if own is not None and own.name else chair
        if _same(name, chairman):
            position = f"CHỦ TỊCH UBND {head.commune.upper()}"
        else:
            position = blank("chức vụ trong UBND xã của người ký tờ trình ([documents.signers.to-trinh] position)")
        return _signer(settings, role, (f"TM. {head.council.upper()}", "CHỦ TỊCH"), chair, "[commune] council_chair",
                       position)
    if role == "bien-ban":
        return _signer(settings, role, ("CHỦ TỌA",), head.council_chair, "[commune] council_chair")
    if role == "thu-ky":
        return _signer(settings, role, ("THƯ KÝ",), head.preparer, "[documents.signers.thu-ky] name")
    raise KeyError(role)


def _heading(name: str) -> str:
    """A body name as the heading prints it: a long one (the column holds about 24 capitals at 13 pt) keeps its
    last two words together, so it breaks as "HỘI ĐỒNG THI ĐUA -" / "KHEN THƯỞNG", never before one word."""
    words = name.split(" ")
    if len(name) <= 24 or len(words) < 3:
        return name
    return " ".join(words[:-2]) + " " + "\u00a0".join(words[-2:])


def issuer(settings: Settings, kind: str = "to-trinh") -> Issuer:
    """The body issuing the tờ trình (the council, or its standing office: [documents] submission_issuer), or the
    council itself (``kind`` "bien-ban")."""
    head = settings.letterhead()
    docs = settings.documents
    if kind == "to-trinh" and docs.submission_issuer == "office":
        name = docs.standing_office.upper()
        return Issuer(parent=head.committee, name=name, heading=_heading(name), running=docs.standing_office,
                      short=docs.standing_office, series=_series(settings, "to-trinh"))
    council = head.council[:1] + head.council[1:].lower().replace("thi đua", "Thi đua").replace("khen thưởng", "Khen thưởng")
    name = head.council.upper()
    return Issuer(parent=head.committee, name=name, heading=_heading(name), running=f"{council} {head.commune}",
                  short="Hội đồng", series=_series(settings, kind))


def grounds(settings: Settings, kind: str, texts: Sequence[LegalText]) -> tuple[Ground, ...]:
    """The legal grounds ``kind`` cites, in the data file's order, the plan and the regulation from settings."""
    return tuple(_ground(settings, t) for t in texts if kind in t.documents)


def _ground(settings: Settings, text: LegalText) -> Ground:
    commune = settings.commune.name
    docs = settings.documents
    number: str | None = None
    date: str | None = None
    if text.setting:
        raw_number = docs.plan_number if text.setting == "plan" else docs.regulation_number
        raw_date = docs.plan_date if text.setting == "plan" else docs.regulation_date
        what = "kế hoạch thực hiện Phong trào" if text.setting == "plan" else "quy định về khen thưởng của xã"
        number = raw_number or blank(f"số {what} ([documents] {text.setting}_number)")
        date = date_text(raw_date, f"ngày {what} ([documents] {text.setting}_date)")
    line = citation(text, commune=commune, number=number, date=date)
    return Ground(text=line, type=text.type, number=number if number is not None else ("" if text.is_law else text.number),
                  date=date if date is not None else official_date(text.date), issuer=text.issuer.replace("{commune}", commune),
                  title=text.title.replace("{commune}", commune))


def plan_ground(settings: Settings, texts: Sequence[LegalText]) -> Ground:
    plan = next((t for t in texts if t.setting == "plan"), None)
    if plan is None:
        plan = LegalText(key="ke-hoach", type="Kế hoạch", number="", date=None, issuer="Ủy ban nhân dân {commune}",
                         title="tổ chức thực hiện Phong trào thi đua “Dân vận khéo” trên địa bàn {commune} giai đoạn "
                               "2026-2030", documents=(), setting="plan")
    return _ground(settings, plan)


# -- checks of numbers and dates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    ident: tuple[str, int]  # (kind, year), or ``phase_ident(kind, n)``
    label: str
    number: str
    date: dt.date | None
    key: str


def _register(settings: Settings) -> list[_Entry]:
    """Every number configured: the [documents] keys (the current year), each [documents.<year>], each phase."""
    docs = settings.documents
    out: list[_Entry] = []
    years = sorted({settings.year, *docs.years})
    for year in years:
        papers = settings.papers(year)
        for kind, prefix in DOCUMENT_PREFIXES.items():
            number = getattr(papers, f"{prefix}_number")
            if number:
                out.append(_Entry((kind, year), f"{LABELS[kind]} năm {year}", number, getattr(papers, f"{prefix}_date"),
                                  config_key(settings, year, f"{prefix}_number")))
    for phase, phase_papers in sorted(docs.phases.items()):
        for kind in PHASE_KINDS:
            prefix = DOCUMENT_PREFIXES[kind]
            number = getattr(phase_papers, f"{prefix}_number")
            if number:
                out.append(_Entry(phase_ident(kind, phase), phase_label(kind, phase), number,
                                  getattr(phase_papers, f"{prefix}_date"),
                                  config_key(settings, None, f"{prefix}_number", phase)))
    return out


def _number_key(number: str) -> str:
    return "".join(number.split()).casefold()


def duplicates(settings: Settings, ident: tuple[str, int]) -> list[str]:
    """The documents sharing ``ident``'s number in the same year of issue (numbers restart every year:
    Nghị định 30/2020, Phụ lục I, II.3a); a date not configured counts as the same year."""
    entries = _register(settings)
    mine = [e for e in entries if e.ident == ident]
    out = []
    for me in mine:
        for other in entries:
            if other.ident == ident or _number_key(other.number) != _number_key(me.number):
                continue
            if me.date is not None and other.date is not None and me.date.year != other.date.year:
                continue
            out.append(f"số {me.number} trùng với số của {other.label} ({other.key}); mỗi văn bản một số riêng")
    return out


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _year_date_problems(settings: Settings, year: int, kind: str) -> list[str]:
    """A date before the year's results are closed (on or before the deadline), or before a document it cites."""
    papers = settings.papers(year)
    prefix = DOCUMENT_PREFIXES[kind]
    day = getattr(papers, f"{prefix}_date")
    if day is None:
        return []
    out = []
    deadline = settings.deadline(year)
    key = config_key(settings, year, f"{prefix}_date")
    if day <= deadline:
        out.append(f"ngày {LABELS[kind]} {_fmt(day)} chưa sau hạn nộp phiếu năm {year} ({_fmt(deadline)}): kết quả năm "
                   f"{year} chưa khép lại ({key})")
    elif day.year > year + 1:
        out.append(f"ngày {LABELS[kind]} {_fmt(day)} cách năm đánh giá {year} quá xa; kiểm tra lại ({key})")
    for cited in CITES.get(kind, ()):
        other = getattr(papers, f"{DOCUMENT_PREFIXES[cited]}_date")
        if other is not None and other > day:
            out.append(f"ngày {LABELS[kind]} {_fmt(day)} trước ngày {LABELS[cited]} {_fmt(other)} mà văn bản này dẫn ({key})")
    return out


def phase_date_problems(settings: Settings, phase: int, kind: str = "bao-cao") -> list[str]:
    """A date of ``kind`` of ``phase`` on or before the deadline of the phase's last year, or before a document
    of the phase it cites (the tờ trình cites the phase's report and minutes, the quyết định the tờ trình)."""
    papers = settings.documents.phase_papers(phase)
    prefix = DOCUMENT_PREFIXES[kind]
    day = getattr(papers, f"{prefix}_date")
    if day is None:
        return []
    key = config_key(settings, None, f"{prefix}_date", phase)
    last = PHASES[phase][1][-1]
    deadline = settings.deadline(last)
    out = []
    label = LABELS[kind] if kind != "bao-cao" else "báo cáo"
    if day <= deadline:
        out.append(f"ngày {label} {_fmt(day)} chưa sau hạn nộp phiếu năm {last} ({_fmt(deadline)}), năm cuối của giai "
                   f"đoạn {phase} ({key})")
    for cited in CITES.get(kind, ()):
        other = getattr(papers, f"{DOCUMENT_PREFIXES[cited]}_date")
        if other is not None and other > day:
            out.append(f"ngày {label} {_fmt(day)} trước ngày {phase_label(cited, phase)} {_fmt(other)} mà văn bản này "
                       f"dẫn ({key})")
    return out


def phase_problems(settings: Settings, kind: str, phase: int) -> tuple[str, ...]:
    """What keeps a document of a phase a draft in its number and date."""
    return tuple([*phase_date_problems(settings, phase, kind), *duplicates(settings, phase_ident(kind, phase))])


def paper_problems(settings: Settings, kind: str, year: int) -> tuple[str, ...]:
    return tuple([*_year_date_problems(settings, year, kind), *duplicates(settings, (kind, year))])


def config_warnings(settings: Settings, kinds: Sequence[str], phase: int | None = None) -> list[str]:
    """Warnings on the signers and the tờ trình's series (of the configured year, or of ``phase``)."""
    out = []
    docs = settings.documents
    if "to-trinh" in kinds and docs.submission_issuer == "council":
        sign, decide = signer(settings, "to-trinh"), signer(settings, "quyet-dinh")
        if _same(sign.name, decide.name):
            out.append(
                f"Người ký tờ trình ({sign.name}, Chủ tịch Hội đồng Thi đua - Khen thưởng) cũng là người ký quyết định "
                "khen thưởng: tờ trình trình cho chính người ký. Có thể để Phó Chủ tịch Hội đồng ký thay "
                "([documents.signers.to-trinh] lines = [\"TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG\", \"KT. CHỦ TỊCH\", "
                "\"PHÓ CHỦ TỊCH\"], name, position), hoặc để cơ quan thường trực trình "
                "([documents] submission_issuer = \"office\").")
    series = _series(settings, "to-trinh")
    number = (settings.documents.phase_papers(phase) if phase is not None else settings.papers()).submission_number
    if "to-trinh" in kinds and number and not number.replace(" ", "").upper().endswith(series.replace(" ", "").upper()):
        out.append(f"Số tờ trình {number} không mang ký hiệu {series} của cơ quan trình: tổ chức tư vấn được dùng con dấu "
                   "của UBND phải lấy hệ thống số riêng (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.3).")
    return out
