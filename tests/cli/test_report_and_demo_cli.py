"""`dvk report` (year, phase, --with-lite), `dvk template --with-lite` and `dvk demo`, through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.embed import embedded_code
from sync.cli import main
from tests.support.demo import DemoRun, copy_demo
from tests.sync.sync_support import facts_for, filled, write_config


def test_report_year_phase_and_lite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    assert main(["sync", "--config", str(config)]) == 0
    out = tmp_path / "bao-cao.xlsx"
    assert main(["report", "--config", str(config), "--out", str(out), "--with-lite"]) == 0
    assert f"Đã ghi: {out}" in capsys.readouterr().out.replace("\n", "")
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[:2] == ["Tổng hợp", "Chi tiết tiêu chí"]
    assert "main.py" in embedded_code(out)
    assert main(["report", "--config", str(config), "--phase", "1"]) == 0
    written = capsys.readouterr().out.replace("\n", "").split("Đã ghi: ")[1].strip()
    assert Path(written).name == "so-ket-dan-van-kheo-giai-doan-1.xlsx"
    assert len(load_workbook(written, read_only=True).sheetnames) >= 3
    # the tổng kết covers the whole movement 2026–2030 (2026 is in it), giai đoạn II in detail
    assert main(["report", "--config", str(config), "--phase", "2"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "tệp chỉ có khung" not in said
    written = said.split("Đã ghi: ")[1].split()[0]
    heading = " ".join(str(c.value) for line in load_workbook(written).worksheets[0].iter_rows(max_row=8) for c in line if c.value)
    assert "TỔNG KẾT GIAI ĐOẠN 2026–2030" in heading
    assert main(["report", "--config", str(config), "--phase", "3"]) == 2


def test_template_with_lite(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    assert main(["template", "--out", str(out), "--with-lite"]) == 0
    code = embedded_code(out)
    assert "DVK_DIEM" in code["main.py"].upper() and "requirements.txt" in code
    assert "Chấm điểm" in load_workbook(out).sheetnames


def test_demo_runs_the_whole_job(demo_run: DemoRun, tmp_path: Path) -> None:
    """`dvk demo` through the CLI, as on Windows (no POSIX-only module), into a folder with Vietnamese letters."""
    assert demo_run.returncode == 0, demo_run.stderr
    assert "Traceback" not in demo_run.stderr
    out, text = demo_run.folder, demo_run.stdout
    assert out.name == "thử nghiệm"
    files = int(re.search(r"Đã tạo (\d+) tệp phiếu mẫu", text)[1])  # type: ignore[index]
    assert 3 * 26 * 0.85 <= files <= 3 * 26 and "Năm 2028: 26 đơn vị" in text
    assert len(list((out / "nop-bai").rglob("*.xls*"))) == files
    for year in (2026, 2027, 2028):
        master = out / "tong-hop" / f"tong-hop-dan-van-kheo-{year}.xlsx"
        wb = load_workbook(master, read_only=True)
        assert "Tình trạng nộp" in wb.sheetnames and "Lỗi" in wb.sheetnames
    assert (out / "tong-hop" / "so-ket-dan-van-kheo-giai-doan-1.xlsx").exists()
    # the typical mistakes of the sample reach the "Lỗi" sheet with their cell
    errors = load_workbook(out / "tong-hop" / "tong-hop-dan-van-kheo-2026.xlsx", read_only=True)["Lỗi"]
    messages = " ".join(str(c) for row in errors.iter_rows(values_only=True) for c in row if c)
    assert "Chấm điểm" in messages
    # the demo's sync can be run again by hand: nothing new
    again = copy_demo(demo_run, tmp_path / "demo")
    assert main(["sync", "--config", str(again / "dvk.toml"), "--format", "json"]) in (0, 1)
