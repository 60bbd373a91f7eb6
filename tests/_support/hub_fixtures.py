"""Loading recorded fixtures and the windows the connector tests use."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from connectors.base import SHANGHAI, Window

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))


def load(source: str, name: str) -> Any:
    return json.loads((FIXTURES / source / name).read_text(encoding="utf-8"))
