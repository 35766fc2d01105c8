"""The council's documents: the data of each document from the ledger (``data``), numbers, dates, signers and
recipients from dvk.toml (``papers``), built and written (``build``).

Imports ``config``, ``ledger``, ``reporting`` and ``workbook``; rendering lives in ``workbook.documents``.
"""

from .build import (
    KINDS,
    PHASE_KINDS,
    STALE_MASTER,
    DocumentsResult,
    Draft,
    PhaseResults,
    Plan,
    Planned,
    YearResults,
    build_contexts,
    output_name,
    phase_results,
    write_documents,
    year_results,
)

__all__ = [
    "KINDS",
    "PHASE_KINDS",
    "STALE_MASTER",
    "DocumentsResult",
    "Draft",
    "PhaseResults",
    "Plan",
    "Planned",
    "YearResults",
    "build_contexts",
    "output_name",
    "phase_results",
    "write_documents",
    "year_results",
]
