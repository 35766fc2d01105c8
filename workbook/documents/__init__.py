"""The council's documents as .docx (OFFICE.md form): annual report, sơ kết / tổng kết, tờ trình, quyết định.

Each is rendered with docxtpl from a template the commune can edit in Word (dvk's defaults are built by code,
``defaults.py``). The input is plain values with every number already formatted (``context.py``); the caller
(``sync.documents``) fills them from the same computation as the master. A template is checked before
anything is written (``check.py``).
"""

from pathlib import Path

from . import render as _render
from .check import TemplateError, TemplateProblem, check_template
from .context import (
    AwardGroup,
    AwardLine,
    CountLine,
    CriterionLine,
    DecisionContext,
    ExemplarLine,
    FieldLine,
    FieldYearModels,
    Ineligible,
    ModelLine,
    ModelStats,
    NoteLine,
    Office,
    Paper,
    PeopleLine,
    PhaseContext,
    PhaseLine,
    ProposalLine,
    RatingLine,
    ReportContext,
    SubmissionContext,
    TrendLine,
    UnitLine,
    YearCell,
    YearLine,
)
from .numbers import vn_count, vn_percent, vn_points
from .render import (
    FIELD_LIST,
    NoLibreOffice,
    Template,
    check,
    load_template,
    render,
    render_bytes,
    save,
    soffice,
    to_pdf,
)

#: Template name → the context type it is rendered with.
TEMPLATE_CONTEXTS: dict[str, type] = {
    "bao-cao": ReportContext,
    "bao-cao-giai-doan": PhaseContext,
    "to-trinh": SubmissionContext,
    "quyet-dinh": DecisionContext,
}



def export_templates(folder: Path) -> list[Path]:
    """Write the default templates (and ``danh-sach-truong.txt``, the placeholders) into ``folder``."""
    return _render.export_templates(folder, TEMPLATE_CONTEXTS)


__all__ = [
    "FIELD_LIST",
    "TEMPLATE_CONTEXTS",
    "AwardGroup",
    "AwardLine",
    "CountLine",
    "CriterionLine",
    "DecisionContext",
    "ExemplarLine",
    "FieldLine",
    "FieldYearModels",
    "Ineligible",
    "ModelLine",
    "ModelStats",
    "NoLibreOffice",
    "NoteLine",
    "Office",
    "Paper",
    "PeopleLine",
    "PhaseContext",
    "PhaseLine",
    "ProposalLine",
    "RatingLine",
    "ReportContext",
    "SubmissionContext",
    "Template",
    "TemplateError",
    "TemplateProblem",
    "TrendLine",
    "UnitLine",
    "YearCell",
    "YearLine",
    "check",
    "check_template",
    "export_templates",
    "load_template",
    "render",
    "render_bytes",
    "save",
    "soffice",
    "to_pdf",
    "vn_count",
    "vn_percent",
    "vn_points",
]
