"""The HTTP seam to Google: gspread's ``HTTPClient`` with a bounded retry, a timeout, pacing and an endpoint.

gspread 6.2.1's ``BackOffHTTPClient`` retries forever and never honours ``Retry-After``; this client instead:

- sends every request with an explicit ``(connect, read)`` timeout;
- retries 408, 429, 500, 502, 503, 504, connection errors and timeouts, at most ``max_attempts`` attempts in
  all, waiting ``Retry-After`` (seconds or an HTTP date, capped at ``max_delay``) when the answer carries one
  and otherwise an exponential backoff with full jitter (``uniform(0, min(max_delay, base_delay·2^(n-1)))``);
- never retries any other status (400, 401, 403, 404, ...): gspread's ``APIError`` is raised at once;
- after the last attempt raises ``GoogleApiError`` (status kept, the last error as ``__cause__``);
- rewrites ``https://sheets.googleapis.com/...`` and ``https://www.googleapis.com/...`` to ``api_endpoint``
  when one is set (keeping the path: ``/v4/...``, ``/drive/v3/...``), so the same code runs against an
  emulator;
- paces Sheets reads through a :class:`~sync.google.pacing.ReadPacer` (every attempt holds a slot from
  send to answer and counts against the quota), Sheets writes through ``write_pacer`` (the write quota is
  separate: 60 a minute per user) and Drive requests through ``drive_pacer`` (a larger quota, but a runaway
  listing must not hammer it);
- when a 429 asks to wait longer than ``max_delay`` (``Retry-After: 3600``), stops at once with a ``quota``
  error carrying ``retry_after`` (seconds): the caller stops asking for this pass instead of sleeping;
- :meth:`RetryingHTTPClient.cancel` (Ctrl-C) makes every waiting retry and every next attempt stop with a
  ``cancelled`` error, so worker threads do not keep retrying after the user asked to stop;
- never blindly repeats a ``POST`` (it may create something twice): a ``POST`` is retried only when the
  caller says it is safe to repeat (``retry=True``: the same values again, or ids reserved in the request),
  or when Google certainly did not act on it (a 429 answer, a connection that was never made); any other
  failure of a ``POST`` (a timeout, a lost connection, a 5xx) raises an ``unknown-outcome`` error at once, and
  the caller checks what exists before it sends again;
- counts every HTTP request it sends, as Google counts them (each attempt, the resend after a refused token,
  and every token refresh): Sheets and Drive, reads (``GET``) and writes apart (:class:`RequestCounts`),
  and 429 answers per API (``sheets``, ``drive``).

``sleep`` and ``jitter`` (a ``() -> float`` in [0, 1)) are injectable so tests never wait.
"""

from __future__ import annotations

import email.utils
import random
import threading
from collections.abc import Callable, Mapping, MutableMapping
from contextlib import nullcontext
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import google.auth.exceptions
import requests
import urllib3.exceptions
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType
from requests.adapters import HTTPAdapter

from .errors import cancelled, exhausted, quota_later, unknown_outcome
from .pacing import ReadPacer, Sleep

__all__ = [
    "GOOGLE_BASES",
    "RETRY_STATUSES",
    "RequestCounts",
    "RetryingHTTPClient",
    "api_of",
    "retry_after",
    "rewrite_url",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")
_APIS = ("sheets", "drive")

Timeout = float | tuple[float, float]


def rewrite_url(url: str, api_endpoint: str | None) -> str:
    """``url`` with a Google API base replaced by ``api_endpoint`` (path and query kept); unchanged if None."""
    if not api_endpoint:
        return url
    for base in GOOGLE_BASES:
        if url.startswith(base + "/") or url == base:
            return api_endpoint.rstrip("/") + url[len(base) :]
    return url


def api_of(url: str) -> str:
    """Which quota a request counts against: ``sheets`` for ``/v4/...`` (Sheets API), else ``drive``."""
    path = urlsplit(url).path
    return "sheets" if path.startswith("/v4/") else "drive"


def kind_of(method: str, url: str) -> str:
    """What Google counts a request as: ``sheets_reads``, ``sheets_writes``, ``drive_reads``, ``drive_writes``
    (``GET`` reads, every other method writes) or ``token_refreshes`` (the OAuth token endpoint)."""
    path = urlsplit(url).path
    if path.startswith("/v4/"):
        api = "sheets"
    elif path.startswith(("/drive/", "/upload/drive/")):
        api = "drive"
    else:
        return "token_refreshes"
    return f"{api}_reads" if method.upper() == "GET" else f"{api}_writes"


@dataclass(frozen=True)
class RequestCounts:
    """HTTP requests sent to Google: Sheets and Drive reads and writes, and token refreshes."""

    sheets_reads: int = 0
    sheets_writes: int = 0
    drive_reads: int = 0
    drive_writes: int = 0
    token_refreshes: int = 0

    @property
    def sheets(self) -> int:
        return self.sheets_reads + self.sheets_writes

    @property
    def drive(self) -> int:
        return self.drive_reads + self.drive_writes

    def __add__(self, other: RequestCounts) -> RequestCounts:
        return RequestCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def __sub__(self, other: RequestCounts) -> RequestCounts:
        return RequestCounts(**{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)})

    def to_json(self) -> dict[str, int]:
        """``sheets`` and ``drive`` (all requests of each API), then each kind apart."""
        return {"sheets": self.sheets, "drive": self.drive, **{f.name: getattr(self, f.name) for f in fields(self)}}


class _CountingAdapter(HTTPAdapter):
    """Counts every request the session puts on the wire (before it is sent: a timeout counts too)."""

    def __init__(self, on_send: Callable[[str, str], None]) -> None:
        super().__init__()
        self._on_send = on_send

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self._on_send(request.method or "GET", request.url or "")
        return super().send(request, *args, **kwargs)


def _not_sent(exc: BaseException) -> bool:
    """The request never reached Google: no connection was made, or the token could not be had."""
    if isinstance(exc, requests.ConnectTimeout | google.auth.exceptions.TransportError):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent/bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with bounded retries, an explicit timeout, pacing, counting and an endpoint."""

    def __init__(
        self,
        auth: Credentials,
        session: requests.Session | None = None,
        *,
        timeout: Timeout = (10.0, 30.0),
        max_attempts: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        api_endpoint: str | None = None,
        pacer: ReadPacer | None = None,
        write_pacer: ReadPacer | None = None,
        drive_pacer: ReadPacer | None = None,
        sleep: Sleep | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._lock = threading.Lock()
        self._kinds = RequestCounts()
        adapter = _CountingAdapter(self._sent)
        tokens = requests.Session()  # token refreshes go through a counted session too
        tokens.mount("http://", adapter)
        tokens.mount("https://", adapter)
        self._auth_request = AuthRequest(tokens)
        self._token_lock = threading.Lock()
        if session is None:
            session = AuthorizedSession(auth, auth_request=self._auth_request)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        super().__init__(auth, session)
        self.auth = auth  # gspread keeps it only when it builds the session itself
        self.set_timeout(timeout)
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.api_endpoint = api_endpoint.rstrip("/") if api_endpoint else None
        self.pacer = pacer
        self.write_pacer = write_pacer
        self.drive_pacer = drive_pacer
        self._cancelled = threading.Event()
        self._sleep = sleep or self._cancelled.wait
        self._jitter = jitter
        self._throttled = dict.fromkeys(_APIS, 0)

    @property
    def counts(self) -> dict[str, int]:
        """HTTP requests sent per API since creation (or the last :meth:`reset_counts`)."""
        kinds = self.request_counts
        return {"sheets": kinds.sheets, "drive": kinds.drive}

    @property
    def request_counts(self) -> RequestCounts:
        """Every request sent: Sheets and Drive reads and writes, token refreshes."""
        with self._lock:
            return self._kinds

    def _sent(self, method: str, url: str) -> None:
        kind = kind_of(method, url)
        with self._lock:
            self._kinds = replace(self._kinds, **{kind: getattr(self._kinds, kind) + 1})

    @property
    def throttled(self) -> dict[str, int]:
        """429 answers received per API."""
        with self._lock:
            return dict(self._throttled)

    def reset_counts(self) -> None:
        with self._lock:
            self._kinds = RequestCounts()
            self._throttled = dict.fromkeys(_APIS, 0)

    def cancellable_sleep(self, seconds: float) -> None:
        """Sleep that :meth:`cancel` cuts short."""
        self._cancelled.wait(seconds)

    def cancel(self) -> None:
        """Stop: waiting retries end now and no further attempt is sent (requests in flight finish)."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _pacer_for(self, api: str, method: str) -> ReadPacer | None:
        if api == "drive":
            return self.drive_pacer
        return self.pacer if method.upper() == "GET" else self.write_pacer

    def pause(self, attempt: int) -> None:
        """Wait the backoff after attempt ``attempt`` (the injected sleep; cut short by :meth:`cancel`), e.g.
        before looking whether a request whose answer was lost took effect."""
        self._sleep(self.backoff(attempt))
        if self._cancelled.is_set():
            raise cancelled("")

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff before attempt ``attempt + 1``."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self._jitter() * ceiling

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
        *,
        retry: bool | None = None,
    ) -> requests.Response:
        """Send one request, retrying what is safe to retry. ``retry``: whether a failed attempt may be sent
        again although Google may have acted on it (default: yes for ``GET``, ``PUT``, ``PATCH``, ``DELETE``;
        no for ``POST``, which then raises ``unknown-outcome`` instead of sending twice)."""
        url = rewrite_url(endpoint, self.api_endpoint)
        api = api_of(url)
        repeatable = retry if retry is not None else method.upper() != "POST"
        status: int | None = None
        failure: BaseException | None = None
        pacer = self._pacer_for(api, method)
        for attempt in range(1, self.max_attempts + 1):
            if self._cancelled.is_set():
                raise cancelled(url)
            paced = pacer.slot() if pacer is not None else nullcontext(0.0)
            delay: float | None = None
            try:
                self._fresh_token()
                with paced:
                    response = self.session.request(
                        method=method,
                        url=url,
                        json=json,
                        params=params,
                        data=data,
                        files=files,
                        headers=headers,
                        timeout=self.timeout,
                    )
            except (requests.ConnectionError, requests.Timeout, google.auth.exceptions.TransportError) as exc:
                status, failure = None, exc
                if not repeatable and not _not_sent(exc):
                    raise unknown_outcome(None, exc, url=url) from exc
            else:
                if response.ok:
                    return response
                status, failure = response.status_code, APIError(response)
                if status == 429:
                    self._throttle(api)
                if status not in RETRY_STATUSES:
                    raise failure
                if not repeatable and status != 429:  # Google may have acted on it: the caller looks first
                    raise unknown_outcome(status, failure, url=url) from failure
                waited = retry_after(response.headers.get("Retry-After"))
                if waited is not None and status == 429 and waited > self.max_delay:
                    raise quota_later(attempt, waited, failure, url=url) from failure
                if waited is not None:
                    delay = min(waited, self.max_delay)
            if attempt < self.max_attempts:
                self._sleep(self.backoff(attempt) if delay is None else delay)
                if self._cancelled.is_set():
                    raise cancelled(url) from failure
        raise exhausted(status, self.max_attempts, failure, url=url) from failure

    def _fresh_token(self) -> None:
        """Refresh an expired or missing access token once, for all threads (without this every worker that
        starts at once refreshes it: one token request each)."""
        if getattr(self.auth, "valid", True):
            return
        with self._token_lock:
            if not self.auth.valid:
                self.auth.refresh(self._auth_request)

    def _throttle(self, api: str) -> None:
        with self._lock:
            self._throttled[api] += 1
