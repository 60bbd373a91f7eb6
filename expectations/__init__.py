"""Data quality for the hub: custom Great Expectations expectations, suites per source, and validation.

Importing this package imports Great Expectations (about 5 s); DAG files import it inside tasks only.
"""

from __future__ import annotations

from expectations.custom import (
    ExpectColumnValuesToBeCleanText,
    ExpectColumnValuesToBeSaneReportTime,
    ExpectColumnValuesToBeValidPhone,
    ExpectColumnValuesToBeValidResidentId,
    ExpectPhoneOrIdNumber,
    ExpectValidCategory,
    ExpectValidDistrict,
)
from expectations.gates import GateLimits, GateResult
from expectations.suites import (
    RAW_SCHEMAS,
    SUITES,
    WINDOW_END_PARAMETER,
    RawSchema,
    SourceSuite,
    build_suite_for,
)
from expectations.validate import ExpectationOutcome, ValidationOutcome, validate_records

__all__ = [
    "RAW_SCHEMAS",
    "SUITES",
    "WINDOW_END_PARAMETER",
    "ExpectColumnValuesToBeCleanText",
    "ExpectColumnValuesToBeSaneReportTime",
    "ExpectColumnValuesToBeValidPhone",
    "ExpectColumnValuesToBeValidResidentId",
    "ExpectPhoneOrIdNumber",
    "ExpectValidCategory",
    "ExpectValidDistrict",
    "ExpectationOutcome",
    "GateLimits",
    "GateResult",
    "RawSchema",
    "SourceSuite",
    "ValidationOutcome",
    "build_suite_for",
    "validate_records",
]
