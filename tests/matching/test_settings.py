"""Settings as data: a bad file fails at load with a message naming the problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matching import load_settings
from matching.settings import dump_settings, settings_from_dict, settings_to_dict


def _mutated(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(settings_to_dict(load_settings()))
    change(data)
    return data


def _comparison(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in data["comparisons"] if c["name"] == name)


@pytest.mark.unit
def test_packaged_settings_load() -> None:
    settings = load_settings()
    assert [rule.name for rule in settings.blocking_rules][0] == "phone_norm"
    assert settings.review_threshold < settings.merge_threshold
    assert {c.part for c in settings.comparisons} == {"person", "dispute"}


@pytest.mark.unit
def test_a_citys_divisions_load_and_round_trip(tmp_path: Path) -> None:
    settings = settings_from_dict(_mutated(lambda d: d.update(divisions=["锦江区", "金堂县", "天府新区"])))
    assert settings.divisions == ("锦江区", "金堂县", "天府新区")
    dump_settings(settings, tmp_path / "s.yaml")
    assert load_settings(tmp_path / "s.yaml") == settings
    # Settings without a city of their own write no divisions: their digest (a fit's key) is unchanged.
    assert "divisions" not in settings_to_dict(load_settings())


@pytest.mark.unit
def test_round_trip_through_yaml(tmp_path: Path) -> None:
    settings = load_settings()
    dump_settings(settings, tmp_path / "s.yaml")
    assert load_settings(tmp_path / "s.yaml") == settings


@pytest.mark.unit
@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: _comparison(d, "name").update(comparison="soundex"),
            "unknown comparison",
            id="unknown comparison",
        ),
        pytest.param(
            lambda d: _comparison(d, "name").update(thresholds=[0.8, 0.95]),
            "descending",
            id="thresholds out of order",
        ),
        pytest.param(
            lambda d: d["thresholds"].update(merge=0.5, review=0.9), "review", id="review above merge"
        ),
        pytest.param(
            lambda d: d["blocking"]["rules"].append(["phone_nrom"]),
            "unknown column",
            id="unknown blocking column",
        ),
        pytest.param(
            lambda d: _comparison(d, "phone").update(column="mobile"),
            "unknown column",
            id="unknown comparison column",
        ),
        pytest.param(
            lambda d: d["blocking"]["rules"].append({"columns": ["name_fuzzy"], "within_days": 365}),
            "more than once",
            id="two blocking rules on one set of columns",
        ),
        pytest.param(lambda d: _comparison(d, "phone").update(m=[0.9, 0.1]), "m values", id="m per level"),
        pytest.param(
            lambda d: _comparison(d, "phone").update(u=[1.0, 0.0, 0.0, 0.0]),
            r"\(0, 1\)",
            id="u outside (0,1)",
        ),
        pytest.param(
            lambda d: _comparison(d, "category").pop("u_same_person"),
            "u_same_person",
            id="dispute comparison without u_same_person",
        ),
        pytest.param(
            lambda d: d["fields"].append({"column": "name", "standardiser": "soundex", "prefix": "x"}),
            "unknown standardiser",
            id="unknown standardiser",
        ),
        pytest.param(
            lambda d: d["training"].update(em_rules=[["name_norm"]]),
            "not one of the blocking rules",
            id="training rule not a blocking rule",
        ),
        pytest.param(lambda d: d.update(thresholdz={}), "unknown settings key", id="typo in a top-level key"),
        pytest.param(
            lambda d: d["blocking"]["rules"].append(
                {"columns": ["content_sum"], "within_days": 90, "beyond_days": 30}
            ),
            "beyond_days",
            id="beyond_days without nearest",
        ),
        pytest.param(
            lambda d: d["clustering"].update(guards=["same_cat"]), "unknown guard", id="unknown guard"
        ),
        pytest.param(
            lambda d: _comparison(d, "id").update(name="id_number"),
            "name_without_contact needs the comparisons",
            id="guard without the comparisons it reads",
        ),
        pytest.param(
            lambda d: d["proxy_reports"].update(filer_comparisons=["phone", "mobile"]),
            "unknown comparison",
            id="proxy reports name an unknown comparison",
        ),
        pytest.param(
            lambda d: d["proxy_reports"].update(flag="content_relative"),
            "not a column the fields write",
            id="proxy flag no field writes",
        ),
        pytest.param(
            lambda d: d["proxy_reports"].update(filers=["phone"]), "unknown key", id="typo in proxy_reports"
        ),
        pytest.param(
            lambda d: d["proxy_reports"].update(agent_flag="content_grid"),
            "agent_flag 'content_grid' is not a column",
            id="agent flag no field writes",
        ),
        pytest.param(
            lambda d: d["proxy_reports"].update(agent_comparisons=["landline"]),
            "unknown comparison",
            id="agent comparisons name an unknown comparison",
        ),
        pytest.param(
            lambda d: d.update(divisions=["锦江区", "锦江"]), "full names ending 区", id="a short division"
        ),
        pytest.param(
            lambda d: d["training"].update(fixed_u=["handles"]),
            "fixed_u must name comparisons",
            id="a fixed u of no comparison",
        ),
        pytest.param(
            lambda d: d["blocking"]["rules"].append(
                {"columns": ["phone_ends"], "within_days": 90, "anchor": "phone_hidden"}
            ),
            "unknown column",
            id="an anchor no field writes",
        ),  # fmt: skip
        pytest.param(
            lambda d: d["blocking"]["rules"].append({"columns": ["address_key"], "anchor": "phone_masked"}),
            "anchor must be a column name, on a rule with within_days",
            id="an anchor without a time window",
        ),
    ],
)
def test_invalid_settings_fail_at_load(change: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings_from_dict(_mutated(change))
