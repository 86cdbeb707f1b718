"""Staff actions: resend notifications (a new row each, through the outbox), save the purchase
experience page."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..defaults import MILESTONE_CHANNELS
from ..kinds import kind_of
from ..models import Channel, Milestone, MilestoneSetting, Notification, PurchaseExperienceChange
from ..outbox import NOTIFICATIONS
from .common import Status, _text
from .outcomes import PAID_CHANNELS
from .recipients import all_milestone_settings


# What staff may resend: a message that has ended (a queued one is still on its way).
RESENDABLE = (Status.SENT, Status.DELIVERED, Status.READ, Status.UNDELIVERED, Status.FAILED, Status.SKIPPED)


@dataclass
class Resent:
    """What resend() did: the new rows, and the rows it left alone and why."""

    rows: list[Notification] = field(default_factory=list)
    still_queued: list[Notification] = field(default_factory=list)
    sms_unconfirmed: list[Notification] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def resend(notification_ids, *, sms_confirmed: bool = False) -> Resent:
    """Resend sent, failed or skipped notifications: for each, a new row linked to it (`resent_from`),
    addressed and rendered afresh (the customer's current address, the template as it is now) and
    delivered through the outbox like any other (an SMS is paid again). The first row stays as it was.

    SMS and WhatsApp rows (paid with credits) are resent only with `sms_confirmed` (staff confirmed the
    credits they cost); queued rows
    are left alone. Call it outside a transaction or inside the caller's: the deliveries are
    enqueued once it commits.
    """
    result = Resent()
    with transaction.atomic():
        originals = list(
            Notification.objects.select_for_update(of=("self",)).select_related("order", "checkout", "rule")
            .filter(pk__in=list(notification_ids)).order_by("pk")
        )
        rows = []
        for original in originals:
            if original.status not in RESENDABLE:
                result.still_queued.append(original)
            elif original.channel in PAID_CHANNELS and not sms_confirmed:
                result.sms_unconfirmed.append(original)
            else:
                rows.append(_resend_row(original))
        result.rows = Notification.objects.insert_new(rows)
        NOTIFICATIONS.enqueue_after_commit([row.pk for row in result.rows if row.status == Status.QUEUED])
    return result


def _resend_row(original: Notification) -> Notification:
    """The new row (not saved) resending `original` to the address the customer has now."""
    recipient, skip_reason = kind_of(original).address(original)
    return Notification(
        order=original.order, checkout=original.checkout, milestone=original.milestone, rule=original.rule,
        refund=original.refund, source=original.source, channel=original.channel, recipient=recipient,
        resent_from=original,
        # An app's message that sends the words written on its row keeps them (the others render afresh).
        subject=original.subject, body=original.body, language=original.language,
        status=Status.SKIPPED if skip_reason else Status.QUEUED, reason_code=skip_reason or "",
        next_attempt_at=None if skip_reason else timezone.now(),
    )


def sms_resend_cost(notifications) -> int:
    """The credits resending these SMS and WhatsApp rows costs: each SMS rendered as it would go now,
    each WhatsApp message at the price of the customer's current number's country."""
    from billing import services as billing
    from billing.sms import count_segments

    total = 0
    for notification in notifications:
        if notification.channel == Channel.WHATSAPP:
            recipient, _reason = kind_of(notification).address(notification)
            total += billing.whatsapp_price(recipient or notification.recipient) if (
                recipient or notification.recipient) else 0
            continue
        if notification.channel != Channel.SMS:
            continue
        kind = kind_of(notification)
        try:
            message = kind.render(notification, kind.language(notification))
        except Exception:  # a template that cannot render: delivery will say so; count one segment
            total += 1
            continue
        total += count_segments(message.body).segments
    return total


def update_purchase_experience(*, by, switches: dict, fallbacks: dict, platform_emails: dict | None = None) -> int:
    """Save the purchase experience page; log each change with who made it. Returns how many changed.

    switches: {milestone: {channel: bool}}; fallbacks: {milestone: channel or ""};
    platform_emails: {storefront: [milestone, ...]} (the emails that storefront's platform sends).
    """
    changes = []
    on, off = _text(_("on")), _text(_("off"))
    all_milestone_settings()  # rows exist for every milestone
    with transaction.atomic():
        for setting in MilestoneSetting.objects.select_for_update().filter(milestone__in=list(switches) + list(fallbacks)):
            milestone_label = _text(Milestone(setting.milestone).label)
            fields = []
            for channel, enabled in switches.get(setting.milestone, {}).items():
                if channel not in MILESTONE_CHANNELS.get(setting.milestone, ()):
                    continue
                if getattr(setting, channel) != bool(enabled):
                    changes.append(PurchaseExperienceChange(
                        changed_by=by, setting=f"{milestone_label} · {_text(Channel(channel).label)}",
                        old_value=on if getattr(setting, channel) else off, new_value=on if enabled else off,
                    ))
                    setattr(setting, channel, bool(enabled))
                    fields.append(channel)
            if setting.milestone in fallbacks:
                fallback = fallbacks[setting.milestone] or ""
                if fallback != setting.fallback_channel:
                    changes.append(PurchaseExperienceChange(
                        changed_by=by, setting=f"{milestone_label} · {_text(_('fallback channel'))}",
                        old_value=_text(Channel(setting.fallback_channel).label) if setting.fallback_channel else off,
                        new_value=_text(Channel(fallback).label) if fallback else off,
                    ))
                    setting.fallback_channel = fallback
                    fields.append("fallback_channel")
            if fields:
                setting.save(update_fields=[*fields, "updated_at"])
        for storefront, milestones in (platform_emails or {}).items():
            milestones = sorted(set(milestones))
            before = sorted(storefront.emails_sent_by_platform or [])
            if milestones != before:
                changes.append(PurchaseExperienceChange(
                    changed_by=by,
                    setting=_text(_("Emails %(storefront)s's platform sends"), storefront=storefront.name),
                    old_value=", ".join(before) or off, new_value=", ".join(milestones) or off,
                ))
                storefront.emails_sent_by_platform = milestones
                storefront.save(update_fields=["emails_sent_by_platform"])
        PurchaseExperienceChange.objects.bulk_create(changes)
    return len(changes)
