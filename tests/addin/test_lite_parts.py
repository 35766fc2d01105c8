"""The xlwings Lite parts as Lite writes them, and a file whose Lite parts a re-save by LibreOffice broke."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from addin.bundle import LITE_REQUIRED, build_lite_bundle
from addin.embed import (
    ADDIN_VERSION,
    PYODIDE_VERSION,
    WEBEXTENSION_PART,
    LiteState,
    embed_lite,
    embedded_code,
    lite_problem,
    lite_properties,
    lite_state,
)
from schemas import Rubric
from sync.cli import main
from tests.support.libreoffice import recalc
from workbook.template import write_template


@pytest.fixture
def embedded(tmp_path: Path, rubric: Rubric) -> Path:
    path = write_template(tmp_path / "mau-lite.xlsx", rubric, year=2026)
    embed_lite(path, build_lite_bundle())
    return path


def test_properties_are_those_lite_writes(embedded: Path) -> None:
    props = lite_properties(embedded)
    assert json.loads(props["pyodideVersion"]) == PYODIDE_VERSION
    assert json.loads(props["addinVersion"]) == ADDIN_VERSION
    assert "Office.AutoShowTaskpaneWithDocument" not in props
    assert set(props) == {"main.py", "requirements.txt", "pyodideVersion", "addinVersion"}
    requirements = embedded_code(embedded)["requirements.txt"].splitlines()
    assert requirements[: len(LITE_REQUIRED)] == list(LITE_REQUIRED)
    assert lite_state(embedded) is LiteState.OK and lite_problem(embedded) is None


def _drop_web_extension(src: Path, dst: Path) -> Path:
    """What LibreOffice leaves: taskpanes.xml and its relationship, no web-extension part."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
        for item in z.infolist():
            if item.filename in (WEBEXTENSION_PART, "xl/webextensions/_rels/taskpanes.xml.rels"):
                continue
            out.writestr(item, z.read(item.filename))
    return dst


def test_broken_lite_parts_are_reported_with_what_to_do(
    embedded: Path, tmp_path: Path, rubric: Rubric, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _drop_web_extension(embedded, tmp_path / "hong.xlsx")
    plain = write_template(tmp_path / "thuong.xlsx", rubric, year=2026)
    assert lite_state(broken) is LiteState.BROKEN
    assert lite_state(plain) is LiteState.NONE and lite_problem(plain) is None
    message = lite_problem(broken)
    assert message is not None
    assert "hong.xlsx" in message and "LibreOffice" in message and "dvk template --with-lite" in message
    assert main(["addin", "check", str(embedded), str(plain), str(broken)]) == 1
    out = capsys.readouterr().out
    assert "mau-lite.xlsx: có mã xlwings Lite, còn nguyên" in out
    assert "thuong.xlsx: không có mã xlwings Lite" in out
    assert "phần mã xlwings Lite đã bị mất" in out
    assert main(["addin", "check", str(embedded)]) == 0
    assert main(["addin", "check", str(tmp_path / "khong-co.xlsx")]) == 2


@pytest.mark.libreoffice
def test_a_libreoffice_resave_is_recognised(embedded: Path, tmp_path: Path) -> None:
    resaved = recalc(embedded, tmp_path / "lo")
    with zipfile.ZipFile(resaved) as z:
        names = z.namelist()
    assert WEBEXTENSION_PART not in names  # what LibreOffice does: the web extension is gone …
    assert lite_state(resaved) is LiteState.BROKEN  # … and dvk says so
    assert lite_problem(resaved) is not None
