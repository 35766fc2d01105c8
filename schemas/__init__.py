"""dvk's pure domain core: the rubric as data, domain values, validation, scoring and rating. No I/O.

``schemas.validate`` is the validation module (``from schemas.validate import validate``): a package name
that is also a submodule's cannot be a lazy export, the import system binds the submodule over it.

Names are imported on first use (PEP 562), so importing one light submodule (``errors``) does not load
the rest; type checkers see the imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

if TYPE_CHECKING:
    from .errors import (
        ConfigError,
        DvkError,
        GoogleApiError,
        LedgerError,
        MasterLockedError,
        RubricError,
        SourceError,
        UnsafeFileError,
        WorkbookError,
    )
    from .forms import EXEMPLARS, INFO_FIELDS, MODELS, PROPOSALS, TABLES, ColumnSpec, FieldSpec, TableSpec
    from .models import (
        CommendationProposal,
        CriterionScore,
        Exemplar,
        HeadDiscipline,
        Issue,
        Location,
        ModelEntry,
        ModelStatus,
        Rating,
        ScoreCard,
        Severity,
        Submission,
        Unit,
        UnitInfo,
        UnitKind,
    )
    from .office import BLANK, Letterhead, official_date
    from .period import YEARS
    from .rating import apply_quota, rank, rate
    from .rubric import FIELDS, Criterion, CriterionType, InputSpec, PresetSpec, Rubric, default_rubric, load_rubric
    from .scoring import criterion_points, score, total_of
    from .validate import RawCell, RawSubmission, Validated
    RatingPreset = PresetSpec

_SUBMODULE = {  # exported name -> the submodule that defines it
    "ConfigError": "errors",
    "DvkError": "errors",
    "GoogleApiError": "errors",
    "LedgerError": "errors",
    "MasterLockedError": "errors",
    "RubricError": "errors",
    "SourceError": "errors",
    "UnsafeFileError": "errors",
    "WorkbookError": "errors",
    "EXEMPLARS": "forms",
    "INFO_FIELDS": "forms",
    "MODELS": "forms",
    "PROPOSALS": "forms",
    "TABLES": "forms",
    "ColumnSpec": "forms",
    "FieldSpec": "forms",
    "TableSpec": "forms",
    "CommendationProposal": "models",
    "CriterionScore": "models",
    "Exemplar": "models",
    "HeadDiscipline": "models",
    "Issue": "models",
    "Location": "models",
    "ModelEntry": "models",
    "ModelStatus": "models",
    "Rating": "models",
    "ScoreCard": "models",
    "Severity": "models",
    "Submission": "models",
    "Unit": "models",
    "UnitInfo": "models",
    "UnitKind": "models",
    "BLANK": "office",
    "Letterhead": "office",
    "official_date": "office",
    "apply_quota": "rating",
    "rank": "rating",
    "rate": "rating",
    "FIELDS": "rubric",
    "Criterion": "rubric",
    "CriterionType": "rubric",
    "InputSpec": "rubric",
    "PresetSpec": "rubric",
    "Rubric": "rubric",
    "default_rubric": "rubric",
    "load_rubric": "rubric",
    "criterion_points": "scoring",
    "score": "scoring",
    "total_of": "scoring",
    "YEARS": "period",
    "RawCell": "validate",
    "RawSubmission": "validate",
    "Validated": "validate",
}
_ALIAS = {"RatingPreset": "PresetSpec"}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _SUBMODULE, _ALIAS)
