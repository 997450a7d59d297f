"""Errors a use case reports to the person at the till.

Two kinds are kept apart (ARCHITECTURE.md, Errors): these are *expected* outcomes of bad
input or missing rights, raised inside a unit of work so that it rolls back and nothing is
written. Anything else that escapes a use case is a bug and goes to the log with a traceback.
"""

from __future__ import annotations


class ShopError(Exception):
    """Base of every expected, user-facing refusal."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str]:
        out = {"error": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class BadInput(ShopError):
    """The input is malformed or out of range; `field` names the culprit."""

    code = "bad_input"


class NotFound(ShopError):
    code = "not_found"


class Refused(ShopError):
    """A rule of the shop says no: missing permission, wrong PIN, locked user, limit."""

    code = "refused"


class Conflict(ShopError):
    """The request clashes with current state (shift already open, already refunded...)."""

    code = "conflict"
