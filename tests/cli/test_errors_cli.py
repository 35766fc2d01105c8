"""Every error is one Vietnamese message and exit 2, never a traceback (the reviews' commands, through main)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load_settings
from sync.watch import watch
from tests.sync.sync_support import UNITS, facts_for, filled, write_config

UNIT = '[[units]]\ncode = "VP"\nname = "Văn phòng"\nkind = "Phòng, ban"\n'


def _fails(capsys: pytest.CaptureFixture[str], args: list[str], *needles: str) -> str:
    code = main(args)
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert "Traceback" not in err and "Errno" not in err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


@pytest.mark.parametrize("command", [["rubric"], ["template", "--out", "t.xlsx"], ["validate", "t.xlsx"], ["score", "t.xlsx"]])
def test_a_folder_given_as_rubric(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    _fails(capsys, [*command, "--rubric", str(tmp_path)], f"{tmp_path} là một thư mục")


def test_a_folder_as_rubric_file_in_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text(f"[rubric]\nfile = '{tmp_path}'\n" + UNIT, encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], "rubric.file", "là một thư mục")


@pytest.mark.parametrize(
    ("out", "needle"),
    [("DIR", "là một thư mục"), ("bao-cao.csv", "đuôi .csv"), ("", "để trống"), ("bao-cao.xls", "đuôi .xls"),
     ("bao-cao.txt", "đuôi .txt"), ("khong-co/bao-cao.xlsx", "chưa có"), ("a" * 300 + ".xlsx", "quá dài")],
)
def test_report_out_must_be_an_xlsx_in_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, needle: str
) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    target = str(tmp_path) if out == "DIR" else str(tmp_path / out) if out else ""
    _fails(capsys, ["report", "--config", str(config), "--out", target], needle)
    assert not (tmp_path / "khong-co").exists()
    assert not list(tmp_path.glob("bao-cao.*"))


def test_master_path_must_end_in_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text("[output]\nmaster = 'tong-hop.csv'\n" + UNIT, encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], "output.master", "đuôi .xlsx")


def test_report_year_outside_the_plan_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    _fails(capsys, ["report", "--config", str(config), "--year", "2031"], "Năm 2031 nằm ngoài giai đoạn 2026–2030")
    assert not list(tmp_path.rglob("*2031*"))


def test_init_paths_with_markup_and_unwritable_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _fails(capsys, ["init", "--out", "[/bad]/dvk.toml"], "thư mục [/bad] chưa có")
    assert not (tmp_path / "[").exists()
    assert main(["init", "--out", "[red]x.toml"]) == 0
    assert "[red]x.toml" in capsys.readouterr().out
    assert (tmp_path / "[red]x.toml").is_file()
    _fails(capsys, ["init", "--out", "/proc/version", "--force"], "đuôi .toml")
    _fails(capsys, ["init", "--out", "/proc/dvk.toml", "--force"], "Không ghi được /proc/dvk.toml")
    _fails(capsys, ["addin", "lite", "--out", "[/x]"], "thư mục [ chưa có")
    assert not (tmp_path / "[").exists()


def test_template_out_into_a_missing_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fails(capsys, ["template", "--out", str(tmp_path / "khong-co" / "dir" / "t.xlsx")], "chưa có")
    assert not (tmp_path / "khong-co").exists()
    err = _fails(capsys, ["template", "--out", "/proc/t.xlsx"], "không ghi được vào thư mục /proc")
    assert "No such file" not in err and "(không tồn tại)" in err  # the OS reason in Vietnamese too


def test_templates_are_readable_by_everyone(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o644


def test_sync_and_report_without_a_config_stop_with_the_init_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DVK_CONFIG", raising=False)
    for command in ("sync", "report"):
        _fails(capsys, [command], "Không có tệp cấu hình dvk.toml", "dvk init")
    assert list(tmp_path.iterdir()) == []  # no phantom "xã Cao Minh", no tong-hop/


def test_a_config_with_no_unit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text("", encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], "chưa có đơn vị nào")
    _fails(capsys, ["report", "--config", str(config)], "chưa có đơn vị nào")


def test_config_directory_bom_and_library_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fails(capsys, ["sync", "--config", str(tmp_path)], f"{tmp_path} là một thư mục")
    config = tmp_path / "dvk.toml"
    config.write_bytes(b"\xef\xbb\xbf" + ("[commune]\nyear = 2027\n" + UNIT).encode("utf-8"))
    assert load_settings(config, env={}).year == 2027
    config.write_text("[commune]\nyear = 2026\n[commune]\nyear = 2027\n", encoding="utf-8")
    err = _fails(capsys, ["sync", "--config", str(config)], "mục [commune] được khai báo hai lần")
    assert "Cannot declare" not in err
    config.write_text("units = { code = 'VP' }\n", encoding="utf-8")
    err = _fails(capsys, ["sync", "--config", str(config)], "units: phải là một danh sách")
    assert "Input should" not in err


def test_invalid_year_does_not_also_blame_the_deadline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text("[commune]\nyear = 'hai nghìn'\n" + UNIT, encoding="utf-8")
    err = _fails(capsys, ["sync", "--config", str(config)], "commune.year")
    assert "deadline" not in err


def test_config_errors_name_the_unit_by_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text(UNIT + '[[units]]\ncode = "HND"\nname = "Hội Nông dân"\nkind = "Hội"\n', encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], "units[HND].kind")


def test_broken_environment_value(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    monkeypatch.setenv("DVK_UNITS", "[{")
    _fails(capsys, ["sync", "--config", str(config)], "biến môi trường DVK_UNITS", "JSON")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("code,name,kind\n", "chỉ có dòng tiêu đề"),
        ('code,name,kind\nVP,"' + "x" * 200_000 + '",Phòng ban\n', "dài hơn 131.072 ký tự"),
        ("code,name,kind\nV\0P,Văn phòng,\"Phòng, ban\"\n", "dòng 2: có ký tự rỗng (NUL)"),
    ],
)
def test_units_csv_problems_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, needle: str) -> None:
    (tmp_path / "don-vi.csv").write_text(content, encoding="utf-8")
    config = tmp_path / "dvk.toml"
    config.write_text("units_file = 'don-vi.csv'\n", encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], needle)


def test_units_file_as_init_writes_it_works(tmp_path: Path) -> None:
    from sync.config.example import example_config

    (tmp_path / "danh-sach-don-vi.csv").write_text("code,name,kind\nVP,Văn phòng,\"Phòng, ban\"\n", encoding="utf-8")
    text = example_config(2026).replace("# units_file = ", "units_file = ", 1)
    text = text[: text.index("\n[[units]]\n")]  # one registry only
    (tmp_path / "dvk.toml").write_text(text, encoding="utf-8")
    assert list(load_settings(tmp_path / "dvk.toml", env={}).registry()) == ["VP"]


def test_fatal_errors_are_json_with_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--config", str(tmp_path / "khong-co.toml"), "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["error"]["code"] == "config" and "Không tìm thấy tệp cấu hình" in data["error"]["message"]
    assert main(["validate", "--format=json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "usage"


def test_watch_with_an_unwritable_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    config.write_text(config.read_text(encoding="utf-8").replace("[output]", f"[output]\nlog = '{tmp_path}'"), encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config), "--watch", "--interval", "5", "--max-passes", "1"],
           "Không ghi được nhật ký dịch vụ")


def test_the_service_survives_a_failing_pass(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    (tmp_path / "tep").write_text("", encoding="utf-8")  # the master's folder is a file: every pass fails
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'master = "tong-hop/tong-hop-{year}.xlsx"', "master = 'tep/tong-hop-{year}.xlsx'\nledger = 'so/dvk.sqlite'\nlog = 'so/dvk.log'"
        ),
        encoding="utf-8",
    )
    said: list[str] = []
    passes = watch(load_settings(config, env={}), interval=0.01, use_google=False, max_passes=2, say=said.append)
    assert passes == 2
    log = (tmp_path / "so" / "dvk.log").read_text(encoding="utf-8")
    assert log.count("lượt đồng bộ lỗi, sẽ thử lại") == 2 and "dừng dịch vụ đồng bộ" in log
    assert sum("lượt đồng bộ lỗi" in line for line in said) == 2


def test_ctrl_c_during_sync_says_so_and_exits_130(tmp_path: Path) -> None:
    codes = [u.code for u in UNITS][:20]
    config = write_config(tmp_path, codes)
    for code in codes:
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from sync.cli import main; sys.exit(main(sys.argv[1:]))",
         "sync", "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"},
    )
    ledger = tmp_path / "tong-hop" / "dvk-ledger.sqlite"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not ledger.exists():
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)  # dvk forces its exit 3 s after Ctrl-C; the bound only catches a hang
    text = err.decode("utf-8")
    assert proc.returncode == 130, text
    assert "Đã dừng theo yêu cầu" in text and "Traceback" not in text


def test_ctrl_c_swallowed_by_a_callback_still_stops_with_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python ignores an exception raised in a weakref callback (an import's module lock has one): the Ctrl-C
    landed there once in CI, dvk said "Dừng" and went on to exit 0. It must stop, quietly, with 130."""
    import weakref

    from sync.cli import entry

    reached: list[str] = []

    class Work:
        pass

    def command(**_: object) -> int:
        work = Work()
        keep = weakref.ref(work, lambda _ref: signal.raise_signal(signal.SIGINT))
        del work  # the callback runs here, and the handler's exception is swallowed by Python
        for _ in range(1000):  # the interrupt comes back within a few bytecodes
            time.sleep(0.001)
        reached.append("the work went on")
        assert keep() is None  # the object is gone: its callback ran
        return 0

    monkeypatch.setattr(entry, "app", command)
    code = main(["sync"])
    err = capsys.readouterr().err
    assert code == 130 and not reached, err
    assert err.count("Đã dừng theo yêu cầu") == 1 and "Exception ignored" not in err and "Traceback" not in err


def test_library_and_system_errors_in_vietnamese() -> None:
    from sync.errors_vi import describe_exception, library_message

    assert "là một thư mục" in describe_exception(IsADirectoryError(21, "Is a directory", "/usr/share"))
    assert "không có quyền" in describe_exception(PermissionError(13, "Permission denied", "m.xlsx")).lower()
    assert "quá dài" in describe_exception(OSError(36, "File name too long", "a" * 300))
    temp = describe_exception(PermissionError(13, "Permission denied", "/x/tong-hop/.~dvk-ab12.xlsx"))
    assert "chỉ đọc" in temp and "“/x/tong-hop”" in temp and ".~dvk-" not in temp
    import sqlite3

    assert "chỉ đọc" in describe_exception(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "SQLite" in describe_exception(sqlite3.OperationalError("unable to open database file"))
    for english in ("File is not a zip file", "unable to open database file",
                    "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"):
        assert library_message(english) != english
