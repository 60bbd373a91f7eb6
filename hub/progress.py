"""The operator commands' stage display: a spinner and elapsed time per stage, on stderr, only when wanted."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def stages(progress: bool | None, *, redirect: bool = True) -> Progress:
    """The stages' live display: on a terminal unless ``--no-progress``; never in a pipe or a log.

    Args:
        progress: ``--progress`` / ``--no-progress`` (``None``: show only when stderr is a terminal).
        redirect: print the command's own output above the display (``False``: a caller that prints
            between displays, one display per step, keeps its output where it is).

    Returns:
        The display, to be entered with ``with``.
    """
    show = sys.stderr.isatty() if progress is None else progress
    console = Console(stderr=True, quiet=not show, force_terminal=show or None)
    columns = (SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"), TimeElapsedColumn())
    return Progress(*columns, console=console, redirect_stdout=redirect, redirect_stderr=redirect)


@contextmanager
def stage(progress: Progress, description: str) -> Iterator[None]:
    """One stage of ``progress``: a spinner while the block runs, a tick and its time when it ends."""
    task = progress.add_task(description, total=None)
    yield
    progress.update(task, total=1, completed=1)
