"""The council's documents: the data of each document from the ledger (``data``), numbers, dates, signers and
recipients from dvk.toml (``papers``), built and written (``build``).

Imports ``config``, ``ledger``, ``reporting`` and ``workbook``; rendering lives in ``workbook.documents``.
"""

from .build import (
    KINDS,
    STALE_MASTER,
    DocumentsResult,
    Draft,
    Plan,
    Planned,
    YearResults,
    build_contexts,
    output_name,
    write_documents,
    year_results,
)

__all__ = [
    "KINDS",
    "STALE_MASTER",
    "DocumentsResult",
    "Draft",
    "Plan",
    "Planned",
    "YearResults",
    "build_contexts",
    "output_name",
    "write_documents",
    "year_results",
]
