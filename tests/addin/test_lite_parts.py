"""The xlwings Lite parts as Lite writes them, and a file whose Lite parts a re-save by LibreOffice broke."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from addin.bundle import LITE_REQUIRED, build_lite_bundle
from addin.embed import (
    ADDIN_VERSION,
    PYODIDE_VERSION,
    WEBEXTENSION_PART,
    LitePartsError,
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
from workbook.lite_parts import MAX_PART_BYTES, WE_NS
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


# -- damaged Lite parts (review H7): one bad file never stops the batch; every read is bounded ----------------

_GOOD_PART: dict[str, bytes] = {}


def _with_part(src: Path, dst: Path, part: bytes | None = None, *, bomb_mib: int = 0) -> Path:
    """``src`` with its web-extension part replaced by ``part``, or by a deflate bomb of ``bomb_mib`` MiB."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            if item.filename != WEBEXTENSION_PART:
                out.writestr(item, z.read(item.filename))
                continue
            if bomb_mib:
                info = zipfile.ZipInfo(WEBEXTENSION_PART)
                info.compress_type = zipfile.ZIP_DEFLATED
                with out.open(info, "w", force_zip64=True) as fh:
                    fh.write(b'<?xml version="1.0"?><we:webextension xmlns:we="' + WE_NS.encode() + b'"><!--')
                    block = b"A" * 2**20
                    for _ in range(bomb_mib):
                        fh.write(block)
                    fh.write(b"--></we:webextension>")
            else:
                out.writestr(item, part or b"")
    return dst


@pytest.fixture
def lite_submission(tmp_path: Path) -> Path:
    """A valid filled submission that carries the Lite code (as a unit's file made with --with-lite)."""
    from tests.sync.sync_support import facts_for, filled

    path = filled(tmp_path, "HND.xlsx", facts_for("HND"))
    embed_lite(path, build_lite_bundle())
    return path


def _damaged_cases(src: Path, folder: Path) -> dict[str, Path]:
    with zipfile.ZipFile(src) as z:
        good = z.read(WEBEXTENSION_PART).decode()
    not_json = re.sub(r'value="[^"]*"', 'value="{not json"', good, count=1)
    entity = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]>' + good.split("?>", 1)[-1]
    return {
        "malformed-xml": _with_part(src, folder / "malformed.xlsx", b"<we:webextension xmlns:we='x'><unclosed>"),
        "value-not-json": _with_part(src, folder / "not-json.xlsx", not_json.encode()),
        "entity-declaration": _with_part(src, folder / "entity.xlsx", entity.encode()),
        "too-large": _with_part(src, folder / "too-large.xlsx", b"<a><!--" + b"A" * (MAX_PART_BYTES + 10) + b"--></a>"),
    }


def test_a_damaged_lite_part_is_that_files_warning_and_the_batch_goes_on(
    lite_submission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _damaged_cases(lite_submission, tmp_path)
    for name, path in cases.items():
        assert lite_state(path) is LiteState.DAMAGED, name
        message = lite_problem(path)
        assert message is not None and "phần mã xlwings Lite hỏng" in message and path.name in message, name
        with pytest.raises(LitePartsError):
            embedded_code(path)
    files = [str(lite_submission), *map(str, cases.values()), str(lite_submission)]
    for command in ("validate", "score"):
        # the file with a DTD is refused whole before it is opened (its error, exit 1); the others are read and
        # their damaged Lite part is a warning, not an error: the data is fine
        assert main([command, "--format", "json", *files]) == 1
        out = json.loads(capsys.readouterr().out)
        assert [r["file"] for r in out] == files
        codes = [[i["code"] for i in r["issues"]] for r in out]
        assert codes == [[], ["lite-parts-broken"], ["lite-parts-broken"], ["xml-entities"], ["lite-parts-broken"], []]
        if command == "score":
            assert [r["total"] is not None for r in out] == [True, True, True, False, True, True]
    assert main(["addin", "check", *files]) == 2  # the entity declaration is refused before reading (preflight)
    out = " ".join(capsys.readouterr().out.split())
    assert "Lỗi không mong đợi" not in out and out.count("phần mã xlwings Lite hỏng") == 3
    assert "khai báo XML không an toàn" in out


def test_addin_check_refuses_a_deflate_bomb_in_the_lite_part_without_inflating_it(
    lite_submission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review H7: a 94 KiB file inflating to 64 MiB took 11.5 s and 412 MB; the part is refused unread."""
    bomb = _with_part(lite_submission, tmp_path / "bomb.xlsx", bomb_mib=64)
    assert bomb.stat().st_size < 200 * 2**10
    assert main(["addin", "check", str(bomb), str(lite_submission)]) == 2
    out = " ".join(capsys.readouterr().out.split())
    assert "bomb.xlsx" in out and "nén bất thường" in out
    assert "HND.xlsx: có mã xlwings Lite, còn nguyên" in out
    assert lite_state(bomb) is LiteState.DAMAGED  # the part alone, past the preflight: refused by its declared size
