"""The console: a small web application for the command centre's clerks and auditors.

Review queue, case pages, corrections (split, merge, move), held batches, the 三色三单 lists, bulletins
and audit reports, as server-rendered pages and the same data as JSON under ``/api``. Logging in is
required for every page (:mod:`console.auth`); what a role sees is masked as the warehouse's reader
views mask it (:mod:`console.masking`). ``python -m console serve`` runs it; ``make console`` too.
"""

from __future__ import annotations

from console.app import create_app
from console.settings import ConsoleSettings

__all__ = ["ConsoleSettings", "create_app"]
