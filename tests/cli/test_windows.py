"""dvk on Windows: no POSIX-only module, paths with backslashes and Vietnamese letters, UTF-8 output.

The simulation runs the real CLI in a subprocess where the POSIX-only modules cannot be imported
(``sys.modules[name] = None`` makes ``import name`` fail, as on Windows).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sync.cli import app, main
from sync.config import load_settings
from sync.config.example import example_config
from tests.sync.sync_support import facts_for, filled, write_config

POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")
_PRELUDE = (
    "import sys\n"
    f"for name in {POSIX_ONLY!r}:\n"
    "    sys.modules[name] = None\n"
    "from sync.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _windowsish(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVK_")}
    return subprocess.run(
        [sys.executable, "-c", _PRELUDE, *args], capture_output=True, text=True, encoding="utf-8",
        cwd=cwd, env=env, timeout=timeout,
    )


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the app, as argument lists (["sync"], ["addin", "lite"], …)."""
    import typer.main

    root = typer.main.get_command(app)
    out: list[list[str]] = [[]]

    def walk(group: object, prefix: list[str]) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            out.append([*prefix, name])
            walk(cmd, [*prefix, name])

    walk(root, [])
    return out


def test_no_posix_only_module_is_imported_by_any_command() -> None:
    script = (
        "import sys\n"
        f"for name in {POSIX_ONLY!r}:\n"
        "    sys.modules[name] = None\n"
        "import importlib, pkgutil, sync\n"
        "for info in pkgutil.walk_packages(sync.__path__, 'sync.'):\n"
        "    if not info.name.endswith('.__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "from tests.cli.test_windows import command_paths\n"
        "print(len(command_paths()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 10


def test_every_help_page_works_without_posix_modules() -> None:
    for path in command_paths():
        done = _windowsish(*path, "--help", timeout=60)
        assert done.returncode == 0, (path, done.stderr)
        assert done.stdout.startswith("Cách dùng: dvk"), (path, done.stdout[:80])
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_demo_runs_without_posix_modules(tmp_path: Path) -> None:
    done = _windowsish("demo", "--out", str(tmp_path / "thử nghiệm"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "thử nghiệm" / "tong-hop" / "tong-hop-dan-van-kheo-2026.xlsx").is_file()


def test_watch_makes_one_pass_without_posix_modules(tmp_path: Path) -> None:
    root = tmp_path / "Thi đua Cao Minh"
    root.mkdir()
    config = write_config(root, ["VP-UBND", "HND"])
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"))
    done = _windowsish("sync", "--config", str(config), "--watch", "--interval", "5", "--max-passes", "1")
    assert done.returncode == 0, done.stderr
    assert "bắt đầu dịch vụ đồng bộ" in done.stdout and "đồng bộ năm 2026 xong" in done.stdout
    assert "dừng dịch vụ đồng bộ" in done.stdout
    assert (root / "tong-hop" / "tong-hop-2026.xlsx").is_file()
    log = (root / "tong-hop" / "dvk-sync.log").read_text(encoding="utf-8")
    assert "đồng bộ năm 2026 xong: 1 đã nhận, 1 chưa nộp" in log


def test_max_passes_only_with_watch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    assert main(["sync", "--config", str(config), "--max-passes", "1"]) == 2
    assert "--max-passes chỉ dùng cùng --watch" in capsys.readouterr().err


def test_init_writes_paths_as_single_quoted_literals() -> None:
    text = example_config(2026)
    data = tomllib.loads(text)
    assert data["sources"]["folder"]["path"] == "./nop-bai"
    path_lines = [line for line in text.splitlines() if line.lstrip("# ").startswith(("path =", "master =", "file =", "units_file =", "ledger =", "log =", "credentials ="))]
    assert path_lines and all("= '" in line for line in path_lines), path_lines


def test_windows_path_in_single_quotes_is_read_as_written(tmp_path: Path) -> None:
    (tmp_path / "dvk.toml").write_text(
        "[sources.folder]\npath = 'D:\\Thi đua\\nộp bài'\n", encoding="utf-8"
    )
    s = load_settings(tmp_path / "dvk.toml", env={})
    assert str(s.sources.folder.path).endswith("D:\\Thi đua\\nộp bài")


def test_backslash_in_double_quotes_gets_a_vietnamese_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "dvk.toml"
    config.write_text('[sources.folder]\npath = "D:\\Thi dua\\nop-bai"\n', encoding="utf-8")
    assert main(["sync", "--config", str(config)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "lỗi cú pháp TOML" in err and "(dòng 2, cột" in err
    assert "dấu nháy đơn" in err and "D:/Thi dua/nop-bai" in err
    assert "Unescaped" not in err and "at line" not in err


def test_output_is_utf8_when_the_console_is_not(tmp_path: Path) -> None:
    script = (
        "import io, sys\n"
        "sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding='cp1252')\n"
        "sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding='cp1252')\n"
        "from sync.cli import main\n"
        "code = main(['rubric'])\n"
        "out = sys.stdout\n"
        "out.flush()\n"
        "sys.__stdout__.write(str(code) + ' ' + out.encoding + '\\n')\n"
        "sys.__stdout__.write(out.buffer.getvalue().decode('utf-8')[:2000])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    head, _, body = done.stdout.partition("\n")
    assert head == "0 utf-8"
    assert "Bộ tiêu chí mặc định của dvk “Cao Minh 2026”" in body


def test_json_output_survives_a_narrow_encoding() -> None:
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii")
    old = sys.stdout
    sys.stdout = stream
    try:
        assert main(["rubric", "--format", "json"]) == 0
        sys.stdout.flush()
    finally:
        sys.stdout = old
    assert json.loads(buffer.getvalue().decode("utf-8"))["name"] == "Cao Minh 2026"
