"""Staff actions: queue failed notifications again, save the purchase experience page."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..defaults import MILESTONE_CHANNELS
from ..models import Channel, Milestone, MilestoneSetting, Notification, PurchaseExperienceChange
from ..outbox import NOTIFICATIONS
from .common import Status, _text
from .recipients import all_milestone_settings


def resend(notification_ids) -> int:
    """Queue failed notifications again (an SMS is paid again). Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Status.FAILED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.QUEUED, reason_code="", reason_detail="", attempts=0, provider_message_id="", sent_at=None,
            next_attempt_at=timezone.now(), locked_until=None, delivery_status="", delivery_status_at=None,
            updated_at=timezone.now(),
        )
        NOTIFICATIONS.enqueue_after_commit(ids)
    return len(ids)


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
