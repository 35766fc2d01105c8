"""`dvk demo`: the main job on the embedded default — a sample commune, three years of e-mailed .xlsx files
(some late, some missing, some with the typical mistakes), synced from the folder into SQLite, the masters and
the sơ kết review written. No Google account needed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font

from schemas.errors import DvkError
from schemas.rubric import Rubric, default_rubric
from workbook.fill import fill_template
from workbook.layout import build_layout
from workbook.legacy_text import from_unicode
from workbook.template import write_template

from ..config import load_settings
from ..ledger import Ledger
from ..reporting import write_phase
from ..service import SyncReport, run_sync
from .data import DEMO_UNITS, DEMO_YEARS, DemoSheet, demo_sheets

__all__ = ["MARKER", "DemoResult", "prepare_demo_folder", "run_demo", "write_demo_config", "write_demo_files"]

#: The file that says a folder was made by `dvk demo` (the only folder besides a new one it writes into).
MARKER = ".dvk-demo"
_OWN = ("nop-bai", "tong-hop", "dvk.toml")


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    config: Path
    reports: dict[int, SyncReport]
    phase_review: Path
    files: int


def write_demo_config(out: Path, year: int) -> Path:
    lines = [
        "# Cấu hình mẫu của dvk demo: xã Cao Minh, 26 đơn vị, nguồn là thư mục tệp .xlsx (không cần Google).",
        "[commune]",
        'name = "xã Cao Minh"',
        'province = "Thái Nguyên"',
        f"year = {year}",
        "",
        "[sources.folder]",
        'path = "nop-bai"',
        "",
        "[output]",
        'master = "tong-hop/tong-hop-dan-van-kheo-{year}.xlsx"',
        "",
    ]
    for unit in DEMO_UNITS:
        lines += ["[[units]]", f'code = "{unit.code}"', f'name = "{unit.name}"', f'kind = "{unit.kind.value}"', f'email = "{unit.email}"', ""]
    path = out / "dvk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _apply_mistake_to_values(sheet: DemoSheet) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    values: dict[str, object] = dict(sheet.values)
    tables = {k: [dict(r) for r in v] for k, v in sheet.tables.items()}
    m = sheet.mistake
    if m == "text-in-number":
        values["K1.result"] = f"{values['K1.result']} chỉ tiêu"
    elif m == "unaccented-level":
        values["S2.level"] = "khong co"
    elif m == "bonus-unsupported":
        values["B1.commune"] = int(values.get("B1.commune") or 0) + 2  # type: ignore[call-overload]
    elif m == "result-exceeds-due":
        values["P1.target"], values["P1.result"] = 6, 8
    elif m == "sample-too-small":
        values["S1.target"], values["S1.result"] = 20, 18
    elif m == "models-missing":
        values["A3.level"] = "Có"
        tables["models"] = []
    elif m == "decomposed-text":
        values["info.head"] = unicodedata.normalize("NFD", str(values["info.head"]))
    elif m == "formula-injection":
        values["A3.level"] = "Có"
        tables["models"] = [*tables.get("models", []), {
            "name": '=HYPERLINK("http://vi-du.example/lua-dao","Bấm vào đây")', "field": "Kinh tế",
            "kind": "Tập thể", "status": "Đăng ký",
        }]
    return values, tables


def _post_edit(path: Path, sheet: DemoSheet, rubric: Rubric) -> None:
    """Mistakes that need the cell itself: a formula typed into an input, a name in a TCVN3 font."""
    if sheet.mistake not in ("formula-in-input", "legacy-font"):
        return
    layout = build_layout(rubric)
    wb = load_workbook(path)
    if sheet.mistake == "formula-in-input":
        cell = layout.input("K2.result")
        target = layout.input("K2.target")
        wb[cell.sheet][cell.cell] = f"={target.cell}*0.9"
    else:
        cell = layout.input("info.head")
        ws = wb[cell.sheet]
        ws[cell.cell] = from_unicode(str(sheet.values["info.head"]), "tcvn3")
        ws[cell.cell].font = Font(name=".VnTime", size=13)
    wb.save(path)


def write_demo_files(folder: Path, rubric: Rubric, *, seed: int = 2026) -> int:
    """Write every sample sheet into ``folder/<year>/``; returns the number of files."""
    count = 0
    templates: dict[int, Path] = {}
    for sheet in demo_sheets(rubric, seed=seed):
        year_dir = folder / str(sheet.year)
        year_dir.mkdir(parents=True, exist_ok=True)
        if sheet.year not in templates:
            templates[sheet.year] = write_template(
                folder.parent / f".mau-phieu-{sheet.year}.xlsx", rubric, year=sheet.year, deadline=dt.date(sheet.year, 12, 15)
            )
        path = year_dir / f"{sheet.unit.code}.xlsx"
        if sheet.mistake == "old-xls":
            path = path.with_suffix(".xls")
            # the first bytes of an old Excel 97–2003 file: the reader refuses it before parsing
            path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
        elif sheet.mistake == "csv-renamed":
            path.write_text("Mã đơn vị;Năm;Tổng điểm\n" + f"{sheet.unit.code};{sheet.year};95\n", encoding="utf-8")
        else:
            values, tables = _apply_mistake_to_values(sheet)
            fill_template(templates[sheet.year], path, values, tables)
            _post_edit(path, sheet, rubric)
        stamp = sheet.received_at.timestamp()
        os.utime(path, (stamp, stamp))
        count += 1
    for template in templates.values():
        template.unlink(missing_ok=True)
    return count


def prepare_demo_folder(out: Path, *, fresh: bool = True) -> Path:
    """Make ``out`` ready for the demo, or refuse: the demo writes only into a folder that is new (or empty) or
    that it made itself (``MARKER``), so it never deletes or overwrites a real commune's files.
    ``fresh`` removes the previous sample data of a demo folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DvkError(f"{out} là một tệp, không phải thư mục. Hãy chọn một thư mục mới, ví dụ: dvk demo --out demo-output")
    marker = out / MARKER
    try:
        if out.is_dir() and not marker.is_file():
            present = sorted(p.name for p in out.iterdir())
            if present:
                shown = ", ".join(present[:5]) + (f" và {len(present) - 5} mục khác" if len(present) > 5 else "")
                raise DvkError(
                    f"Không chạy dvk demo trong {out}: thư mục đã có dữ liệu không do dvk demo tạo ({shown}). "
                    "dvk demo chỉ ghi vào một thư mục mới hoặc thư mục do chính nó tạo, để không xóa hay ghi đè "
                    "phiếu, cấu hình và sổ lưu trữ thật. Hãy chọn thư mục khác, ví dụ: dvk demo --out demo-output"
                )
        if out.is_dir() and marker.is_file() and fresh:
            for name in _OWN:
                target = out / name
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                elif target.exists() or target.is_symlink():
                    target.unlink()
        out.mkdir(parents=True, exist_ok=True)
        marker.write_text(
            "Thư mục này do lệnh dvk demo tạo (xã mẫu). Chạy lại dvk demo sẽ xóa và tạo lại nop-bai/, tong-hop/, dvk.toml.\n",
            encoding="utf-8",
        )
    except OSError as err:
        raise DvkError(f"Không chuẩn bị được thư mục {out} cho dvk demo ({err.strerror or err}).") from err
    return out


def _arrived(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def run_demo(out: Path, *, seed: int = 2026) -> DemoResult:
    """Create the sample commune in ``out`` and run the whole job on it (``out`` as ``prepare_demo_folder`` left it)."""
    out = out.resolve()
    if not (out / MARKER).is_file():
        prepare_demo_folder(out, fresh=False)
    rubric = default_rubric()
    folder = out / "nop-bai"
    files = write_demo_files(folder, rubric, seed=seed)
    config = write_demo_config(out, DEMO_YEARS[-1])
    reports: dict[int, SyncReport] = {}
    for year in DEMO_YEARS:
        # one folder of e-mailed files per year, as the commune keeps them
        env = {"DVK_COMMUNE__YEAR": str(year), "DVK_SOURCES__FOLDER__PATH": str(folder / str(year))}
        settings = load_settings(config, env=env)
        # the demo replays e-mails received over weeks: a sample file's time is when it "arrived"
        # and reports as the commune does, after the deadline (units with nothing are then KHT, not pending)
        after = dt.datetime(year, 12, 31, 9, 0).astimezone()
        reports[year] = run_sync(settings, use_google=False, received_at=_arrived, now=after)
    settings = load_settings(config, env={})
    phase_path = settings.master_path().with_name("so-ket-dan-van-kheo-giai-doan-1.xlsx")
    with Ledger.open(settings.ledger_path) as ledger:
        write_phase(settings, ledger, 1, phase_path, now=dt.datetime(DEMO_YEARS[-1], 12, 31, 9, 0).astimezone())
    return DemoResult(folder=folder, config=config, reports=reports, phase_review=phase_path, files=files)
