"""Numbers, dates, signers, issuers and recipients of the documents, from dvk.toml (no ledger needed)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from schemas.errors import ConfigError
from schemas.office import official_date
from sync.config import load_settings
from sync.documents.papers import config_warnings, issuer, paper, signer
from workbook.documents import font_warning, strip_blanks

BASE = '[commune]\nname = "xã Cao Minh"\nyear = 2027\nchairman = "Ma Văn Tuấn"\ncouncil_chair = "{chair}"\n'


def _settings(tmp_path: Path, extra: str = "", *, chair: str = "Hoàng Văn Minh"):  # type: ignore[no-untyped-def]
    config = tmp_path / "dvk.toml"
    config.write_text(BASE.replace("{chair}", chair) + extra, encoding="utf-8")
    return load_settings(config, env={})


def test_dates_pad_only_days_below_10_and_the_months_1_and_2() -> None:
    """Nghị định 30/2020, Phụ lục I, II.4b; its own examples: "ngày 05 tháng 01 năm 2020", "ngày 29 tháng 6 năm 2019"."""
    assert official_date(dt.date(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"
    assert official_date(dt.date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert official_date(dt.date(2027, 2, 3)) == "ngày 03 tháng 02 năm 2027"
    assert official_date(dt.date(2027, 3, 9)) == "ngày 09 tháng 3 năm 2027"
    assert official_date(dt.date(2026, 12, 25)) == "ngày 25 tháng 12 năm 2026"


def test_numbers_and_dates_per_year_and_phase(tmp_path: Path) -> None:
    settings = _settings(tmp_path, '\n[documents]\nreport_number = "18/BC-UBND"\nreport_date = 2027-12-21\n'
                                   'decision_number = "05/QĐ-UBND"\n'
                                   '\n[documents.2027]\ndecision_number = "06/QĐ-UBND"\n'
                                   '\n[documents.2026]\nreport_number = "15/BC-UBND"\nreport_date = 2026-12-22\n'
                                   '\n[documents.phase1]\nreport_number = "30/BC-UBND"\nreport_date = 2028-12-30\n')
    # [documents] is the current year's ([commune] year = 2027); [documents.2027] wins key by key
    assert (paper(settings, "bao-cao").number, paper(settings, "bao-cao").date) == ("18/BC-UBND", "ngày 21 tháng 12 năm 2027")
    assert paper(settings, "quyet-dinh").number == "06/QĐ-UBND"
    assert (paper(settings, "bao-cao", 2026).number, paper(settings, "bao-cao", 2026).date) == (
        "15/BC-UBND", "ngày 22 tháng 12 năm 2026")
    assert strip_blanks(paper(settings, "quyet-dinh", 2026).number) == "…/QĐ-UBND"  # not 2027's number
    assert strip_blanks(paper(settings, "bao-cao", 2028).number) == "…/BC-UBND"
    assert settings.documents.phase_papers(1).report_number == "30/BC-UBND"
    assert settings.documents.phase_papers(2).report_number == ""
    assert settings.deadline(2026) == dt.date(2026, 12, 15)


@pytest.mark.parametrize(("extra", "key"), [
    ('\n[documents.signers.chu-tich]\nname = "X"\n', "signers"),
    ('\n[documents]\nsubmission_issuer = "phong"\n', "submission_issuer"),
    ('\n[documents.2031]\nreport_number = "1/BC-UBND"\n', "years"),
    # a phase has its report and its awards (biên bản, tờ trình, quyết định khen thưởng); recognitions are the years'
    ('\n[documents.phase1]\nrecognition_number = "1/QĐ-UBND"\n', "recognition_number"),
])
def test_bad_document_keys_are_refused(tmp_path: Path, extra: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        _settings(tmp_path, extra)


def test_the_council_submission_signer_and_series(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    sub = signer(settings, "to-trinh")
    assert sub.lines == ("TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH") and sub.name == "Hoàng Văn Minh"
    # the council chair is not the chairman: the position in the People's Committee must be said (II.7c)
    assert strip_blanks(sub.position) == "…"
    assert issuer(settings).series == "TTr-HĐTĐKT" and strip_blanks(paper(settings, "to-trinh").number) == "…/TTr-HĐTĐKT"
    # the chairman chairs the council: his position under the council title, and a warning
    same = _settings(tmp_path, chair="Ma Văn Tuấn")
    assert signer(same, "to-trinh").position == "CHỦ TỊCH UBND XÃ CAO MINH"
    (warning,) = config_warnings(same, ["to-trinh", "quyet-dinh"])
    assert "cũng là người ký quyết định khen thưởng" in warning and 'submission_issuer = "office"' in warning
    assert config_warnings(settings, ["to-trinh"]) == []


def test_signers_as_data_and_the_standing_office(tmp_path: Path) -> None:
    settings = _settings(tmp_path, '\n[documents]\nsubmission_issuer = "office"\nsubmission_number = "08/TTr-UBND"\n'
                                   '\n[documents.signers.quyet-dinh]\nlines = ["KT. Chủ tịch", "Phó Chủ tịch"]\n'
                                   'name = "Lê Thị Hoa"\n\n[documents.signers.to-trinh]\nname = "Nông Văn Nam"\n')
    decides = signer(settings, "quyet-dinh")
    assert (decides.lines, decides.name) == (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Lê Thị Hoa")
    office = issuer(settings)
    assert (office.parent, office.name, office.series) == ("UBND XÃ CAO MINH", "PHÒNG VĂN HÓA - XÃ HỘI", "TTr-VHXH")
    assert office.running == "Phòng Văn hóa - Xã hội"
    submits = signer(settings, "to-trinh")
    assert (submits.lines, submits.position, submits.name) == (("TRƯỞNG PHÒNG",), "", "Nông Văn Nam")
    assert paper(settings, "to-trinh").recipients[-1] == "- Lưu: VT, VHXH."
    # a number in the People's Committee's series for the office's tờ trình: said
    (warning,) = config_warnings(settings, ["to-trinh"])
    assert "08/TTr-UBND" in warning and "TTr-VHXH" in warning


def test_recipients_extend_the_defaults_of_each_kind(tmp_path: Path) -> None:
    settings = _settings(tmp_path, '\n[documents]\nrecipients = ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]\n'
                                   'decision_recipients = ["- Như Điều 3;", "Kho bạc Nhà nước khu vực", "Lưu: VT, VHXH"]\n'
                                   'report_recipients = ["Sở Nội vụ"]\n')
    decision = paper(settings, "quyet-dinh").recipients
    assert decision == ("- Như Điều 3;", "- Đảng ủy, HĐND xã;", "- Ủy ban MTTQ Việt Nam xã;", "- CT, các PCT UBND xã;",
                        "- Ban Tuyên giáo và Dân vận Tỉnh ủy;", "- Kho bạc Nhà nước khu vực;", "- Lưu: VT, VHXH.")
    report = paper(settings, "bao-cao").recipients
    assert report[:5] == ("- Đảng ủy, HĐND xã;", "- Ủy ban MTTQ Việt Nam xã;", "- CT, các PCT UBND xã;",
                          "- Các cơ quan, đơn vị được đánh giá;", "- Phòng Văn hóa - Xã hội (bộ phận Thi đua - Khen thưởng);")
    assert report[5:] == ("- Ban Tuyên giáo và Dân vận Tỉnh ủy;", "- Sở Nội vụ;", "- Lưu: VT.")
    assert "Bộ phận TĐKT Phòng VH- XH" not in " ".join(report)
    # the office named in [commune] office, without the commune the document already names
    named = _settings(tmp_path, 'office = "Bộ phận Thi đua – Khen thưởng (Phòng Văn hóa – Xã hội), UBND xã Cao Minh"\n')
    assert "- Bộ phận Thi đua – Khen thưởng (Phòng Văn hóa – Xã hội);" in paper(named, "bao-cao").recipients
    assert paper(settings, "to-trinh").recipients[:2] == ("- Như trên;", "- Các thành viên Hội đồng Thi đua - Khen thưởng xã;")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Times New Roman comes with the system: no check")
@pytest.mark.parametrize(("families", "warned"), [
    ("DejaVu Serif\nLiberation Sans\n", True),  # fonts-liberation 1.07: Liberation Serif without Vietnamese letters
    ("DejaVu Serif\nLiberation Serif\n", False),  # fonts-liberation2
    ("Times New Roman\n", False),
])
def test_the_pdf_font_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, families: str, warned: bool) -> None:
    fake = tmp_path / "fc-list"
    fake.write_text(f"#!/bin/sh\nprintf '{families}'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    warning = font_warning()
    assert bool(warning) is warned
    if warned:
        assert "fonts-liberation2" in warning and "tiếng Việt" in warning


def test_no_font_check_without_fontconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list: nothing to say rather than a wrong warning
    assert font_warning() == ""
