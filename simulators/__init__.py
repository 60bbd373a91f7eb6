"""Source simulators: a deterministic world of Lanzhou complaints, written and served as each real system would.

Typical use::

    world = generate_world(seed=7, n_records=5000, start=date(2026, 11, 20), days=1)
    manifest = write_sources(world, Path("var/sources"))
    with SimulatorServer("var/sources", token="secret") as server:
        ...  # server.url serves the hotline and app APIs

The formats are the contract in ``connectors/SOURCES.md``.
"""

from __future__ import annotations

from simulators.people import id_check_char, is_valid_id
from simulators.server import SimulatorServer
from simulators.world import PLANNED, PRIMARY_KEYS, SOURCES, TruthRow, World, generate_world
from simulators.writers import PETITION_COLUMNS, POLICE_COLUMNS, write_sources

__all__ = [
    "PETITION_COLUMNS",
    "PLANNED",
    "POLICE_COLUMNS",
    "PRIMARY_KEYS",
    "SOURCES",
    "SimulatorServer",
    "TruthRow",
    "World",
    "generate_world",
    "id_check_char",
    "is_valid_id",
    "write_sources",
]
