"""The commune's letterhead: who issues, who signs, where, whom to ask (OFFICE.md, after Nghị định 30/2020).

One frozen value that every printed thing takes (the master's annexes, the phase reviews, the template's
guide page, the .docx documents), built at the edge from ``[commune]`` and ``[documents]`` in dvk.toml. A
name nobody configured is shown as a visible blank (``BLANK``), never invented.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

__all__ = ["BLANK", "Letterhead", "official_date", "place_name"]

#: What a document shows where the commune has not configured a name or a number yet.
BLANK = "…"

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def place_name(commune: str) -> str:
    """The place of the date line: "xã Cao Minh" → "Cao Minh"."""
    text = commune.strip()
    for prefix in ("xã ", "Xã ", "XÃ ", "phường ", "Phường ", "thị trấn ", "Thị trấn "):
        if text.startswith(prefix):
            return text[len(prefix):].strip()
    return text


def official_date(day: dt.date | None, place: str = "", blank: str = BLANK) -> str:
    """The date line in the official form: "Cao Minh, ngày 05 tháng 01 năm 2027", "ngày 29 tháng 6 năm 2019"
    (blank parts as ``blank``). Nghị định 30/2020, Phụ lục I, II.4b: a day below 10 and the months 1 and 2
    take a leading zero; the months 3–12 do not."""
    if day is None:
        text = f"ngày {blank} tháng {blank} năm {blank}"
    else:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text


class Letterhead(BaseModel):
    """Names and titles of the commune for headings, date lines and signature blocks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    commune: str = "xã Cao Minh"  # "xã Cao Minh"
    province: str = "Thái Nguyên"
    place: str = ""  # date line place; empty: from the commune's name
    people_committee: str = ""  # "UBND XÃ CAO MINH"; empty: from the commune's name
    council: str = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
    chairman: str = ""  # Chủ tịch UBND xã (signs decisions)
    council_chair: str = ""  # Chủ tịch Hội đồng Thi đua – Khen thưởng (signs annexes)
    preparer: str = ""  # người lập biểu
    office: str = ""  # the emulation office the units ask; empty: the default wording
    phone: str = ""
    email: str = ""

    national_heading: str = NATIONAL_HEADING
    motto: str = MOTTO

    @property
    def date_place(self) -> str:
        return self.place or place_name(self.commune)

    @property
    def committee(self) -> str:
        """The People's Committee in capitals: "UBND XÃ CAO MINH"."""
        return self.people_committee or f"UBND {self.commune.upper()}"

    @property
    def contact(self) -> str:
        """Who units ask, as one line: the office, its phone and e-mail when configured."""
        office = self.office or f"Bộ phận Thi đua – Khen thưởng (Phòng Văn hóa – Xã hội), UBND {self.commune}"
        extra = [p for p in (self.phone, self.email) if p]
        return office + (" — " + ", ".join(extra) if extra else "")

    def signer(self, name: str) -> str:
        """A configured name, or the visible blank."""
        return name.strip() or BLANK

    def date_line(self, day: dt.date | None) -> str:
        return official_date(day, self.date_place)
