"""The embedded sample commune (``data``) and the demo run (``run``): the main job with no Google account.

Imports ``config``, ``ledger``, ``service``, ``reporting`` and ``workbook``.
"""

from .run import (
    MARKER,
    DemoResult,
    prepare_demo_folder,
    run_demo,
    write_demo_config,
    write_demo_files,
)

__all__ = [
    "MARKER",
    "DemoResult",
    "prepare_demo_folder",
    "run_demo",
    "write_demo_config",
    "write_demo_files",
]
