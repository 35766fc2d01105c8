"""`dvk sheets check`: before the deadline, confirm every Google Sheet (registered or provisioned) is shared with the service
account, has the template's tabs, carries the current template version and the right unit code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemas.errors import DvkError
from schemas.models import Unit
from schemas.text import canonical_code
from workbook.grid import Grid
from workbook.layout import META_VERSION, Layout

from .api import GoogleApi

__all__ = ["SheetCheck", "check_sheets"]


@dataclass(frozen=True)
class SheetCheck:
    code: str
    name: str
    sheet: str | None
    ok: bool
    problems: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "sheet": self.sheet, "ok": self.ok, "problems": list(self.problems)}


def _check_one(api: GoogleApi, layout: Layout, code: str, sheet_id: str) -> list[str]:
    problems: list[str] = []
    titles = api.sheet_titles(sheet_id)
    missing = [t for t in layout.sheets if t not in titles]
    if missing:
        shown = ", ".join(f"“{t}”" for t in missing)
        problems.append(f"Thiếu trang {shown} (có thể đã bị đổi tên hoặc xóa); hãy khôi phục đúng tên trang của mẫu phiếu.")
        return problems
    grid = Grid.from_range_values(layout, api.batch_get(sheet_id, layout.ranges()))
    meta = layout.input(META_VERSION)
    version = grid.get((meta.sheet, meta.cell))
    if not layout.is_current(version):
        problems.append(
            f"Ô {meta.sheet}!{meta.cell} ghi phiên bản mẫu “{version or ''}”, khác mẫu đang dùng "
            f"“{layout.template_version}”. Hãy chép số liệu sang mẫu phiếu mới."
        )
    unit_cell = layout.input("info.unit_code")
    unit = canonical_code(grid.get((unit_cell.sheet, unit_cell.cell)))
    if unit and unit != code:
        problems.append(f"Ô {unit_cell.sheet}!{unit_cell.cell} ghi mã đơn vị “{unit}”, không phải “{code}”.")
    return problems


def check_sheets(units: Mapping[str, Unit], api: GoogleApi, layout: Layout) -> list[SheetCheck]:
    """One result per unit of ``units`` — the registry with the sheets `dvk sheets provision` recorded
    (``write_back.google_units``); units without a sheet are listed as such."""
    out: list[SheetCheck] = []
    for code, unit in units.items():
        if not unit.sheet:
            out.append(SheetCheck(code, unit.name, None, False, ("Chưa đăng ký bảng tính Google (khóa sheet).",)))
            continue
        try:
            problems = _check_one(api, layout, code, unit.sheet)
        except DvkError as err:
            problems = [str(err)]
        out.append(SheetCheck(code, unit.name, unit.sheet, not problems, tuple(problems)))
    return out
