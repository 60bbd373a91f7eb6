"""The warehouse schema as typed SQLAlchemy 2.0 models; the migrations in ``warehouse/migrations`` create it.

``base`` defines the declarative base; every model module is imported here, so importing any model puts
all the tables on ``Base.metadata`` (which the migrations are checked against).
"""

from __future__ import annotations

from warehouse.schema.alerts import (
    Alert,
    AlertDelivery,
    AlertEvent,
    AlertIssue,
    AlertRun,
    Scorecard,
    TimeLimitClock,
)
from warehouse.schema.base import Base, JSONType, UtcDateTime, table_of
from warehouse.schema.cases import (
    CaseGroup,
    CaseHistory,
    CaseMember,
    ComplaintCase,
    HashKey,
    MatchKey,
    MatchModel,
    MatchPair,
    ReviewDecision,
    ViewColumnDoc,
)
from warehouse.schema.corrections import CaseCorrection, CaseLink
from warehouse.schema.events import RecordEvent
from warehouse.schema.match_runs import MatchRun, MatchRunMember, MatchRunPair, MatchRunRecord
from warehouse.schema.records import (
    Batch,
    BatchDecision,
    BatchGate,
    DqResult,
    HeldRecord,
    LandingRecord,
    QuarantineRecord,
    SourceFile,
    StagedRecord,
    ValidationRun,
)

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertEvent",
    "AlertIssue",
    "AlertRun",
    "Base",
    "Batch",
    "BatchDecision",
    "BatchGate",
    "CaseCorrection",
    "CaseGroup",
    "CaseHistory",
    "CaseLink",
    "CaseMember",
    "ComplaintCase",
    "DqResult",
    "HashKey",
    "HeldRecord",
    "JSONType",
    "LandingRecord",
    "MatchKey",
    "MatchModel",
    "MatchPair",
    "MatchRun",
    "MatchRunMember",
    "MatchRunPair",
    "MatchRunRecord",
    "QuarantineRecord",
    "RecordEvent",
    "ReviewDecision",
    "Scorecard",
    "SourceFile",
    "StagedRecord",
    "TimeLimitClock",
    "UtcDateTime",
    "ValidationRun",
    "ViewColumnDoc",
    "table_of",
]
