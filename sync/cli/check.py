"""`dvk validate` and `dvk score`: check filled evaluation files, print their issues or score cards.

Each file is read on its own: a file that cannot be opened (an old .xls, a password, a damaged zip) is
reported as that file's error and the others are still checked. Exit 1 when any file has an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from schemas.errors import UnsafeFileError, WorkbookError

from .common import Format, console, print_json
from .template import ConfigOption, RubricOption, UnitsOption, load_context

if TYPE_CHECKING:
    from schemas.models import Issue, ScoreCard, Unit
    from schemas.rubric import Rubric

    from ..config import Settings

__all__ = ["FileCheck", "check_files", "issue_json", "register", "score_command", "validate_command"]

FilesArgument = Annotated[
    list[Path], typer.Argument(help="Các tệp phiếu đã điền (.xlsx, .xlsm).", show_default=False, metavar="TỆP...")
]
FormatOption = Annotated[Format, typer.Option("--format", help="Dạng in: text hoặc json.")]


@dataclass(frozen=True)
class FileCheck:
    """The outcome for one file: its issues, the unit and year when known, the score card when scored."""

    path: Path
    unit: str | None
    unit_name: str
    year: int | None
    issues: tuple[Issue, ...]
    card: ScoreCard | None = None

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)


def issue_json(issue: Issue) -> dict[str, Any]:
    value = issue.value
    if value is not None and not isinstance(value, str | int | float | bool):
        value = str(value)
    return {
        "code": issue.code, "severity": issue.severity.value, "sheet": issue.sheet, "cell": issue.cell,
        "criterion": issue.criterion, "value": value, "message": issue.message,
    }


def _file_error(path: Path, err: WorkbookError) -> FileCheck:
    from schemas.models import Issue, Severity

    reason = err.context.get("reason") if isinstance(err, UnsafeFileError) else None
    code = str(reason) if reason else "unreadable-file"
    issue = Issue(code=code, severity=Severity.ERROR, message=str(err))
    return FileCheck(path=path, unit=None, unit_name="", year=None, issues=(issue,))


def _identity(path: Path, rubric: Rubric, registry: dict[str, Unit] | None, unit: str | None, name: str) -> Issue | None:
    """The error `dvk sync` would hold the file for: its unit code and its unit name (or file name) disagree."""
    if not registry:
        return None
    from schemas.models import Issue, Severity
    from workbook.layout import build_layout

    from ..sources import _guess_unit, identity_conflict

    conflict = identity_conflict(unit, registry, expected=_guess_unit(path, registry), unit_name=name or None,
                                 file_name=path.name)
    if conflict is None:
        return None
    where = build_layout(rubric).input("info.unit_code")
    return Issue(
        code="unit-mismatch", severity=Severity.ERROR, sheet=where.sheet, cell=where.cell, value=unit,
        message=f"{conflict}. dvk sync sẽ giữ tệp này chờ cán bộ xác nhận, chưa tính cho đơn vị nào: hãy sửa mã đơn "
        "vị (hoặc tên đơn vị, tên tệp) cho khớp trước khi gửi.",
    )


def _campaign_notes(path: Path, rubric: Rubric, year: int | None, expected: int | None) -> tuple[Issue, ...]:
    """Warnings about a readable file that sync would not use as it is: another year, Lite parts broken."""
    from schemas.models import Issue, Severity
    from workbook.layout import build_layout
    from workbook.lite_parts import lite_problem

    notes: list[Issue] = []
    if expected is not None and year is not None and year != expected:
        where = build_layout(rubric).input("info.year")
        notes.append(Issue(
            code="year-not-campaign", severity=Severity.WARNING, sheet=where.sheet, cell=where.cell, value=year,
            message=f"phiếu ghi năm {year}, đợt đánh giá là {expected}; dvk sync sẽ không tính phiếu này. "
            "Nếu là phiếu năm nay, hãy sửa ô năm đánh giá.",
        ))
    lite = lite_problem(path)
    if lite:
        notes.append(Issue(code="lite-parts-broken", severity=Severity.WARNING, message=lite))
    return tuple(notes)


def check_files(
    paths: list[Path], rubric: Rubric, registry: dict[str, Unit] | None, *, preset: str | None = None,
    scored: bool = False, year: int | None = None,
) -> list[FileCheck]:
    """Read, validate (and score) each file; file-level errors become that file's only issue.

    ``year``: the campaign's year (from --year or dvk.toml); a file of another year gets a warning.
    """
    from schemas.scoring import score
    from schemas.text import clean_text
    from workbook.layout import build_layout
    from workbook.reader import read_workbook

    year_of_campaign = year
    results: list[FileCheck] = []
    for path in paths:
        try:
            read = read_workbook(path, rubric, registry=registry)
        except WorkbookError as err:
            results.append(_file_error(path, err))
            continue
        sub = read.validated.submission
        unit: str | None
        if sub is not None:
            unit, name, year = sub.info.unit_code, sub.info.unit_name, sub.info.year
        else:
            where = build_layout(rubric).input("info.unit_code")
            raw = read.grid.get((where.sheet, where.cell))
            unit, name, year = (clean_text(raw) or None) if isinstance(raw, str) else None, "", None
        card = score(rubric, sub, preset=preset) if scored and sub is not None else None  # A4 as typed: no receipt
        held = _identity(path, rubric, registry, unit, name)
        try:  # the notes read parts of the file again (the Lite code): a failure there is this file's only
            notes = _campaign_notes(path, rubric, year, expected=year_of_campaign)
        except WorkbookError as err:
            results.append(_file_error(path, err))
            continue
        issues = read.issues + ((held,) if held else ()) + notes
        results.append(FileCheck(path=path, unit=unit, unit_name=name, year=year, issues=issues, card=card))
    return results


_SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}  # Severity's values


def _line(issue: Issue) -> str:
    where = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else issue.sheet or ""
    crit = f" [{issue.criterion}]" if issue.criterion else ""
    head = f"{_SEVERITY[issue.severity]}{': ' + where if where else ''}{crit}"
    return f"  {head} — {issue.message}"


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _heading(result: FileCheck) -> str:
    who = result.unit_name or ""
    if result.unit:
        who = f"{who} ({result.unit})" if who else result.unit
    errors = sum(1 for i in result.issues if i.is_error)
    warnings = len(result.issues) - errors
    state = "hợp lệ" if not errors else f"{errors} lỗi"
    if warnings:
        state += f", {warnings} cảnh báo"
    year = f", năm {result.year}" if result.year else ""
    return f"{result.path}{' — ' + who if who else ''}{year}: {state}"


def _print_issues(result: FileCheck) -> None:
    for issue in result.issues:
        _say(_line(issue))


def _vn(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _print_card(result: FileCheck, rubric: Rubric) -> None:
    card = result.card
    if card is None:
        _say("  Không chấm được điểm: chưa xác định được mã đơn vị hoặc năm đánh giá (xem lỗi dưới đây).")
        return
    _say(f"  {'Mã':<4} {'Điểm':>6} {'Tối đa':>7}  Nội dung")
    for c in card.criteria:
        crit = rubric.criterion(c.code)
        sign = "−" if crit.is_penalty and c.points else ""
        _say(f"  {c.code:<4} {sign + _vn(float(c.points)):>6} {_vn(float(c.max_points)):>7}  {crit.title}")
    _say(f"  Tổng điểm chuẩn: {_vn(float(card.base_total))}; thưởng: +{_vn(float(card.bonus))}; "
         f"trừ: {'−' if card.penalty else ''}{_vn(float(card.penalty))}")
    _say(f"  TỔNG ĐIỂM: {_vn(float(card.total))} — Xếp loại: {card.rating.label} ({card.rating.value})")
    for reason in card.reasons:
        _say(f"  Lý do: {reason}")
    for note in receipt_notes(rubric):
        _say(f"  Ghi chú: {note}")


def receipt_notes(rubric: Rubric) -> list[str]:
    """What a loose file's score cannot know: the criteria dvk scores from when it receives the sheet (A4)."""
    return [
        f"{c.code} tính theo mức đơn vị ghi trên phiếu; khi nhận phiếu (dvk sync), xã tính {c.code} theo thời điểm "
        f"dvk nhận phiếu lần đầu so với hạn nộp (“{c.timeliness.on_time}” hoặc “{c.timeliness.late}”)."
        for c in rubric.receipt_criteria if c.timeliness is not None
    ]


def _finish(results: list[FileCheck]) -> None:
    if len(results) > 1:
        bad = sum(1 for r in results if r.has_errors)
        _say(f"Tổng cộng {len(results)} tệp, {bad} tệp có lỗi.")
    if any(r.has_errors for r in results):
        raise typer.Exit(1)


YearOption = Annotated[
    int | None,
    typer.Option("--year", help="Năm của đợt đánh giá: cảnh báo phiếu ghi năm khác (mặc định: năm trong dvk.toml, nếu có)."),
]


def _campaign_year(settings: Settings, year: int | None) -> int | None:
    """The year files are checked against: --year, else the configured year when a dvk.toml was read."""
    if year is not None:
        return year
    return settings.year if settings.source is not None else None


def validate_command(
    files: FilesArgument,
    fmt: FormatOption = Format.text,
    year: YearOption = None,
    units_file: UnitsOption = None,
    rubric_file: RubricOption = None,
    config: ConfigOption = None,
) -> None:
    """Kiểm tra các phiếu đã điền: liệt kê lỗi, cảnh báo kèm trang và ô cần sửa (mã thoát 1 nếu có lỗi)."""
    settings, rubric, registry = load_context(config, rubric_file, units_file)
    results = check_files(files, rubric, registry or None, year=_campaign_year(settings, year))
    if fmt is Format.json:
        print_json([
            {"file": str(r.path), "unit": r.unit, "issues": [issue_json(i) for i in r.issues]} for r in results
        ])
        if any(r.has_errors for r in results):
            raise typer.Exit(1)
        return
    for r in results:
        _say(_heading(r))
        _print_issues(r)
    _finish(results)


def _card_json(r: FileCheck, notes: list[str]) -> dict[str, Any]:
    if r.card is None:
        body: dict[str, Any] = {
            "unit": r.unit, "year": r.year, "criteria": {}, "base_total": None, "bonus": None, "penalty": None,
            "total": None, "rating": None, "rating_code": None, "reasons": [],
        }
    else:
        body = r.card.to_json()
    return {"file": str(r.path), **body, "issues": [issue_json(i) for i in r.issues], "notes": notes}


def score_command(
    files: FilesArgument,
    fmt: FormatOption = Format.text,
    preset: Annotated[str | None, typer.Option("--preset", help="Mã cách xếp loại (mặc định: theo bộ tiêu chí).")] = None,
    year: YearOption = None,
    units_file: UnitsOption = None,
    rubric_file: RubricOption = None,
    config: ConfigOption = None,
) -> None:
    """Chấm điểm các phiếu đã điền: điểm từng tiêu chí, tổng điểm, xếp loại (mã thoát 1 nếu phiếu có lỗi)."""
    settings, rubric, registry = load_context(config, rubric_file, units_file)
    chosen = preset or settings.rubric.preset
    rubric.preset(chosen)  # an unknown preset is a usage error, before any file is read
    results = check_files(files, rubric, registry or None, preset=chosen, scored=True, year=_campaign_year(settings, year))
    if fmt is Format.json:
        print_json([_card_json(r, receipt_notes(rubric)) for r in results])
        if any(r.has_errors for r in results):
            raise typer.Exit(1)
        return
    for r in results:
        _say(_heading(r))
        _print_card(r, rubric)
        _print_issues(r)
    _finish(results)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)
    app.command("score")(score_command)
