"""Help pages in Vietnamese, `dvk` alone, `--version`, `-h`, usage pointers, output not wrapped when piped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sync.cli import main
from sync.cli.sync import render_report
from sync.service import SyncReport
from tests.cli.test_windows import command_paths
from tests.sync.sync_support import write_config

ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show this message|\[default|\[required|default:|required\]|"
    r"<list\[|<path>|<float|<int|<text>|range>|x>=|x<=|<=x|\{[^}]*\}\.\.\.|\bCOMMAND\b|\[ARGS\]|\[OPTIONS\]"
)


def test_every_help_page_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    paths = command_paths()
    assert ["sync"] in paths and ["addin", "lite"] in paths
    for path in paths:
        for flag in ("--help", "-h"):
            assert main([*path, flag]) == 0, path
            out = capsys.readouterr().out
            assert out.startswith("Cách dùng: dvk"), (path, out[:60])
            found = ENGLISH.findall(out)
            assert not found, (path, found)
    assert main(["sync", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Tùy chọn:" in out and "[mặc định: 300; ≥ 5]" in " ".join(out.split())
    assert "Hiện hướng dẫn này rồi thoát." in out


def test_dvk_alone_prints_help_on_stdout_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Cách dùng: dvk") and "Lệnh:" in captured.out
    assert captured.err == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert re.fullmatch(r"dvk \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def test_usage_errors_point_at_the_command_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "Thiếu tham số TỆP" in err and "Xem hướng dẫn: dvk validate --help" in err
    assert main(["addin", "lite"]) == 2
    assert "Xem hướng dẫn: dvk addin lite --help" in capsys.readouterr().err


def test_piped_output_is_not_wrapped_at_80_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path / ("thư mục có tên rất dài " * 4).strip(), ["VP-UBND", "HND"])
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    master = next(line for line in out.splitlines() if line.startswith("Tệp tổng hợp: "))
    assert master == f"Tệp tổng hợp: {config.parent / 'tong-hop' / 'tong-hop-2026.xlsx'}"
    row = next(line for line in out.splitlines() if "VP-UBND" in line)
    message = "Chưa nộp (còn hạn)." if dt.date.today() <= dt.date(2026, 12, 15) else "Chưa nhận được phiếu tự đánh giá."
    assert "Văn phòng HĐND và UBND" in row and message in row and len(row) > 80


def test_no_empty_total_line(capsys: pytest.CaptureFixture[str]) -> None:
    render_report(SyncReport(year=2026, units=[]))
    out = capsys.readouterr().out
    assert "Tổng: ." not in out and "Chưa có đơn vị nào" in out


def test_classic_addin_steps_install_from_the_project_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["addin", "classic"]) == 0
    out = capsys.readouterr().out
    assert 'pip install "dvk[excel]"' not in out  # there is no dvk of ours on PyPI
    assert "py -m venv .venv" in out and '.venv\\Scripts\\pip install ".[excel]"' in out


def test_sync_table_shows_review_notices_and_staff_edits(capsys: pytest.CaptureFixture[str]) -> None:
    from sync.service import UnitOutcome

    unit = UnitOutcome(code="HPN", name="Hội Phụ nữ", status="ok", total=96.6, rating_code="HTXS")
    unit.needs_review = True
    unit.notices = ["Tệp HPN-cu.xlsx là bản cũ đã nhận trước đây; không thay bản hiện hành."]
    report = SyncReport(year=2026, units=[unit])
    report.staff_edits = {"appraisals": 3, "notes": 1}
    render_report(report)
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "HPN" in line)
    assert "Cần xem lại. Tệp HPN-cu.xlsx là bản cũ" in row and ".;" not in row  # sentences, never ".;"
    assert "Đọc lại từ tệp tổng hợp: 3 điểm thẩm định, 1 ghi chú." in out


def test_command_lists_are_whole_and_folders_are_named_folders(capsys: pytest.CaptureFixture[str]) -> None:
    """New-commune review, defect 22: `dvk` alone cut each summary with "..."; folder options read <TỆP>."""
    for group in ([], ["addin"], ["sheets"], ["google"]):
        assert main(group) == 0
        listing = capsys.readouterr().out.split("Lệnh:")[1]
        assert "..." not in listing, (group, listing)
    assert main([]) == 0
    assert "liệt kê lỗi, cảnh báo kèm trang và ô cần sửa" in " ".join(capsys.readouterr().out.split())
    assert main(["docs", "--help"]) == 0
    docs = " ".join(capsys.readouterr().out.split())
    assert "--out <THƯ MỤC>" in docs and "--export-templates <THƯ MỤC>" in docs
    for command in (["addin", "lite"], ["addin", "classic"], ["demo"]):
        assert main([*command, "--help"]) == 0
        assert "--out <THƯ MỤC>" in " ".join(capsys.readouterr().out.split()), command
    assert main(["template", "--help"]) == 0
    assert "--out <TỆP|THƯ MỤC>" in capsys.readouterr().out
