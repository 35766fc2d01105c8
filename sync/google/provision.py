"""`dvk sheets provision`: one native Google Sheet per unit, made from its pre-filled template, shared.

For each registered unit without a sheet for the year: the unit's template (``workbook.template``) is
uploaded with conversion to a Google Sheet into the year's Drive folder, named "Phiếu tự đánh giá <năm> –
<tên đơn vị>", tagged with ``appProperties`` (``dvk_unit``, ``dvk_year``) and recorded in the ledger at once
(with what dvk pre-filled: an untouched sheet is no submission); its drop-downs and protection are set through
the Sheets API (:mod:`sync.google.protection`); then it is shared with the unit's e-mail as writer (Google
e-mails the Vietnamese message) and with the service account as reader.

Safe to run again, and the way to repair: a recorded sheet that is gone (Drive answers 404) is made again, one
in the trash is taken back out, a share that was removed (or a unit's writer role taken away) is given back,
drop-downs and protection that were never set are set; all of it said per unit. A sheet created by an
interrupted run is found by its tag (even with the ledger lost), so is any duplicate an older dvk left: it is
reported, never used silently. An upload whose answer is lost is never repeated blindly: the tag is looked up
first. A unit's failure is that unit's status; the others go on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.errors import ConfigError, DvkError, GoogleApiError
from schemas.models import Unit
from schemas.text import canonical_code
from workbook.files import windows_safe_name
from workbook.layout import Layout, build_layout
from workbook.prefill import prefill_values
from workbook.template import write_template

from ..config import Settings
from ..ledger import Ledger
from ..ledger.sheets import SheetRecord, record_sheet, sheets_for
from .account import service_account_email
from .api import GoogleApi
from .protection import apply_requests, inspect, protect_requests, read_state, repair_requests
from .writes import (
    create_folder,
    file_info,
    find_folder,
    find_tagged,
    list_created,
    permissions,
    set_trashed,
    share,
    sheet_ids,
    update_permission,
    upload_spreadsheet,
)

__all__ = ["ProvisionOutcome", "ProvisionReport", "folder_name", "notification", "provision", "sheet_name"]

#: The most telling status wins when a unit had several things done.
_RANK = ("error", "recreated", "restored", "created", "shared", "repaired", "planned", "exists", "registered")


@dataclass
class ProvisionOutcome:
    code: str
    name: str
    status: str  # created | recreated | restored | shared | repaired | exists | registered | planned | error
    spreadsheet_id: str | None = None
    url: str | None = None
    message: str = ""
    duplicates: list[str] = field(default_factory=list)  # other sheets tagged for this unit and year

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "status": self.status, "spreadsheet_id": self.spreadsheet_id,
                "url": self.url, "message": self.message, "duplicates": list(self.duplicates)}

    def did(self, status: str, message: str) -> None:
        if _RANK.index(status) < _RANK.index(self.status):
            self.status = status
        self.message = " ".join(m for m in (self.message, message) if m)


@dataclass
class ProvisionReport:
    year: int
    folder_id: str | None
    units: list[ProvisionOutcome] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(u.status == "error" for u in self.units)


def sheet_name(year: int, unit: Unit) -> str:
    return f"Phiếu tự đánh giá {year} – {unit.name}"


def folder_name(settings: Settings, year: int) -> str:
    return f"Dân vận khéo {year} – {settings.commune.name} – phiếu tự đánh giá"


def notification(settings: Settings, year: int, unit: Unit) -> str:
    """The message Google e-mails to the unit with the link (plain text)."""
    deadline = settings.commune.deadline
    return (
        f"Kính gửi {unit.name}: đây là phiếu tự đánh giá phong trào thi đua “Dân vận khéo” năm {year} của đơn vị, "
        "trên Google Sheets. Xin điền các ô nền vàng ở các trang “Thông tin đơn vị”, “Chấm điểm”, “Mô hình”, "
        "“Điển hình” và “Đề nghị khen thưởng”; không cần gửi tệp: bảng tính được đọc trực tiếp. Kết quả kiểm tra "
        "(lỗi cần sửa, điểm tạm tính) hiện ở trang “Kết quả kiểm tra” sau mỗi lần xã tổng hợp. "
        f"Hạn hoàn thành: {deadline:%d/%m/%Y}; sau hạn, bảng tính chuyển sang chế độ chỉ xem. "
        f"Cần hỗ trợ, xin liên hệ: {settings.letterhead().contact}."
    )


def _template_bytes(settings: Settings, unit: Unit, year: int, folder: Path) -> bytes:
    deadline = settings.commune.deadline if settings.commune.deadline.year in (year, year + 1) else None
    path = write_template(folder / windows_safe_name(f"{unit.code}.xlsx"), settings.load_rubric(), year=year, unit=unit,
                          commune=settings.commune.name, deadline=deadline, contact=settings.letterhead().contact)
    return path.read_bytes()


def _shares(settings: Settings, year: int, unit: Unit, reader: str | None,
            locked: bool = False) -> list[tuple[str, str, str | None]]:
    """(e-mail, role, message) dvk grants: the unit writes (comments once locked), the service account reads."""
    wanted: list[tuple[str, str, str | None]] = []
    if unit.email:
        wanted.append((unit.email, "commenter" if locked else "writer", notification(settings, year, unit)))
    if reader:
        wanted.append((reader, "reader", None))
    return wanted


def _url(file_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{file_id}/edit"


def _link(entry: dict[str, Any]) -> str:
    return str(entry.get("webViewLink") or _url(str(entry["id"])))


@dataclass
class _Run:
    """What every unit of one provisioning shares."""

    settings: Settings
    api: GoogleApi
    ledger: Ledger
    year: int
    layout: Layout
    reader: str | None
    folder_id: str | None
    tagged: dict[str, list[dict[str, Any]]]
    tmp: Path
    dry_run: bool


def provision(
    settings: Settings,
    api: GoogleApi,
    ledger: Ledger,
    *,
    year: int | None = None,
    codes: Sequence[str] = (),
    dry_run: bool = False,
) -> ProvisionReport:
    """Create, repair and share the units' sheets (``codes``: only these units). ``dry_run``: no request that
    changes anything (only reads); the report says what would be done. A service account cannot create files:
    the first upload's 403 ``storageQuotaExceeded`` stops the run with the explanation (``GoogleApiError``)."""
    year = year or settings.year
    registry = settings.registry()
    codes = [canonical_code(c) for c in codes]
    unknown = [c for c in codes if c not in registry]
    if unknown:
        raise ConfigError(f"Không có đơn vị mã {', '.join(unknown)} trong danh sách đơn vị.", key="--units")
    chosen = [registry[c] for c in codes] if codes else list(registry.values())
    recorded = sheets_for(ledger, year)
    report = ProvisionReport(year=year, folder_id=settings.sources.google.drive_folder_id)
    todo: list[Unit] = []
    for unit in chosen:
        if unit.sheet:
            report.units.append(ProvisionOutcome(unit.code, unit.name, "registered", unit.sheet, unit.sheet,
                                                 "Đơn vị đã khai báo bảng tính trong danh sách đơn vị: giữ nguyên."))
        else:
            todo.append(unit)
    if not todo:
        return _sorted(report, chosen)
    folders = {rec.folder_id for rec in recorded.values() if rec.folder_id}
    folder_id = report.folder_id or (folders.pop() if len(folders) == 1 else None)
    name = folder_name(settings, year)
    folder_id = folder_id or find_folder(api, name)
    report.folder_id = folder_id
    tagged = list_created(api, folder_id) if folder_id else {}  # what exists: ours, interrupted runs', duplicates
    with tempfile.TemporaryDirectory(prefix="dvk-provision-") as tmp:
        run = _Run(settings, api, ledger, year, build_layout(settings.load_rubric()), service_account_email(settings),
                   folder_id, tagged, Path(tmp), dry_run)
        for unit in todo:
            if run.folder_id is None and not dry_run:
                run.folder_id = report.folder_id = create_folder(api, name)
            report.units.append(_one(run, unit, recorded.get(unit.code)))
    return _sorted(report, chosen)


def _one(run: _Run, unit: Unit, rec: SheetRecord | None) -> ProvisionOutcome:
    outcome = ProvisionOutcome(unit.code, unit.name, "exists")
    try:
        found = run.tagged.get(f"{unit.code}:{run.year}", [])
        current = rec.spreadsheet_id if rec else (str(found[0]["id"]) if found else None)
        outcome.duplicates = [_link(e) for e in found if str(e["id"]) != current]
        rec, fresh = _ensure_sheet(run, unit, rec, found, outcome)
        if rec is not None:
            outcome.spreadsheet_id, outcome.url = rec.spreadsheet_id, rec.url
            if not fresh and rec.protected_at is None:
                _repair_protection(run, rec, outcome)
            _ensure_shares(run, unit, rec, outcome, fresh=fresh)
        if outcome.duplicates:
            outcome.did("exists", (
                f"Thư mục còn {len(outcome.duplicates)} bảng tính khác cùng nhãn của đơn vị này "
                f"({', '.join(outcome.duplicates)}): dvk không dùng các bảng tính đó. Hãy mở xem, chép số liệu "
                "sang bảng tính đang dùng nếu cần, rồi xoá để đơn vị không điền nhầm."
            ))
        if not unit.email:
            outcome.did("exists", "Đơn vị chưa có địa chỉ email trong danh sách đơn vị nên chưa được chia sẻ: hãy "
                                  "thêm email rồi chạy lại “dvk sheets provision”.")
    except GoogleApiError as err:
        if err.context.get("reason") in ("storage-quota", "unauthorized"):
            raise  # every unit would fail the same way: stop with the explanation
        outcome.status = "error"
        outcome.message = f"{err} Chạy lại “dvk sheets provision” để làm tiếp."
    except DvkError as err:
        outcome.status = "error"
        outcome.message = str(err)
    return outcome


def _ensure_sheet(run: _Run, unit: Unit, rec: SheetRecord | None, found: list[dict[str, Any]],
                  outcome: ProvisionOutcome) -> tuple[SheetRecord | None, bool]:
    """The unit's sheet as it should be: recorded, present, out of the trash. (record, made now)."""
    api, ledger, year = run.api, run.ledger, run.year
    if rec is None and found:  # made by an interrupted run (or before the ledger was lost): adopt the oldest
        entry = found[0]
        if run.dry_run:
            outcome.did("planned", "Sẽ ghi nhận bảng tính đã có trên Drive.")
            return None, False
        return record_sheet(ledger, unit_code=unit.code, year=year, spreadsheet_id=str(entry["id"]), url=_link(entry),
                            owner=api.user, folder_id=run.folder_id), False
    if rec is None:
        if run.dry_run:
            outcome.did("planned", f"Sẽ tạo và chia sẻ “{sheet_name(year, unit)}”.")
            return None, False
        outcome.did("created", "")
        return _create(run, unit), True
    if any(str(e["id"]) == rec.spreadsheet_id for e in found):
        return rec, False  # listed in the folder, not trashed
    info = file_info(api, rec.spreadsheet_id)
    if info is None:  # deleted for good (or no longer visible to this account): make it again
        versions = len(ledger.history(year, unit.code))
        kept = f" Các phiên bản đã nhận ({versions}) vẫn được giữ trong sổ." if versions else ""
        if run.dry_run:
            outcome.did("planned", f"Bảng tính {rec.spreadsheet_id} không còn trên Drive: sẽ tạo lại.{kept}")
            return None, False
        new = _create(run, unit, previous=rec)
        outcome.did("recreated", f"Bảng tính cũ {rec.spreadsheet_id} không còn trên Drive (đã bị xoá): đã tạo lại "
                                 f"từ mẫu và chia sẻ lại.{kept} Hãy báo đơn vị đường dẫn mới.")
        return new, True
    if info.get("trashed"):
        if run.dry_run:
            outcome.did("planned", "Bảng tính đang ở thùng rác: sẽ khôi phục.")
            return rec, False
        set_trashed(api, rec.spreadsheet_id, False)
        outcome.did("restored", "Bảng tính đã bị chuyển vào thùng rác: đã khôi phục, giữ nguyên số liệu đơn vị đã nhập.")
    return rec, False  # present (perhaps moved out of the folder)


def _create(run: _Run, unit: Unit, previous: SheetRecord | None = None) -> SheetRecord:
    """Upload, record at once, then drop-downs and protection. An upload whose answer is lost is looked for by
    its tag before it is sent again; duplicates a resend made after all are put in the trash (said so)."""
    api, year = run.api, run.year
    assert run.folder_id is not None
    tags = {"dvk_unit": unit.code, "dvk_year": str(year)}
    data = _template_bytes(run.settings, unit, year, run.tmp)
    file: dict[str, Any] | None = None
    resent = False
    for attempt in range(1, api.http.max_attempts + 1):
        try:
            file = upload_spreadsheet(api, name=sheet_name(year, unit), data=data, folder_id=run.folder_id,
                                      app_properties=tags)
            break
        except GoogleApiError as err:
            if err.context.get("reason") != "unknown-outcome" or attempt == api.http.max_attempts:
                raise
            api.http.pause(attempt)  # give Drive a moment, then look before sending again
            made = [e for e in find_tagged(api, run.folder_id, tags)
                    if previous is None or str(e["id"]) != previous.spreadsheet_id]
            if made:
                file = made[0]
                break
            resent = True
    assert file is not None
    file_id = str(file["id"])
    if resent:  # the lost answer's file may show up only now: keep one
        for extra in find_tagged(api, run.folder_id, tags):
            if str(extra["id"]) not in (file_id, previous.spreadsheet_id if previous else ""):
                set_trashed(api, str(extra["id"]), True)
    prefill = prefill_values(run.layout, year, unit)
    shared = {unit.email: "writer"} if previous is not None and previous.locked and unit.email else None
    rec = record_sheet(run.ledger, unit_code=unit.code, year=year, spreadsheet_id=file_id, url=_link(file),
                       owner=api.user, folder_id=run.folder_id, prefill=prefill, protected=False)
    tabs = sheet_ids(api, file_id)
    rec = record_sheet(run.ledger, unit_code=unit.code, year=year, spreadsheet_id=file_id, url=rec.url,
                       owner=rec.owner, folder_id=rec.folder_id, tabs=tabs, shared=shared)
    _protect(run, rec, tabs)
    return record_sheet(run.ledger, unit_code=unit.code, year=year, spreadsheet_id=file_id, url=rec.url,
                        owner=rec.owner, folder_id=rec.folder_id, protected=True)


def _protect(run: _Run, rec: SheetRecord, tabs: dict[str, int]) -> None:
    """One batchUpdate of drop-downs and protection. Its ids are dvk's, so a repeat of a batch that was applied
    is refused (400) rather than doubled: then the sheet is read to confirm."""
    try:
        apply_requests(run.api, rec.spreadsheet_id, protect_requests(run.layout, tabs, run.api.user))
    except GoogleApiError as err:
        if err.status != 400:
            raise
        state = read_state(run.api, rec.spreadsheet_id, run.layout)
        if inspect(run.layout, state, run.api.user):
            raise


def _repair_protection(run: _Run, rec: SheetRecord, outcome: ProvisionOutcome) -> None:
    """A sheet adopted or made before its drop-downs and protection were set: read, set what is missing."""
    state = read_state(run.api, rec.spreadsheet_id, run.layout)
    requests = repair_requests(run.layout, state, run.api.user)
    if requests and run.dry_run:
        outcome.did("planned", "Sẽ đặt danh sách thả xuống và khoá các ô không phải ô nhập liệu.")
        return
    if requests:
        apply_requests(run.api, rec.spreadsheet_id, requests)
        outcome.did("repaired", "Đã đặt danh sách thả xuống và khoá các ô không phải ô nhập liệu.")
    if not run.dry_run:
        record_sheet(run.ledger, unit_code=rec.unit_code, year=rec.year, spreadsheet_id=rec.spreadsheet_id,
                     url=rec.url, owner=rec.owner, folder_id=rec.folder_id, tabs=state.tabs, protected=True)


def _ensure_shares(run: _Run, unit: Unit, rec: SheetRecord, outcome: ProvisionOutcome, *, fresh: bool) -> None:
    """Every share dvk grants is there with its role: missing ones added (the unit gets the e-mail again), a
    unit's writer role taken away given back. Other people's shares are left alone (``sheets check`` lists
    them)."""
    api = run.api
    current: dict[str, dict[str, Any]] = {}
    if not fresh:
        current = {str(p.get("emailAddress", "")).lower(): p for p in permissions(api, rec.spreadsheet_id)
                   if p.get("emailAddress")}
    for email, role, message in _shares(run.settings, run.year, unit, run.reader, locked=rec.locked):
        have = current.get(email.lower())
        if have is not None and (have.get("role") == role or role == "reader"
                                 or (rec.locked and have.get("role") in ("commenter", "reader"))
                                 or have.get("role") in ("owner",)):
            continue
        whom = "đơn vị" if email == unit.email else "tài khoản dịch vụ"
        if run.dry_run:
            outcome.did("planned", f"Sẽ chia sẻ lại cho {whom} {email}.")
            continue
        if have is None:
            share(api, rec.spreadsheet_id, email, role, message)
        else:
            update_permission(api, rec.spreadsheet_id, str(have.get("id")), role)
        granted = "writer" if email == unit.email else role  # what unlock gives back to a locked unit
        record_sheet(run.ledger, unit_code=unit.code, year=run.year, spreadsheet_id=rec.spreadsheet_id, url=rec.url,
                     owner=rec.owner, folder_id=rec.folder_id, shared={email: granted})
        if fresh:
            if email == unit.email:
                outcome.did("created", f"Đã chia sẻ cho {email} (quyền chỉnh sửa).")
        elif have is None:
            outcome.did("shared", f"Quyền của {whom} {email} đã bị gỡ: đã chia sẻ lại.")
        else:
            outcome.did("shared", f"Quyền của {whom} {email} đã bị đổi thành “{have.get('role')}”: đã trả lại.")


def _sorted(report: ProvisionReport, chosen: Sequence[Unit]) -> ProvisionReport:
    order = {u.code: i for i, u in enumerate(chosen)}
    report.units.sort(key=lambda o: order.get(o.code, len(order)))
    return report
