"""Run a command line's ``main(argv)`` in-process and read what it said, as a shell would see it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import pytest


def run_main(
    main: Callable[[Any], int], argv: Sequence[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Call ``main(argv)``; argparse's ``SystemExit`` becomes the status the shell would get.

    Args:
        main: a package's ``main(argv) -> int``.
        argv: the arguments.
        capsys: pytest's capture of stdout and stderr.

    Returns:
        ``(exit status, stdout, stderr)``; a ``SystemExit("message")`` is status 1 with the message on
        stderr, as the interpreter prints it.
    """
    try:
        status = main(list(argv))
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            status = 1
        else:
            status = exc.code or 0
    out, err = capsys.readouterr()
    return status, out, err


def assert_usage_error(status: int, err: str, message: str) -> None:
    """Exit status 2, ``message`` on stderr, and no traceback."""
    assert status == 2, err
    assert message in err
    assert "Traceback" not in err
