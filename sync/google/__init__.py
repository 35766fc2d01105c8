"""Google: the HTTP client (gspread with bounded retry, timeout, pacing, endpoint override) and the workflow.

The client (exported here): ``api``, ``client``, ``http``, ``pacing``, ``errors``, ``oauth``, ``writes``.
The workflow beside it, run as the commune's signed-in account: ``account`` (the signed-in client),
``provision`` (one sheet per unit, and its repairs), ``protection`` (drop-downs and protected ranges from the
layout), ``write_back`` (results into each sheet), ``lock``, ``check``.
The workflow imports ``config``, ``ledger``, ``workbook`` and ``schemas``; never the sync's top.

    build_client(...) -> GoogleApi       from settings (credentials file or emulator endpoint)
    GoogleApi.modified_times(ids, folder_id) -> {id: modifiedTime}     Drive files.list / files.get
    GoogleApi.batch_get(spreadsheet_id, ranges) -> [rows per range]    one Sheets values:batchGet
    GoogleApi.sheet_titles(spreadsheet_id) -> [tab titles]             one metadata read (sheets check only)
    GoogleApi.counts / .throttled / reset_counts() / close()            requests and 429s per API
    GoogleApi.request_counts -> RequestCounts                           Sheets/Drive reads, writes; token refreshes

Every failure is a ``GoogleApiError`` whose ``context["reason"]`` is a slug: not-shared, not-found,
tab-missing (with ``tab``), bad-request, unauthorized, quota, server, network, malformed.
Messages are Vietnamese and say what to do (see ``errors``).
"""

from __future__ import annotations

from .api import GoogleApi, pad, spreadsheet_id_from
from .client import SCOPES, build_client, load_credentials
from .http import RETRY_STATUSES, RequestCounts, RetryingHTTPClient, retry_after, rewrite_url
from .pacing import ReadPacer

__all__ = [
    "RETRY_STATUSES",
    "SCOPES",
    "GoogleApi",
    "ReadPacer",
    "RequestCounts",
    "RetryingHTTPClient",
    "build_client",
    "load_credentials",
    "pad",
    "retry_after",
    "rewrite_url",
    "spreadsheet_id_from",
]
