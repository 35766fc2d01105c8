"""The sync: everything between the units' sheets and the commune's master, in rooms by concept.

Rooms, lowest first; a room imports only from rooms above it in this list (and from ``workbook``/``schemas``):

    config/     settings (dvk.toml), the example configuration, the units registry
    ledger/     the SQLite ledger: store, migrations, record types, the Google Sheets it tracks
    google/     the Google client (HTTP, retry, pacing, OAuth) and, beside it, the Google workflow:
                the signed-in account, provision, write-back, lock, check
    (top)       the sync itself: ``sources`` (folder, Google) → ``intake`` (version rules) → ``service``
                (one pass) → ``reporting`` (the master from the ledger); ``release`` (staff confirm a held
                file: ``dvk intake release``); ``models`` (the commune register of models and exemplars,
                ``dvk models``); ``watch`` (the service loop);
                ``errors_vi`` (Vietnamese wording of library and system errors)
    documents/  the council's documents: their data from the ledger and the master's computation
    demo/       the embedded sample commune
    cli/        the ``dvk`` command line: entry point, help, one module per command group (nothing imports it)
"""

__version__ = "0.1.0"
