"""The ``hub`` command: one entry point whose sub-commands hand over to each package's own command line."""

from __future__ import annotations

from hub.cli import main

__all__ = ["main"]
