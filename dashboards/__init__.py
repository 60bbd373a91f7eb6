"""Dashboards on Apache Superset over the hub's read contract, declared in Python and exported as YAML.

``python -m dashboards export`` writes the bundle (``dashboards/assets/``); ``make dashboards`` installs
Superset in its own environment and serves it (:mod:`dashboards.deploy`, run by Superset's Python).
"""

from __future__ import annotations

from dashboards.bundle import ASSETS, DASHBOARDS, render, stale, write

__all__ = ["ASSETS", "DASHBOARDS", "render", "stale", "write"]
