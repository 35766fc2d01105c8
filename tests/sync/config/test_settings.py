"""Configuration: dvk.toml + DVK_ environment overrides, path resolution, Vietnamese errors, `dvk init`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from schemas.errors import ConfigError
from schemas.models import UnitKind
from sync.cli import main
from sync.config import Settings, current_evaluation_year, load_settings
from sync.config.example import example_config

SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"

UNITS = """
[[units]]
code = "VP"
name = "Văn phòng HĐND và UBND"
kind = "Phòng, ban"
sheet = "https://docs.google.com/spreadsheets/d/{id}/edit"

[[units]]
code = "NAMO"
name = "Thôn Nà Mò"
kind = "thon xom"
""".replace("{id}", SHEET_ID)


def _config(folder: Path, text: str, name: str = "dvk.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load_settings(path, env=env or {})
    return err.value


def test_missing_default_file_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s.source is None
    year = current_evaluation_year()
    assert (s.commune.name, s.commune.province, s.commune.year, s.commune.deadline) == (
        "xã Cao Minh", "Thái Nguyên", year, dt.date(year, 12, 15)
    )
    assert s.registry() == {}
    assert s.sources.folder.path == tmp_path / "nop-bai"
    g = s.sources.google
    assert (g.credentials, g.api_endpoint, g.reads_per_minute, g.timeout, g.max_attempts) == (None, None, 55, 30, 5)
    assert s.output.master == tmp_path / "tong-hop" / f"tong-hop-dan-van-kheo-{year}.xlsx"
    assert s.output.ledger == tmp_path / "tong-hop" / "dvk-ledger.sqlite"
    assert s.output.log == tmp_path / "tong-hop" / "dvk-sync.log"
    assert s.preset().code == s.load_rubric().default_preset == "dan-van-2025"


def test_current_evaluation_year() -> None:
    assert current_evaluation_year(dt.date(2026, 11, 30)) == 2026
    assert current_evaluation_year(dt.date(2028, 2, 1)) == 2027  # consolidation of 2027 runs into Q1 2028
    assert current_evaluation_year(dt.date(2025, 6, 1)) == 2026
    assert current_evaluation_year(dt.date(2035, 6, 1)) == 2030


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    err = _error(tmp_path / "khong-co.toml")
    assert "Không tìm thấy tệp cấu hình" in str(err) and "dvk init" in str(err)
    with pytest.raises(ConfigError, match="Không tìm thấy tệp cấu hình"):
        load_settings(env={"DVK_CONFIG": str(tmp_path / "khong-co.toml")})


def test_file_from_dvk_config_and_relative_paths(tmp_path: Path) -> None:
    conf = _config(tmp_path / "cau-hinh", '[commune]\nyear = 2027\n[sources.folder]\npath = "../thu"\n' + UNITS)
    s = load_settings(env={"DVK_CONFIG": str(conf)})
    assert s.source == conf
    assert s.sources.folder.path == tmp_path / "thu"
    assert s.output.master == tmp_path / "cau-hinh" / "tong-hop" / "tong-hop-dan-van-kheo-2027.xlsx"
    assert s.master_path(2028) == tmp_path / "cau-hinh" / "tong-hop" / "tong-hop-dan-van-kheo-2028.xlsx"
    assert s.output.ledger == tmp_path / "cau-hinh" / "tong-hop" / "dvk-ledger.sqlite"
    assert s.commune.deadline == dt.date(2027, 12, 15)
    units = s.registry()
    assert list(units) == ["VP", "NAMO"]
    assert (units["VP"].sheet, units["NAMO"].kind) == (SHEET_ID, UnitKind.THON_XOM)


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    conf = _config(
        tmp_path,
        '[commune]\nname = "xã Tân Lập"\nyear = 2026\n[sources.google]\nreads_per_minute = 40\n'
        '[output]\nmaster = "/srv/dvk/tong-hop-{year}.xlsx"\nledger = "so/ledger.sqlite"\n',
    )
    env = {
        "DVK_COMMUNE__YEAR": "2027",
        "DVK_SOURCES__GOOGLE__API_ENDPOINT": "http://127.0.0.1:8765/",
        "DVK_SOURCES__GOOGLE__TIMEOUT": "2.5",
        "DVK_RUBRIC__PRESET": "nd-335-2025",
        "OTHER_VARIABLE": "ignored",
    }
    s = load_settings(conf, env=env)
    assert (s.commune.name, s.commune.year, s.commune.deadline) == ("xã Tân Lập", 2027, dt.date(2027, 12, 15))
    assert s.sources.google.api_endpoint == "http://127.0.0.1:8765"
    assert (s.sources.google.reads_per_minute, s.sources.google.timeout) == (40, 2.5)
    assert s.preset().code == "nd-335-2025"
    assert s.output.master == Path("/srv/dvk/tong-hop-2027.xlsx")
    assert s.output.ledger == tmp_path / "so" / "ledger.sqlite"
    assert s.output.log == Path("/srv/dvk/dvk-sync.log")


def test_env_error_names_the_variable(tmp_path: Path) -> None:
    conf = _config(tmp_path, "")
    err = _error(conf, {"DVK_SOURCES__GOOGLE__READS_PER_MINUTE": "70"})
    assert str(err) == "biến môi trường DVK_SOURCES__GOOGLE__READS_PER_MINUTE: sources.google.reads_per_minute: '70' phải ≤ 60"


def test_units_file_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "du-lieu").mkdir()
    (tmp_path / "du-lieu" / "don-vi.csv").write_text("code;name;kind\nTYT;Trạm Y tế;don vi thuoc ubnd xa\n", encoding="utf-8")
    conf = _config(tmp_path, 'units_file = "du-lieu/don-vi.csv"\n')
    s = load_settings(conf, env={})
    assert s.units_file == tmp_path / "du-lieu" / "don-vi.csv"
    assert [(u.code, u.kind) for u in s.registry().values()] == [("TYT", UnitKind.DON_VI_THUOC)]


def test_credentials_must_exist(tmp_path: Path) -> None:
    conf = _config(tmp_path, '[sources.google]\ncredentials = "khoa.json"\n')
    assert "sources.google.credentials: không tìm thấy tệp khóa" in str(_error(conf))
    (tmp_path / "khoa.json").write_text('{"type": "service_account"}', encoding="utf-8")
    assert load_settings(conf, env={}).sources.google.credentials == tmp_path / "khoa.json"


def test_custom_rubric_file_and_its_presets(tmp_path: Path) -> None:
    import schemas

    rubric_text = (Path(schemas.__file__).parent / "rubrics" / "cao-minh-2026.toml").read_text(encoding="utf-8")
    _config(tmp_path, rubric_text.replace('name = "Cao Minh 2026"', 'name = "Tân Lập 2027"'), "bo-tieu-chi.toml")
    conf = _config(tmp_path, '[rubric]\nfile = "bo-tieu-chi.toml"\npreset = "nd-335-2025"\n')
    s = load_settings(conf, env={})
    assert (s.load_rubric().name, s.preset().code) == ("Tân Lập 2027", "nd-335-2025")


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        (UNITS + UNITS, "units[3]", "units[3]: mã đơn vị 'VP' trùng với units[1] ('VP')"),
        (UNITS + f'[[units]]\ncode = "KT"\nname = "Phòng Kinh tế"\nkind = "Phòng, ban"\nsheet = "{SHEET_ID}"\n',
         "units[3]", f"units[3]: bảng tính '{SHEET_ID}' đã dùng cho đơn vị 'VP'"),
        ('[[units]]\ncode = "PB 01"\nname = "Phòng Kinh tế"\nkind = "Phòng, ban"\n', "units[1].code",
         "units[1].code: mã đơn vị 'PB 01' có dấu cách"),
        (UNITS + '[[units]]\ncode = "HTX"\nname = "Hợp tác xã"\nkind = "Hợp tác xã"\n', "units[3].kind",
         "units[HTX].kind: 'Hợp tác xã' không hợp lệ; chọn một trong: “Phòng, ban”, “MTTQ, đoàn thể”, "
         "“Đơn vị thuộc UBND xã”, “Thôn, xóm”"),
        ('[[units]]\ncode = "VP"\nkind = "Phòng, ban"\n', "units[1].name", "units[VP].name: thiếu giá trị (bắt buộc)"),
        ('[rubric]\npreset = "dan-van-2099"\n', "rubric.preset",
         "rubric.preset: 'dan-van-2099' không có trong bộ tiêu chí “Cao Minh 2026”; chọn một trong: dan-van-2025, nd-335-2025"),
        ('[sources.google]\napi_endpoint = "ftp://127.0.0.1"\n', "sources.google.api_endpoint",
         "sources.google.api_endpoint: 'ftp://127.0.0.1' không phải địa chỉ http(s) hợp lệ"),
        ("[sources.google]\nreads_per_minute = 61\n", "sources.google.reads_per_minute",
         "sources.google.reads_per_minute: '61' phải ≤ 60"),
        ("[sources.google]\nreads_per_minute = 0\n", "sources.google.reads_per_minute",
         "sources.google.reads_per_minute: '0' phải ≥ 1"),
        ('units_file = "don-vi.csv"\n' + UNITS, "", "units_file: không dùng cùng lúc với các mục [[units]]"),
        ("[commune]\nyaer = 2027\n", "commune.yaer", "commune.yaer: khóa không được hỗ trợ"),
        ("[commune]\nyear = 2031\n", "commune.year", "commune.year: năm 2031 nằm ngoài kế hoạch 2026–2030"),
        ("[commune]\nyear = 2026\ndeadline = 2025-12-15\n", "commune",
         "commune: hạn nộp 15/12/2025 không thuộc năm đánh giá 2026"),
        ('[commune]\nyear = "hai nghìn"\n', "commune.year", "commune.year: 'hai nghìn' phải là số nguyên"),
        ('[output]\nmaster = "tong-hop-{nam}.xlsx"\n', "output.master", "trong tên tệp chỉ dùng được {year}"),
        ("[commune\nyear = 2026\n", None, "lỗi cú pháp TOML"),
    ],
)
def test_bad_config_is_refused_with_key_and_reason(tmp_path: Path, text: str, key: str | None, reason: str) -> None:
    err = _error(_config(tmp_path, text))
    assert str(err).startswith(str(tmp_path / "dvk.toml") + ": ")
    assert reason in str(err)
    if key is not None:
        assert key in str(err.context["key"])


# --- dvk init ----------------------------------------------------------------------------------------------


def test_init_writes_a_valid_commented_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "moi" / "dvk.toml"
    out.parent.mkdir()
    assert main(["init", "--out", str(out)]) == 0
    assert "Đã tạo tệp cấu hình mẫu" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    s = load_settings(out, env={})
    assert {u.kind for u in s.registry().values()} == set(UnitKind)
    assert s.commune.year == current_evaluation_year()
    # every key of the model is documented in the example, set or commented out
    sections = {"commune": s.commune, "rubric": s.rubric, "sources.folder": s.sources.folder,
                "sources.google": s.sources.google, "output": s.output, "awards": s.awards}
    for section, model in sections.items():
        assert f"[{section}]" in text
        for name in type(model).model_fields:
            assert re.search(rf"^#? ?{name} = ", text, re.MULTILINE), f"{section}.{name} is not in the example"
    assert re.search(r"^# units_file = ", text, re.MULTILINE)
    for name in ("code", "name", "kind", "email", "phone", "sheet"):
        assert re.search(rf"^{name} = ", text, re.MULTILINE)


def test_example_with_optional_keys_uncommented_still_validates(tmp_path: Path) -> None:
    text = example_config(2027)
    for key in ("api_endpoint", "drive_folder_id", "ledger", "log"):
        text, n = re.subn(rf"^# ({key} = )", r"\1", text, flags=re.MULTILINE)
        assert n == 1
    s = load_settings(_config(tmp_path, text), env={})
    assert (s.commune.year, s.sources.google.api_endpoint) == (2027, "http://127.0.0.1:8765")
    assert s.output.ledger == tmp_path / "tong-hop" / "dvk-ledger.sqlite"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _config(tmp_path, "# của tôi\n")
    assert main(["init", "--out", str(out)]) == 2
    assert "đã có" in capsys.readouterr().err and "--force" in capsys.readouterr().err + "--force"
    assert out.read_text(encoding="utf-8") == "# của tôi\n"
    assert main(["init", "--out", str(out), "--force"]) == 0
    assert isinstance(load_settings(out, env={}), Settings)


def test_only_the_given_environment_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVK_SOURCES__GOOGLE__API_ENDPOINT", "http://127.0.0.1:9")  # the process environment
    monkeypatch.setenv("DVK_COMMUNE__YEAR", "2029")
    assert load_settings(_config(tmp_path, ""), env={}).sources.google.api_endpoint is None
    s = Settings()  # the bare constructor reads no environment either
    assert s.sources.google.api_endpoint is None and s.units == ()
    assert s.master_path(2027) == Path("tong-hop/tong-hop-dan-van-kheo-2027.xlsx")


def test_example_awards_section_uncommented_validates(tmp_path: Path) -> None:
    text = re.sub(r"^# ((?:phase_)?giay_khen_quota = \d+)$", r"\1", example_config(2027), flags=re.MULTILINE)
    awards = load_settings(_config(tmp_path, text), env={}).awards
    assert (awards.giay_khen_quota, awards.phase_giay_khen_quota) == (5, 3)


def test_example_documents_section_uncommented_validates(tmp_path: Path) -> None:
    """Every key of the example's [documents] section, uncommented, is a valid configuration."""
    text = example_config(2027)
    head, docs = text.split("\n[documents]\n")
    docs = re.sub(r"^# ((?:\[documents[.\w-]*\])|(?:\w+ = .*))$", r"\1", docs, flags=re.MULTILINE)
    s = load_settings(_config(tmp_path, head + "\n[documents]\n" + docs), env={})
    d = s.documents
    assert (d.plan_number, d.plan_date, d.submission_issuer) == ("45/KH-UBND", dt.date(2026, 4, 3), "council")
    assert s.papers(2027).decision_date == dt.date(2028, 1, 5) and s.papers(2028).report_number == "18/BC-UBND"
    assert d.phase_papers(1).report_date == dt.date(2028, 12, 30)
    phase = d.phase_papers(1)  # the phase's awards: biên bản, tờ trình, quyết định, each after the 2028 deadline
    assert (phase.minutes_number, phase.submission_number, phase.decision_number) == (
        "05/BB-HĐTĐKT", "06/TTr-HĐTĐKT", "12/QĐ-UBND")
    assert phase.report_date < phase.minutes_date < phase.submission_date < phase.decision_date  # type: ignore[operator]
    assert d.signers["to-trinh"].lines == ("TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert d.templates == tmp_path / "mau-van-ban" and d.grounds == tmp_path / "mau-van-ban" / "can-cu.toml"
