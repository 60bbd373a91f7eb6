"""The hub's custom Great Expectations expectations; importing this package registers them with GX."""

from __future__ import annotations

from expectations.custom.clean_text import ExpectColumnValuesToBeCleanText, is_clean_text
from expectations.custom.contact import ExpectPhoneOrIdNumber
from expectations.custom.events import ExpectValidHandlingEvents, event_problems
from expectations.custom.phone import ExpectColumnValuesToBeValidPhone, is_valid_phone, normalize_phone
from expectations.custom.report_time import ExpectColumnValuesToBeSaneReportTime
from expectations.custom.resident_id import (
    ExpectColumnValuesToBeValidResidentId,
    is_valid_resident_id,
    normalize_resident_id,
    resident_id_check_char,
)
from expectations.custom.taxonomy import ExpectValidCategory, ExpectValidDistrict

__all__ = [
    "ExpectColumnValuesToBeCleanText",
    "ExpectColumnValuesToBeSaneReportTime",
    "ExpectColumnValuesToBeValidPhone",
    "ExpectColumnValuesToBeValidResidentId",
    "ExpectPhoneOrIdNumber",
    "ExpectValidCategory",
    "ExpectValidDistrict",
    "ExpectValidHandlingEvents",
    "event_problems",
    "is_clean_text",
    "is_valid_phone",
    "is_valid_resident_id",
    "normalize_phone",
    "normalize_resident_id",
    "resident_id_check_char",
]
