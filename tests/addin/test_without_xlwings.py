"""Everything but ``addin.udfs`` imports and runs without xlwings; the CLI commands of the add-in work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from addin.classic import UDF_MODULE, conf_file_text, conf_rows
from sync.cli import main

ROOT = Path(__file__).resolve().parents[2]

_BLOCKED = r'''
import importlib, io, json, pkgutil, sys, contextlib
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "xlwings" or name.startswith("xlwings."):
            raise ModuleNotFoundError("No module named 'xlwings' (hidden by the test)")
        return None
sys.meta_path.insert(0, Block())
imported, failed = [], {}
for package in ("schemas", "workbook", "sync", "addin"):
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        if info.name == "addin.udfs" or info.name.endswith(".__main__"):
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
try:
    importlib.import_module("addin.udfs")
except ModuleNotFoundError as err:
    failed["addin.udfs"] = str(err)
from sync.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    codes = [main(["rubric", "--format", "json"]), main(["addin", "lite", "--out", sys.argv[1]]), main(["addin", "classic"])]
print(json.dumps({"imported": imported, "failed": failed, "codes": codes, "xlwings": "xlwings" in sys.modules,
                  "rubric": json.loads(out.getvalue().split("\nĐã ghi")[0])["name"]}))
'''


def test_dvk_imports_and_runs_without_xlwings(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _BLOCKED, str(tmp_path / "lite")], capture_output=True, text=True, cwd=ROOT, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"addin.functions", "addin.checks", "addin.master", "addin.bundle", "addin.embed", "sync.cli"} <= set(data["imported"])
    assert "hidden by the test" in data["failed"]["addin.udfs"]  # the blocker works
    assert data["codes"] == [0, 0, 0] and data["xlwings"] is False and data["rubric"] == "Cao Minh 2026"
    assert (tmp_path / "lite" / "main.py").is_file()


def test_cli_classic_prints_and_writes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["addin", "classic"]) == 0
    shown = capsys.readouterr().out
    assert '"UDF MODULES","addin.udfs"' in shown and "Import Functions" in shown and "DVK_KIEM_TRA_PHIEU" in shown
    assert main(["addin", "classic", "--out", str(tmp_path), "--interpreter", r"C:\Python311\python.exe"]) == 0
    conf = (tmp_path / "xlwings.conf").read_text(encoding="utf-8")
    # the keys in capitals, as the xlwings documentation writes the user file (its VBA ignores the case)
    assert conf == '"UDF MODULES","addin.udfs"\n"INTERPRETER_WIN","C:\\Python311\\python.exe"\n'
    assert "xlwings addin install" in (tmp_path / "huong-dan-excel-windows.txt").read_text(encoding="utf-8-sig")
    assert conf_rows() == [("UDF Modules", UDF_MODULE)] and conf_file_text() == '"UDF MODULES","addin.udfs"\n'


def test_cli_lite_writes_the_bundle(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["addin", "lite", "--out", str(tmp_path / "b")]) == 0
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["main.py", "requirements.txt"]
    assert main(["addin", "lite", "--out", str(tmp_path / "c"), "--rubric", str(tmp_path / "none.toml")]) == 2
    assert "Không tìm thấy tệp bộ tiêu chí" in capsys.readouterr().err
