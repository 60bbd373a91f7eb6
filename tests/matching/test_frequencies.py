"""The values the matcher weighs by how common they are: the keys the pool stores for them, and the
counts a pass takes from the pool and its batch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from matching import blocking_keys, standardise
from matching.frequencies import frequency_columns, frequency_keys, pool_keys, value_totals

from .conftest import frame, record


@pytest.mark.unit
def test_the_frequency_columns_are_the_names_the_phones_and_the_three_agreeing_address_levels(
    settings: Any,
) -> None:
    assert frequency_columns(settings) == (
        "name_norm", "phone_norm", "address_norm", "address_key", "address_place"
    )  # fmt: skip


@pytest.mark.unit
def test_frequency_keys_hold_each_records_standardised_values_and_none_for_a_null(settings: Any) -> None:
    rows = frame([
        record("app:1", name="张 伟", address="城关区静宁路309号天远名邸三期项目"),
        record("app:2", name=None, address=None),
    ])  # fmt: skip
    keys = frequency_keys(rows, settings)
    std = standardise(rows, settings)
    expected = {
        (f"frequency:{c}", std.loc[0, c]) for c in frequency_columns(settings) if pd.notna(std.loc[0, c])
    }
    assert set(zip(keys["rule"], keys["key"], strict=True)) == expected
    assert ("frequency:name_norm", "张伟") in expected
    assert set(keys["record_id"]) == {"app:1"}
    # The pool stores them beside the blocking keys, under rules no blocking rule is named.
    stored = pool_keys(rows, settings)
    assert len(stored) == len(blocking_keys(rows, settings)) + len(keys)
    assert not {r.name for r in settings.blocking_rules} & set(keys["rule"])


@pytest.mark.unit
def test_value_totals_add_the_new_records_to_the_pools_counts() -> None:
    std = pd.DataFrame({"address_key": ["静宁路309号", "静宁路309号", "西津西路16号", None]})
    is_new = np.array([True, False, True, True])
    totals = value_totals(std, is_new, {"address_key": {"静宁路309号": 12}, "name_norm": {"张伟": 3}})
    # The fetched record is in the pool's 12 already; the name column is not in these records.
    assert totals == {"address_key": {"静宁路309号": 13, "西津西路16号": 1}}
    # Records pooled before the pool kept frequency keys count where the pass fetched them.
    fetched = pd.DataFrame({"address_key": ["静宁路309号"] * 3 + ["西津西路16号"]})
    totals = value_totals(fetched, np.array([True, False, False, False]), {"address_key": {}})
    assert totals == {"address_key": {"静宁路309号": 3, "西津西路16号": 1}}
