"""Helpers of the template/reader tests: a valid filling, a Submission → clerk values, Hypothesis strategies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from schemas import (
    FIELDS,
    CommendationProposal,
    Exemplar,
    HeadDiscipline,
    ModelEntry,
    ModelStatus,
    Rubric,
    Submission,
    Unit,
    UnitInfo,
    UnitKind,
)
from schemas.forms import KINDS, PROPOSAL_FORMS, RECOGNITION_LEVELS
from schemas.recognition import supported_counts
from schemas.rubric import RuleKind
from schemas.text import clean_text
from schemas.validate import YEARS
from workbook.fill import fill_template
from workbook.legacy_text import looks_legacy

UNITS = {
    u.code: u
    for u in (
        Unit(code="VP-UBND", name="Văn phòng HĐND và UBND", kind=UnitKind.PHONG_BAN),
        Unit(code="HND", name="Hội Nông dân", kind=UnitKind.MTTQ_DOAN_THE),
        Unit(code="THON-NA-MO", name="Thôn Nà Mò", kind=UnitKind.THON_XOM),
    )
}

INFO: dict[str, Any] = {
    "info.unit_code": "VP-UBND",
    "info.unit_name": "Văn phòng HĐND và UBND",
    "info.year": 2026,
    "info.head": "Ma Văn Tuấn",
    "info.contact": "0208 3871 234",
    "info.head_discipline": "Không",
    "info.ko_corruption": "Không",
    "info.ko_prosecuted": "Không",
    "info.signer": "Ma Văn Tuấn",
    "info.signed_on": dt.date(2026, 12, 10),
}

FACTS: dict[str, Any] = {
    "A1.level": "Ban hành đúng hạn",
    "A2.count": 2,
    "A3.level": "Có",
    "A4.level": "Đúng hạn",
    "K1.target": 100, "K1.result": 92.5,
    "K2.target": 10, "K2.result": 12,
    "V1.target": 5, "V1.result": 5,
    "V2.target": 8, "V2.result": 6,
    "Q1.target": 3, "Q1.result": 3, "Q1.flag": "Không",
    "Q2.target": 4, "Q2.result": 4,
    "H1.target": 6, "H1.result": 6,
    "H2.count": 4,
    "S1.target": 120, "S1.result": 111,
    "S2.level": "Không có",
    "P1.target": 12, "P1.result": 11,
    "P2.target": 20, "P2.result": 20,
    "P3.count": 0,
    "D1.target": 4, "D1.result": 4,
    "D2.count": 3,
    "D3.level": "Không có",
    "B1.commune": 1, "B1.province": 0, "B1.replicated": 0,
    "M1.count": 0,
    "K1.evidence": "Báo cáo số 12/BC-UBND ngày 05/12/2026",
}

TABLES: dict[str, list[dict[str, Any]]] = {
    # recognised by the commune this year: it backs B1 "Được xã công nhận" = 1 of the valid filling
    "models": [{"name": "Dân vận khéo trong chuyển đổi số", "field": "Kinh tế", "kind": "Tập thể",
                "status": "Được công nhận", "start_date": dt.date(2026, 3, 1), "recognition_level": "Xã",
                "decision_no": "45/QĐ-UBND", "decision_date": dt.date(2026, 10, 20)}],
}


def valid_values(**changes: Any) -> dict[str, Any]:
    """A complete, valid filling (input name → value), with ``changes`` (``K1_target=…`` or a dict) applied."""
    values = {**INFO, **FACTS}
    values.update({k.replace("_", ".", 1) if "." not in k else k: v for k, v in changes.items()})
    return values


def fill(template: Path, out: Path, values: dict[str, Any] | None = None,
         tables: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    return fill_template(template, out, valid_values() if values is None else values, TABLES if tables is None else tables)


# --- a Submission typed by a clerk ---------------------------------------------------------------------


def _yes(value: bool | None) -> str | None:
    return None if value is None else ("Có" if value else "Không")


def clerk_values(sub: Submission) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """What a clerk types into the template to enter ``sub``."""
    info = sub.info
    values: dict[str, Any] = {
        "info.unit_code": info.unit_code, "info.unit_name": info.unit_name or None, "info.year": info.year,
        "info.head": info.head or None, "info.contact": info.contact or None,
        "info.head_discipline": info.head_discipline.value, "info.ko_corruption": _yes(info.ko_corruption),
        "info.ko_prosecuted": _yes(info.ko_prosecuted), "info.signer": info.signer or None,
        "info.signed_on": info.signed_on,
    }
    values.update(sub.facts)
    values.update({f"{code}.evidence": text for code, text in sub.evidence.items()})

    def rows(entries: tuple[Any, ...]) -> list[dict[str, Any]]:
        out = []
        for e in entries:
            row: dict[str, Any] = {}
            for key, value in e.model_dump().items():
                if isinstance(value, bool) or (value is None and key == "female"):
                    row[key] = _yes(value)
                elif value not in ("", None):
                    row[key] = value
            out.append(row)
        return out

    return values, {"models": rows(sub.models), "exemplars": rows(sub.exemplars), "proposals": rows(sub.proposals)}


# --- Hypothesis strategies ------------------------------------------------------------------------------

_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
)
# Text a clerk types: never a formula, and never what the reader flags as possibly TCVN3/VNI (e.g. "Eõ").
texts = st.text(alphabet=_LETTERS + "0123456789 ,.-/()", min_size=1, max_size=30).map(clean_text).filter(
    lambda t: bool(t) and t[0] not in "=-+@" and not looks_legacy(t)
)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
_amounts = st.integers(min_value=0, max_value=10**7).map(lambda n: Decimal(n) / 100)


@st.composite
def _criterion_facts(draw: st.DrawFn, rubric: Rubric) -> dict[str, Decimal | str | None]:
    facts: dict[str, Decimal | str | None] = {}
    for c in rubric.criteria:
        rule = c.rule
        if rule is RuleKind.LEVEL:
            facts[f"{c.code}.level"] = draw(st.sampled_from([lv.label for lv in c.levels]))
        elif rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY):
            facts[f"{c.code}.count"] = Decimal(draw(st.integers(0, 12)))
        elif rule is RuleKind.WEIGHTED:
            for w in c.weights:
                facts[f"{c.code}.{w.key}"] = Decimal(draw(st.integers(0, 4)))
        elif rule is RuleKind.TIERS:
            n = draw(st.integers(rubric.satisfaction.min_sample, 3000))
            facts[f"{c.code}.target"] = Decimal(n)
            facts[f"{c.code}.result"] = Decimal(draw(st.integers(0, n)))
        else:
            low = 1 if c.zero_target == "error" else 0
            target = Decimal(draw(st.integers(low, 10**6))) / 100
            facts[f"{c.code}.target"] = target
            top = int(target * 100) if c.result_le_target else 2 * 10**6
            facts[f"{c.code}.result"] = Decimal(draw(st.integers(0, top))) / 100
            if c.zero_if is not None:
                facts[f"{c.code}.flag"] = draw(st.sampled_from(c.zero_if.choices))
    return facts


_models = st.builds(
    ModelEntry, name=texts, lead_unit=st.one_of(st.just(""), texts), field=st.sampled_from(FIELDS),
    kind=st.sampled_from(KINDS), content=st.one_of(st.just(""), texts), start_date=st.one_of(st.none(), dates),
    status=st.sampled_from(list(ModelStatus)), recognition_level=st.sampled_from(("", *RECOGNITION_LEVELS)),
    decision_no=st.one_of(st.just(""), texts), decision_date=st.one_of(st.none(), dates),
)
_exemplars = st.builds(
    Exemplar, name=texts, kind=st.sampled_from(KINDS), field=st.sampled_from(FIELDS),
    achievements=st.one_of(st.just(""), texts), decision_date=st.one_of(st.none(), dates),
)
_proposals = st.builds(
    CommendationProposal, subject=texts, kind=st.sampled_from(KINDS), form=st.sampled_from(PROPOSAL_FORMS),
    achievements=st.one_of(st.just(""), texts), model=st.one_of(st.just(""), texts),
    female=st.one_of(st.none(), st.booleans()),
)


@st.composite
def submissions(draw: st.DrawFn, rubric: Rubric) -> Submission:
    """A random valid Submission of ``rubric`` (units of ``UNITS``, years 2026–2030)."""
    facts = draw(_criterion_facts(rubric))
    models = tuple(draw(st.lists(_models, max_size=3)))
    if facts.get("A3.level") == "Có" and not models:
        models = (draw(_models),)
    codes = [c.code for c in rubric.criteria]
    evidence = draw(st.dictionaries(st.sampled_from(codes), texts, max_size=5))
    info = UnitInfo(
        unit_code=draw(st.sampled_from(sorted(UNITS))), unit_name=draw(texts), year=draw(st.sampled_from(list(YEARS))),
        head=draw(texts), contact=draw(st.one_of(st.just(""), texts)),
        head_discipline=draw(st.sampled_from(list(HeadDiscipline))), ko_corruption=draw(st.booleans()),
        ko_prosecuted=draw(st.booleans()), signer=draw(st.one_of(st.just(""), texts)),
        signed_on=draw(st.one_of(st.none(), dates)),
    )
    exemplars = tuple(draw(st.lists(_exemplars, max_size=2)))
    rows = [*(("models", m) for m in models), *(("exemplars", e) for e in exemplars)]
    for name, found in supported_counts(rubric, info.year, rows).items():  # a bonus count equals the rows backing it
        facts[name] = Decimal(found)
    return Submission(
        info=info, facts=facts, evidence=evidence, models=models,
        exemplars=exemplars, proposals=tuple(draw(st.lists(_proposals, max_size=2))),
    )
