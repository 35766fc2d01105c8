"""One status, as of a date: the master, the báo cáo, the tờ trình and the quyết định agree on every unit's
status, total and rating for the same as-of date (documents-and-rules.md M7; new-commune-year.md defect 1).

The campaign is played with an injected clock: two units on time (one corrects after the deadline), one late
with A4 "Đúng hạn" typed, one that sends nothing. Documents are stated at their own date, or at the day they
are made when the date is blank; the master at its pass time.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from sync.documents import write_documents
from sync.ledger import Ledger
from sync.reporting import write_year_master
from sync.service import run_sync
from tests.schemas.factory import ONE_MODEL
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.workbook.documents.docx_support import docx_text, table_with_header
from tests.workbook.master.conftest import rows_by_code

CODES = ["VP-UBND", "P-KT", "HND", "TYT"]
NAMES = {"VP-UBND": "Văn phòng HĐND và UBND", "P-KT": "Phòng Kinh tế", "HND": "Hội Nông dân", "TYT": "Trạm Y tế"}


def at(day: int, hour: int = 8) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0).astimezone()


def _tables(subject: str) -> dict[str, Any]:
    proposal = {"subject": subject, "kind": "Tập thể", "form": "Giấy khen của Chủ tịch UBND xã",
                "achievements": "Hoàn thành xuất sắc nhiệm vụ"}
    return {**ONE_MODEL, "proposals": [proposal]}


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("one-status")
    config = write_config(root, CODES)
    s = settings(config)
    # on time; P-KT's sheet has an error outside the criteria, corrected after the deadline
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"), _tables("Văn phòng HĐND và UBND"))
    bad = {**ONE_MODEL, "proposals": [{"subject": "Phòng Kinh tế", "kind": "Tập thể", "form": "Giấy khen"}]}
    filled(root, "P-KT.xlsx", facts_for("P-KT"), bad)
    run_sync(s, now=at(12))
    _documents(root, config, 12)
    filled(root, "HND.xlsx", facts_for("HND"), _tables("Hội Nông dân"))  # late, A4 "Đúng hạn" typed
    run_sync(s, now=at(18))
    filled(root, "P-KT-sua.xlsx", facts_for("P-KT"), _tables("Phòng Kinh tế"))
    run_sync(s, now=at(20))
    _documents(root, config, 22)
    return root


def _documents(root: Path, config: Path, day: int) -> None:
    """The master made at the as-of date, and the three documents with blank dates generated that day."""
    s = settings(config)
    with Ledger.open(s.ledger_path) as ledger:
        result, _ = write_year_master(s, ledger, 2026, now=at(day, 17), out=root / f"master-{day}.xlsx")
        write_documents(s, ledger, root / f"docs-{day}", today=dt.date(2026, 12, day))
    assert result.path == root / f"master-{day}.xlsx"


def _shown(value: object) -> str:
    return "" if value is None else f"{float(value):.2f}".replace(".", ",")  # type: ignore[arg-type]


def _words(path: Path) -> str:
    return " ".join(docx_text(path).split())


@pytest.mark.parametrize("day", [12, 22])
def test_master_and_documents_agree_on_status_total_and_rating(campaign: Path, day: int) -> None:
    master = campaign / f"master-{day}.xlsx"
    docs = campaign / f"docs-{day}"
    summary, status = rows_by_code(master, "Tổng hợp"), rows_by_code(master, "Tình trạng nộp")
    report = docs / "bao-cao-dan-van-kheo-2026.docx"
    annex = {r["Tên đơn vị"]: r for r in table_with_header(report, "STT")}
    assert set(annex) == set(NAMES.values())
    for code, name in NAMES.items():
        row = annex[name]
        assert row["Xếp loại"] == summary[code]["Xếp loại"], (day, code)
        assert row["Tổng điểm"] == _shown(summary[code]["Tổng điểm"]), (day, code)
        when = str(status[code]["Đúng hạn / Trễ hạn"])
        late = when.startswith("Trễ hạn")
        assert late == ("Trễ hạn" in row["Ghi chú"]), (day, code, when, row["Ghi chú"])  # late ⇔ said late
        if "bản sửa ngày" in when:
            assert when in row["Ghi chú"]
    # the counts: on time / late in the báo cáo's text equal the master's "Tình trạng nộp"
    received = [str(v["Đúng hạn / Trễ hạn"]) for v in status.values()]
    on_time = sum(1 for w in received if w.startswith("Đúng hạn"))
    late = sum(1 for w in received if w.startswith("Trễ hạn"))
    text = _words(report)
    if late:  # zero counts are left out of the sentence: "(n đúng hạn, m trễ hạn)" only when some were late
        assert f"({on_time} đúng hạn, {late} trễ hạn)" in text
    else:
        assert f"Có {on_time} đơn vị nộp phiếu tự đánh giá" in text and "trễ hạn)" not in text
    late_names = [NAMES[c] for c, v in status.items() if str(v["Đúng hạn / Trễ hạn"]).startswith("Trễ hạn")]
    said = re.search(r"(\d+) đơn vị nộp phiếu trễ hạn: ([^.]+)\.", text)
    assert (said is None and not late_names) or (said is not None and said.group(2).split(", ") == late_names)
    # the ratings of the tờ trình and the master's chart: the same counts
    chart = {r["Xếp loại"]: r["Số đơn vị"] for r in rows_by_code(master, "Biểu đồ").values()}
    submission = _words(docs / "to-trinh-khen-thuong-2026.docx")
    for label, count in chart.items():
        assert f"{label}: {count} đơn vị" in submission, (day, label)
    proposals = table_with_header(docs / "to-trinh-khen-thuong-2026.docx", "STT")
    for row in proposals:  # the proposals: of eligible units, with the master's total and rating
        code = next(c for c, n in NAMES.items() if n == row["Đơn vị"])
        assert (row["Tổng điểm"], row["Xếp loại"]) == (_shown(summary[code]["Tổng điểm"]), summary[code]["Xếp loại"])
    decision = _words(docs / "quyet-dinh-khen-thuong-2026.docx")
    for code, name in NAMES.items():
        proposed = name in {r["Đơn vị"] for r in proposals}
        eligible = summary[code]["Xếp loại"] in ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ")
        assert not proposed or eligible
        assert (f"{name}" in decision) == proposed, (day, code)


def test_status_follows_the_as_of_date(campaign: Path) -> None:
    early, late = rows_by_code(campaign / "master-12.xlsx", "Tổng hợp"), rows_by_code(campaign / "master-22.xlsx", "Tổng hợp")
    # nothing yet on the 12th: not rated, in the master and the documents alike; after the deadline: KHT
    assert early["TYT"]["Xếp loại"] == "Chưa nộp (còn hạn)" and late["TYT"]["Xếp loại"] == "Không hoàn thành nhiệm vụ"
    early_doc = {r["Tên đơn vị"]: r for r in table_with_header(campaign / "docs-12" / "bao-cao-dan-van-kheo-2026.docx", "STT")}
    assert early_doc["Trạm Y tế"]["Xếp loại"] == "Chưa nộp (còn hạn)"
    words = _words(campaign / "docs-12" / "to-trinh-khen-thuong-2026.docx")
    assert "Không hoàn thành nhiệm vụ: 0 đơn vị" in words and "Chưa xếp loại (chưa nộp, còn hạn): 2 đơn vị" in words
    # the documents' own date wins over the day they are made
    config = campaign / "dvk.toml"
    dated = campaign / "dated.toml"
    dated.write_text(config.read_text(encoding="utf-8") + "\n[documents]\nreport_date = 2026-12-14\n", encoding="utf-8")
    s = settings(dated)
    with Ledger.open(s.ledger_path) as ledger:
        write_documents(s, ledger, campaign / "docs-dated", kinds=("bao-cao",), today=dt.date(2026, 12, 30))
    annex = {r["Tên đơn vị"]: r for r in table_with_header(campaign / "docs-dated" / "bao-cao-dan-van-kheo-2026.docx", "STT")}
    assert annex["Trạm Y tế"]["Xếp loại"] == "Chưa nộp (còn hạn)"


def test_late_and_on_time_units_are_named_as_dvk_recorded_them(campaign: Path) -> None:
    status = rows_by_code(campaign / "master-22.xlsx", "Tình trạng nộp")
    assert status["P-KT"]["Đúng hạn / Trễ hạn"] == "Đúng hạn (bản sửa ngày 20/12/2026)"
    assert status["HND"]["Đúng hạn / Trễ hạn"] == "Trễ hạn 3 ngày"
    text = _words(campaign / "docs-22" / "bao-cao-dan-van-kheo-2026.docx")
    assert "1 đơn vị nộp phiếu trễ hạn: Hội Nông dân." in text  # never the unit that corrected after the deadline
    annex = {r["Tên đơn vị"]: r for r in table_with_header(campaign / "docs-22" / "bao-cao-dan-van-kheo-2026.docx", "STT")}
    assert annex["Phòng Kinh tế"]["Ghi chú"].startswith("Đúng hạn (bản sửa ngày 20/12/2026)")
    assert annex["Hội Nông dân"]["Ghi chú"].startswith("Trễ hạn 3 ngày")
    assert "A4: đơn vị ghi “Đúng hạn”" in annex["Hội Nông dân"]["Ghi chú"]
