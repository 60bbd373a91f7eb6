"""Set-membership expectations for the hub's reference data: Lanzhou's divisions and the unified categories."""

from __future__ import annotations

from great_expectations.expectations.core.expect_column_values_to_be_in_set import ExpectColumnValuesToBeInSet
from great_expectations.expectations.model_field_types import ValueSetField

from connectors.taxonomy import CATEGORIES, DISTRICT_NAMES


class ExpectValidDistrict(ExpectColumnValuesToBeInSet):
    """Expect each non-null ``district`` to be the full name of one of Lanzhou's divisions (incl. 兰州新区)."""

    column: str = "district"
    value_set: ValueSetField = list(DISTRICT_NAMES)
    description: str | None = "District is one of Lanzhou's divisions (connectors/config/taxonomy.yaml)"


class ExpectValidCategory(ExpectColumnValuesToBeInSet):
    """Expect each non-null ``category`` to be one of the unified dispute categories."""

    column: str = "category"
    value_set: ValueSetField = list(CATEGORIES)
    description: str | None = (
        "Category is one of the unified dispute categories (connectors/config/taxonomy.yaml)"
    )
