"""`dvk template`: write the evaluation template (one file, one per unit, or print its layout)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from schemas.errors import ConfigError
from schemas.period import YEARS
from schemas.text import canonical_code

from .common import Format, check_output_file, console, load_rubric_option, print_json

if TYPE_CHECKING:
    from schemas.models import Unit
    from schemas.rubric import Rubric

    from ..config import Settings

__all__ = ["load_context", "register", "template_command"]

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Tệp cấu hình dvk.toml (mặc định: ./dvk.toml nếu có).")
]
UnitsOption = Annotated[
    Path | None,
    typer.Option("--units", help="Tệp danh sách đơn vị .csv/.xlsx (cột: code, name, kind[, email, sheet]).")
]
RubricOption = Annotated[
    Path | None, typer.Option("--rubric", help="Tệp bộ tiêu chí TOML (mặc định: theo dvk.toml, hoặc bộ tiêu chí mặc định của dvk).")
]


def load_context(config: Path | None, rubric_file: Path | None, units_file: Path | None) -> tuple[Settings, Rubric, dict[str, Unit]]:
    """Settings, rubric and registry for a command: options first, then dvk.toml, then the defaults."""
    from ..config import load_settings
    from ..config.registry import read_registry

    settings = load_settings(config)
    rubric = load_rubric_option(rubric_file) if rubric_file else settings.load_rubric()
    registry = {u.code: u for u in read_registry(units_file)} if units_file else settings.registry()
    return settings, rubric, registry


def _need_units(what: str) -> ConfigError:
    return ConfigError(
        f"{what} cần danh sách đơn vị: dùng --units TỆP (CSV có dòng tiêu đề code,name,kind[,email,sheet]) "
        "hoặc khai báo đơn vị trong dvk.toml ([[units]] hoặc units_file).",
        key="units",
    )


#: Vietnamese words for the role and type of an input in the text listing (JSON keeps the codes: an interface).
ROLE_LABELS = {
    "text": "chữ", "integer": "số nguyên", "level": "chọn mức", "count": "số lượng", "date": "ngày",
    "target": "chỉ tiêu", "result": "kết quả", "number": "số",
}
TYPE_LABELS = {"text": "chữ", "integer": "số nguyên", "number": "số", "level": "chọn mức", "date": "ngày"}


def _print_layout(rubric: Rubric, fmt: Format) -> None:
    from workbook.layout import build_layout

    layout = build_layout(rubric)
    if fmt is Format.json:
        print_json(layout.to_json())
        return
    console.print(f"Mẫu phiếu {layout.template_version}", markup=False, soft_wrap=True)
    console.print("Vùng đọc: " + "; ".join(layout.ranges()), markup=False, soft_wrap=True)
    console.print(f"{'Tên (trong JSON)':<24} {'Ô':<21} {'Vai trò':<10} {'Kiểu':<10} Nội dung", markup=False, soft_wrap=True)
    for item in layout.inputs:
        choices = f" [{' / '.join(item.choices)}]" if item.choices else ""
        role, kind = ROLE_LABELS.get(item.role, item.role), TYPE_LABELS.get(item.type, item.type)
        console.print(
            f"{item.name:<24} {item.sheet + '!' + item.cell:<21} {role:<10} {kind:<10} {item.label}{choices}",
            markup=False, soft_wrap=True,
        )
    for t in layout.tables:
        cols = ", ".join(f"{c.letter}={c.key}" for c in t.columns)
        console.print(
            f"Bảng {t.key}: trang “{t.sheet}”, tiêu đề dòng {t.header_row}, dữ liệu dòng {t.first_row}–{t.last_row} "
            f"({t.max_rows} dòng); cột {cols}",
            markup=False, soft_wrap=True,
        )


def _lite_embedder(rubric_file: Path | None) -> Callable[[Path], None]:
    """Embeds the xlwings Lite code (rules bundled) into a saved workbook; the add-in sits on top of the CLI."""
    from addin.bundle import build_lite_bundle
    from addin.embed import embed_lite

    bundle = build_lite_bundle(rubric_file)
    return lambda path: embed_lite(path, bundle)


def template_command(
    out: Annotated[Path | None, typer.Option("--out", metavar="<TỆP|THƯ MỤC>", help="Tệp .xlsx sẽ tạo (với --all-units: thư mục).")] = None,
    year: Annotated[int | None, typer.Option("--year", help=f"Năm đánh giá ({YEARS.start}–{YEARS.stop - 1}).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị (không phân biệt chữ hoa, chữ thường): tạo phiếu đã điền sẵn mã, tên đơn vị.")] = None,
    all_units: Annotated[bool, typer.Option("--all-units", help="Tạo một phiếu cho mỗi đơn vị, đặt tên theo mã (tên hợp lệ trên Windows: mã CON → CON_.xlsx).")] = False,
    layout: Annotated[bool, typer.Option("--layout", help="Chỉ in vị trí các ô nhập (không tạo tệp).")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in của --layout: text hoặc json.")] = Format.text,
    units_file: UnitsOption = None,
    rubric_file: RubricOption = None,
    config: ConfigOption = None,
    with_lite: Annotated[bool, typer.Option("--with-lite", help="Nhúng mã Python cho xlwings Lite vào tệp (Excel 365).")] = False,
) -> None:
    """Tạo mẫu phiếu tự đánh giá (.xlsx) cho các đơn vị điền; hoặc in vị trí các ô nhập (--layout)."""
    from workbook.template import write_template

    settings, rubric, registry = load_context(config, rubric_file, units_file)
    embed = _lite_embedder(rubric_file or settings.rubric.file) if with_lite else None
    if layout:
        _print_layout(rubric, fmt)
        return
    if out is None:
        raise ConfigError("Hãy chỉ nơi lưu mẫu phiếu bằng --out, ví dụ: dvk template --out mau-phieu.xlsx", key="--out")
    the_year = year if year is not None else settings.year
    if the_year not in YEARS:
        raise ConfigError(f"Năm {the_year} nằm ngoài giai đoạn {YEARS.start}–{YEARS.stop - 1}.", key="--year")
    letterhead = settings.letterhead()  # commune, date-line place and the contact office of "Hướng dẫn"
    deadline: dt.date | None = settings.commune.deadline if settings.commune.deadline.year in (the_year, the_year + 1) else None
    if all_units:
        if unit:
            raise ConfigError("Dùng --unit hoặc --all-units, không dùng cả hai.", key="--unit")
        if not registry:
            raise _need_units("--all-units")
        if out.suffix.lower() in (".xlsx", ".xlsm"):
            raise ConfigError(f"Với --all-units, --out là một thư mục (không phải tệp {out.name}).", key="--out")
        if not out.parent.is_dir():  # never create a whole path silently: a typo would scatter files
            raise ConfigError(f"--out: thư mục {out.parent} chưa có; hãy tạo thư mục trước hoặc chọn nơi khác.", key="--out")
        out.mkdir(exist_ok=True)
        taken: set[str] = set()
        for u in registry.values():
            path = write_template(
                out / _unit_file_name(u.code, taken), rubric, year=the_year, unit=u, letterhead=letterhead,
                deadline=deadline,
            )
            if embed:
                embed(path)
            console.print(f"Đã tạo {path} — {u.name}", markup=False, soft_wrap=True)
        console.print(f"Xong: {len(registry)} mẫu phiếu năm {the_year} trong thư mục {out}.", markup=False, soft_wrap=True)
        return
    chosen: Unit | None = None
    if unit:
        if not registry:
            raise _need_units("--unit")
        chosen = registry.get(canonical_code(unit))
        if chosen is None:
            known = ", ".join(list(registry)[:12]) + (" …" if len(registry) > 12 else "")
            raise ConfigError(f"Không có đơn vị mã “{unit}” trong danh sách đơn vị. Các mã có: {known}.", key="--unit")
    if out.is_dir():
        out = out / f"mau-phieu-{the_year}.xlsx"
    elif out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    check_output_file(out, ".xlsx", option="--out")
    path = write_template(
        out, rubric, year=the_year, unit=chosen, letterhead=letterhead, deadline=deadline,
        units=tuple(registry.values()) if chosen is None else (),
    )
    if embed:
        embed(path)
    who = f" cho {chosen.name} ({chosen.code})" if chosen else ""
    console.print(f"Đã tạo mẫu phiếu năm {the_year}{who}: {path}", markup=False, soft_wrap=True)


def _unit_file_name(code: str, taken: set[str]) -> str:
    """"<code>.xlsx", valid on Windows ("CON" → "CON_.xlsx") and not the name of another unit's template in
    this folder (NTFS does not tell "CON_" from "con_")."""
    from workbook.files import windows_safe_name

    name = windows_safe_name(f"{code}.xlsx")
    n = 2
    while name.casefold() in taken:
        name = windows_safe_name(f"{code}-{n}.xlsx")
        n += 1
    taken.add(name.casefold())
    return name


def register(app: typer.Typer) -> None:
    app.command("template")(template_command)
