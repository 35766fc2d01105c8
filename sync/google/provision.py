"""`dvk sheets provision`: one native Google Sheet per unit, made from its pre-filled template, shared.

For each registered unit without a sheet for the year: the unit's template (``workbook.template``) is
uploaded with conversion to a Google Sheet into the year's Drive folder, named "Phiếu tự đánh giá <năm> –
<tên đơn vị>", tagged with ``appProperties`` (``dvk_unit``, ``dvk_year``), recorded in the ledger at once,
then shared with the unit's e-mail as writer (Google e-mails the Vietnamese message) and with the service
account as reader. Idempotent: a recorded sheet is not created again, a sheet created by an interrupted run
is found by its tag, a missing share is added on the next run. A unit's failure is that unit's status.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.errors import ConfigError, DvkError, GoogleApiError
from schemas.models import Unit
from schemas.text import canonical_code
from workbook.files import windows_safe_name
from workbook.template import write_template

from ..config import Settings
from ..ledger import Ledger
from ..ledger.sheets import SheetRecord, record_sheet, sheets_for
from .api import GoogleApi
from .client import load_credentials
from .writes import create_folder, find_folder, list_created, share, sheet_ids, upload_spreadsheet

__all__ = ["ProvisionOutcome", "ProvisionReport", "folder_name", "notification", "provision", "sheet_name"]


@dataclass
class ProvisionOutcome:
    code: str
    name: str
    status: str  # created | shared | exists | registered | planned | error
    spreadsheet_id: str | None = None
    url: str | None = None
    message: str = ""

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "status": self.status, "spreadsheet_id": self.spreadsheet_id,
                "url": self.url, "message": self.message}


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


def _service_account(settings: Settings) -> str | None:
    creds = settings.sources.google.credentials
    if creds is None:
        return None
    try:
        return str(load_credentials(creds).service_account_email)
    except DvkError:
        return None


def _template_bytes(settings: Settings, unit: Unit, year: int, folder: Path) -> bytes:
    deadline = settings.commune.deadline if settings.commune.deadline.year in (year, year + 1) else None
    path = write_template(folder / windows_safe_name(f"{unit.code}.xlsx"), settings.load_rubric(), year=year, unit=unit,
                          commune=settings.commune.name, deadline=deadline, contact=settings.letterhead().contact)
    return path.read_bytes()


def _shares(settings: Settings, year: int, unit: Unit, reader: str | None) -> list[tuple[str, str, str | None]]:
    wanted: list[tuple[str, str, str | None]] = []
    if unit.email:
        wanted.append((unit.email, "writer", notification(settings, year, unit)))
    if reader:
        wanted.append((reader, "reader", None))
    return wanted


def provision(
    settings: Settings,
    api: GoogleApi,
    ledger: Ledger,
    *,
    year: int | None = None,
    codes: Sequence[str] = (),
    dry_run: bool = False,
) -> ProvisionReport:
    """Create and share the missing sheets (``codes``: only these units). ``dry_run``: no request that
    changes anything; the report says what would be done. A service account cannot create files: the first
    upload's 403 ``storageQuotaExceeded`` stops the run with the explanation (``GoogleApiError``)."""
    year = year or settings.year
    registry = settings.registry()
    codes = [canonical_code(c) for c in codes]
    unknown = [c for c in codes if c not in registry]
    if unknown:
        raise ConfigError(f"Không có đơn vị mã {', '.join(unknown)} trong danh sách đơn vị.", key="--units")
    chosen = [registry[c] for c in codes] if codes else list(registry.values())
    recorded = sheets_for(ledger, year)
    reader = _service_account(settings)
    report = ProvisionReport(year=year, folder_id=settings.sources.google.drive_folder_id)
    todo: list[Unit] = []
    for unit in chosen:
        rec = recorded.get(unit.code)
        if unit.sheet:
            report.units.append(ProvisionOutcome(unit.code, unit.name, "registered", unit.sheet, unit.sheet,
                                                 "Đơn vị đã khai báo bảng tính trong danh sách đơn vị: giữ nguyên."))
        elif rec is not None and all(rec.shared.get(email) for email, _, _ in _shares(settings, year, unit, reader)):
            report.units.append(ProvisionOutcome(unit.code, unit.name, "exists", rec.spreadsheet_id, rec.url,
                                                 _no_email(unit)))
        else:
            todo.append(unit)
    if dry_run:
        for unit in todo:
            rec = recorded.get(unit.code)
            what = "Sẽ chia sẻ lại" if rec else "Sẽ tạo và chia sẻ"
            report.units.append(ProvisionOutcome(unit.code, unit.name, "planned", rec.spreadsheet_id if rec else None,
                                                 rec.url if rec else None, f"{what} “{sheet_name(year, unit)}”."))
        return _sorted(report, chosen)
    if not todo:
        return _sorted(report, chosen)
    folder_id = report.folder_id
    if folder_id is None:
        name = folder_name(settings, year)
        folder_id = find_folder(api, name) or create_folder(api, name)
        report.folder_id = folder_id
    created = list_created(api, folder_id)  # what an interrupted run left behind
    with tempfile.TemporaryDirectory(prefix="dvk-provision-") as tmp:
        for unit in todo:
            report.units.append(_one(settings, api, ledger, unit, year, folder_id, recorded.get(unit.code),
                                     created.get(f"{unit.code}:{year}"), reader, Path(tmp)))
    return _sorted(report, chosen)


def _one(settings: Settings, api: GoogleApi, ledger: Ledger, unit: Unit, year: int, folder_id: str,
         rec: SheetRecord | None, found: dict[str, object] | None, reader: str | None, tmp: Path) -> ProvisionOutcome:
    outcome = ProvisionOutcome(unit.code, unit.name, "exists")
    try:
        if rec is None:
            if found is not None:
                file_id, url = str(found["id"]), str(found.get("webViewLink") or _url(str(found["id"])))
            else:
                data = _template_bytes(settings, unit, year, tmp)
                file = upload_spreadsheet(api, name=sheet_name(year, unit), data=data, folder_id=folder_id,
                                          app_properties={"dvk_unit": unit.code, "dvk_year": str(year)})
                file_id, url = str(file["id"]), str(file.get("webViewLink") or _url(str(file["id"])))
                outcome.status = "created"
            rec = record_sheet(ledger, unit_code=unit.code, year=year, spreadsheet_id=file_id, url=url,
                               owner=api.user, folder_id=folder_id)
            rec = record_sheet(ledger, unit_code=unit.code, year=year, spreadsheet_id=file_id, url=url,
                               owner=api.user, folder_id=folder_id, tabs=sheet_ids(api, file_id))
        outcome.spreadsheet_id, outcome.url = rec.spreadsheet_id, rec.url
        for email, role, message in _shares(settings, year, unit, reader):
            if rec.shared.get(email):
                continue
            share(api, rec.spreadsheet_id, email, role, message)
            outcome.status = "created" if outcome.status == "created" else "shared"
            rec = record_sheet(ledger, unit_code=unit.code, year=year, spreadsheet_id=rec.spreadsheet_id, url=rec.url,
                               owner=rec.owner, folder_id=rec.folder_id, shared={email: role})
        outcome.message = _no_email(unit) or (
            f"Đã chia sẻ cho {unit.email} (quyền chỉnh sửa)." if unit.email else ""
        )
    except GoogleApiError as err:
        if err.context.get("reason") in ("storage-quota", "unauthorized"):
            raise  # every unit would fail the same way: stop with the explanation
        outcome.status = "error"
        outcome.message = f"{err} Chạy lại “dvk sheets provision” để làm tiếp."
    except DvkError as err:
        outcome.status = "error"
        outcome.message = str(err)
    return outcome


def _no_email(unit: Unit) -> str:
    if unit.email:
        return ""
    return ("Đơn vị chưa có địa chỉ email trong danh sách đơn vị nên chưa được chia sẻ: hãy thêm email rồi chạy "
            "lại “dvk sheets provision”.")


def _url(file_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{file_id}/edit"


def _sorted(report: ProvisionReport, chosen: Sequence[Unit]) -> ProvisionReport:
    order = {u.code: i for i, u in enumerate(chosen)}
    report.units.sort(key=lambda o: order.get(o.code, len(order)))
    return report

