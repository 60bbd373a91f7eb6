"""How a large batch runs: the garbage collector and numpy's huge-page advice, paused and put back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from matching import _runtime


@pytest.mark.unit
@pytest.mark.parametrize(
    ("written", "choice"),
    [
        ("always defer defer+madvise [madvise] never\n", "madvise"),
        ("[always] madvise never\n", "always"),
        ("always madvise never\n", None),  # nothing chosen: an unknown layout
    ],
)
def test_a_sysfs_choice_is_the_bracketed_word(tmp_path: Path, written: str, choice: str | None) -> None:
    (tmp_path / "defrag").write_text(written, encoding="ascii")
    assert _runtime._selected(tmp_path / "defrag") == choice
    assert _runtime._selected(tmp_path / "missing") is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("enabled", "defrag", "environment", "stalls"),
    [
        ("always [madvise] never", "always defer defer+madvise [madvise] never", None, True),
        ("[always] madvise never", "always [defer] defer+madvise madvise never", None, False),
        ("always madvise [never]", "always defer defer+madvise [madvise] never", None, False),
        ("always [madvise] never", "always defer defer+madvise [madvise] never", "1", False),  # the user's
    ],
)
def test_huge_pages_are_left_out_only_where_the_kernel_compacts_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: str, defrag: str, environment: str | None,
    stalls: bool,
) -> None:  # fmt: skip
    (tmp_path / "enabled").write_text(enabled, encoding="ascii")
    (tmp_path / "defrag").write_text(defrag, encoding="ascii")
    monkeypatch.setattr(_runtime, "_THP", tmp_path)
    if environment is None:
        monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    else:
        monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", environment)
    _runtime._hugepages_stall.cache_clear()
    try:
        assert _runtime._hugepages_stall() is stalls
    finally:
        _runtime._hugepages_stall.cache_clear()


@pytest.mark.unit
def test_a_large_batch_puts_the_collector_and_the_advice_back(monkeypatch: pytest.MonkeyPatch) -> None:
    switch = _runtime._hugepage_switch()
    assert switch is not None  # numpy still has its switch: a release that drops it must be noticed
    monkeypatch.setattr(_runtime, "_hugepages_stall", lambda: True)
    before = switch(True)
    try:
        with pytest.raises(RuntimeError), _runtime.large_batch():
            assert not gc.isenabled()
            assert switch(False) is False  # the advice was off inside
            raise RuntimeError("a failing batch")
        assert gc.isenabled() and switch(True) is True  # both back after the error
    finally:
        switch(before)
