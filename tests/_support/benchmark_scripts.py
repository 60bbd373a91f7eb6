"""Loading a script under ``benchmarks/`` as a module, for the tests of its parts and of its RESULT line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_benchmark(file_name: str, module_name: str) -> ModuleType:
    """``benchmarks/<file_name>`` imported as ``module_name`` (registered, so its dataclasses pickle)."""
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "benchmarks" / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
