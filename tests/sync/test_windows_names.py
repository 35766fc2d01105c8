"""Every file name dvk derives is valid on Windows (hostile review H11): reserved device names (CON, NUL, COM1 …,
with or without an extension), forbidden characters, trailing dots and spaces, MAX_PATH, two names equal on
NTFS. One function (``workbook.files.windows_safe_name``) and a walk over every writer with hostile codes.

Decision: codes such as "CON" or "COM1" stay valid unit codes (a commune may have them); the files dvk names
after them get "_" after the device name ("CON_.xlsx"). Codes without a letter or digit ("." "..") are refused
by the registry (tests/sync/test_unit_codes.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sync.cli import main
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from workbook.files import MAX_PATH, fit_stem, windows_problem, windows_safe_name
from workbook.fill import fill_template
from workbook.master.atomic import beside_copies, beside_path, old_copy_path

HOSTILE = ["CON", "nul", "Aux", "COM1", "LPT9", "PRN.x", "COM1.backup", "CON.", "HND"]
# the rules of repro-hostile/winnames.py (hostile review), on absolute paths of this machine
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def name_problems(name: str) -> list[str]:
    problems = []
    if _BAD.search(name):
        problems.append(f"{name}: forbidden character")
    if name.endswith((".", " ")):
        problems.append(f"{name}: ends with a dot or a space")
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        problems.append(f"{name}: reserved device name")
    return problems


def windows_problems(paths: list[Path]) -> list[str]:
    problems = []
    folders: dict[Path, list[str]] = defaultdict(list)
    for path in paths:
        name = path.name
        problems.extend(f"{path.parent}/{p}" for p in name_problems(name))
        if len(str(path.absolute())) >= MAX_PATH:
            problems.append(f"{path}: {len(str(path.absolute()))} characters (MAX_PATH {MAX_PATH})")
        folders[path.parent].append(name)
    for folder, names in folders.items():
        keys = [unicodedata.normalize("NFC", n).casefold() for n in names]
        if len(set(keys)) != len(keys):
            problems.append(f"{folder}: two names equal on NTFS")
    return problems


@pytest.mark.parametrize("code", [*HOSTILE, ".", "..", "CON ", "com¹", "a<b>c", "x" * 300, "LPT1.txt.", "aux .tar"])
def test_windows_safe_name(code: str) -> None:
    name = windows_safe_name(f"{code}.xlsx")
    assert windows_problem(name) is None and not name_problems(name)
    assert name.endswith(".xlsx") and len(name) <= 255


@given(st.text(min_size=0, max_size=300))
def test_windows_safe_name_of_any_text(text: str) -> None:
    name = windows_safe_name(text)
    assert windows_problem(name) is None and not name_problems(name)
    assert windows_safe_name(name) == name  # stable: a safe name is left as it is


def test_ordinary_names_are_unchanged() -> None:
    for name in ("HND.xlsx", "T-NAMO.xlsx", "tong-hop-2026 (ban moi).xlsx", "Thôn Nà Mò.docx"):
        assert windows_safe_name(name) == name


def test_derived_copies_stay_under_max_path_and_are_found_again(tmp_path: Path) -> None:
    folder = tmp_path / ("thu-muc-rat-dai-" * 40)[: MAX_PATH - len(str(tmp_path)) - 60]
    folder.mkdir()
    master = folder / "tong-hop-dan-van-kheo-cap-xa-2026.xlsx"
    assert len(str(master)) < MAX_PATH <= len(str(master)) + len(" (ban cu 2026-12-06 2305 2)")
    copy = beside_path(master)
    old = old_copy_path(master, __import__("datetime").datetime(2026, 12, 6, 23, 5))
    for path in (copy, old):
        assert len(str(path)) < MAX_PATH and not windows_problems([path])
    copy.write_bytes(b"x")
    assert beside_copies(master) == [copy]
    assert fit_stem(folder, "ngan", " (ban moi).xlsx") == "ngan"


def _fill(template: Path, out: Path) -> None:
    values = {k: v for k, v in {**INFO, **PERFECT}.items() if k not in ("info.unit_code", "info.unit_name")}
    fill_template(template, out, values, ONE_MODEL)


def test_every_writer_names_files_windows_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "xa"
    deep = "Phong Van hoa - Xa hoi/Thi dua khen thuong/"
    deep += "d" * (MAX_PATH - len(str(root / deep)) - len("/tong-hop-dan-van-kheo-cap-xa-2026.xlsx") - 12)
    lines = ["[commune]", "year = 2026", "", "[sources.folder]", 'path = "nop-bai"', "",
             "[output]", f'master = "{deep}/tong-hop-dan-van-kheo-cap-xa-{{year}}.xlsx"', ""]
    for i, code in enumerate(HOSTILE):
        lines += ["[[units]]", f'code = "{code}"', f'name = "Đơn vị {i}"', 'kind = "Thôn, xóm"', ""]
    (root / "nop-bai").mkdir(parents=True)
    config = root / "dvk.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    before = {p for p in root.rglob("*") if p.is_file()}
    cfg = ["--config", str(config)]

    seen: set[Path] = set()

    def run(args: list[str]) -> int:
        code = main(args)
        seen.update(p for p in root.rglob("*") if p.is_file())  # every file that appeared, even if merged later
        return code

    assert run(["template", "--all-units", "--out", str(root / "mau"), *cfg]) == 0
    mau = sorted(p.name for p in (root / "mau").iterdir())
    assert {"CON_.xlsx", "NUL_.xlsx", "PRN_.X.xlsx", "COM1_.BACKUP.xlsx", "CON_..xlsx"} <= set(mau) and len(mau) == len(HOSTILE)
    _fill(root / "mau" / "HND.xlsx", root / "nop-bai" / "HND.xlsx")
    _fill(root / "mau" / "CON_.xlsx", root / "nop-bai" / "CON_.xlsx")  # sent back under the name it was given
    assert run(["sync", *cfg]) in (0, 1)
    master = root / deep / "tong-hop-dan-van-kheo-cap-xa-2026.xlsx"
    wb = load_workbook(master)  # a code typo on a row with an appraisal: the old file is kept ("ban cu")
    ws = wb["Chi tiết tiêu chí"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã đơn vị")
    k1 = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "K1 thẩm định")
    ws.cell(header + 1, 1).value = "HNDD"
    ws.cell(header + 1, k1).value = 4
    wb.save(master)
    assert run(["report", *cfg]) == 0
    owner = master.with_name("~$" + master.name)
    owner.write_bytes(b"x")  # open in Excel: the "(ban moi)" copy
    assert run(["report", *cfg]) == 0
    owner.unlink()
    assert run(["docs", *cfg, "--out", str(root / deep / "van ban")]) in (0, 1)
    assert run(["report", *cfg, "--phase", "1"]) == 0
    assert run(["sync", *cfg, "--watch", "--interval", "5", "--max-passes", "1"]) in (0, 1)
    capsys.readouterr()

    written = sorted(p for p in seen if p not in before and p.parent.name != "nop-bai")
    names = {p.name for p in written}
    assert any("(ban cu" in n for n in names) and any("(ban moi)" in n for n in names)
    assert any(n.endswith(".docx") for n in names) and any("giai-doan-1" in n for n in names)
    assert windows_problems(written) == []
