"""The bulletins and audit reports the hub writes as static pages, listed and served from their folders."""

from __future__ import annotations

from pathlib import Path


def listing(folder: Path, pattern: str) -> list[str]:
    """The pages under ``folder`` matching ``pattern``, as paths relative to it, newest name first."""
    if not folder.is_dir():
        return []
    return sorted(
        (p.relative_to(folder).as_posix() for p in folder.glob(pattern) if p.is_file()), reverse=True
    )


def resolve(folder: Path, relative: str) -> Path:
    """The file ``relative`` under ``folder``.

    Raises:
        FileNotFoundError: it does not exist, or the path leaves ``folder`` (``..``, a link outside).
    """
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise FileNotFoundError(relative)
    return path
