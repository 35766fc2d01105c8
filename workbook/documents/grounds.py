"""The legal grounds (căn cứ) of the documents, as data: ``can-cu.toml`` shipped with dvk, or the commune's copy.

Each entry is one text as Nghị định 30/2020/NĐ-CP wants it cited (Phụ lục I, Phần I, II.6a): type, number and
symbol, issuer, date and trích yếu; a law is cited by its name and date only. ``citation`` writes the line
after "Căn cứ"; dates follow II.4b (a day below 10 and the months 1 and 2 take a leading zero). The plan and
the commune's own regulation take their number and date from dvk.toml (``setting``); the caller fills them.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from schemas.errors import WorkbookError
from schemas.office import official_date

__all__ = ["CITING_KINDS", "LegalText", "citation", "default_grounds_text", "load_grounds"]

#: The document kinds that print legal grounds.
CITING_KINDS = ("quyet-dinh", "cong-nhan", "to-trinh")
_SETTINGS = ("plan", "regulation")
_KEYS = {"key", "type", "number", "date", "issuer", "title", "documents", "setting", "source"}


@dataclass(frozen=True)
class LegalText:
    key: str
    type: str  # "Luật", "Nghị định", …
    number: str
    date: dt.date | None
    issuer: str
    title: str  # trích yếu; a law: its name without "Luật"
    documents: tuple[str, ...]
    setting: str = ""  # "plan" | "regulation": number and date from dvk.toml
    source: str = ""

    @property
    def is_law(self) -> bool:
        return self.type.casefold() in ("luật", "pháp lệnh")


def citation(text: LegalText, *, commune: str, number: str | None = None, date: str | None = None) -> str:
    """The citation after "Căn cứ": "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "Nghị định số
    152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về …". ``number``/``date`` (already
    formatted, possibly blanks) replace the entry's own (the plan and the regulation)."""
    day = date if date is not None else official_date(text.date)
    title = text.title.replace("{commune}", commune)
    if text.is_law:
        return f"{text.type} {title} {day}"
    issuer = text.issuer.replace("{commune}", commune)
    return f"{text.type} số {number if number is not None else text.number} {day} của {issuer} {title}"


def default_grounds_text() -> str:
    """The shipped ``can-cu.toml`` (to copy and edit)."""
    return resources.files(__package__).joinpath("can-cu.toml").read_text(encoding="utf-8")


def _entry(raw: Any, index: int, label: str) -> LegalText:
    where = f"{label}, mục [[grounds]] thứ {index}"
    if not isinstance(raw, dict):
        raise WorkbookError(f"{where}: không phải một bảng khóa = giá trị.", path=label)
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise WorkbookError(f"{where}: khóa không dùng được: {', '.join(unknown)} (chỉ có {', '.join(sorted(_KEYS))}).",
                            path=label)
    setting = str(raw.get("setting", "")).strip()
    if setting and setting not in _SETTINGS:
        raise WorkbookError(f"{where}: setting = '{setting}' không hợp lệ; chỉ dùng 'plan' hoặc 'regulation'.", path=label)
    required = ("key", "type", "issuer", "title", "documents") if setting else (
        "key", "type", "number", "date", "issuer", "title", "documents")
    missing = [k for k in required if not raw.get(k)]
    if missing:
        raise WorkbookError(f"{where}: thiếu {', '.join(missing)} (căn cứ phải ghi đủ loại, số, ngày, cơ quan ban hành "
                            "và trích yếu: Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.6a).", path=label)
    date = raw.get("date")
    if date is not None and not isinstance(date, dt.date):
        raise WorkbookError(f"{where}: date phải là một ngày dạng 2025-06-14.", path=label)
    documents = raw.get("documents")
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise WorkbookError(f"{where}: documents phải là danh sách, ví dụ [\"quyet-dinh\", \"cong-nhan\"].", path=label)
    wrong = [d for d in documents if d not in CITING_KINDS]
    if wrong:
        raise WorkbookError(f"{where}: documents có {', '.join(wrong)}; chỉ dùng {', '.join(CITING_KINDS)}.", path=label)
    return LegalText(
        key=str(raw["key"]).strip(), type=str(raw["type"]).strip(), number=str(raw.get("number", "")).strip(),
        date=date, issuer=str(raw["issuer"]).strip(), title=str(raw["title"]).strip(), documents=tuple(documents),
        setting=setting, source=str(raw.get("source", "")).strip(),
    )


def load_grounds(path: Path | None = None) -> tuple[LegalText, ...]:
    """The legal grounds of ``path`` (the commune's file), else the shipped ``can-cu.toml``."""
    label = str(path) if path is not None else "can-cu.toml (của dvk)"
    try:
        text = path.read_text(encoding="utf-8-sig") if path is not None else default_grounds_text()
        data = tomllib.loads(text)
    except OSError as err:
        raise WorkbookError(f"Không đọc được tệp căn cứ {label}: {err.strerror or err}.", path=label) from err
    except UnicodeDecodeError as err:
        raise WorkbookError(f"Tệp căn cứ {label} phải lưu bằng mã UTF-8.", path=label) from err
    except tomllib.TOMLDecodeError as err:
        raise WorkbookError(f"Tệp căn cứ {label}: lỗi cú pháp TOML ({err}).", path=label) from err
    entries = data.get("grounds")
    if not isinstance(entries, list) or not entries:
        raise WorkbookError(f"Tệp căn cứ {label}: không có mục [[grounds]] nào.", path=label)
    out = tuple(_entry(raw, i, label) for i, raw in enumerate(entries, 1))
    keys = [e.key for e in out]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise WorkbookError(f"Tệp căn cứ {label}: mã trùng nhau: {', '.join(twice)}.", path=label)
    return out
