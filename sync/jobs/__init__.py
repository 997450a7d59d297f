"""Provider jobs: the dispatcher every payment, courier and messaging provider runs on."""

from sync.jobs.backoff import full_jitter, next_delay, retry_after_seconds
from sync.jobs.breaker import CircuitBreaker
from sync.jobs.dispatcher import ChannelFigures, Dispatcher, DispatchReport, ProviderReport
from sync.jobs.model import Job, JobHandler, JobOutcome

__all__ = ["ChannelFigures", "CircuitBreaker", "DispatchReport", "Dispatcher", "Job",
           "JobHandler", "JobOutcome", "ProviderReport", "full_jitter", "next_delay",
           "retry_after_seconds"]
