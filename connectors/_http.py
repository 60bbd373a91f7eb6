"""One JSON GET with bounded retries: 429 honours Retry-After; 5xx, timeouts, resets, malformed or
inconsistent pages back off with jitter."""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BASE_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
TIMEOUT_S = 30.0
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class SourceUnavailable(RuntimeError):
    """A page still failed after every retry: the task fails and its window does not count as done."""


class _RedactQuerySecrets(logging.Filter):
    """Blank secrets passed in query strings (GeoReport's ``api_key``) out of urllib3's DEBUG request lines."""

    _SECRET = re.compile(r"((?:api_key|apikey|access_token|token)=)[^&\s\"]+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._SECRET.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


_REDACT = _RedactQuerySecrets()
logging.getLogger("urllib3.connectionpool").addFilter(_REDACT)


def get_json(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any],
    *,
    timeout: float = TIMEOUT_S,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Any = time.sleep,
    check: Callable[[Any], str | None] | None = None,
) -> Any:
    """GET ``url`` and decode JSON, retrying transient failures a bounded number of times.

    Args:
        session: the session carrying auth headers (never logged).
        url: the endpoint.
        params: query parameters.
        timeout: seconds before one attempt is abandoned.
        max_attempts: attempts in all, the first included.
        sleep: injectable for tests.
        check: judges a decoded body; a returned reason (a stale or inconsistent page) makes the attempt
            count as failed, like malformed JSON, so the page is requested again.

    Returns:
        The decoded JSON body.

    Raises:
        SourceUnavailable: when the last attempt fails.
    """
    last_error = ""
    for attempt in range(1, max_attempts + 1):
        wait = min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2 ** (attempt - 1)) * (0.5 + random.random())
        try:
            response = session.get(url, params=dict(params), timeout=timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            last_error = f"{type(exc).__name__}"  # the name only: requests' message repeats the query string
        except requests.RequestException as exc:
            raise SourceUnavailable(f"{url} request failed: {type(exc).__name__}") from None
        else:
            if response.status_code == 200:
                try:
                    body = response.json()
                except ValueError:
                    last_error = "malformed JSON"
                else:
                    problem = check(body) if check is not None else None
                    if problem is None:
                        return body
                    last_error = problem
            elif response.status_code in _RETRY_STATUS:
                last_error = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    wait = _retry_after(response.headers.get("Retry-After"), wait)
            else:
                raise SourceUnavailable(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
        if attempt < max_attempts:
            log.warning(
                "GET %s page %s failed (%s); retry %d in %.1fs",
                url,
                params.get("page"),
                last_error,
                attempt,
                wait,
            )
            sleep(wait)
    raise SourceUnavailable(
        f"{url} page {params.get('page')} failed after {max_attempts} attempts: {last_error}"
    )


def _retry_after(header: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if header is None:
        return default
    try:
        seconds = float(header)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return default
    return min(MAX_BACKOFF_S, max(0.0, seconds))
