"""Safe writing: formula-like texts stay text, control characters and long texts, atomic replace, locks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.libreoffice import recalc
from workbook.master import MasterInput, UnitRow, safe_text, write_master
from workbook.master.atomic import TEMP_PREFIX
from workbook.master.cells import HEADER_ROW
from workbook.master.safe import MAX_CELL_CHARS, TRUNCATION_NOTE

from .conftest import table
from .factory import EXEMPLAR, MODEL, PROPOSAL, master_input, row, unit

ROOT = Path(__file__).resolve().parents[3]
DANGEROUS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2", "=1+1"]


def _dangerous_data() -> MasterInput:
    models = [{**MODEL, "name": text} for text in DANGEROUS]
    tables = {"models": models, "exemplars": [{**EXEMPLAR, "achievements": "=cmd|' /C calc'!A0"}], "proposals": [PROPOSAL]}
    first = row(unit(0), tables=tables)
    return master_input([UnitRow(**{**first.__dict__, "notices": ("#N/A",)})])  # a notice printed on “Tình trạng nộp”


def test_formula_like_texts_stay_text(tmp_path: Path) -> None:
    path = write_master(tmp_path / "m.xlsx", _dangerous_data()).path
    ws = load_workbook(path)["Mô hình"]
    cells = [r[2] for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(DANGEROUS)) if r[2].value is not None]
    assert [c.value for c in cells] == DANGEROUS
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)
    status = load_workbook(path)["Tình trạng nộp"].cell(HEADER_ROW + 1, 10)
    assert (status.value, status.data_type) == ("#N/A", "s")  # an error code as text is not an error value
    exemplar = load_workbook(path)["Điển hình"]
    assert exemplar.cell(HEADER_ROW + 1, 6).value == "=cmd|' /C calc'!A0" and exemplar.cell(HEADER_ROW + 1, 6).data_type == "s"


@pytest.mark.libreoffice
def test_formula_like_texts_stay_text_after_libreoffice(tmp_path: Path) -> None:
    path = write_master(tmp_path / "m.xlsx", _dangerous_data()).path
    ws = load_workbook(recalc(path, tmp_path / "lo"), data_only=True)["Mô hình"]
    assert [r["Tên mô hình"] for r in table(ws)] == DANGEROUS


def test_control_characters_and_long_text_do_not_break_the_file(tmp_path: Path) -> None:
    long = "Nội dung rất dài. " * 2_300  # 41,400 characters
    tables = {"models": [MODEL], "exemplars": [{**EXEMPLAR, "achievements": long}], "proposals": []}
    first = row(unit(0), tables=tables)
    bad = UnitRow(**{**first.__dict__, "notices": ("lỗi\x07 lạ\x00 ở\x1b đây\ufffe",)})
    path = write_master(tmp_path / "m.xlsx", master_input([bad, row(unit(1))])).path
    wb = load_workbook(path)
    text = wb["Điển hình"].cell(HEADER_ROW + 1, 6).value
    assert len(text) == MAX_CELL_CHARS and text.endswith(TRUNCATION_NOTE) and text.startswith("Nội dung rất dài.")
    status = {r["Mã đơn vị"]: r for r in table(wb["Tình trạng nộp"])}
    assert status["VP-UBND"]["Thông báo"] == "lỗi lạ ở đây"


def test_safe_text() -> None:
    assert safe_text("a\x00b\x1fc\td\ne\rf") == "abc\td\ne\rf"
    assert safe_text("x" * 40_000).endswith(TRUNCATION_NOTE) and len(safe_text("x" * 40_000)) == MAX_CELL_CHARS
    assert safe_text("x" * MAX_CELL_CHARS) == "x" * MAX_CELL_CHARS
    assert safe_text(12) == "12"


_WRITER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.workbook.master.factory import sample
from workbook.master import write_master
write_master(Path({path!r}), sample({n}))
"""


def test_a_writer_killed_mid_write_leaves_the_previous_master(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    write_master(path, master_input([row(unit(0))]))
    before = path.read_bytes()
    script = _WRITER.format(root=str(ROOT), path=str(path), n=1_200)
    log = tmp_path / "writer.log"
    with log.open("wb") as err, subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=err) as proc:
        deadline = time.monotonic() + 120
        try:
            while not any(p.name.startswith(TEMP_PREFIX) for p in tmp_path.iterdir()):
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline
                time.sleep(0.005)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=300)
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    wb = load_workbook(path)
    assert [r["Mã đơn vị"] for r in table(wb["Tổng hợp"])] == ["VP-UBND"]


def test_an_open_master_is_not_clobbered(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    write_master(path, master_input([row(unit(0))]))
    before = path.read_bytes()
    (tmp_path / "~$tong-hop.xlsx").write_bytes(b"owner")  # what Excel keeps beside an open workbook
    result = write_master(path, master_input([row(unit(0)), row(unit(1))]))
    assert result.path == tmp_path / "tong-hop (ban moi).xlsx" and result.beside
    assert "đang được mở" in result.message and result.path.name in result.message
    assert path.read_bytes() == before
    assert len(table(load_workbook(result.path)["Tổng hợp"])) == 2
    # three syncs while it stays open: one copy beside it, reused (reliability review "held open in Excel")
    for _ in range(2):
        again = write_master(path, master_input([row(unit(0))]))
        assert again.path.name == "tong-hop (ban moi).xlsx"
    assert sorted(p.name for p in tmp_path.glob("t*.xlsx")) == ["tong-hop (ban moi).xlsx", "tong-hop.xlsx"]
    # the copy itself open too: the next one beside it
    (tmp_path / "~$tong-hop (ban moi).xlsx").write_bytes(b"owner")
    assert write_master(path, master_input([row(unit(0))])).path.name == "tong-hop (ban moi 2).xlsx"


def test_a_refused_replace_writes_beside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file Excel holds open: os.replace raises PermissionError (the OS seam)."""
    path = tmp_path / "tong-hop.xlsx"
    write_master(path, master_input([row(unit(0))]))
    real = os.replace

    def refuse(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == path:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = write_master(path, master_input([row(unit(0)), row(unit(1))]))
    assert result.beside and result.path.exists() and "ban moi" in result.path.name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(table(load_workbook(path)["Tổng hợp"])) == 1


def test_old_temporary_files_of_a_crashed_save_are_swept_recent_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    stale, fresh = tmp_path / f"{TEMP_PREFIX}crashed.xlsx", tmp_path / f"{TEMP_PREFIX}running.xlsx"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"another save in progress")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    write_master(path, master_input([row(unit(0))]))
    assert not stale.exists() and fresh.exists() and path.exists()


HOSTILE_CONFIG = {
    "people_committee": '=HYPERLINK("http://127.0.0.1:9/","UBND")', "council": "@SUM(1+1)*cmd|' /C calc'!A0",
    "preparer": "+1+1", "council_chair": "-1+1", "place": "=cmd|' /C calc'!A0",
}


def _config_cells(path: Path) -> list[tuple[str, object, str, bool]]:
    """(sheet!cell, value, data type, quote prefix) of every cell holding a configured hostile text."""
    out = []
    for ws in load_workbook(path).worksheets:
        for line in ws.iter_rows():
            for c in line:
                if isinstance(c.value, str) and any(h in c.value or h.upper() in c.value for h in HOSTILE_CONFIG.values()):
                    out.append((f"{ws.title}!{c.coordinate}", c.value, c.data_type, bool(c.quotePrefix)))
    return out


def test_configured_names_in_headings_and_signatures_stay_text(tmp_path: Path) -> None:
    """Review H6: the committee, the council, the signers and the place come from dvk.toml; in every annex of
    the master and of the phase review they are string cells, quoted when they look like a formula."""
    from dataclasses import replace

    from schemas.office import Letterhead
    from workbook.master import write_phase_review

    from .factory import sample

    data = replace(sample(4), letterhead=Letterhead(**HOSTILE_CONFIG))
    for path in (write_master(tmp_path / "m.xlsx", data).path,
                 write_phase_review(tmp_path / "p.xlsx", 1, {2026: data}).path):
        cells = _config_cells(path)
        shown = {v for _, v, _, _ in cells}
        for key in ("people_committee", "preparer", "council_chair"):
            assert HOSTILE_CONFIG[key] in shown, (key, path.name)
        assert all(kind == "s" for _, _, kind, _ in cells), cells
        assert all(quoted for _, v, _, quoted in cells if str(v).startswith(("=", "+", "-", "@"))), cells
        with zipfile.ZipFile(path) as z:
            formulas = [f for n in z.namelist() if n.startswith("xl/worksheets/")
                        for f in re.findall(rb"<f[^>]*>([^<]*)</f>", z.read(n))]
        assert not [f for f in formulas if b"127.0.0.1" in f or b"cmd|" in f or f in (b"+1+1", b"-1+1", b"1+1")]
