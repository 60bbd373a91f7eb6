"""Supervised m from reviewers' verdicts: learnt where enough same labels, shrunk towards the packaged m."""

from __future__ import annotations

import numpy as np
import pytest

from matching import load_settings
from matching.scoring import ModelParameters
from matching.supervision import parameters_from_dict, parameters_to_dict, supervised_parameters

pytestmark = pytest.mark.unit


def test_same_labels_move_m_towards_their_levels_and_few_labels_keep_the_packaged_m() -> None:
    settings = load_settings()
    packaged = ModelParameters.from_settings(settings)
    name = settings.comparisons[0].name
    top = len(packaged.m[name]) - 1  # the closest level's gamma
    labels = [{"decision": "same", "levels": {name: top}} for _ in range(50)]
    labels += [{"decision": "different", "levels": {name: 0}} for _ in range(500)]
    learnt, stats = supervised_parameters(settings, labels, prior_pairs=50.0)
    assert stats["learnt"] == [name] and stats["labels_same"] == 50 and stats["labels_different"] == 500
    expected = (np.eye(len(packaged.m[name]))[0] * 50 + 50 * packaged.m[name]) / 100
    assert learnt.m[name] == pytest.approx(expected)
    assert learnt.m[name].sum() == pytest.approx(1.0)
    others = [c.name for c in settings.comparisons if c.name != name]
    assert all((learnt.m[o] == packaged.m[o]).all() for o in others) and set(stats["unreliable"]) == set(
        others
    )
    assert (learnt.u[name] == packaged.u[name]).all()  # u is not the labels' to teach

    few, stats = supervised_parameters(settings, labels[:5])
    assert stats["learnt"] == [] and parameters_to_dict(few) == parameters_to_dict(packaged)


def test_parameters_round_trip_through_json() -> None:
    packaged = ModelParameters.from_settings(load_settings())
    assert parameters_to_dict(parameters_from_dict(parameters_to_dict(packaged))) == parameters_to_dict(
        packaged
    )
