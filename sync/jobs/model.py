"""What the dispatcher hands a provider handler, and what the handler hands back.

Provider failures are *values* (a JobOutcome), never exceptions: a handler turns a timeout,
a 5xx or a business refusal into an outcome, and the dispatcher stores it on the job row. An
exception escaping a handler is a bug (ARCHITECTURE.md, Errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from local_db.jobs import JobRow

OUTCOME_KINDS = ("succeeded", "retry", "unknown", "failed")


#: A job as its handler sees it: the row itself, its JSON columns parsed. What the next try
#: sees comes only from the stored outcome, so a handler has no reason to mutate it.
#: ``state`` is the state before this try: pending/failed when performing; unknown when
#: resolving, or in_flight when resolving the job of a worker that died holding it.
#: ``attempts`` counts tries so far, this one included. ``result`` is what an earlier answer
#: stored (e.g. the charge a payment still waiting for its customer belongs to).
Job = JobRow


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What came of one try.

    kind: "succeeded"; "retry" (not done, safe to try again later); "unknown" (perhaps done:
    the next try *resolves*, asking the provider); "failed" (permanent: the job goes dead at
    once with ``error`` as its reason). ``retry_after`` is the wait the provider asked for
    (see backoff.retry_after_seconds) and is a floor on the backoff. ``pending_again`` with
    "succeeded" means fine so far but not final (a payment still waiting for the customer):
    the job goes back to pending and is looked at again after ``next_check_seconds``.
    """

    kind: str
    result: Mapping[str, Any] | None = None
    error: str | None = None
    retry_after: float | None = None
    pending_again: bool = False
    next_check_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in OUTCOME_KINDS:
            raise ValueError(f"outcome kind must be one of {', '.join(OUTCOME_KINDS)}")
        if self.pending_again and self.kind != "succeeded":
            raise ValueError("pending_again goes with a 'succeeded' outcome only")

    @classmethod
    def succeeded(cls, result: Mapping[str, Any] | None = None) -> JobOutcome:
        return cls("succeeded", result=result)

    @classmethod
    def check_again(cls, seconds: float, result: Mapping[str, Any] | None = None
                    ) -> JobOutcome:
        return cls("succeeded", result=result, pending_again=True, next_check_seconds=seconds)

    @classmethod
    def retry(cls, error: str, *, retry_after: float | None = None,
              result: Mapping[str, Any] | None = None) -> JobOutcome:
        return cls("retry", result=result, error=error, retry_after=retry_after)

    @classmethod
    def unknown(cls, error: str, *, retry_after: float | None = None) -> JobOutcome:
        return cls("unknown", error=error, retry_after=retry_after)

    @classmethod
    def failed(cls, error: str, result: Mapping[str, Any] | None = None) -> JobOutcome:
        return cls("failed", result=result, error=error)


class JobHandler(Protocol):
    """One provider's way of doing one kind of job (keyed by (provider, kind))."""

    def perform(self, job: Job) -> JobOutcome:
        """Do the job (its state was pending or failed). Send the job's idempotency key."""
        ...

    def resolve(self, job: Job) -> JobOutcome:
        """The outcome of an earlier try is unknown (timeout after sending, a worker that
        died in flight): ASK the provider what happened, never blindly send again. If the
        provider never got it, resolve may perform it and return that outcome."""
        ...
