"""`dvk rubric`: print the rubric as a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import Format, console, escape, load_rubric_option, print_json

if TYPE_CHECKING:
    from schemas.rubric import Rubric

__all__ = ["register", "rubric_json"]


def _num(value: Any) -> float | int:
    f = float(value)
    return int(f) if f.is_integer() else f


def rubric_json(rubric: Rubric) -> dict[str, Any]:
    return {
        "name": rubric.name,
        "version": rubric.version,
        "criteria": [
            {
                "code": c.code,
                "field": c.field,
                "title": c.title,
                "type": c.type.value,
                "max_points": _num(c.max_points),
                "rule": c.rule.value,
                "inputs": [
                    {"name": i.name, "role": i.role, "label": i.label, "kind": i.kind.value, "choices": list(i.choices)}
                    for i in c.inputs
                ],
                "levels": [{"label": lv.label, "points": _num(lv.points)} for lv in c.levels],
                "weights": [
                    {"key": w.key, "label": w.label, "weight": _num(w.weight),
                     "rows": None if w.rows is None else {"tables": list(w.rows.tables), "level": w.rows.level,
                                                          "status": list(w.rows.status), "decided": w.rows.decided}}
                    for w in c.weights
                ],
            }
            for c in rubric.criteria
        ],
        "base_max": _num(rubric.base_max),
        "bonus_cap": _num(rubric.bonus_cap),
        "penalty_cap": _num(rubric.penalty_cap),
        "satisfaction": {
            "min_sample": rubric.satisfaction.min_sample,
            "tiers": [{"min_rate": _num(t.min_rate), "points": _num(t.points)} for t in rubric.satisfaction.tiers],
        },
        "default_preset": rubric.default_preset,
        "presets": [
            {
                "code": p.code,
                "name": p.name,
                "htxs": _num(p.htxs),
                "htt": _num(p.htt),
                "ht": _num(p.ht),
                "zero_rule": p.zero_rule,
                "htxs_quota_percent": None if p.htxs_quota_percent is None else _num(p.htxs_quota_percent),
            }
            for p in rubric.presets
        ],
    }


def rubric_command(
    rubric_file: Annotated[Path | None, typer.Option("--rubric", help="Tệp bộ tiêu chí TOML (mặc định: bộ tiêu chí mặc định của dvk).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
) -> None:
    """In bộ tiêu chí chấm điểm: mã, lĩnh vực, nội dung, loại, điểm tối đa, cách tính."""
    rubric = load_rubric_option(rubric_file)
    if fmt is Format.json:
        print_json(rubric_json(rubric))
        return
    from rich.table import Table

    from schemas.recognition import describe_rows
    from schemas.rubric import rubric_label

    label = rubric_label(rubric)
    table = Table(title=escape(label[0].upper() + label[1:]))
    for col in ("Mã", "Lĩnh vực", "Nội dung", "Loại", "Tối đa", "Thông tin cần nhập"):
        table.add_column(col)
    for c in rubric.criteria:
        sign = "+" if c.is_bonus else "−" if c.is_penalty else ""
        table.add_row(*(escape(cell) for cell in (
            c.code, c.field, c.title, c.type.value, f"{sign}{_num(c.max_points)}",
            "; ".join(i.label + (f" ({' / '.join(i.choices)})" if i.choices else "") for i in c.inputs),
        )))
    console.print(table)
    console.print(
        f"Điểm chuẩn {_num(rubric.base_max)}, thưởng tối đa +{_num(rubric.bonus_cap)}, trừ tối đa −{_num(rubric.penalty_cap)}; "
        f"cỡ mẫu khảo sát tối thiểu {rubric.satisfaction.min_sample} phiếu.",
        markup=False,
    )
    for c in rubric.criteria:
        for w in c.weights:
            if w.rows is not None:
                console.print(f"{c.code} – {w.label}: chỉ tính các {describe_rows(w.rows)}; khai nhiều hơn là lỗi.",
                              markup=False)
    for p in rubric.presets:
        quota = f", HTXS ≤ {_num(p.htxs_quota_percent)}% số HTT" if p.htxs_quota_percent is not None else ""
        zero = ", không có tiêu chí 0 điểm cho HTT trở lên" if p.zero_rule else ""
        mark = " (mặc định)" if p.code == rubric.default_preset else ""
        console.print(f"Xếp loại “{p.name}”{mark}: HTXS ≥ {_num(p.htxs)}, HTT ≥ {_num(p.htt)}, HT ≥ {_num(p.ht)}{zero}{quota}.", markup=False)


def register(app: typer.Typer) -> None:
    app.command("rubric")(rubric_command)
