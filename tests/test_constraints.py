"""constraints.txt locks every package the project installs (`make lock` writes it): each at one version,
pyproject.toml's own pins among them at the same versions, and it is what `make install` installs with."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.unit


def _locked() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    pins = [re.fullmatch(r"([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+!-]+)", line) for line in entries]
    assert all(pins), [line for line, pin in zip(entries, pins, strict=True) if not pin]
    names = [_name(p.group(1)) for p in pins if p]
    assert len(names) == len(set(names)), "a package is locked twice"
    return {_name(p.group(1)): p.group(2) for p in pins if p}


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503's normalised form


def test_every_pin_of_pyproject_is_locked_at_the_same_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + [
        s for extra in project["optional-dependencies"].values() for s in extra
    ]
    locked = _locked()
    for spec in specs:
        pin = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)", spec.replace(" ", ""))
        assert pin, f"{spec} is not pinned"
        assert locked.get(_name(pin.group(1))) == pin.group(2), spec
    assert _name(project["name"]) not in locked, "the project itself is locked"
    # Indirect dependencies too: far more than the direct ones.
    assert len(locked) > 3 * len(specs)


def test_make_install_installs_with_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^LOCK := constraints\.txt$", makefile, re.M)
    installs = re.findall(r"^\t.*pip install .*-e '\.\[.*$", makefile, re.M)
    assert installs and any("-c $(LOCK)" in line for line in installs), installs
