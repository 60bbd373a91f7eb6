"""Row-level rule that a complainant can be reached or identified: a phone or an identity number."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from great_expectations.execution_engine import PandasExecutionEngine, SqlAlchemyExecutionEngine
from great_expectations.expectations.expectation import ColumnPairMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)


class ColumnPairValuesAnyPresent(ColumnPairMapMetricProvider):
    """Row-wise metric behind :class:`ExpectPhoneOrIdNumber`: at least one of the two values is present."""

    condition_metric_name = "column_pair_values.any_present"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_A",
        "column_B",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ()

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A: pd.Series, column_B: pd.Series, **kwargs: Any) -> pd.Series:  # noqa: N803
        return column_A.notna() | column_B.notna()

    @column_pair_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column_A: Any, column_B: Any, **kwargs: Any) -> Any:  # noqa: N803
        return sa.or_(column_A.is_not(None), column_B.is_not(None))


class ExpectPhoneOrIdNumber(ColumnPairMapExpectation):
    """Expect every row to carry a phone or an identity number (or both).

    A record with neither can be neither contacted within the time limit nor matched to the same
    complainant's other reports. Rows are never skipped for missing values (``ignore_row_if="neither"``):
    missing values are exactly what this checks.

    Args:
        column_A: the phone column.
        column_B: the identity-number column.
    """

    column_A: str = "phone"
    column_B: str = "id_number"
    ignore_row_if: Literal["neither"] = "neither"
    description: str | None = "Complainant has a phone or an identity number"

    map_metric = "column_pair_values.any_present"
    domain_keys = ("batch_id", "column_A", "column_B", "row_condition", "condition_parser", "ignore_row_if")  # type: ignore[assignment]  # GX's own tuple type is one key short
    success_keys = ("mostly",)
    args_keys = ("column_A", "column_B")
