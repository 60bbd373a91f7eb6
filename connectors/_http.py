"""One JSON GET with bounded retries: 429 honours Retry-After; 5xx, timeouts and resets back off with jitter."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
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


def get_json(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any],
    *,
    timeout: float = TIMEOUT_S,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Any = time.sleep,
) -> Any:
    """GET ``url`` and decode JSON, retrying transient failures a bounded number of times.

    Args:
        session: the session carrying auth headers (never logged).
        url: the endpoint.
        params: query parameters.
        timeout: seconds before one attempt is abandoned.
        max_attempts: attempts in all, the first included.
        sleep: injectable for tests.

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
            last_error = f"{type(exc).__name__}"
        else:
            if response.status_code == 200:
                try:
                    return response.json()
                except ValueError:
                    last_error = "malformed JSON"
            elif response.status_code in _RETRY_STATUS:
                last_error = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    wait = _retry_after(response.headers.get("Retry-After"), wait)
            else:
                raise SourceUnavailable(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
        if attempt < max_attempts:
            log.warning("GET %s page %s failed (%s); retry %d in %.1fs", url, params.get("page"), last_error,
                        attempt, wait)
            sleep(wait)
    raise SourceUnavailable(f"{url} page {params.get('page')} failed after {max_attempts} attempts: {last_error}")


def _retry_after(header: str | None, default: float) -> float:
    if header is None:
        return default
    try:
        return min(MAX_BACKOFF_S, max(0.0, float(header)))
    except ValueError:
        return default
