"""The commune register (``schemas.register``): one identity per model across years, its life cycle, links
between two names of one model, and decision numbers used twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from schemas import Exemplar, ModelEntry, ModelStatus
from schemas.register import EntryKind, Sighting, assign_codes, build_register, code_number, name_key


def model(name: str, status: str = "Đăng ký", *, level: str = "", number: str = "", day: dt.date | None = None,
          **more: Any) -> ModelEntry:
    return ModelEntry(name=name, field=more.pop("field", "Kinh tế"), kind="Tập thể", status=ModelStatus(status),
                      recognition_level=level, decision_no=number, decision_date=day, **more)


def seen(unit: str, year: int, row: ModelEntry | Exemplar, position: int = 0) -> Sighting:
    kind = EntryKind.MODEL if isinstance(row, ModelEntry) else EntryKind.EXEMPLAR
    return Sighting(kind, unit, year, row, position)


def test_one_model_is_followed_from_registration_to_replication() -> None:
    rows = [
        seen("CA", 2026, model("Tổ hòa giải gắn với camera an ninh")),
        seen("CA", 2027, model("tổ hòa giải  gắn với CAMERA an ninh", "Được công nhận", level="Xã",
                               number="118/QĐ-UBND", day=dt.date(2027, 11, 20), field="Quốc phòng – an ninh")),
        seen("CA", 2028, model("Tổ hòa giải gắn với camera an ninh", "Nhân rộng", level="Xã", number="118/QĐ-UBND",
                               day=dt.date(2027, 11, 20), field="Quốc phòng – an ninh")),
    ]
    register = build_register(rows, issuers={"Xã": "UBND xã Cao Minh"})
    (entry,) = register.entries
    assert (entry.code, entry.unit_code, entry.first_year) == ("MH-0001", "CA", 2026)
    assert [entry.status(y) for y in (2026, 2027, 2028)] == ["Đăng ký", "Được công nhận", "Nhân rộng"]
    assert entry.trend() == "2026: Đăng ký → 2027: Được công nhận → 2028: Nhân rộng"
    assert entry.field == "Quốc phòng – an ninh"  # the latest year's
    assert entry.recognition_as_of(2026) is None
    rec = entry.recognition_as_of(2028)
    assert rec is not None and rec.year == 2028 and rec.recognition == "Xã, 118/QĐ-UBND ngày 20/11/2027 (UBND xã Cao Minh)"
    assert register.find(EntryKind.MODEL, "CA", "TỔ HÒA GIẢI gắn với camera an ninh") is entry
    assert register.flags == ()  # one decision, one entry, one date: nothing to check


def test_names_are_one_identity_when_they_differ_in_case_and_spaces_only() -> None:
    assert name_key("  Tổ  hòa giải ") == name_key("tổ hòa GIẢI") == "tổ hòa giải"
    assert name_key("To hoa giai") != name_key("Tổ hòa giải")  # accents are part of the name


def test_codes_are_kept_and_new_ones_follow_per_table() -> None:
    rows = [seen("A", 2027, model("Mới")), seen("A", 2026, model("Cũ")),
            seen("A", 2026, Exemplar(name="Ông X", kind="Cá nhân", field="Kinh tế"))]
    codes = assign_codes(rows, {("models", "B", "khác"): "MH-0007"})
    assert codes[("models", "A", "cũ")] == "MH-0008" and codes[("models", "A", "mới")] == "MH-0009"
    assert codes[("exemplars", "A", "ông x")] == "ĐH-0001"
    assert code_number("ĐH-0012") == 12 and code_number("DH-3") == 3 and code_number("X-1") is None


def test_a_renamed_model_linked_by_staff_is_one_entry() -> None:
    rows = [seen("HPN", 2026, model("Mỗi hội viên một việc tốt")),
            seen("HPN", 2027, model("Mỗi hội viên một việc làm tốt vì cộng đồng", "Đang thực hiện"))]
    apart = build_register(rows)
    assert [e.code for e in apart.entries] == ["MH-0001", "MH-0002"]
    joined = build_register(rows, codes=assign_codes(rows, {}), links={"MH-0002": "MH-0001"})
    (entry,) = joined.entries
    assert entry.code == "MH-0001" and entry.linked == ("MH-0002",) and entry.first_year == 2026
    assert entry.names == ("Mỗi hội viên một việc tốt", "Mỗi hội viên một việc làm tốt vì cộng đồng")
    assert entry.trend() == "2026: Đăng ký → 2027: Đang thực hiện"
    assert joined.by_code("mh-0002") is entry  # the old code still finds it


def test_a_decision_number_of_two_units_with_two_dates_is_flagged_on_both() -> None:
    rows = [
        seen("CA", 2027, model("Camera an ninh", "Được công nhận", level="Xã", number="118/QĐ-UBND", day=dt.date(2027, 11, 20))),
        seen("HPN", 2027, model("Việc làm tốt", "Được công nhận", level="Xã", number="Số 118/qđ-UBND", day=dt.date(2027, 10, 12))),
        seen("CA", 2027, model("Khác", "Được công nhận", level="Tỉnh", number="118/QĐ-UBND", day=dt.date(2027, 11, 20))),
    ]
    register = build_register(rows)
    (flag,) = register.flags  # the province's 118 is another decision
    assert flag.conflict and flag.year == 2027 and flag.level == "Xã"
    ca = register.find("models", "CA", "Camera an ninh")
    hpn = register.find("models", "HPN", "Việc làm tốt")
    assert ca is not None and hpn is not None
    (on_ca,) = register.notices(ca.code, 2027)
    assert on_ca.startswith("Số quyết định 118/QĐ-UBND (cấp Xã) năm 2027 được ghi với các ngày khác nhau (12/10/2027, 20/11/2027)")
    assert "HPN – “Việc làm tốt” ngày 12/10/2027" in on_ca
    (on_hpn,) = register.notices(hpn.code)
    assert "CA – “Camera an ninh” ngày 20/11/2027" in on_hpn
    assert register.notices(ca.code, 2026) == []


def test_one_decision_for_two_units_on_one_date_is_a_notice_to_check_and_one_unit_is_not_flagged() -> None:
    day = dt.date(2026, 10, 15)
    shared = build_register([
        seen("CA", 2026, model("A", "Được công nhận", level="Xã", number="12/QĐ-UBND", day=day)),
        seen("TYT", 2026, model("B", "Được công nhận", level="Xã", number="12/QĐ-UBND", day=day)),
    ])
    (flag,) = shared.flags
    assert not flag.conflict
    assert "cũng được ghi cho: TYT – “B”. Nếu một quyết định công nhận nhiều mô hình" in flag.message_for("MH-0001")
    one_unit = build_register([
        seen("CA", 2026, model("A", "Được công nhận", level="Xã", number="12/QĐ-UBND", day=day), 0),
        seen("CA", 2026, model("B", "Được công nhận", level="Xã", number="12/QĐ-UBND", day=day), 1),
    ])
    assert one_unit.flags == ()  # one decision recognising two models of one unit


def test_a_notice_names_three_other_uses_and_counts_the_rest() -> None:
    day = dt.date(2026, 10, 15)
    rows = [seen(f"U{i}", 2026, model(f"M{i}", "Được công nhận", level="Xã", number="12/QĐ-UBND", day=day)) for i in range(6)]
    register = build_register(rows)
    message = register.notices("MH-0001")[0]
    assert "U1 – “M1”; U2 – “M2”; U3 – “M3”; và 2 mục khác (xem dvk models)" in message


def test_an_exemplar_is_recognised_or_registered() -> None:
    rows = [
        seen("HPN", 2026, Exemplar(name="Chi hội Phụ nữ thôn Nà Mò", kind="Tập thể", field="Văn hóa – xã hội")),
        seen("HPN", 2027, Exemplar(name="Chi hội Phụ nữ thôn Nà Mò", kind="Tập thể", field="Văn hóa – xã hội",
                                   recognition_level="Xã", decision_no="5/QĐ-UBND", decision_date=dt.date(2027, 3, 8))),
    ]
    rows.append(seen("HPN", 2028, Exemplar(name="Chi hội Phụ nữ thôn Nà Mò", kind="Tập thể", field="Văn hóa – xã hội")))
    (entry,) = build_register(rows).entries
    assert entry.code == "ĐH-0001"
    assert entry.trend() == "2026: Đăng ký → 2027: Được công nhận → 2028: Được công nhận"  # listed again without it
    assert entry.recognition_as_of(2028).decision_no == "5/QĐ-UBND"  # type: ignore[union-attr]
