"""The Excel 2016 path as written (new-commune review, defects 7 and 8): ``dvk addin classic --out`` writes the
interpreter of the environment it runs from, the guide keeps the master .xlsx (the functions go into a
workbook of their own), and the classic macros act on the dvk workbook in front."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from addin.classic import TOOLS_WORKBOOK, classic_steps, venv_interpreter
from sync.cli import main


def test_addin_classic_out_writes_the_interpreter_it_runs_under(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["addin", "classic", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    conf = (tmp_path / "xlwings.conf").read_text(encoding="utf-8").splitlines()
    assert conf == ['"UDF MODULES","addin.udfs"', f'"INTERPRETER_WIN","{venv_interpreter()}"']
    assert venv_interpreter() == sys.executable or sys.platform == "win32"
    guide = (tmp_path / "huong-dan-excel-windows.txt").read_text(encoding="utf-8-sig")
    assert f'"INTERPRETER_WIN","{venv_interpreter()}"' in guide and "Interpreter_Win là Python của môi trường" in guide
    if sys.platform != "win32":  # the path is this machine's: say so, and how to get the Windows one
        assert "không phải Windows" in " ".join(out.split()) and "--interpreter" in out


def test_the_interpreter_on_windows_is_pythonw_beside_python() -> None:
    venv = r"C:\Users\can.bo\dvk\.venv\Scripts\python.exe"
    assert venv_interpreter(venv, windows=True, exists=lambda p: True) == r"C:\Users\can.bo\dvk\.venv\Scripts\pythonw.exe"
    assert venv_interpreter(venv, windows=True, exists=lambda p: False) == venv
    assert venv_interpreter("/home/x/.venv/bin/python", windows=False) == "/home/x/.venv/bin/python"


def test_the_guide_keeps_the_master_xlsx_and_puts_the_functions_in_a_workbook_of_their_own() -> None:
    guide = " ".join(classic_steps(r"C:\dvk\.venv\Scripts\pythonw.exe").split())
    assert f"đặt tên {TOOLS_WORKBOOK}" in guide and "Import Functions" in guide
    assert "Không lưu tệp tổng hợp hay phiếu thành .xlsm" in guide
    assert "Mở phiếu hoặc tệp tổng hợp, lưu thành .xlsm" not in guide  # the old trap of step 5
    assert "dvk addin classic --out" in guide and "--interpreter" in guide
    assert "Add python.exe to PATH" not in guide  # the system Python has neither xlwings nor dvk


def _book(*sheets: str) -> SimpleNamespace:
    return SimpleNamespace(sheets=[SimpleNamespace(name=s) for s in sheets])


def test_classic_macros_act_on_the_dvk_workbook_in_front() -> None:
    pytest.importorskip("xlwings")
    from addin.udfs import is_dvk_book, target_book

    tools = _book("Sheet1")
    master = _book("Tổng hợp", "Chi tiết tiêu chí", "Lỗi")
    unit = _book("Hướng dẫn", "Thông tin đơn vị", "Chấm điểm", "Mô hình")
    assert is_dvk_book(master) and is_dvk_book(unit) and not is_dvk_book(tools)
    assert target_book(tools, master) is master and target_book(tools, unit) is unit
    assert target_book(tools, _book("Book2")) is tools and target_book(tools, None) is tools
    assert target_book(unit, unit) is unit  # macros imported into the sheet itself (the old way) still work
