"""matching.training: the random pairs u is learnt from."""

from __future__ import annotations

import numpy as np
import pytest

from matching import standardise
from matching.settings import MatchSettings
from matching.training import RandomPairs

from .conftest import frame, record

pytestmark = pytest.mark.unit


def test_random_pairs_with_a_proxys_report_have_no_disagreement_on_the_filers_phone_and_home(
    settings: MatchSettings,
) -> None:
    # As on the candidate pairs: the son's phone and home on his mother's petition say nothing against
    # anyone else's, so u (two different people) does not count them as "they disagree" either.
    rows = [
        record(f"app:A{k}", reported_at="2026-03-01 10:00:00+08:00", name=f"李{k}娜", phone=f"1389310{k:04d}",
               address=f"{district}{road}{k}号", district=district, content="小区供暖温度不达标")
        for k, (district, road) in enumerate([("城关区", "永昌路"), ("西固区", "福利西路"), ("安宁区", "银滩路")] * 10)
    ]  # fmt: skip
    rows.append(
        record("petition:P1", reported_at="2026-03-02 10:00:00+08:00", name="刘建军", phone="17557098478",
               address="七里河区建西东路12号", district="七里河区",
               content="信访人系当事人王玉兰的儿子,代为来访。反映过渡费已停发多月。")
    )  # fmt: skip
    std = standardise(frame(rows), settings).sort_values("record_id").reset_index(drop=True)
    proxy = int(np.flatnonzero(std["record_id"] == "petition:P1")[0])
    sample = RandomPairs.draw(std, settings, [spec.name for spec in settings.comparisons])
    rng = np.random.default_rng(settings.training.seed)  # the draw's own pairs, as it drew them
    n, size = len(std), min(settings.training.u_sample_pairs, len(std) * (len(std) - 1) // 2)
    left = rng.integers(0, n, size)
    right = rng.integers(0, n - 1, size)
    right = right + (right >= left)
    with_proxy = (left == proxy) | (right == proxy)
    assert with_proxy.any() and (~with_proxy).any()
    for name in ("phone", "address", "district"):
        assert (sample.cheap[name][with_proxy] != 0).all()
        assert (sample.cheap[name][~with_proxy] == 0).any()  # between the others they still disagree
