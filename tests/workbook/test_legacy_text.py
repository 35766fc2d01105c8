"""TCVN3 and VNI text back to Unicode: every letter, real-world samples, the font detection and the guess."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.legacy_text import (
    VIETNAMESE_LETTERS,
    detect_legacy_font,
    from_unicode,
    looks_legacy,
    to_unicode,
    to_unicode_for_font,
)

LOWER = VIETNAMESE_LETTERS[:67]
UPPER = VIETNAMESE_LETTERS[67:]
BARE_CAPITALS = ("Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ")


def test_the_134_letters() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in VIETNAMESE_LETTERS)
    assert all(ch.islower() for ch in LOWER) and all(ch.isupper() for ch in UPPER)
    assert "".join(LOWER[:12]) == "đàáảãạăằắẳẵặ"
    assert {"ệ", "ữ", "ỵ", "Ỵ", "Đ", "Ớ"} <= set(VIETNAMESE_LETTERS)


# --- TCVN3 ----------------------------------------------------------------------------------------------


def test_tcvn3_every_lower_case_letter_and_bare_capital_round_trips() -> None:
    codes = [from_unicode(ch, "tcvn3") for ch in (*LOWER, *BARE_CAPITALS)]
    assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in codes)
    assert len(set(codes)) == 67 + 7  # one code per letter
    for letter, code in zip((*LOWER, *BARE_CAPITALS), codes, strict=True):
        assert to_unicode(code, "tcvn3") == letter


def test_tcvn3_toned_capitals_use_the_lower_case_code_in_the_upper_case_font() -> None:
    for letter in UPPER:
        code = from_unicode(letter, "tcvn3")
        expected_plain = letter if letter in BARE_CAPITALS else letter.lower()
        assert to_unicode(code, "tcvn3") == expected_plain
        assert to_unicode_for_font(code, ".VnTimeH") == letter
        assert to_unicode_for_font(code, ".VnArialH") == letter


@pytest.mark.parametrize(
    ("code", "letter"),
    [("¸", "á"), ("µ", "à"), ("©", "â"), ("Ê", "ấ"), ("®", "đ"), ("§", "Đ"), ("\xad", "ư"), ("¬", "ơ"),
     ("Ö", "ệ"), ("÷", "ữ"), ("þ", "ỵ"), ("¡", "Ă"), ("¦", "Ư"), ("Ü", "ĩ"), ("ß", "ò")],
)  # fmt: skip
def test_tcvn3_known_codes(code: str, letter: str) -> None:
    assert to_unicode(code, "tcvn3") == letter


def test_tcvn3_table_agrees_with_glibc_iconv() -> None:
    """An independent reference: glibc's TCVN5712-1 (VN1) equals TCVN3 (VN3) where VN3 defines a code."""
    iconv = shutil.which("iconv")
    if iconv is None:
        pytest.skip("iconv is not installed")
    codes = "".join(from_unicode(ch, "tcvn3") for ch in (*LOWER, *BARE_CAPITALS))
    proc = subprocess.run(
        [iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=codes.encode("latin-1"), capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert unicodedata.normalize("NFC", proc.stdout.decode()) == "".join((*LOWER, *BARE_CAPITALS))


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Uû ban nh©n d©n x·", "Uỷ ban nhân dân xã"),
        ("Phong trµo thi ®ua “D©n vËn khÐo”", "Phong trào thi đua “Dân vận khéo”"),
        ("T«i yªu tiÕng n\xadíc t«i tõ khi míi ra ®êi", "Tôi yêu tiếng nước tôi từ khi mới ra đời"),
        ("Ng\xadêi ký: NguyÔn V¨n An, 2026", "Người ký: Nguyễn Văn An, 2026"),
        ("B¶o Th¾ng, M\xadêng Kh\xad¬ng", "Bảo Thắng, Mường Khương"),
    ],
)
def test_tcvn3_real_world_samples(legacy: str, unicode: str) -> None:
    assert to_unicode(legacy, "tcvn3") == unicode
    assert from_unicode(unicode, "tcvn3") == legacy
    assert to_unicode_for_font(legacy, ".VnTime") == unicode


def test_tcvn3_upper_case_font_samples() -> None:
    assert to_unicode_for_font("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", ".VnTimeH") == (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    # The upper-case font draws lower-case ASCII as capitals too.
    assert to_unicode_for_font("uû ban nh©n d©n", ".VnTimeH") == "UỶ BAN NHÂN DÂN"
    assert to_unicode_for_font("uû ban", ".VnTime") == "uỷ ban"


# --- VNI ------------------------------------------------------------------------------------------------


def test_vni_every_letter_round_trips() -> None:
    spellings = [from_unicode(ch, "vni") for ch in VIETNAMESE_LETTERS]
    assert len(set(spellings)) == 134
    assert all(1 <= len(s) <= 2 and all(ord(c) <= 0xFF for c in s) for s in spellings)
    for letter, spelling in zip(VIETNAMESE_LETTERS, spellings, strict=True):
        assert to_unicode(spelling, "vni") == letter, (letter, spelling)
        assert to_unicode_for_font(spelling, "VNI-Times") == letter


@pytest.mark.parametrize(
    ("spelling", "letter"),
    [("aù", "á"), ("oà", "ồ"), ("ñ", "đ"), ("Ñ", "Đ"), ("aê", "ă"), ("aë", "ặ"), ("eä", "ệ"), ("ô", "ơ"),
     ("öù", "ứ"), ("ó", "ĩ"), ("ò", "ị"), ("æ", "ỉ"), ("î", "ỵ"), ("Î", "Ỵ"), ("AÙ", "Á"), ("ÖØ", "Ừ"),
     ("UÛ", "Ủ"), ("YÙ", "Ý"), ("Æ", "Ỉ")],
)  # fmt: skip
def test_vni_known_spellings(spelling: str, letter: str) -> None:
    assert to_unicode(spelling, "vni") == letter
    assert from_unicode(letter, "vni") == spelling


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Ngöôøi duøng naøy khoâng toàn taïi.", "Người dùng này không tồn tại."),
        ("Maät khaåu ñaõ ñöôïc thay ñoåi.", "Mật khẩu đã được thay đổi."),
        ("Ñònh nghóa, tænh, kyû nieäm, Mî", "Định nghĩa, tỉnh, kỷ niệm, Mỵ"),
        ("UÛY BAN NHAÂN DAÂN XAÕ", "ỦY BAN NHÂN DÂN XÃ"),
        ("HP CHÆ ÑÖÔÏC AÙP DUÏNG", "HP CHỈ ĐƯỢC ÁP DỤNG"),
        ("Daân vaän kheùo naêm 2026", "Dân vận khéo năm 2026"),
    ],
)
def test_vni_real_world_samples(legacy: str, unicode: str) -> None:
    assert to_unicode(legacy, "vni") == unicode
    assert from_unicode(unicode, "vni") == legacy


def test_vni_tolerates_mixed_case_marks_and_split_marks() -> None:
    assert to_unicode("Aù", "vni") == "Á"  # the base letter decides the case
    assert to_unicode("Vieät NAm", "vni") == "Việt NAm"
    assert to_unicode("aâù eâø", "vni") == "ấ ề"  # circumflex and tone typed as two marks
    assert to_unicode("iù yï", "vni") == "í ỵ"


def test_unmapped_text_passes_unchanged() -> None:
    text = "ABC xyz 0123 -+*/ “quoted” m² 25°C €"
    assert to_unicode(text, "tcvn3") == text
    assert to_unicode(text, "vni") == text
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        to_unicode("x", "viqr")  # type: ignore[arg-type]


_VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from([*VIETNAMESE_LETTERS, *"abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY 0123.,-"]),
    max_size=40,
)


@given(_VIETNAMESE_TEXT)
def test_vni_round_trip_of_any_vietnamese_text(text: str) -> None:
    assert to_unicode(from_unicode(text, "vni"), "vni") == text


@given(_VIETNAMESE_TEXT)
def test_tcvn3_round_trip_of_any_vietnamese_text(text: str) -> None:
    decoded = to_unicode(from_unicode(text, "tcvn3"), "tcvn3")
    # TCVN3 keeps case except for toned capitals, which come back lower-case (no code of their own).
    expected = "".join(ch if ch.isascii() or ch in BARE_CAPITALS else ch.lower() for ch in text)
    assert decoded == expected


# --- fonts and the guess ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "encoding"),
    [(".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".VnArial", "tcvn3"), (".vnarial narrow", "tcvn3"),
     (" .VnBlackH ", "tcvn3"), ("VNI-Times", "vni"), ("vni-helve", "vni"), ("VNI-Aptima", "vni"),
     ("Times New Roman", None), ("Calibri", None), ("Arial", None), ("", None), (None, None),
     ("VnTime", None), ("VNITimes", None)],
)  # fmt: skip
def test_detect_legacy_font(font: str | None, encoding: str | None) -> None:
    assert detect_legacy_font(font) == encoding


def test_to_unicode_for_font_is_none_for_unicode_fonts() -> None:
    assert to_unicode_for_font("Hµ Néi", "Times New Roman") is None
    assert to_unicode_for_font("Hµ Néi", None) is None
    assert to_unicode_for_font("Hµ Néi", ".VnTime") == "Hà Nội"


@pytest.mark.parametrize(
    "text",
    ["Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Hµ Néi", "®i häc", "§µ N½ng", "Coäng hoøa", "Vieät Nam",
     "ñi hoïc", "Ngöôøi", "UÛY BAN", "tænh"],
)  # fmt: skip
def test_looks_legacy_flags_mojibake(text: str) -> None:
    assert looks_legacy(text)


@pytest.mark.parametrize(
    "text",
    ["Cộng hoà xã hội chủ nghĩa Việt Nam", "Hà Nội", "hoà, khoá, xoã", "Trà Vinh", "Cà Mau", "ABC 123",
     "", "25 °C, 10 m², ½ ngày", "© 2026", "Việt Nam ®", "Bộ phận «một cửa»"],
)  # fmt: skip
def test_looks_legacy_leaves_unicode_alone(text: str) -> None:
    assert not looks_legacy(text)
