"""A small commune on disk for the sync tests: a dvk.toml, units, filled workbooks, uploads to the fake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from schemas import default_rubric
from sync.config import Settings, load_settings
from sync.demo.data import DEMO_UNITS
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from tests.sync.fake_google import FakeGoogle
from workbook.fill import fill_template
from workbook.layout import build_layout
from workbook.template import write_template

RUBRIC = default_rubric()
LAYOUT = build_layout(RUBRIC)
UNITS = DEMO_UNITS


def facts_for(code: str, **overrides: Any) -> dict[str, Any]:
    unit = next(u for u in UNITS if u.code == code)
    values = {**INFO, **PERFECT, "info.unit_code": code, "info.unit_name": unit.name}
    values.update(overrides)
    return values


def write_config(root: Path, units: Sequence[str], *, sheets: Mapping[str, str] | None = None,
                 endpoint: str | None = None, folder_id: str | None = None) -> Path:
    lines = ["[commune]", "year = 2026", "", "[sources.folder]", 'path = "nop-bai"', ""]
    if endpoint:
        lines += ["[sources.google]", f'api_endpoint = "{endpoint}"', "reads_per_minute = 60"]
        if folder_id:
            lines.append(f'drive_folder_id = "{folder_id}"')
        lines.append("")
    lines += ["[output]", 'master = "tong-hop/tong-hop-{year}.xlsx"', ""]
    for code in units:
        unit = next(u for u in UNITS if u.code == code)
        lines += ["[[units]]", f'code = "{code}"', f'name = "{unit.name}"', f'kind = "{unit.kind.value}"']
        if sheets and code in sheets:
            lines.append(f'sheet = "{sheets[code]}"')
        lines.append("")
    (root / "nop-bai").mkdir(parents=True, exist_ok=True)
    path = root / "dvk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def settings(config: Path, **env: str) -> Settings:
    return load_settings(config, env=env)


def template(root: Path) -> Path:
    path = root / "mau.xlsx"
    if not path.exists():
        write_template(path, RUBRIC, year=2026)
    return path


def filled(root: Path, name: str, values: Mapping[str, Any], tables: Mapping[str, Any] | None = None,
           *, mtime: dt.datetime | None = None) -> Path:
    """A filled workbook at root/nop-bai/<name> (as e-mailed)."""
    out = root / "nop-bai" / name
    fill_template(template(root), out, values, ONE_MODEL if tables is None else tables)
    if mtime is not None:
        import os

        os.utime(out, (mtime.timestamp(), mtime.timestamp()))
    return out


def upload(fake: FakeGoogle, spreadsheet_id: str, xlsx: Path, *, folder: str | None = "folder-1") -> None:
    """What Google Drive holds after the file is uploaded and converted: every non-empty cell of the tabs."""
    wb = load_workbook(xlsx)
    sheets: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        cells: dict[str, Any] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    cells[cell.coordinate] = cell.value
        sheets[ws.title] = cells
    fake.add_spreadsheet(spreadsheet_id, sheets, folder=folder)
