"""Configuration: the settings model (``dvk.toml`` + ``DVK_`` environment), the example file, the units registry.

Imports ``schemas`` (and, lazily, ``workbook.preflight`` to check a units list given as .xlsx before openpyxl
opens it); the rest of ``sync`` imports it.
"""

from .settings import (
    CONFIG_ENV,
    DEFAULT_CONFIG,
    AwardsConfig,
    CommuneConfig,
    DocumentsConfig,
    FolderSource,
    GoogleSource,
    OutputConfig,
    RubricConfig,
    Settings,
    Sources,
    current_evaluation_year,
    load_settings,
)

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "AwardsConfig",
    "CommuneConfig",
    "DocumentsConfig",
    "FolderSource",
    "GoogleSource",
    "OutputConfig",
    "RubricConfig",
    "Settings",
    "Sources",
    "current_evaluation_year",
    "load_settings",
]
