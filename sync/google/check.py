"""`dvk sheets check`: before the deadline, confirm every unit's Google Sheet (registered or provisioned) is
readable, has the template's tabs, carries the current template version and the right unit code.

For a sheet dvk made (``dvk sheets provision``) it also checks what dvk set up: that the sheet still exists and
is not in the trash, that the shares dvk granted are there (and which other shares exist), that its drop-downs
and protection are as the layout says (:mod:`sync.google.protection`), and that no other sheet carries the
same unit's tag (a duplicate an older dvk left). ``repair=True`` puts drop-downs and protection back; a gone
sheet or a removed share is repaired by ``dvk sheets provision``, which the message says.

Requests per sheet: two Sheets reads (tabs and protection; values and drop-downs), and for a sheet dvk made
two Drive reads (the file, its permissions), plus one Drive listing per folder for the duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas.errors import DvkError
from schemas.models import Unit
from schemas.text import canonical_code
from workbook.layout import META_VERSION, Layout

from ..ledger.sheets import SheetRecord
from .api import GoogleApi, spreadsheet_id_from
from .protection import SheetState, apply_requests, inspect, read_state, repair_requests
from .writes import file_info, list_created, permissions

__all__ = ["SheetCheck", "check_sheets"]

_ROLE = {"owner": "chủ sở hữu", "writer": "chỉnh sửa", "commenter": "nhận xét", "reader": "xem"}
_PROVISION = "chạy “dvk sheets provision” để"


@dataclass(frozen=True)
class SheetCheck:
    code: str
    name: str
    sheet: str | None
    ok: bool
    problems: tuple[str, ...]
    repaired: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "sheet": self.sheet, "ok": self.ok, "problems": list(self.problems),
                "repaired": list(self.repaired), "duplicates": list(self.duplicates)}


def _content(layout: Layout, state: SheetState, code: str) -> list[str]:
    problems: list[str] = []
    missing = [t for t in layout.sheets if t not in state.tabs]
    if missing:
        shown = ", ".join(f"“{t}”" for t in missing)
        return [f"Thiếu trang {shown} (có thể đã bị đổi tên hoặc xóa); hãy khôi phục đúng tên trang của mẫu phiếu."]
    meta = layout.input(META_VERSION)
    version = state.value(meta.sheet, meta.cell)
    if not layout.is_current(version):
        problems.append(
            f"Ô {meta.sheet}!{meta.cell} ghi phiên bản mẫu “{version or ''}”, khác mẫu đang dùng "
            f"“{layout.template_version}”. Hãy chép số liệu sang mẫu phiếu mới."
        )
    unit_cell = layout.input("info.unit_code")
    unit = canonical_code(state.value(unit_cell.sheet, unit_cell.cell))
    if unit and unit != code:
        problems.append(f"Ô {unit_cell.sheet}!{unit_cell.cell} ghi mã đơn vị “{unit}”, không phải “{code}”.")
    return problems


def _shares(perms: list[dict[str, Any]], unit: Unit, rec: SheetRecord, owner: str | None,
            reader: str | None) -> list[str]:
    """What differs from the shares dvk grants: missing or changed ones, and shares dvk did not make."""
    problems: list[str] = []
    by_email = {str(p.get("emailAddress", "")).lower(): p for p in perms if p.get("emailAddress")}
    wanted: dict[str, tuple[str, ...]] = {}
    if unit.email:
        wanted[unit.email.lower()] = ("commenter", "reader") if rec.locked else ("writer",)
    if reader:
        wanted[reader.lower()] = ("reader", "commenter", "writer")
    for email, roles in wanted.items():
        have = by_email.get(email)
        whom = "đơn vị" if unit.email and email == unit.email.lower() else "tài khoản dịch vụ"
        if have is None:
            problems.append(f"Chưa chia sẻ cho {whom} {email} (quyền đã bị gỡ): {_PROVISION} chia sẻ lại.")
        elif have.get("role") not in roles:
            role = str(have.get("role"))
            problems.append(f"{whom.capitalize()} {email} có quyền “{_ROLE.get(role, role)}” chứ không phải "
                            f"“{_ROLE[roles[0]]}” như dvk đã chia sẻ: {_PROVISION} trả lại.")
    mine = {e.lower() for e in (owner, rec.owner) if e}
    for p in perms:
        email = str(p.get("emailAddress", "")).lower()
        role = str(p.get("role"))
        if p.get("type") in ("anyone", "domain"):
            problems.append(f"Bảng tính đang mở cho {'bất kỳ ai có đường liên kết' if p.get('type') == 'anyone' else 'cả tên miền'} "
                            f"(quyền “{_ROLE.get(role, role)}”), không phải do dvk chia sẻ: hãy tắt nếu không cần.")
        elif email and email not in wanted and email not in mine and role != "owner":
            before = email in {e.lower() for e in rec.shared}
            why = ("dvk đã chia sẻ trước đây, nay không còn là email của đơn vị trong danh sách: hãy gỡ nếu không cần"
                   if before else "không phải do dvk chia sẻ: hãy xem có đúng không")
            problems.append(f"Bảng tính còn được chia sẻ cho {email} (quyền “{_ROLE.get(role, role)}”), {why}.")
    return problems


def check_sheets(
    units: Mapping[str, Unit],
    api: GoogleApi,
    layout: Layout,
    *,
    recorded: Mapping[str, SheetRecord] | None = None,
    owner_api: GoogleApi | None = None,
    reader: str | None = None,
    repair: bool = False,
) -> list[SheetCheck]:
    """One result per unit of ``units`` — the registry with the sheets `dvk sheets provision` recorded
    (``write_back.google_units``); units without a sheet are listed as such. ``recorded``: those records (their
    sheets get the checks of what dvk set up); ``owner_api``: the signed-in commune account (Drive and
    protection as the owner sees them; needed to repair); ``reader``: the service account dvk shares with;
    ``repair``: put drop-downs and protection back."""
    recorded = recorded or {}
    drive = owner_api or api
    duplicates: dict[str, list[str]] = {}
    for folder in sorted({r.folder_id for r in recorded.values() if r.folder_id}):
        try:
            for key, entries in list_created(drive, folder).items():
                duplicates.setdefault(key.split(":")[0], []).extend(str(e["id"]) for e in entries)
        except DvkError:
            pass  # each sheet's own checks say what is wrong with the folder
    out: list[SheetCheck] = []
    for code, unit in units.items():
        if not unit.sheet:
            out.append(SheetCheck(code, unit.name, None, False, ("Chưa đăng ký bảng tính Google (khóa sheet).",)))
            continue
        problems: list[str] = []
        repaired: list[str] = []
        sheet_id = spreadsheet_id_from(unit.sheet)
        rec = recorded.get(code)
        made = rec if rec is not None and rec.spreadsheet_id == sheet_id else None
        extra: tuple[str, ...] = ()
        try:
            if made is not None:
                extra = tuple(i for i in duplicates.get(code, []) if i != sheet_id)
                if extra:
                    problems.append(
                        f"Có thêm {len(extra)} bảng tính gắn nhãn đơn vị {code} năm {made.year} trong thư mục "
                        f"({', '.join(extra)}), dvk không dùng: hãy mở xem, chép số liệu sang bảng tính đang dùng "
                        "nếu cần, rồi xoá để đơn vị không điền nhầm."
                    )
                info = file_info(drive, sheet_id)
                if info is None:
                    problems.append(f"Bảng tính do dvk tạo ({sheet_id}) không còn trên Google Drive (đã bị xoá): "
                                    f"{_PROVISION} tạo lại.")
                    out.append(SheetCheck(code, unit.name, unit.sheet, False, tuple(problems), (), extra))
                    continue
                if info.get("trashed"):
                    problems.append(f"Bảng tính đang ở thùng rác của Google Drive: {_PROVISION} khôi phục.")
                problems += _shares(permissions(drive, sheet_id), unit, made, drive.user, reader)
            state = read_state(owner_api if made is not None and owner_api is not None else api, sheet_id, layout)
            problems += _content(layout, state, code)
            if made is not None and all(t in state.tabs for t in layout.sheets):
                found = inspect(layout, state, made.owner or drive.user)
                if found and repair and owner_api is not None:
                    requests = repair_requests(layout, state, made.owner or owner_api.user)
                    apply_requests(owner_api, sheet_id, requests)
                    repaired += [f"Đã đặt lại: {p}" for p in found]
                else:
                    problems += [p + " Chạy “dvk sheets check --repair” để đặt lại." for p in found]
        except DvkError as err:
            problems.append(str(err))
        out.append(SheetCheck(code, unit.name, unit.sheet, not problems, tuple(problems), tuple(repaired), extra))
    return out
