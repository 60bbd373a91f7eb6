"""Headless Chromium for the offline-rendering tests: skipped only when it is absent outside CI."""

from __future__ import annotations

import os

import pytest
from headless import chromium


def require_chromium() -> None:
    """Skip when Chromium is missing on a developer machine; under CI=true a missing browser fails."""
    if chromium():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            "CI=true but Chromium is not installed: .ci/run installs it (apt-get install -y chromium)"
        )
    pytest.skip("Chromium not installed (apt-get install -y chromium)")
