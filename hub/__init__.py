"""The ``hub`` command (one entry point for every package's command line) and the stage display they share."""

from __future__ import annotations

from hub.cli import main

__all__ = ["main"]
