"""The simulators' tests share one world of 5,000 records, generated once per module, and its files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from simulators import World, generate_world, write_sources

START = date(2026, 11, 20)


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(seed=7, n_records=5000, start=START, days=1)


@pytest.fixture(scope="module")
def written(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("sources")
    return out, write_sources(world, out)
