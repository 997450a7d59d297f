"""Segments and campaigns for the screens (``ui.backend_campaigns.CampaignsBackend``).

Each method opens a unit of work and calls the use cases (``services.segments``,
``services.campaigns``, ``services.campaign_results``) as whoever is logged in; the services
decide who may.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from services.credentials import SecretStoreUnavailable
from ui.backend_campaigns import CampaignForm
from ui.backend_core import Unavailable

if TYPE_CHECKING:
    from local_db.uow import UnitOfWork
    from services.campaign_audience import AudienceCount
    from services.campaign_results import CampaignResults
    from services.campaigns import CampaignView, SendResult
    from services.crypto import FieldCipher
    from services.segments import SegmentRun, SegmentTable


class CampaignsAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    def _cipher(self) -> FieldCipher:
        from app.secrets import cipher_for
        try:  # before any unit of work: no nesting
            return cipher_for(self._ctx.shop)
        except SecretStoreUnavailable as exc:  # no keyring: say so, as the till does
            raise Unavailable(str(exc)) from exc

    @environment_faults
    def segments(self) -> SegmentTable:
        from services.segments import segment_table
        from ui.i18n import language
        actor = self._ctx.require_actor()
        lang = language() if language() in ("id", "en") else "id"
        return self._ctx.read(lambda uow: segment_table(uow, actor, lang=lang))

    @environment_faults
    def recompute_segments(self) -> SegmentRun:
        from services.segments import recompute_segments
        from services.users import authorize
        actor = self._ctx.require_actor()

        def run(uow: UnitOfWork) -> SegmentRun:
            authorize(uow, actor, "supervisor", "recomputing customer segments")
            return recompute_segments(uow, datetime.now(UTC))
        return self._ctx.write(run)

    @environment_faults
    def campaigns(self) -> tuple[CampaignView, ...]:
        from services.campaigns import list_campaigns
        actor = self._ctx.require_actor()
        return self._ctx.read(lambda uow: list_campaigns(uow, actor))

    @environment_faults
    def preview(self, form: CampaignForm) -> AudienceCount:
        from services.campaigns import preview_audience
        actor = self._ctx.require_actor()
        cipher = self._cipher()
        return self._ctx.read(lambda uow: preview_audience(
            uow, cipher, actor, channel=form.channel, audience=form.audience,
            holdout_share=Decimal(form.holdout_share)))

    @environment_faults
    def create(self, form: CampaignForm) -> CampaignView:
        from services.campaigns import create_campaign
        actor = self._ctx.require_actor()
        return self._ctx.write(lambda uow: create_campaign(
            uow, actor, name=form.name, channel=form.channel, text=form.text,
            audience=form.audience, cost=form.cost, scheduled_at=form.scheduled_at,
            holdout_share=Decimal(form.holdout_share)))

    @environment_faults
    def send(self, campaign_id: str) -> SendResult:
        from services.campaigns import send_campaign
        actor = self._ctx.require_actor()
        cipher = self._cipher()
        return self._ctx.write(lambda uow: send_campaign(uow, cipher, actor, campaign_id))

    @environment_faults
    def results(self, campaign_id: str) -> CampaignResults:
        from services.campaign_results import campaign_results
        actor = self._ctx.require_actor()
        return self._ctx.read(lambda uow: campaign_results(uow, actor, campaign_id))
