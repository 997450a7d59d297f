"""Segments and campaigns, for the back office screens.

What the segments and campaigns screens need from the shop, as a Protocol
(``backend.campaigns``, implemented by ``app/desktop/campaigns.py``). Every method touches
the database, so the screens call them only through :mod:`ui.tasks`: the reads (segments,
campaigns, results, the audience preview) on ``Lane.POOL``, the writes (recompute, compose,
send) on ``Lane.WRITER``.

What crosses are the services' frozen values (``services.segments``,
``services.campaigns``, ``services.campaign_audience``, ``services.campaign_results``); only
:class:`CampaignForm` is the screen's own. Rights are decided by the services; refusals
arrive as ``services.errors`` exceptions naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from services.campaign_audience import AudienceCount
    from services.campaign_results import CampaignResults
    from services.campaigns import CampaignView, SendResult
    from services.segments import SegmentRun, SegmentTable


@dataclass(frozen=True, slots=True)
class CampaignForm:
    """A campaign as the compose form has it (the service checks every field)."""

    name: str
    channel: str
    text: str
    audience: dict[str, Any] = field(default_factory=dict)
    cost: int = 0
    scheduled_at: str | None = None  # UTC ISO; None: a draft to send by hand
    holdout_share: str = "0.10"


class CampaignsBackend(Protocol):
    def segments(self) -> SegmentTable:
        """The segment table (supervisor and owner)."""
        ...

    def recompute_segments(self) -> SegmentRun:
        """Run the nightly segment job now."""
        ...

    def campaigns(self) -> tuple[CampaignView, ...]:
        """The campaigns, newest first (supervisor and owner)."""
        ...

    def preview(self, form: CampaignForm) -> AudienceCount:
        """Who a campaign being composed would reach now (owner)."""
        ...

    def create(self, form: CampaignForm) -> CampaignView:
        """Compose it: a draft, or scheduled (owner)."""
        ...

    def send(self, campaign_id: str) -> SendResult:
        """Send it now (owner); the holdout is never sent."""
        ...

    def results(self, campaign_id: str) -> CampaignResults:
        """Lift, incremental gross profit and ROI, beside the attributed revenue."""
        ...


__all__ = ["CampaignForm", "CampaignsBackend"]
