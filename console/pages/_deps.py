"""What every route needs: the warehouse engine of the running app."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import Request


def engine_of(request: Request) -> sa.Engine:
    """The warehouse engine the app opened at start."""
    engine: sa.Engine = request.app.state.engine
    return engine
