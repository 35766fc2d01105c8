"""`dvk template`, `dvk validate`, `dvk score` through the real entry point, on real files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.cli import main
from workbook.fill import fill_template

INFO = {
    "info.unit_code": "VP-UBND", "info.unit_name": "Văn phòng HĐND và UBND", "info.head": "Ma Văn Tuấn",
    "info.head_discipline": "Không", "info.ko_corruption": "Không", "info.ko_prosecuted": "Không",
}
FACTS = {
    "A1.level": "Ban hành đúng hạn", "A2.count": 2, "A3.level": "Có", "A4.level": "Đúng hạn",
    "K1.target": 100, "K1.result": 92.5, "K2.target": 10, "K2.result": 12, "V1.target": 5, "V1.result": 5,
    "V2.target": 8, "V2.result": 6, "Q1.target": 3, "Q1.result": 3, "Q1.flag": "Không", "Q2.target": 4,
    "Q2.result": 4, "H1.target": 6, "H1.result": 6, "H2.count": 4, "S1.target": 120, "S1.result": 111,
    "S2.level": "Không có", "P1.target": 12, "P1.result": 11, "P2.target": 20, "P2.result": 20, "P3.count": 0,
    "D1.target": 4, "D1.result": 4, "D2.count": 3, "D3.level": "Không có", "B1.commune": 1, "B1.province": 0,
    "B1.replicated": 0, "M1.count": 0,
}
MODELS = {"models": [{"name": "Dân vận khéo trong chuyển đổi số", "field": "Kinh tế", "kind": "Tập thể",
                      "status": "Được công nhận", "recognition_level": "Xã", "decision_no": "45/QĐ-UBND",
                      "decision_date": "20/10/2026"}]}
UNITS_CSV = (
    "code,name,kind,email\n"
    'VP-UBND,Văn phòng HĐND và UBND,"Phòng, ban",vp@caominh.vn\n'
    'HND,Hội Nông dân,"MTTQ, đoàn thể",\n'
    'THON-NA-MO,Thôn Nà Mò,"Thôn, xóm",\n'
)


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder, without a dvk.toml or DVK_* settings from the machine."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("DVK_")]:
        monkeypatch.delenv(name)


def _units(tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.csv"
    path.write_text(UNITS_CSV, encoding="utf-8")
    return path


def _filled(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str = "vp.xlsx", **changes: object) -> Path:
    assert main(["template", "--year", "2026", "--out", str(tmp_path / "t.xlsx")]) == 0
    capsys.readouterr()
    values = {**INFO, **FACTS, **{k.replace("_", "."): v for k, v in changes.items()}}
    return fill_template(tmp_path / "t.xlsx", tmp_path / name, values, MODELS)


def test_newcomer_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """README: dvk template --out t.xlsx; fill it; dvk validate t.xlsx; dvk score t.xlsx."""
    assert main(["template", "--year", "2026", "--out", "t.xlsx"]) == 0
    assert capsys.readouterr().out.strip() == "Đã tạo mẫu phiếu năm 2026: t.xlsx"
    assert main(["validate", "t.xlsx"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("t.xlsx: 42 lỗi\n")
    assert "  Lỗi: Thông tin đơn vị!C4 — Chưa nhập “Mã đơn vị”." in out
    assert "  Lỗi: Chấm điểm!F10 [K1] — Chưa nhập “K1 – Chỉ tiêu được giao”. Nhập 0 nếu không có." in out

    fill_template(Path("t.xlsx"), Path("t.xlsx"), {**INFO, **FACTS}, MODELS)
    assert main(["validate", "t.xlsx"]) == 0
    assert capsys.readouterr().out == "t.xlsx — Văn phòng HĐND và UBND (VP-UBND), năm 2026: hợp lệ\n"
    assert main(["score", "t.xlsx"]) == 0
    out = capsys.readouterr().out
    assert "  K1     7,40    8,00  Hoàn thành chỉ tiêu kinh tế được giao" in out
    assert "  Tổng điểm chuẩn: 94,57; thưởng: +1,00; trừ: 0,00" in out
    assert "  TỔNG ĐIỂM: 95,57 — Xếp loại: Hoàn thành xuất sắc nhiệm vụ (HTXS)" in out


def test_validate_json_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _filled(tmp_path, capsys, "bad.xlsx", K1_result="khoảng 90", P1_result=15)
    good = _filled(tmp_path, capsys, "good.xlsx")
    assert main(["validate", str(bad), str(good), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in data] == [str(bad), str(good)]
    assert data[1] == {"file": str(good), "unit": "VP-UBND", "issues": []}
    assert [(i["sheet"], i["cell"], i["code"]) for i in data[0]["issues"]] == [
        ("Chấm điểm", "G10", "value-not-a-number"),
        ("Chấm điểm", "G20", "result-exceeds-due"),
    ]
    first = data[0]["issues"][0]
    assert set(first) == {"code", "severity", "sheet", "cell", "criterion", "value", "message"}
    assert (first["severity"], first["criterion"], first["value"]) == ("error", "K1", "khoảng 90")
    assert main(["validate", str(good), "--format", "json"]) == 0


def test_validate_reports_a_bad_file_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _filled(tmp_path, capsys)
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert main(["validate", str(old), str(good)]) == 1
    out = capsys.readouterr().out
    assert f"{old}: 1 lỗi\n  Lỗi — Tệp “cu.xls” là định dạng Excel cũ (.xls)." in out
    assert f"{good} — Văn phòng HĐND và UBND (VP-UBND), năm 2026: hợp lệ" in out
    assert "Tổng cộng 2 tệp, 1 tệp có lỗi." in out
    assert main(["validate", str(old), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["issues"][0]["code"] == "legacy-xls"


def test_validate_with_a_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, info_unit_code="XA-KHAC")
    assert main(["validate", str(path), "--units", str(_units(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "Lỗi: Thông tin đơn vị!C4 — Mã đơn vị “XA-KHAC” không có trong danh sách đơn vị của xã." in out
    assert main(["validate", str(path)]) == 0  # without a registry any code is accepted


def test_score_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, info_head_discipline="Khiển trách")
    assert main(["score", str(path), "--format", "json"]) == 0
    (card,) = json.loads(capsys.readouterr().out)
    assert {k: card[k] for k in ("file", "unit", "year", "base_total", "bonus", "penalty", "total")} == {
        "file": str(path), "unit": "VP-UBND", "year": 2026, "base_total": 94.57, "bonus": 1.0, "penalty": 0.0,
        "total": 95.57,
    }
    assert (card["rating"], card["rating_code"]) == ("Hoàn thành tốt nhiệm vụ", "HTT")
    assert card["criteria"]["K1"] == {"points": 7.4} and len(card["criteria"]) == 22
    assert card["issues"] == [] and card["reasons"]


def test_score_with_another_preset_and_unscorable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path, capsys, K1_result=20, S1_result=80)
    assert main(["score", str(path), "--preset", "nd-335-2025", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rating_code"] == "HTT"
    assert main(["score", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rating_code"] == "HT"
    no_unit = _filled(tmp_path, capsys, "x.xlsx", info_unit_code=None)
    assert main(["score", str(no_unit)]) == 1
    out = capsys.readouterr().out
    assert "Không chấm được điểm" in out and "Lỗi: Thông tin đơn vị!C4" in out
    assert main(["score", str(no_unit), "--format", "json"]) == 1
    card = json.loads(capsys.readouterr().out)[0]
    assert (card["unit"], card["total"], card["rating"], card["criteria"]) == (None, None, None, {})
    assert main(["score", str(path), "--preset", "khong-co"]) == 2
    assert "Không có cách xếp loại 'khong-co'" in capsys.readouterr().err


def test_layout_json_names_every_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--layout", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [i["name"] for i in data["inputs"]]
    assert len(names) == 69 and names[0] == "meta.template_version" and "Q1.flag" in names
    assert data["ranges"][1] == "'Chấm điểm'!A6:I27"
    assert [t["key"] for t in data["tables"]] == ["models", "exemplars", "proposals"]
    assert main(["template", "--layout"]) == 0
    out = capsys.readouterr().out
    assert "K1.target                Chấm điểm!F10         chỉ tiêu   số         Chỉ tiêu được giao" in out
    assert "info.signed_on           Thông tin đơn vị!C13  ngày       ngày       Ngày ký (dd/mm/yyyy)" in out
    kinds = "".join(line[47:69] for line in out.split("Bảng ")[0].splitlines()[2:])  # the role and type columns
    assert kinds.strip() and not re.search(r"[a-z]*(text|integer|level|count|date|number|target|result)", kinds)
    assert "Bảng models: trang “Mô hình”, tiêu đề dòng 4, dữ liệu dòng 5–34 (30 dòng)" in out


def test_one_template_per_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = _units(tmp_path)
    assert main(["template", "--all-units", "--units", str(units), "--year", "2027", "--out", "phieu"]) == 0
    assert "Xong: 3 mẫu phiếu năm 2027 trong thư mục phieu." in capsys.readouterr().out
    assert sorted(p.name for p in Path("phieu").iterdir()) == ["HND.xlsx", "THON-NA-MO.xlsx", "VP-UBND.xlsx"]
    info = load_workbook("phieu/THON-NA-MO.xlsx")["Thông tin đơn vị"]
    assert (info["C4"].value, info["C5"].value, info["C6"].value) == ("THON-NA-MO", "Thôn Nà Mò", 2027)
    assert main(["template", "--unit", "HND", "--units", str(units), "--out", "hnd.xlsx"]) == 0
    assert "cho Hội Nông dân (HND)" in capsys.readouterr().out
    assert load_workbook("hnd.xlsx")["Thông tin đơn vị"]["C5"].value == "Hội Nông dân"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["template", "--all-units", "--out", "d"], "--all-units cần danh sách đơn vị: dùng --units TỆP"),
        (["template", "--unit", "HND", "--out", "x.xlsx"], "--unit cần danh sách đơn vị"),
        (["template", "--out", "x.xlsx", "--year", "2031"], "Năm 2031 nằm ngoài giai đoạn 2026–2030"),
        (["template"], "Hãy chỉ nơi lưu mẫu phiếu bằng --out"),
        (["validate", "khong-co.xlsx"], "Không tìm thấy tệp “khong-co.xlsx”"),
    ],
)
def test_usage_errors_in_vietnamese(args: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(args)
    captured = capsys.readouterr()
    assert said in captured.err + captured.out
    assert code == (1 if args[0] == "validate" else 2)
    assert "Traceback" not in captured.err


def test_unknown_unit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--unit", "ZZZ", "--units", str(_units(tmp_path)), "--out", "x.xlsx"]) == 2
    assert "Không có đơn vị mã “ZZZ”" in capsys.readouterr().err


def test_a_b1_claim_on_a_loose_file_follows_the_recognised_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`dvk validate` / `dvk score` on a file outside any commune (review new-commune-year defect 5): B1 claims 3
    commune and 2 province recognitions, the sheet lists one model recognised by the commune this year."""
    path = _filled(tmp_path, capsys, B1_commune=3, B1_province=2)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    b1 = layout_cells("B1.commune", "B1.province")
    assert f"Lỗi: Chấm điểm!{b1[0]} [B1] — B1 – Được xã công nhận: khai 3 nhưng trang “Mô hình” / “Điển hình” chỉ có 1 dòng" in out
    assert f"Lỗi: Chấm điểm!{b1[1]} [B1] — B1 – Được tỉnh công nhận: khai 2 nhưng trang “Mô hình” / “Điển hình” không có dòng nào" in out
    assert main(["score", str(path), "--format", "json"]) == 1
    (card,) = json.loads(capsys.readouterr().out)
    assert card["bonus"] == 1 and card["criteria"]["B1"]["points"] == 1  # the one recognised model, not +3
    fixed = _filled(tmp_path, capsys, "vp-sua.xlsx", B1_commune=1, B1_province=0)
    assert main(["score", str(fixed), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["bonus"] == 1


def layout_cells(*names: str) -> list[str]:
    from schemas import default_rubric
    from workbook.layout import build_layout

    layout = build_layout(default_rubric())
    return [layout.input(n).cell for n in names]
