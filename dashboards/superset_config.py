"""Superset's configuration for the hub's dashboards (read by Superset through ``SUPERSET_CONFIG_PATH``).

Metadata in SQLite under ``SUPERSET_HOME`` (``var/superset`` by default); the secret key from the
environment (``make dashboards`` keeps one in ``var/superset/secret.key``).
"""

from __future__ import annotations

import os

_HOME = os.environ["SUPERSET_HOME"]

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = os.environ.get("SUPERSET_METADATA_URL", f"sqlite:///{_HOME}/superset.db")
# The embedded warehouse is a SQLite file, which Superset refuses unless told otherwise; the database
# entries the hub imports open it read-only (``mode=ro``), and PostgreSQL is read as the reader role.
PREVENT_UNSAFE_DB_CONNECTIONS = False
# Served on localhost over plain HTTP (compose: behind whatever terminates TLS).
TALISMAN_ENABLED = False
SESSION_COOKIE_SECURE = False
# Charts render from the warehouse on every load: a demo warehouse changes under the dashboard.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
# Every chart of a dashboard loads at once, also those below the fold (a dozen charts, not hundreds):
# screenshots and the browser test see the whole dashboard.
FEATURE_FLAGS = {"DASHBOARD_VIRTUALIZATION": False, "ALERT_REPORTS": False}
# Chinese labels (districts, categories) are the data; the UI stays in English.
BABEL_DEFAULT_LOCALE = "en"
# No telemetry from a government intranet.
SCARF_ANALYTICS = False
