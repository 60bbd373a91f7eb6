"""What a review or correction refuses: unknown things (``NotFound``) and input that cannot apply (``InvalidInput``)."""

from __future__ import annotations


class InvalidInput(ValueError):
    """The request cannot apply as given (a record not in the case, splitting every record, a bad verdict)."""


class NotFound(InvalidInput, LookupError):
    """No such case, record or review item."""
