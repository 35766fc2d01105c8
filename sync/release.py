"""Staff confirm whose a held file is: ``dvk intake release FILE --unit CODE`` (and ``dvk intake list``).

A file of the intake folder whose unit code and unit name (or file name) disagree is held (``sources``,
``intake``): it counts for nobody until staff say whose it is. Released, it is recorded as that unit's version
with its unit code set to the unit, **received at the time dvk first saw it** (``held_files.first_seen_at``), so
a unit that sent on time stays on time. When the unit already sent a newer version, the released one enters the
history without replacing it (its receipt time still counts for lateness).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import DvkError
from schemas.receipt import is_filled
from schemas.scoring import score
from workbook.layout import build_layout
from workbook.preflight import sha256_of
from workbook.reader import read_grid, validate_grid

from .config import Settings
from .intake import layout_key, unit_on_time
from .ledger import Ledger
from .ledger.held import HeldFile, held_files, release_held
from .ledger.records import FileState, content_hash, encode_issues, encode_score, encode_submission
from .sources import grid_as_raw, with_unit_code

__all__ = ["Released", "find_held", "release_file"]


@dataclass(frozen=True)
class Released:
    """What a release did."""

    held: HeldFile
    unit_code: str
    version_id: int
    current: bool  # the released content is the unit's current version (False: the unit sent a newer one)
    new: bool  # a new version (False: the unit had already sent the same content)
    notes: tuple[str, ...] = ()


def _candidates(settings: Settings, file: Path) -> list[Path]:
    folder = settings.sources.folder.path
    out = [file]
    if not file.is_absolute():
        out.append(folder / file)
    return out


def find_held(settings: Settings, ledger: Ledger, file: Path) -> tuple[Path, HeldFile]:
    """The held file ``file`` names (a path, or a path inside the intake folder, or a held file's name)."""
    held = held_files(ledger)
    path = next((p for p in _candidates(settings, file) if p.is_file()), None)
    if path is None:  # a name as `dvk intake list` prints it
        named = [h for h in held if h.name == file.name or h.path.replace("\\", "/").endswith(file.as_posix())]
        path = next((Path(h.path) for h in reversed(named) if Path(h.path).is_file()), None)
    if path is None:
        raise DvkError(f"Không tìm thấy tệp “{file}” (trong thư mục hiện tại hay thư mục nhận tệp "
                       f"{settings.sources.folder.path}). Xem các tệp chờ xác nhận bằng: dvk intake list")
    layout = build_layout(settings.load_rubric())
    grid, _ = read_grid(path, layout)
    digest = content_hash(grid_as_raw(grid))
    found = [h for h in held if h.content_hash == digest]
    if not found:
        raise DvkError(f"Tệp “{path.name}” không có trong danh sách tệp chờ xác nhận: dvk chưa giữ tệp này (có thể "
                       "chưa chạy dvk sync sau khi nhận tệp, hoặc mã và tên đơn vị trong tệp đã khớp). Xem: dvk intake list")
    return path, max(found, key=lambda h: h.year == settings.year)


def release_file(settings: Settings, ledger: Ledger, file: Path, unit_code: str) -> Released:
    """Record the held ``file`` as ``unit_code``'s sheet, received when dvk first saw it."""
    registry = settings.registry()
    code = unit_code.strip().upper()
    if code not in registry:
        raise DvkError(f"Mã đơn vị “{unit_code}” không có trong danh sách đơn vị của xã.")
    path, held = find_held(settings, ledger, file)
    if held.released_to is not None:
        if held.released_to == code:
            raise DvkError(f"Tệp “{path.name}” đã được xác nhận là phiếu của {code} (lúc "
                           f"{held.released_at:%d/%m/%Y %H:%M})." if held.released_at else
                           f"Tệp “{path.name}” đã được xác nhận là phiếu của {code}.")
        raise DvkError(f"Tệp “{path.name}” đã được xác nhận là phiếu của {held.released_to}; không xác nhận lại cho {code}.")
    rubric = settings.load_rubric()
    layout = build_layout(rubric)
    grid, reader_issues = read_grid(path, layout)
    grid = with_unit_code(layout, grid, code)
    validated = validate_grid(layout, grid, rubric, registry, reader_issues)
    sub = validated.submission
    notes: list[str] = []
    if code not in held.units:
        notes.append(f"Lưu ý: tệp ghi mã {held.claimed_code or '(trống)'}"
                     + (f", tên đơn vị trỏ tới {held.named_code}" if held.named_code else "")
                     + f"; cán bộ xác nhận là phiếu của {code}.")
    if sub is not None and sub.info.year != held.year:
        raise DvkError(f"Tệp “{path.name}” ghi năm {sub.info.year}, không phải năm {held.year} của tệp đã giữ.")
    deadline = settings.deadline(held.year)
    timely = unit_on_time(ledger, rubric, code, held.year, held.first_seen_at, is_filled(rubric, validated.issues), deadline)
    card = score(rubric, sub, preset=settings.preset().code, on_time=timely) if sub is not None else None
    latest = ledger.latest(code, held.year)
    current = latest is None or latest.fetched_at <= held.first_seen_at
    record, created = ledger.record_version(
        unit_code=code, year=held.year, source="folder", revision=sha256_of(path), raw=grid_as_raw(grid),
        submission_json=encode_submission(sub) if sub is not None else None, issues_json=encode_issues(validated.issues),
        score_json=encode_score(card) if card is not None else None, run_id=None, fetched_at=held.first_seen_at,
        current=current,
    )
    release_held(ledger, held.id, code, how="staff", version_id=record.id, at=dt.datetime.now(dt.UTC))
    stat = Path(held.path).stat() if Path(held.path).is_file() else path.stat()
    ledger.set_file_state(FileState(  # the next pass sees the file as read: not held again
        path=held.path if Path(held.path).is_file() else str(path), size=stat.st_size, mtime_ns=stat.st_mtime_ns,
        sha256=sha256_of(path), layout_key=layout_key(layout), unit_code=code, year=held.year,
        content_hash=record.content_hash,
    ))
    if not current:
        notes.append(f"{code} đã gửi phiên bản mới hơn sau đó: phiên bản đó vẫn là phiên bản hiện hành; tệp này được "
                     "ghi vào lịch sử và thời điểm nhận lần đầu của đơn vị tính từ tệp này.")
    if not created:
        notes.append(f"{code} đã gửi đúng nội dung này (đã sửa mã): thời điểm nhận lần đầu tính từ tệp đã giữ.")
    return Released(held, code, record.id, current, created, tuple(notes))
