"""Every change of the SMS credit balances happens here, and only here.

Each change runs in one transaction: lock the credit account row (``select_for_update``),
roll the monthly allowance over if a new month has begun, check, write one ledger row per
bucket touched, save the account. The balances therefore always equal the ledger's sums, and
concurrent workers charging at once can never take the balance below zero.

Interface used by the notifications app::

    charge_sms(*, segments, notification_id, reason="") -> LedgerEntry
    refund_sms(*, notification_id, reason) -> list[LedgerEntry]
    balance() -> Balance
    MAX_SMS_SEGMENTS, InsufficientCredits, MessageTooLong
"""
from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CreditAccount, LedgerEntry, ServiceTier, WarningLevel
from .sms import MAX_SMS_SEGMENTS, WARN_SMS_SEGMENTS

__all__ = [
    "MAX_SMS_SEGMENTS", "WARN_SMS_SEGMENTS", "Balance", "BillingError", "InsufficientCredits", "MessageTooLong",
    "adjust", "balance", "change_tier", "charge_sms", "ensure_account", "grant_monthly_allowance", "next_grant_date",
    "refund_sms", "set_up", "top_up",
]

logger = logging.getLogger(__name__)

ACCOUNT_PK = 1
# Seeded by migration 0002; re-created by `set_up` only on a database that has no tier at all.
DEFAULT_TIERS = [("Start", 100), ("Pro", 1000), ("Business", 10000)]

Kind = LedgerEntry.Kind
Bucket = LedgerEntry.Bucket
_SEVERITY = {WarningLevel.OK: 0, WarningLevel.LOW: 1, WarningLevel.EMPTY: 2}


class BillingError(Exception):
    """Base class of the errors this module raises on purpose."""


class InsufficientCredits(BillingError):
    """The balance cannot pay for the SMS: nothing was debited. ``str()`` is "no SMS credits"."""

    def __init__(self, *, needed: int, available: int):
        self.needed = needed
        self.available = available
        self.message = gettext_lazy("no SMS credits")
        super().__init__("no SMS credits")


class MessageTooLong(BillingError):
    """The SMS has more segments than ``MAX_SMS_SEGMENTS``: refused, nothing charged."""

    def __init__(self, *, segments: int, limit: int = MAX_SMS_SEGMENTS):
        self.segments = segments
        self.limit = limit
        super().__init__(f"message too long: {segments} SMS segments, the limit is {limit}")


@dataclass(frozen=True)
class Balance:
    monthly_remaining: int
    purchased: int
    total: int
    tier: ServiceTier
    pending_tier: ServiceTier | None
    monthly_allowance: int
    period: date | None  # the month the monthly allowance belongs to (its first day)
    sent_this_month: int  # SMS paid this calendar month and not refunded
    credits_used_this_month: int  # their segments
    warning: str  # WarningLevel: "ok", "low" (below the threshold) or "empty"
    warning_threshold: int  # credits; "low" below this


# --- reading -------------------------------------------------------------------------------

def month_start(day: date) -> date:
    return day.replace(day=1)


def next_grant_date(today: date | None = None) -> date:
    """The first day of next month: when the next allowance (and a pending tier) starts."""
    today = today or timezone.localdate()
    if today.month == 12:
        return date(today.year + 1, 1, 1)
    return date(today.year, today.month + 1, 1)


def warning_threshold(allowance: int) -> int:
    """Credits below which the balance is "running low" (SMS_CREDIT_WARNING_RATIO of the allowance)."""
    return math.ceil(settings.SMS_CREDIT_WARNING_RATIO * allowance)


def warning_level(*, total: int, allowance: int) -> str:
    if total <= 0:
        return WarningLevel.EMPTY
    if total < warning_threshold(allowance):
        return WarningLevel.LOW
    return WarningLevel.OK


def ensure_account() -> CreditAccount:
    """The store's credit account, created on the smallest tier if it does not exist yet."""
    account = CreditAccount.objects.select_related("tier", "pending_tier").filter(pk=ACCOUNT_PK).first()
    if account is not None:
        return account
    if not ServiceTier.objects.exists():
        ServiceTier.objects.bulk_create(
            [ServiceTier(name=name, monthly_allowance=allowance) for name, allowance in DEFAULT_TIERS],
            ignore_conflicts=True,
        )
    tier = ServiceTier.objects.order_by("monthly_allowance", "pk").first()
    account, _created = CreditAccount.objects.get_or_create(pk=ACCOUNT_PK, defaults={"tier": tier})
    return account


def balance() -> Balance:
    """The balances, the tier and this month's use, for the admin widget and other apps."""
    account = ensure_account()
    start = timezone.make_aware(datetime.combine(month_start(timezone.localdate()), time.min))
    used = LedgerEntry.objects.filter(kind=Kind.CHARGE, created_at__gte=start, refund__isnull=True).aggregate(
        messages=Count("notification_id", distinct=True), credits=Sum("amount")
    )
    allowance = account.tier.monthly_allowance
    return Balance(
        monthly_remaining=account.monthly_remaining,
        purchased=account.purchased,
        total=account.total,
        tier=account.tier,
        pending_tier=account.pending_tier,
        monthly_allowance=allowance,
        period=account.period,
        sent_this_month=used["messages"] or 0,
        credits_used_this_month=-(used["credits"] or 0),
        warning=warning_level(total=account.total, allowance=allowance),
        warning_threshold=warning_threshold(allowance),
    )


# --- internals ------------------------------------------------------------------------------

def _lock_account() -> CreditAccount:
    try:
        return CreditAccount.objects.select_for_update().get(pk=ACCOUNT_PK)
    except CreditAccount.DoesNotExist:
        ensure_account()
        return CreditAccount.objects.select_for_update().get(pk=ACCOUNT_PK)


def _save(account: CreditAccount) -> None:
    account.save(update_fields=[
        "tier", "pending_tier", "pending_tier_requested_by", "pending_tier_requested_at",
        "period", "monthly_remaining", "purchased", "warning_level", "updated_at",
    ])


def _month_label(period: date) -> str:
    return formats.date_format(period, "YEAR_MONTH_FORMAT")


def _post(account: CreditAccount, *, kind: str, bucket: str, amount: int, operation: uuid.UUID,
          period: date | None = None, **fields) -> LedgerEntry:
    """Apply ``amount`` to a bucket of the (locked) account and append its ledger row."""
    field = "monthly_remaining" if bucket == Bucket.MONTHLY else "purchased"
    after = getattr(account, field) + amount
    if after < 0:  # callers check first; this is the last line of defence
        raise InsufficientCredits(needed=-amount, available=getattr(account, field))
    setattr(account, field, after)
    return LedgerEntry.objects.create(
        kind=kind, bucket=bucket, amount=amount, balance_after=after,
        period=period or account.period, operation=operation, **fields,
    )


def _roll_over(account: CreditAccount, period: date) -> list[LedgerEntry]:
    """Expire last month's unused allowance and grant ``period``'s, once per month."""
    if account.period is not None and account.period >= period:
        return []
    operation = uuid.uuid4()
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        if account.monthly_remaining:
            entries.append(_post(
                account, kind=Kind.EXPIRY, bucket=Bucket.MONTHLY, amount=-account.monthly_remaining,
                operation=operation, period=account.period,
                reason=_("Unused allowance of %(month)s") % {"month": _month_label(account.period)},
            ))
        if account.pending_tier_id:
            account.tier = account.pending_tier
            account.pending_tier = None
            account.pending_tier_requested_by = None
            account.pending_tier_requested_at = None
        account.period = period
        entries.append(_post(
            account, kind=Kind.GRANT, bucket=Bucket.MONTHLY, amount=account.tier.monthly_allowance,
            operation=operation,
            reason=_("%(tier)s tier allowance for %(month)s") % {
                "tier": account.tier.name, "month": _month_label(period),
            },
        ))
    _note_warning(account, may_reset=True)
    _save(account)
    return entries


def _roll_over_if_due(account: CreditAccount) -> list[LedgerEntry]:
    """A charge or top-up on the 1st before the scheduled grant ran still sees the new month."""
    return _roll_over(account, month_start(timezone.localdate()))


def _note_warning(account: CreditAccount, *, may_reset: bool) -> None:
    """Record a threshold crossing and email the store once for it, after the commit.

    Only a grant, a top-up or a positive adjustment resets the record (so a refund that lifts
    the balance by one credit does not let the next charge email again).
    """
    allowance = account.tier.monthly_allowance
    new = warning_level(total=account.total, allowance=allowance)
    old = account.warning_level
    if _SEVERITY[new] > _SEVERITY[old]:
        account.warning_level = new
        transaction.on_commit(partial(
            send_warning_email, level=new, monthly_remaining=account.monthly_remaining,
            purchased=account.purchased, allowance=allowance,
        ))
    elif _SEVERITY[new] < _SEVERITY[old] and may_reset:
        account.warning_level = new


def send_warning_email(*, level: str, monthly_remaining: int, purchased: int, allowance: int) -> None:
    """One email to the store's address about a crossed threshold (runs after the commit)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "store": settings.STORE_NAME,
            "monthly": monthly_remaining,
            "purchased": purchased,
            "total": monthly_remaining + purchased,
            "allowance": allowance,
            "percent": round(settings.SMS_CREDIT_WARNING_RATIO * 100),
        }
        if level == WarningLevel.EMPTY:
            subject = _("[%(store)s] SMS credits used up") % context
            intro = _(
                "Your store has no SMS credits left. SMS notifications are not being sent until you "
                "top up credits or the next monthly allowance is granted; customers are notified by "
                "their other channels."
            )
        else:
            subject = _("[%(store)s] SMS credits running low") % context
            intro = _(
                "Your store's SMS credits fell below %(percent)s%% of the monthly allowance "
                "(%(allowance)s SMS)."
            ) % context
        lines = [
            intro,
            "",
            _("Monthly allowance remaining: %(monthly)s") % context,
            _("Purchased credits: %(purchased)s") % context,
            _("Total: %(total)s") % context,
        ]
        try:
            lines += ["", _("Top up credits: %(url)s") % {
                "url": settings.SITE_URL + reverse("admin:billing_ledgerentry_top_up"),
            }]
        except NoReverseMatch:
            pass
        lines += ["", _("Purchased credits never expire; the monthly allowance is not carried over.")]
    try:
        send_mail(subject, "\n".join(str(line) for line in lines), None, [settings.STORE_EMAIL])
    except Exception:  # the crossing is recorded; a mail server outage must not undo a charge
        logger.exception("Could not send the SMS credit warning email to %s", settings.STORE_EMAIL)


def _outstanding_charge(notification_id: int) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(kind=Kind.CHARGE, notification_id=notification_id, refund__isnull=True)
        .order_by("id")
    )


def _check_count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    return value


# --- SMS charging (called by the notifications app) -----------------------------------------

@transaction.atomic
def _charge(*, segments: int, notification_id: int, reason: str) -> LedgerEntry | InsufficientCredits:
    account = _lock_account()
    _roll_over_if_due(account)
    existing = _outstanding_charge(notification_id)
    if existing:
        return existing[0]
    if account.total < segments:
        return InsufficientCredits(needed=segments, available=account.total)
    operation = uuid.uuid4()
    from_monthly = min(account.monthly_remaining, segments)
    entries = []
    for bucket, amount in ((Bucket.MONTHLY, from_monthly), (Bucket.PURCHASED, segments - from_monthly)):
        if amount:
            entries.append(_post(
                account, kind=Kind.CHARGE, bucket=bucket, amount=-amount, operation=operation,
                notification_id=notification_id, reason=reason,
            ))
    _note_warning(account, may_reset=False)
    _save(account)
    return entries[0]


def charge_sms(*, segments: int, notification_id: int, reason: str = "") -> LedgerEntry:
    """Pay ``segments`` credits for one SMS: the monthly allowance first, then purchased credits.

    Atomic and safe under concurrency: the account row is locked for the whole check-and-debit.
    A charge that spans both buckets writes two ledger rows sharing ``operation``; the first
    (monthly) one is returned. Idempotent per notification: while ``notification_id`` has a
    charge that was not refunded, that charge is returned and nothing more is debited.

    Raises ``MessageTooLong`` above ``MAX_SMS_SEGMENTS`` and ``InsufficientCredits`` when the
    total balance cannot pay (nothing is debited; the balance never goes negative).
    ``segments`` must be at least 1 (an empty SMS is never sent).
    """
    segments = _check_count(segments, "segments")
    if segments < 1:
        raise ValueError("an SMS costs at least one segment; an empty SMS is never sent")
    if segments > MAX_SMS_SEGMENTS:
        raise MessageTooLong(segments=segments)
    notification_id = _check_count(notification_id, "notification_id")
    # Returned rather than raised inside the transaction, so a monthly roll-over done on the
    # way is kept even when the SMS cannot be paid.
    result = _charge(segments=segments, notification_id=notification_id, reason=reason[:255])
    if isinstance(result, InsufficientCredits):
        raise result
    return result


@transaction.atomic
def refund_sms(*, notification_id: int, reason: str) -> list[LedgerEntry]:
    """Give back the notification's outstanding charge, once; [] when there is none.

    Credits go back to the bucket they came from. A charge from a monthly allowance that has
    since been rolled over (a send that failed across midnight on the 1st) is refunded as
    purchased credits: the store paid for that SMS and did not get it, and the old month's
    allowance no longer exists. A later resend of the same notification is charged again.
    """
    notification_id = _check_count(notification_id, "notification_id")
    account = _lock_account()
    _roll_over_if_due(account)
    charges = _outstanding_charge(notification_id)
    if not charges:
        return []
    operation = uuid.uuid4()
    refunds = []
    for charge in charges:
        bucket = charge.bucket
        if bucket == Bucket.MONTHLY and charge.period != account.period:
            bucket = Bucket.PURCHASED
        refunds.append(_post(
            account, kind=Kind.REFUND, bucket=bucket, amount=-charge.amount, operation=operation,
            notification_id=notification_id, refund_of=charge, reason=reason[:255],
        ))
    _note_warning(account, may_reset=False)
    _save(account)
    return refunds


# --- the monthly allowance ------------------------------------------------------------------

@transaction.atomic
def grant_monthly_allowance(*, today: date | None = None) -> list[LedgerEntry]:
    """Start the month of ``today`` (default: today, in the store's time zone).

    Expires what is left of the previous month's allowance, applies a pending tier change and
    grants the tier's allowance. Running it again in the same month does nothing and returns [];
    a unique constraint on the grant's month backs that up.
    """
    account = _lock_account()
    return _roll_over(account, month_start(today or timezone.localdate()))


@transaction.atomic
def set_up() -> list[LedgerEntry]:
    """Create the account if needed and grant this month's allowance (run after `migrate`)."""
    ensure_account()
    return grant_monthly_allowance()


@transaction.atomic
def change_tier(*, tier: ServiceTier, by) -> CreditAccount:
    """Move the store to ``tier`` from the next monthly grant on.

    Choosing the current tier cancels a pending change. The balances do not change now.
    """
    if by is not None and not by.has_perm("billing.change_service_tier"):
        raise PermissionDenied
    account = _lock_account()
    if tier.pk == account.tier_id:
        account.pending_tier = None
        account.pending_tier_requested_by = None
        account.pending_tier_requested_at = None
    else:
        account.pending_tier = tier
        account.pending_tier_requested_by = by
        account.pending_tier_requested_at = timezone.now()
    _save(account)
    return account


# --- purchased credits and corrections ------------------------------------------------------

@transaction.atomic
def top_up(*, amount: int, by, reference: str, reason: str = "",
           idempotency_key: uuid.UUID | None = None) -> tuple[LedgerEntry, bool]:
    """Add purchased credits (they never expire). Returns ``(entry, applied)``.

    With an ``idempotency_key`` (the top-up form's one-time token), a second call with the same
    key applies nothing and returns the first entry with ``applied=False``.
    """
    amount = _check_count(amount, "amount")
    if amount < 1:
        raise ValueError("a top-up adds at least one credit")
    if by is not None and not by.has_perm("billing.top_up_credits"):
        raise PermissionDenied
    account = _lock_account()
    _roll_over_if_due(account)
    if idempotency_key is not None:
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    entry = _post(
        account, kind=Kind.TOP_UP, bucket=Bucket.PURCHASED, amount=amount, operation=uuid.uuid4(),
        created_by=by, reference=reference.strip()[:100], reason=reason.strip()[:255],
        idempotency_key=idempotency_key,
    )
    _note_warning(account, may_reset=True)
    _save(account)
    return entry, True


@transaction.atomic
def adjust(*, bucket: str, amount: int, by, reason: str,
           idempotency_key: uuid.UUID | None = None) -> tuple[LedgerEntry, bool]:
    """A manual correction of one bucket (positive or negative), with its reason; superusers only.

    Returns ``(entry, applied)`` like ``top_up``. Raises ``InsufficientCredits`` when it would
    take the bucket below zero.
    """
    amount = _check_count(amount, "amount")
    if amount == 0:
        raise ValueError("an adjustment changes the balance")
    if bucket not in Bucket.values:
        raise ValueError(f"unknown bucket {bucket!r}")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason")
    if by is not None and not by.is_superuser:
        raise PermissionDenied
    account = _lock_account()
    _roll_over_if_due(account)
    if idempotency_key is not None:
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    available = account.monthly_remaining if bucket == Bucket.MONTHLY else account.purchased
    if available + amount < 0:
        raise InsufficientCredits(needed=-amount, available=available)
    entry = _post(
        account, kind=Kind.ADJUSTMENT, bucket=bucket, amount=amount, operation=uuid.uuid4(),
        created_by=by, reason=reason.strip()[:255], idempotency_key=idempotency_key,
    )
    _note_warning(account, may_reset=amount > 0)
    _save(account)
    return entry, True
