"""The xlwings Lite bundle runs under a plain Python with only its requirements, and embeds in a workbook."""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.bundle import LITE_REQUIRED, build_lite_bundle, requirement_name, requirements_for, write_lite_bundle
from addin.embed import WEBEXTENSION_PART, embed_lite, embedded_code
from addin.functions import dvk_diem, dvk_maxeploai, dvk_tongdiem, dvk_xephang, dvk_xeploai
from schemas import Rubric
from tests.support.libreoffice import recalc
from workbook.template import write_template

_CALLS = [
    ("dvk_diem", ["S1", [[120]], [[115]]]),
    ("dvk_diem", ["K1", 120.0, 115.0]),
    ("dvk_diem", ["Q1", 10, 10, "Có"]),
    ("dvk_diem", ["M1", 2]),
    ("dvk_diem", ["K1", "abc", 1]),
    ("dvk_tongdiem", [[[3, 2, 3, 2, 8, 4, 8, 4, 8, 4, 8, 4, 12, 3, 10, 3, 2, 4, 4, 4, 3, -1]]]),
    ("dvk_xeploai", [[[3, 2, 3, 2, 8, 4, 8, 4, 8, 4, 8, 4, 12, 3, 10, 3, 2, 4, 4, 0, 3, 0]], "Khiển trách"]),
    ("dvk_maxeploai", [96.5, None, [["Không"], ["Có"]]]),
    ("dvk_xephang", [[[90], [95], [90]], [[90], [95], [90]]]),
]
_PACKAGE_FUNCTIONS = {
    "dvk_diem": dvk_diem, "dvk_tongdiem": dvk_tongdiem, "dvk_xeploai": dvk_xeploai,
    "dvk_maxeploai": dvk_maxeploai, "dvk_xephang": dvk_xephang,
}

_RUNNER = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import main
calls = json.loads(sys.argv[3])
out = [getattr(main, name)(*args) for name, args in calls]
names = sorted(n for n in dir(main) if n.startswith(("dvk_", "kiem_", "cap_")))
modules = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"results": out, "names": names, "modules": modules, "main": main.__file__}, ensure_ascii=False))
"""


def _distributions(requirements: list[str]) -> set[str]:
    """The distributions named in requirements.txt and everything they need (on this platform)."""
    todo = [re.split(r"[<>=!~ ;]", r, maxsplit=1)[0] for r in requirements]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        for req in md.requires(name) or []:
            if ";" in req and "extra" in req.split(";", 1)[1]:
                continue
            if ";" in req and "platform_system" in req.split(";", 1)[1]:
                continue
            todo.append(re.split(r"[<>=!~ ;\[(]", req, maxsplit=1)[0])
    return seen


def _site_with_only(requirements: list[str], target: Path) -> Path:
    """A folder holding exactly the installed packages of those distributions (symlinks)."""
    target.mkdir()
    for dist in _distributions(requirements):
        files = md.files(dist) or []
        tops = {f.parts[0] for f in files if not f.parts[0].endswith((".dist-info", ".pth")) and f.parts[0] != ".."}
        for top in tops:
            src = Path(md.distribution(dist).locate_file(top))
            if src.exists() and not (target / top).exists():
                (target / top).symlink_to(src)
    return target


def test_requirements_are_what_the_sources_import() -> None:
    assert requirements_for({"a.py": "import os\nimport pydantic\nfrom schemas import x\nfrom .y import z\nimport xlwings as xw"}) == [
        "pydantic", "xlwings<1.0.0",
    ]
    lines = build_lite_bundle().requirements_txt.splitlines()
    # Lite's own lines first, as Lite writes them (xlwings among them, so no second xlwings line)
    assert lines[: len(LITE_REQUIRED)] == list(LITE_REQUIRED)
    assert all(line.endswith("  # required") for line in lines[:4])
    assert [requirement_name(x) for x in lines].count("xlwings") == 1
    assert "pydantic" in lines
    assert set(lines[len(LITE_REQUIRED):]) <= {"pydantic", "openpyxl"}  # openpyxl only while workbook.layout imports it


def _importable(lines: list[str]) -> list[str]:
    """The requirement names the bundled code imports (Lite's own helpers, e.g. black, are not installed here)."""
    lite_only = {requirement_name(x) for x in LITE_REQUIRED} - {"xlwings"}
    names = [requirement_name(x) for x in lines if x.strip() and not x.lstrip().startswith("#")]
    return [n for n in names if n not in lite_only]


def test_main_py_runs_isolated_and_matches_the_package(tmp_path: Path) -> None:
    out = tmp_path / "lite"
    write_lite_bundle(out)
    requirements = _importable((out / "requirements.txt").read_text(encoding="utf-8").splitlines())
    site = _site_with_only(requirements, tmp_path / "site")
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _RUNNER, str(out), str(site), json.dumps(_CALLS)],
        capture_output=True, text=True, cwd=tmp_path, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    expected = [_PACKAGE_FUNCTIONS[name](*args) for name, args in _CALLS]
    assert data["results"] == json.loads(json.dumps(expected))
    assert data["results"][0] == 12 and data["results"][4].startswith("Lỗi: ")
    assert data["names"] == [
        "cap_nhat_tong_hop", "dvk_cap_nhat_tong_hop", "dvk_diem", "dvk_kiem_tra_phieu", "dvk_kiemtra",
        "dvk_maxeploai", "dvk_tongdiem", "dvk_xephang", "dvk_xeploai", "kiem_tra_phieu",
    ]
    assert "sync" not in data["modules"] and "typer" not in data["modules"]
    assert Path(data["main"]).parent == out


def test_bundle_with_a_custom_rubric(tmp_path: Path, rubric: Rubric) -> None:
    source = Path(__file__).resolve().parents[2] / "schemas" / "rubrics" / "cao-minh-2026.toml"
    custom = tmp_path / "xa-khac.toml"
    custom.write_text(source.read_text(encoding="utf-8").replace('name = "Cao Minh 2026"', 'name = "Xã Khác 2027"', 1), encoding="utf-8")
    bundle = build_lite_bundle(custom)
    assert "Xã Khác 2027" in bundle.main_py
    assert "'addin/rubric.toml'" in bundle.main_py
    broken = tmp_path / "hong.toml"
    broken.write_text("name = 1\n", encoding="utf-8")
    from schemas.errors import RubricError

    with pytest.raises(RubricError):
        build_lite_bundle(broken)


@pytest.mark.libreoffice
def test_embedded_template_opens_and_carries_the_code(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "mau.xlsx", rubric, year=2026)
    before = openpyxl.load_workbook(path).sheetnames
    out = tmp_path / "lite"
    write_lite_bundle(out)
    embed_lite(path, out)
    embed_lite(path, build_lite_bundle())  # embedding again replaces, never duplicates
    code = embedded_code(path)
    assert code == {"main.py": (out / "main.py").read_text(encoding="utf-8"), "requirements.txt": (out / "requirements.txt").read_text(encoding="utf-8")}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names.count(WEBEXTENSION_PART) == 1
        assert z.read("_rels/.rels").decode().count("webextensiontaskpanes") == 1
        assert z.read("[Content_Types].xml").decode().count("webextension1.xml") == 1
        assert z.testzip() is None
    assert openpyxl.load_workbook(path).sheetnames == before
    recalculated = recalc(path, tmp_path / "lo")
    assert openpyxl.load_workbook(recalculated, data_only=True).sheetnames == before


def test_embed_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    from schemas.errors import WorkbookError

    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello", encoding="utf-8")
    with pytest.raises(WorkbookError, match="Không mở được"):
        embed_lite(not_xlsx, {"main.py": "", "requirements.txt": ""})
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "ok.xlsx")
    with pytest.raises(WorkbookError, match=r"thiếu main\.py"):
        embed_lite(tmp_path / "ok.xlsx", tmp_path / "empty")
    assert embedded_code(tmp_path / "ok.xlsx") == {}


def test_addin_lite_takes_the_rubric_of_dvk_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New-commune review, defect 21: without --rubric, the Lite bundle carries the commune's rubric, as
    `dvk template` and `dvk validate` do; --rubric still wins."""
    from sync.cli import main

    source = Path(__file__).resolve().parents[2] / "schemas" / "rubrics" / "cao-minh-2026.toml"
    own = tmp_path / "bo-tieu-chi.toml"
    own.write_text(source.read_text(encoding="utf-8").replace('name = "Cao Minh 2026"', 'name = "Tân Lập 2027"', 1),
                   encoding="utf-8")
    (tmp_path / "dvk.toml").write_text('[rubric]\nfile = "bo-tieu-chi.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["addin", "lite", "--out", str(tmp_path / "lite")]) == 0
    assert "Tân Lập 2027" in (tmp_path / "lite" / "main.py").read_text(encoding="utf-8")
    assert main(["addin", "lite", "--out", str(tmp_path / "lite2"), "--config", str(tmp_path / "dvk.toml")]) == 0
    assert "Tân Lập 2027" in (tmp_path / "lite2" / "main.py").read_text(encoding="utf-8")
    other = tmp_path / "khac.toml"
    other.write_text(source.read_text(encoding="utf-8").replace('name = "Cao Minh 2026"', 'name = "Xã Khác"', 1),
                     encoding="utf-8")
    assert main(["addin", "lite", "--out", str(tmp_path / "lite3"), "--rubric", str(other)]) == 0
    assert "Xã Khác" in (tmp_path / "lite3" / "main.py").read_text(encoding="utf-8")
