"""Milestone and rule notifications: write the outbox rows, deliver them, retry, sweep, purge.

The row's lifecycle (claim, claim a batch, finish, retry later, sweep, purge, schedules) is the
outbox engine's (outbox/engine.py), with the notifications' settings (notifications/outbox.py).
The package, by responsibility:

- `recipients`: the milestone switches and active rules (kept per process), the addresses;
- `recording`: writing the outbox rows (milestones, rules, checkout recovery, fallbacks);
- `delivery`: claiming and sending rows; `channels`: SMS, push, WhatsApp and email; `outcomes`: how a
  claimed row ends (final status, refund, fallback, retry);
- `staff`: resend (a new row linked to the first, through the outbox), the purchase experience page;
  `maintenance`: the sweep and the log purge; `receipts`: the providers' delivery reports (delivered,
  read, undelivered, failed), `tracking`: the email provider's, fed to them; `common`: what
  they share (the reasons logged are codes: notifications/reasons.py);
- `subscriptions`: the web push subscriptions the timeline page stores;
- `whatsapp`: setting a milestone's Meta-approved WhatsApp template; whether the store offers WhatsApp.
- `app_messages`: the row of a kind of message an app registered (`record_message`).

The flow:
1. A receiver of an orders signal calls `record_milestone()` inside the order's transaction:
   one `Notification` row per enabled channel (the outbox, one INSERT ... ON CONFLICT DO
   NOTHING), and one delivery task for the transaction's rows, enqueued so that it runs only
   after the commit (with the ORM broker, written in the same transaction; with others, on
   commit). A rolled-back change leaves nothing.
   Staff-made notification rules (`record_rules()`) and the checkout recovery message
   (`record_checkout_recovery()`) write rows to the same outbox, delivered the same way.
2. The worker calls `deliver()`: it claims the row (`NOTIFICATIONS.claim`: a conditional UPDATE
   on `status=queued` and an expired claim), so a task that runs twice, or twice at once, sends once.
3. Transient failures are retried with exponential backoff: the row stays `queued` with
   `next_attempt_at` set, and a one-off django-q2 schedule runs the task again at that time.
   The periodic sweep re-enqueues any queued row overdue by the grace period (a process
   that died between commit and enqueue, a lost schedule), so nothing is lost silently.
4. A daily purge deletes rows older than the retention, in batches, adding each batch to
   `DailyNotificationCount` in the same transaction that deletes it.
"""
from .app_messages import Recorded, on_its_way, record_message
from .common import STATUS_MILESTONES, Status
from .delivery import deliver, deliver_many
from .maintenance import purge_log, requeue_stale
from .recipients import (
    active_rules, all_milestone_settings, checkout_address, customer_address, milestone_setting, mobile_number,
    platform_sends_email, whatsapp_number,
)
from .receipts import apply_receipt, apply_waiting_receipts
from .recording import enqueue_deliveries, record_checkout_recovery, record_milestone, record_rules
from .staff import RESENDABLE, Resent, resend, sms_resend_cost, update_purchase_experience
from .subscriptions import MAX_PUSH_DEVICES_PER_ORDER, TooManyPushDevices, subscribe_push, unsubscribe_push
from .tracking import apply_tracking_event
from .whatsapp import offers_whatsapp, set_whatsapp_template, whatsapp_is_on, whatsapp_milestones

__all__ = [
    "MAX_PUSH_DEVICES_PER_ORDER", "RESENDABLE", "Recorded", "Resent", "STATUS_MILESTONES", "Status", "TooManyPushDevices", "active_rules",
    "all_milestone_settings", "apply_receipt", "apply_tracking_event", "apply_waiting_receipts", "checkout_address", "customer_address", "deliver", "deliver_many", "enqueue_deliveries", "milestone_setting",
    "mobile_number", "on_its_way", "platform_sends_email", "purge_log", "record_checkout_recovery", "record_message", "record_milestone",
    "record_rules", "requeue_stale", "resend", "sms_resend_cost", "subscribe_push", "unsubscribe_push",
    "update_purchase_experience", "offers_whatsapp", "set_whatsapp_template", "whatsapp_is_on", "whatsapp_milestones",
    "whatsapp_number",
]
