"""`dvk rubric` and the CLI's exit codes, through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main


def test_rubric_json_lists_the_22_criteria(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["criteria"]) == 22
    assert (data["base_max"], data["bonus_cap"], data["penalty_cap"]) == (100, 3, 3)
    k1 = next(c for c in data["criteria"] if c["code"] == "K1")
    assert {k: k1[k] for k in ("field", "type", "max_points")} == {"field": "Kinh tế", "type": "ĐL", "max_points": 8}
    assert k1["title"] == "Hoàn thành chỉ tiêu kinh tế được giao"
    assert [p["code"] for p in data["presets"]] == ["dan-van-2025", "nd-335-2025"]


def test_rubric_text_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric"]) == 0
    out = capsys.readouterr().out
    assert "Bộ tiêu chí mặc định của dvk (phiên bản 2026.1)" in out and "Điểm chuẩn 100" in out


def test_user_errors_exit_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric", "--rubric", str(tmp_path / "khong-co.toml")]) == 2
    err = capsys.readouterr().err
    assert "Không tìm thấy tệp bộ tiêu chí" in err and "Traceback" not in err
    assert main(["rubric", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "Lệnh không hợp lệ: Giá trị không hợp lệ cho --format: “xml” không phải một trong" in " ".join(err.split())
    assert main(["rubrik"]) == 2
    assert "Không có lệnh “rubrik”. Có phải ý bạn là 'rubric'?" in capsys.readouterr().err
    assert main(["report", "--phase", "5"]) == 2
    assert "phải nhỏ hơn hoặc bằng 2" in capsys.readouterr().err
    assert main([]) == 0
