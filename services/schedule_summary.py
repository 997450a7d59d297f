"""The daily summary email: when, to whom, and exactly once per store, day and recipient.

Settings (the ``setting`` table; central's store settings come down to it):

- ``summary.time`` — closing time, ``HH:MM`` on the store's clock (``timezone``), default
  21:00. The summary of a day is due at that moment of that day.
- ``summary.recipients`` — email addresses, separated by commas; default: the owner's
  address (``messaging.owner_to``) when the owner's channel is email. None: nothing sent.
- ``summary.enabled`` — ``0`` turns it off.
- ``summary.misfire_hours`` — the misfire window N, default 6.
- ``summary.terminal`` — the store's designated summary till (its terminal id), optional.

**Misfire rule.** Whenever the scheduler runs the summary (at closing time, on every start
of the program or of ``warungin scheduler run``, and every few minutes while running), it
looks at each day whose closing time has passed, back to 7 days but never before the
scheduler first ran on this till (``schedule.since``): a summary not yet in the email log is
**sent if now is within N hours after its closing time**, else it is **logged as skipped**
("missed: ..."), never sent late. A PC switched off at 20:00 and on again at 23:30 sends
that day's summary at 23:30 (N = 6); switched on the next morning at 08:00 it logs the day
as skipped.

**Exactly one per store, day and recipient.**

- On this till: ``email_log`` is UNIQUE(kind, store, day, recipient) and its row is written
  in the transaction that queues the message (whose own dedupe key is UNIQUE too), so a
  re-run, a double start or a crash at any point never queues a second one.
- Across tills (a store with two tills running): before sending, a till **claims** (store,
  day, recipient) at central (``central.daily_summary_claim``, UNIQUE(tenant, store, day,
  recipient), migration c0009). The till whose claim is inserted sends; any other logs
  "skipped: sent by till <id>". A till that claimed but died before its local commit finds
  its own claim on the next run and sends.
- **Offline rule** (central unreachable):

  * if ``summary.terminal`` names a till, **only that till ever sends** (other tills do not
    send and log nothing); it claims at central when it can and sends without the claim
    when central is unreachable — so a store that often loses its line designates a till;
  * with no designated till, a till that cannot reach central **does not send**; it tries
    again on the next run (every few minutes) until the misfire window closes, then logs
    "skipped: central unreachable";
  * a till with no central at all (a single-till shop, not enrolled) sends (its local log
    is the whole truth).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, Protocol, TypeVar, cast

from sqlalchemy import Connection, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import EmailLog, Message
from local_db.store import read_settings, write_settings
from local_db.uow import UnitOfWork
from services.credentials import SecretStoreUnavailable
from services.crypto import FieldCipher
from services.daily_summary import build_summary, render_summary
from services.errors import BadInput
from services.formatting import zone
from services.messaging_queue import address_for, message_locale, queue_one
from services.messaging_rows import mask
from services.users import Actor, authorize

log = logging.getLogger("warungin.schedule")
T = TypeVar("T")

KIND = "daily_summary"
DEFAULT_TIME = "21:00"
DEFAULT_MISFIRE_HOURS = 6
LOOKBACK_DAYS = 7
SETTING_SINCE = "schedule.since"


class ClaimUnavailable(Exception):
    """Central cannot be reached (or answered with an error) for a claim."""


@dataclass(frozen=True, slots=True)
class Claim:
    won: bool
    holder: str  # the terminal holding the claim


class SummaryClaims(Protocol):
    """Claims at central (``sync.summary_claim.CentralClaims``)."""

    def claim(self, store_id: str, day: date, recipient_key: str) -> Claim: ...

    @property
    def terminal_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class SummarySettings:
    enabled: bool
    at: time
    zone_name: str
    recipients: tuple[str, ...]
    misfire: timedelta
    designated: str | None
    store_id: str
    terminal_id: str  # this till (its central id when enrolled)
    store_name: str
    lang: str


@dataclass(frozen=True, slots=True)
class Outcome:
    day: date
    recipient_hint: str
    status: str  # queued | skipped | failed | waiting | already | not_mine
    reason: str | None = None
    message_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


@dataclass(frozen=True, slots=True)
class LogRow:
    id: str
    kind: str
    day: str
    recipient_hint: str
    scheduled_for: str
    status: str  # queued | skipped | failed; a queued one shows its message's status
    message_status: str | None
    reason: str | None
    claimed_by: str | None
    created_at: str
    sent_at: str | None = None  # the provider accepted the message (UTC)

    @property
    def state(self) -> str:
        """What the owner is told: ``sent`` (the provider took it), ``queued`` (waiting
        for the network or the provider), ``skipped`` or ``failed`` (``reason`` says why;
        a message the provider refused is failed with the provider's error)."""
        if self.status in ("skipped", "failed"):
            return self.status
        if self.message_status in ("failed", "rejected"):
            return "failed"
        if self.sent_at is not None or self.message_status in ("sent", "delivered", "read"):
            return "sent"
        return "queued"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "state": self.state}


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """One of the scheduler's jobs (``app.scheduler``) as the screens and the CLI show it."""

    id: str  # daily-summary | summary-catch-up | stock-alerts | nightly | campaigns
    name: str
    trigger: str  # apscheduler's own description
    next_run_at: str | None  # UTC
    at: str | None = None  # a daily job's time, HH:MM on the store's clock
    every_minutes: int | None = None  # a repeating job's interval

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_time(text: str, *, field: str = "summary.time") -> time:
    try:
        h, m = (int(p) for p in text.strip().split(":"))
        return time(h, m)
    except (ValueError, TypeError):
        raise BadInput("a time is written HH:MM (e.g. 21:00)", field=field) from None


def read_summary_settings(conn: Connection) -> SummarySettings:
    s = read_settings(conn)
    raw = s.get("summary.recipients", "").strip()
    if not raw and s.get("messaging.owner_channel") == "email":
        raw = s.get("messaging.owner_to", "").strip()
    recipients = []
    for part in raw.split(","):
        if part.strip():
            recipients.append(address_for("email", part.strip(),
                                          field_name="summary.recipients"))
    try:
        hours = float(s.get("summary.misfire_hours", str(DEFAULT_MISFIRE_HOURS)))
    except ValueError:
        hours = DEFAULT_MISFIRE_HOURS
    return SummarySettings(
        enabled=s.get("summary.enabled", "1") != "0",
        at=parse_time(s.get("summary.time", DEFAULT_TIME)),
        zone_name=s.get("timezone") or "Asia/Jakarta",
        recipients=tuple(dict.fromkeys(recipients)),
        misfire=timedelta(hours=max(0.0, hours)),
        designated=s.get("summary.terminal") or None,
        store_id=s.get("central.store_id") or s.get("store_code", ""),
        terminal_id=s.get("central.terminal_id") or s.get("terminal_id", ""),
        store_name=s.get("store_name") or s.get("store_code", ""),
        lang=message_locale(s))


def recipient_key(store_id: str, address: str) -> str:
    """The recipient as the logs and the central claim name it: a hash, never the address
    (the same on every till of the store, which a per-till key would not be)."""
    return hashlib.sha256(f"{store_id}:{address.lower()}".encode()).hexdigest()[:40]


def scheduled_moment(day: date, at: time, zone_name: str) -> datetime:
    return datetime.combine(day, at, zone(zone_name)).astimezone(UTC)


def due_days(settings: SummarySettings, now: datetime, since: datetime | None) -> list[date]:
    """The days whose closing time has passed, newest last (see the misfire rule)."""
    local_today = now.astimezone(zone(settings.zone_name)).date()
    out = []
    for back in range(LOOKBACK_DAYS, -1, -1):
        d = local_today - timedelta(days=back)
        at = scheduled_moment(d, settings.at, settings.zone_name)
        if at > now or (since is not None and at < since):
            continue
        out.append(d)
    return out


def _logged(conn: Connection, store_id: str, day: date, key: str) -> str | None:
    return conn.execute(select(EmailLog.status).where(
        EmailLog.kind == KIND, EmailLog.store_id == store_id, EmailLog.day == day.isoformat(),
        EmailLog.recipient_key == key)).scalar()


def _write_log(conn: Connection, st: SummarySettings, day: date, key: str, address: str,
               status: str, reason: str | None, *, message_id: str | None = None,
               claimed_by: str | None = None, now: str) -> None:
    at = scheduled_moment(day, st.at, st.zone_name).isoformat()
    values = {"status": status, "reason": reason, "message_id": message_id,
              "claimed_by": claimed_by, "updated_at": now}
    existing = conn.execute(select(EmailLog.id, EmailLog.status).where(
        EmailLog.kind == KIND, EmailLog.store_id == st.store_id,
        EmailLog.day == day.isoformat(), EmailLog.recipient_key == key)).first()
    if existing is not None:  # only a failed attempt is ever written over
        conn.execute(update(EmailLog).where(EmailLog.id == existing[0],
                                            EmailLog.status == "failed").values(**values))
        return
    conn.execute(insert(EmailLog).values(
        id=uuid7(), kind=KIND, store_id=st.store_id, day=day.isoformat(), recipient_key=key,
        recipient_hint=mask("email", address), scheduled_for=at, created_at=now, **values))


def _queue(uow: UnitOfWork, cipher: FieldCipher, st: SummarySettings, day: date, key: str,
           address: str, claimed_by: str, now: str) -> Outcome:
    conn = uow.conn
    summary = build_summary(conn, day)
    rendered = render_summary(summary, st.store_name, st.lang)
    row = queue_one(conn, cipher, channel="email", purpose="alert", rendered=rendered,
                    address=address, dedupe_key=f"summary:{st.store_id}:{day}:{key}",
                    variables={"day": day.isoformat()}, now=now, ref_type="summary",
                    ref_id=f"{day.isoformat()}")
    _write_log(conn, st, day, key, address, "queued", None, message_id=row.id,
               claimed_by=claimed_by, now=now)
    uow.commit()
    return Outcome(day, mask("email", address), "queued", message_id=row.id)


def _skip(uow: UnitOfWork, st: SummarySettings, day: date, key: str, address: str,
          reason: str, now: str, claimed_by: str | None = None) -> Outcome:
    _write_log(uow.conn, st, day, key, address, "skipped", reason, claimed_by=claimed_by,
               now=now)
    uow.commit()
    log.info("daily summary of %s skipped: %s", day, reason)
    return Outcome(day, mask("email", address), "skipped", reason)


def _since(uow: UnitOfWork, now: datetime) -> datetime:
    raw = read_settings(uow.conn).get(SETTING_SINCE)
    if raw:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    write_settings(uow.conn, {SETTING_SINCE: now.isoformat()})
    uow.commit()
    return now


class _Once(Generic[T]):
    """A value made on first use and kept (the data key, central's claims)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: list[T] = []

    def get(self) -> T:
        if not self._made:
            self._made.append(self._make())
        return self._made[0]


def _once(cipher: FieldCipher | Callable[[], FieldCipher]) -> _Once[FieldCipher]:
    if isinstance(cipher, FieldCipher):
        given = cipher
        return _Once(lambda: given)
    return _Once(cipher)


def _claims_once(claims: SummaryClaims | None | Callable[[], SummaryClaims | None]
                 ) -> _Once[SummaryClaims | None]:
    if claims is None or hasattr(claims, "claim"):  # the port itself, or no central
        given = cast("SummaryClaims | None", claims)
        return _Once(lambda: given)
    return _Once(claims)


def run_due_summaries(open_uow: Callable[[], UnitOfWork],
                      cipher: FieldCipher | Callable[[], FieldCipher],
                      claims: SummaryClaims | None | Callable[[], SummaryClaims | None], *,
                      now: datetime | None = None) -> list[Outcome]:
    """Send (or log as skipped) every daily summary that is due, by the rules of the module
    doc. ``open_uow`` opens a write unit of work (``shop.uow``); each recipient and day is
    its own short transaction, and the claim at central happens outside any of them (no
    database lock held over the network). ``claims`` None: no central (single till).
    The scheduler's job; safe to call at any time and as often as wanted.

    ``cipher`` and ``claims`` may be given as functions that make them: they are then
    called only when a summary is about to be sent, outside any unit of work. The catch-up
    runs every few minutes with nothing due nearly always, and must not read the data key
    from the keyring (nor central's secrets) each time: a shop without a keyring would log
    an error every run. A key that cannot be read when a summary is due is logged as a
    failure of that summary (tried again on the next run, within the misfire window)."""
    now = now or datetime.fromisoformat(now_iso())
    stamp = now.astimezone(UTC).isoformat()
    with open_uow() as uow:
        st = read_summary_settings(uow.conn)
        since = _since(uow, now)
    if not st.enabled or not st.recipients:
        return []
    key_of = _once(cipher)
    claims_of = _claims_once(claims)
    mine = st.designated is None or st.designated == st.terminal_id
    if not mine:
        return [Outcome(d, "-", "not_mine", "another till is the designated summary till")
                for d in due_days(st, now, since)]
    out: list[Outcome] = []
    for day in due_days(st, now, since):
        late = now - scheduled_moment(day, st.at, st.zone_name)
        for address in st.recipients:
            key = recipient_key(st.store_id, address)
            with open_uow() as uow:
                if _logged(uow.conn, st.store_id, day, key) in ("queued", "skipped"):
                    continue
                if late > st.misfire:
                    hours = f"{st.misfire.total_seconds() / 3600:g}"
                    out.append(_skip(uow, st, day, key, address,
                                     f"missed: not sent within {hours} hours of the "
                                     "closing time (the till was off or could not send)",
                                     stamp))
                    continue
            try:  # before the claim: a till that cannot send must not hold one
                data_key = key_of.get()
            except SecretStoreUnavailable as exc:
                with open_uow() as uow:
                    _write_log(uow.conn, st, day, key, address, "failed",
                               f"the data key cannot be read: {exc}", now=stamp)
                    uow.commit()
                out.append(Outcome(day, mask("email", address), "failed",
                                   "the data key cannot be read"))
                continue
            holder = st.terminal_id
            central = claims_of.get()
            if central is not None:
                try:
                    claim = central.claim(st.store_id, day, key)
                except ClaimUnavailable as exc:
                    if st.designated is None:
                        out.append(Outcome(day, mask("email", address), "waiting",
                                           f"central unreachable ({exc}); trying again"))
                        continue
                    # The designated till sends without the claim (the offline rule).
                else:
                    holder = claim.holder
                    if not claim.won and claim.holder != central.terminal_id:
                        with open_uow() as uow:
                            out.append(_skip(uow, st, day, key, address,
                                             f"sent by till {claim.holder}", stamp,
                                             claimed_by=claim.holder))
                        continue
            with open_uow() as uow:
                try:
                    out.append(_queue(uow, data_key, st, day, key, address, holder,
                                      stamp))
                except BadInput as exc:
                    uow.conn.rollback()
                    _write_log(uow.conn, st, day, key, address, "failed", exc.message,
                               now=stamp)
                    uow.commit()
                    out.append(Outcome(day, mask("email", address), "failed", exc.message))
    # A day still waiting on central when its window closes is logged as skipped by the
    # misfire branch above on a later run.
    return out


@dataclass(frozen=True, slots=True)
class ScheduleOverview:
    """The daily summary's schedule and the email log, as the owner sees them."""

    settings: SummarySettings
    next_closing: str  # UTC
    log: tuple[LogRow, ...]


def next_closing(st: SummarySettings, now: datetime) -> datetime:
    """The first closing time (UTC) after ``now``."""
    day = now.astimezone(zone(st.zone_name)).date()
    for ahead in range(3):
        at = scheduled_moment(day + timedelta(days=ahead), st.at, st.zone_name)
        if at > now:
            return at
    raise AssertionError("a closing time comes every day")


def schedule_overview(uow: UnitOfWork, actor: Actor, *, now: datetime | None = None,
                      limit: int = 200) -> ScheduleOverview:
    """The schedule and the log (owner; reads only). Recipients in the log are masked."""
    authorize(uow, actor, "owner", "the scheduled emails")
    st = read_summary_settings(uow.conn)
    moment = now or datetime.fromisoformat(now_iso())
    return ScheduleOverview(st, next_closing(st, moment).isoformat(),
                            email_log(uow.conn, limit))


def email_log(conn: Connection, limit: int = 200) -> tuple[LogRow, ...]:
    """The scheduled emails' log, newest first; a queued one with its message's status."""
    rows = conn.execute(
        select(EmailLog.id, EmailLog.kind, EmailLog.day, EmailLog.recipient_hint,
               EmailLog.scheduled_for, EmailLog.status, Message.status, EmailLog.reason,
               EmailLog.claimed_by, EmailLog.created_at, Message.error, Message.sent_at)
        .outerjoin(Message, Message.id == EmailLog.message_id)
        .order_by(EmailLog.day.desc(), EmailLog.created_at.desc()).limit(limit))
    return tuple(LogRow(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]),
                        r[6], r[7] if r[7] is not None else r[10], r[8], str(r[9]), r[11])
                 for r in rows)


__all__ = ["Claim", "ClaimUnavailable", "DEFAULT_MISFIRE_HOURS", "KIND", "LogRow", "Outcome",
           "ScheduleOverview", "ScheduledJob", "SummaryClaims", "SummarySettings", "due_days",
           "email_log", "next_closing", "parse_time", "read_summary_settings",
           "recipient_key", "run_due_summaries", "schedule_overview", "scheduled_moment"]
