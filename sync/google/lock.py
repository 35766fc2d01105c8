"""`dvk sheets lock` / `unlock`: at the deadline the units' writers become commenters (readers where Drive
refuses commenter), recorded with the version evaluated; ``unlock`` reopens a unit for a granted extension.

After the lock the sync keeps the version recorded at the lock; a later change (someone with access still
edited) is reported, not taken (:func:`sync.intake.late_change`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.errors import ConfigError, DvkError
from schemas.text import canonical_code

from ..ledger import Ledger
from ..ledger.sheets import set_lock, sheets_for
from .api import GoogleApi
from .writes import permissions, update_permission

__all__ = ["LockOutcome", "lock_sheets"]


@dataclass
class LockOutcome:
    code: str
    status: str  # locked | unlocked | already | error
    spreadsheet_id: str
    message: str = ""
    version_id: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "status": self.status, "spreadsheet_id": self.spreadsheet_id,
                "message": self.message, "version_id": self.version_id}


def lock_sheets(api: GoogleApi, ledger: Ledger, year: int, *, codes: Sequence[str] = (), lock: bool = True) -> list[LockOutcome]:
    """Lock (or unlock) the recorded sheets of ``year`` (``codes``: only these units)."""
    recorded = sheets_for(ledger, year)
    codes = [canonical_code(c) for c in codes]
    unknown = [c for c in codes if c not in recorded]
    if unknown:
        raise ConfigError(f"Đơn vị {', '.join(unknown)} chưa có bảng tính do dvk tạo cho năm {year} "
                          "(dvk sheets list).", key="--units")
    outcomes: list[LockOutcome] = []
    for code in codes or list(recorded):
        rec = recorded[code]
        out = LockOutcome(code, "already", rec.spreadsheet_id)
        if rec.locked == lock:
            out.message = "Đã khoá từ trước." if lock else "Đang mở, không cần mở khoá."
            outcomes.append(out)
            continue
        try:
            shared = dict(rec.shared)
            for perm in permissions(api, rec.spreadsheet_id):
                email, role, pid = perm.get("emailAddress"), perm.get("role"), str(perm.get("id"))
                if not isinstance(email, str) or email == (api.user or rec.owner):
                    continue
                if lock and role == "writer":
                    try:
                        update_permission(api, rec.spreadsheet_id, pid, "commenter")
                    except DvkError:
                        update_permission(api, rec.spreadsheet_id, pid, "reader")
                    shared[email] = "writer"  # what unlock gives back
                elif not lock and shared.get(email) == "writer" and role in ("commenter", "reader"):
                    update_permission(api, rec.spreadsheet_id, pid, "writer")
            latest = ledger.latest(code, year)
            out.version_id = latest.id if latest else None
            set_lock(ledger, code, year, version_id=out.version_id, locked=lock, shared=shared)
            out.status = "locked" if lock else "unlocked"
            out.message = ("Đã khoá: đơn vị chỉ còn quyền nhận xét; phiên bản đánh giá là phiên bản hiện có."
                           if lock else "Đã mở lại quyền chỉnh sửa cho đơn vị.")
        except DvkError as err:
            out.status, out.message = "error", f"{err} Chạy lại lệnh để làm tiếp."
        outcomes.append(out)
    return outcomes
