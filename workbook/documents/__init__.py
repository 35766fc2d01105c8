"""The council's documents as .docx (OFFICE.md form): annual report, sơ kết / tổng kết, biên bản of the
council's meeting, tờ trình, quyết định khen thưởng, quyết định công nhận mô hình, điển hình.

Each is rendered with docxtpl, in Jinja's sandbox, from a template the commune can edit in Word (dvk's
defaults are built by code, ``defaults.py``). The input is plain values with every number already formatted
(``context.py``); the caller (``sync.documents``) fills them from the same computation as the master. A
template is checked before anything is written (``check.py``); what a rendered document still lacks is
highlighted and listed, and marks it "DỰ THẢO" (``marks.py``). The legal grounds are data (``grounds.py``,
``can-cu.toml``).
"""

from pathlib import Path

from . import render as _render
from .check import TemplateError, TemplateProblem, check_template
from .context import (
    AwardGroup,
    AwardLine,
    Candidate,
    CountLine,
    CriterionLine,
    DecisionContext,
    ExemplarLine,
    FieldLine,
    FieldYearModels,
    Ground,
    Ineligible,
    Issuer,
    Member,
    MinutesContext,
    ModelLine,
    ModelStats,
    NoteLine,
    Office,
    Paper,
    PeopleLine,
    PhaseContext,
    PhaseDecisionContext,
    PhaseLine,
    PhaseMinutesContext,
    PhaseRankLine,
    PhaseSubmissionContext,
    ProposalLine,
    RatingLine,
    RecognisedModel,
    RecognitionContext,
    RecognitionGroup,
    ReportContext,
    Signer,
    SubmissionContext,
    TrendLine,
    UnitLine,
    YearCell,
    YearLine,
)
from .grounds import CITING_KINDS, LegalText, citation, default_grounds_text, load_grounds
from .marks import DRAFT_MARK, Finished, blank, strip_blanks
from .numbers import vn_count, vn_percent, vn_points
from .render import (
    FIELD_LIST,
    NoLibreOffice,
    PdfResult,
    Template,
    check,
    font_warning,
    load_template,
    render,
    render_bytes,
    render_document,
    save,
    soffice,
    to_pdf,
)

#: Template name → the context type it is rendered with.
TEMPLATE_CONTEXTS: dict[str, type] = {
    "bao-cao": ReportContext,
    "bao-cao-giai-doan": PhaseContext,
    "bien-ban": MinutesContext,
    "to-trinh": SubmissionContext,
    "quyet-dinh": DecisionContext,
    "cong-nhan": RecognitionContext,
    "bien-ban-giai-doan": PhaseMinutesContext,
    "to-trinh-giai-doan": PhaseSubmissionContext,
    "quyet-dinh-giai-doan": PhaseDecisionContext,
}


def export_templates(folder: Path) -> list[Path]:
    """Write the default templates, ``danh-sach-truong.txt`` (the placeholders) and ``can-cu.toml`` (the legal
    grounds, to copy and point ``[documents] grounds`` at) into ``folder``."""
    return _render.export_templates(folder, TEMPLATE_CONTEXTS)


__all__ = [
    "CITING_KINDS",
    "DRAFT_MARK",
    "FIELD_LIST",
    "TEMPLATE_CONTEXTS",
    "AwardGroup",
    "AwardLine",
    "Candidate",
    "CountLine",
    "CriterionLine",
    "DecisionContext",
    "ExemplarLine",
    "FieldLine",
    "FieldYearModels",
    "Finished",
    "Ground",
    "Ineligible",
    "Issuer",
    "LegalText",
    "Member",
    "MinutesContext",
    "ModelLine",
    "ModelStats",
    "NoLibreOffice",
    "NoteLine",
    "Office",
    "Paper",
    "PdfResult",
    "PeopleLine",
    "PhaseContext",
    "PhaseDecisionContext",
    "PhaseLine",
    "PhaseMinutesContext",
    "PhaseRankLine",
    "PhaseSubmissionContext",
    "ProposalLine",
    "RatingLine",
    "RecognisedModel",
    "RecognitionContext",
    "RecognitionGroup",
    "ReportContext",
    "Signer",
    "SubmissionContext",
    "Template",
    "TemplateError",
    "TemplateProblem",
    "TrendLine",
    "UnitLine",
    "YearCell",
    "YearLine",
    "blank",
    "check",
    "check_template",
    "citation",
    "default_grounds_text",
    "export_templates",
    "font_warning",
    "load_grounds",
    "load_template",
    "render",
    "render_bytes",
    "render_document",
    "save",
    "soffice",
    "strip_blanks",
    "to_pdf",
    "vn_count",
    "vn_percent",
    "vn_points",
]
