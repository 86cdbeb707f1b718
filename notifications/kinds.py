"""The kinds of message a notification is: a milestone's message (and the payment reminder, one with
its own "still due"), a notification rule's message and a checkout's recovery message.

Each kind answers the same questions about one of its rows (a `Notification`):

- `about()`, `address()`: whom the message is about (the order, or the checkout, which has no order
  yet) and how the row's channel reaches them;
- `language()`: the language to write in; `render()`: the subject and body for the row's channel;
- `no_longer_due()`: whether a queued row is still due (None), or why it must not be sent any more;
- `label()`: what the row is, as staff read it (the log, the SMS ledger);
- `email_metadata()`: the tags and metadata an email carries (read by the anymail backends).

`kind_of(row)` gives a row's kind, from the foreign key it has (a checkout, a rule, or neither);
`kind_for_milestone()` the kind a message template (or a rule's message) writes for. The outbox
writers, the delivery, the channels and the log ask the kind, and none of them tells the kinds
apart itself: a fourth kind of message is a fourth class here.

An app above notifications adds a kind of its own (its message, its words) without notifications
knowing it: an `AppKind` subclass (notifications/app_kinds.py), registered from its `AppConfig.ready()` with `register_kind()`,
whose `code` is the row's `milestone`, written with `services.record_message()` and then sent,
retried and logged like any other row (paymentlinks: the payment link emailed again, and the
staff's alerts; connectors: a platform's customer data request; webhooks: an endpoint disabled;
inventory: low stock; the last four addressed to the staff).
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.admin import object_url
from orders.models import Status as OrderStatus

from .models import RULE, Milestone
from .reasons import Reason
from .rendering import (
    CHECKOUT_FIELDS, FIELDS, MILESTONE_ONLY_FIELDS, checkout_context, message_context, render_for_checkout,
    render_for_order, render_for_rule,
)


def admin_link(url_name: str, pk, label) -> str:
    """A link to an object's admin page; plain text where that admin is not installed."""
    try:
        return format_html('<a href="{}">{}</a>', object_url(url_name, pk), label)
    except NoReverseMatch:
        return format_html("{}", label)


class MilestoneKind:
    """A built-in milestone's message about an order ("your order was shipped"), and the staff's
    new-order notice. The other kinds change what differs."""

    # What its messages are about.
    about_name = "order"
    # A channel that cannot reach the customer hands the message to the milestone's fallback channel.
    falls_back = True
    # Whether a row staff resent is still checked by `no_longer_due()` (else only its address counts).
    resend_checks_due = False

    # --- whom it is about ---

    def about(self, notification):
        """The order (or the checkout) the message is about."""
        return notification.order

    def reference(self, about) -> str:
        """How staff and providers name what the message is about: the order number."""
        return about.number

    def address(self, notification) -> tuple[str, str | None]:
        """(recipient, None) when the row's channel reaches whom it is for (the customer; the staff for
        a staff message), else ('', the reason's code)."""
        if self.to_staff(notification):
            return settings.STORE_EMAIL, None if settings.STORE_EMAIL else Reason.NO_EMAIL
        from .services.recipients import customer_address

        return customer_address(notification.order, notification.channel)

    def to_staff(self, notification) -> bool:
        """Whether the message is for the staff (STORE_EMAIL, in the store's language), not a customer."""
        return notification.milestone == Milestone.NEW_ORDER

    def reply_to(self, notification) -> list[str]:
        """Where an answer to the email goes: the customer for a staff message, else the store."""
        if self.to_staff(notification):
            order = notification.order
            return [order.customer_email] if order is not None and order.customer_email else []
        if settings.STORE_EMAIL and settings.STORE_EMAIL != settings.DEFAULT_FROM_EMAIL:
            return [settings.STORE_EMAIL]
        return []

    # --- the message ---

    def fields(self, milestone: str) -> dict:
        """The fields a template of this milestone can use (rendering.py): the order's, but those
        that mean something in another milestone's messages only."""
        return {
            name: label for name, label in FIELDS.items() if MILESTONE_ONLY_FIELDS.get(name, milestone) == milestone
        }

    def language(self, notification) -> str:
        if self.to_staff(notification):
            return settings.LANGUAGE_CODE  # the staff's notice, in the store's language
        return notification.order.language

    def render(self, notification, language: str):
        """The message (subject, body, HTML body, link) for the row's channel, in `language`."""
        return render_for_order(
            notification.order, milestone=notification.milestone, channel=notification.channel, language=language,
            refund=notification.refund,  # a refunded message tells of its refund
        )

    def context(self, about, *, language: str):
        """The values its templates see, for an order (or a checkout): the preview renders with them."""
        return message_context(about, language=language)

    def whatsapp_template(self, notification, language: str):
        """The Meta-approved WhatsApp template the row sends (whatsapp.py; WhatsAppTemplateMissing if none)."""
        from .whatsapp import find_whatsapp_template

        return find_whatsapp_template(notification.milestone, language)

    def no_longer_due(self, notification) -> tuple[str, str] | None:
        """None while a queued row is still due; else why it must not be sent any more: the reason's
        code and detail (notifications/reasons.py)."""
        return None

    def delayed(self, notification) -> bool:
        """Whether a new queued row waits for its `next_attempt_at` instead of being sent at once."""
        return False

    # --- for staff and providers ---

    def label(self, notification) -> str:
        """What the row is, as staff read it: the milestone, or the rule's name."""
        return str(notification.get_milestone_display())

    def admin_label(self, notification) -> str:
        """The label in the notification log (HTML)."""
        return format_html("{}", self.label(notification))

    def admin_about(self, notification) -> str:
        """A link to the admin page of what the message is about (HTML)."""
        return admin_link("admin:orders_order_change", notification.order_id, notification.order.number)

    def ledger_label(self, notification) -> str:
        """What an SMS paid for, in the credits ledger: the milestone (or rule) and the order (or checkout)."""
        return f"{notification.milestone} {self.reference(self.about(notification))}"

    def describe(self, notification) -> str:
        """What the message is about, as staff read it in the row's title (its `__str__`): "Order K7QH-2M9X"."""
        return _("Order %(number)s") % {"number": notification.order.number}

    def email_metadata(self, notification) -> tuple[list[str], dict[str, str]]:
        """(tags, metadata) of the row's email, read by the anymail backends (ignored by Django's own)."""
        return [notification.milestone], {
            "notification_id": str(notification.pk), self.about_name: self.reference(self.about(notification)),
        }

    def push_tag(self, notification) -> str:
        """The web push tag: a later push with the same tag replaces this one on the customer's screen."""
        tag = f"{notification.order.number}-{notification.milestone}"
        return f"{tag}-{notification.refund_id}" if notification.refund_id else tag

    # --- the preview of a message on the staff's pages ---

    def preview_subject(self, query: str, milestone: str):
        """(what the preview renders with, the latest 20 to choose from as (reference, description)).

        The order whose number (or id) is `query`; with no query, a real order that suits the
        milestone (a shipped one for `shipped`), else the latest.
        """
        from orders.models import Order

        orders = Order.objects.for_list()
        if query:
            match = Q(number__iexact=query)
            if _is_id(query):
                match |= Q(pk=int(query))
            subject = orders.filter(match).first()
        else:
            subject = _example_order(orders.order_by("-created_at"), milestone)
        latest = orders.order_by("-created_at")[:20]
        return subject, [(o.number, f"{o.customer_name} · {o.get_status_display()}") for o in latest]


class RuleKind(MilestoneKind):
    """A staff-made notification rule's message about an order: its channel and words are the rule's,
    it may wait a delay, and it is no longer due once the order has left the rule's status."""

    # A rule says its one channel: there is no fallback.
    falls_back = False

    def fields(self, milestone: str) -> dict:
        """Every field of the order: a rule may be about any change (one to cancelled can tell why)."""
        return FIELDS

    def render(self, notification, language: str):
        return render_for_rule(notification.order, rule=notification.rule, language=language)

    def whatsapp_template(self, notification, language: str):
        """The WhatsApp template set for the rule."""
        from .whatsapp import find_whatsapp_template

        return find_whatsapp_template(RULE, language, rule=notification.rule)

    def no_longer_due(self, notification) -> tuple[str, str] | None:
        """A rule turned off; a delayed rule's order that has left the status the rule is about (or,
        for a custom status, was cancelled)."""
        rule, order = notification.rule, notification.order
        if not rule.active:
            return Reason.RULE_TURNED_OFF, ""
        if rule.delay_minutes and not _still_in_rule_status(order, rule):
            with translation.override(settings.LANGUAGE_CODE):  # the status as the store names it
                return Reason.NO_LONGER_DUE, str(rule.status_label("to"))
        if rule.delay_minutes and not rule.is_core and order.status == OrderStatus.CANCELLED:
            # A cancelled order keeps its custom statuses: "out for delivery" no longer holds.
            return Reason.CANCELLED_MEANWHILE, ""
        return None

    def delayed(self, notification) -> bool:
        return bool(notification.rule.delay_minutes)

    def label(self, notification) -> str:
        return notification.rule.name

    def admin_label(self, notification) -> str:
        return format_html(
            "{}: {}", _("Rule"),
            admin_link("admin:notifications_notificationrule_change", notification.rule_id, self.label(notification)),
        )

    def ledger_label(self, notification) -> str:
        return f"{self.label(notification)} {self.reference(self.about(notification))}"

    def push_tag(self, notification) -> str:
        return f"{super().push_tag(notification)}-{notification.rule_id}"


class CheckoutRecoveryKind(MilestoneKind):
    """The message that reminds a customer of a checkout they started and left: about the checkout
    (there is no order yet), in its language, and no longer due once the checkout was recovered."""

    about_name = "checkout"

    def fields(self, milestone: str) -> dict:
        return CHECKOUT_FIELDS

    def about(self, notification):
        return notification.checkout

    def reference(self, about) -> str:
        return about.external_id

    def address(self, notification) -> tuple[str, str | None]:
        from .services.recipients import checkout_address

        return checkout_address(notification.checkout, notification.channel)

    def language(self, notification) -> str:
        return notification.checkout.language

    def render(self, notification, language: str):
        return render_for_checkout(
            notification.checkout, milestone=notification.milestone, channel=notification.channel, language=language
        )

    def context(self, about, *, language: str):
        return checkout_context(about, language=language)

    def no_longer_due(self, notification) -> tuple[str, str] | None:
        checkout = notification.checkout
        if checkout.status == checkout.Status.RECOVERED or checkout.order_id:
            return Reason.CHECKOUT_RECOVERED, ""
        return None

    def admin_about(self, notification) -> str:
        label = _("checkout %(id)s") % {"id": notification.checkout.external_id}
        return admin_link("admin:checkouts_checkout_change", notification.checkout_id, label)

    def describe(self, notification) -> str:
        return _("checkout %(id)s") % {"id": notification.checkout.external_id}

    def preview_subject(self, query: str, milestone: str):
        """The checkout whose storefront id (or id) is `query`, else the latest."""
        from checkouts.models import Checkout

        checkouts = Checkout.objects.order_by("-created_at", "-id")
        match = Q(external_id=query) | (Q(pk=int(query)) if _is_id(query) else Q(pk__in=[]))
        subject = checkouts.filter(match).first() if query else checkouts.first()
        return subject, [(c.external_id, f"{c.customer_name} · {c.get_status_display()}") for c in checkouts[:20]]


class PaymentReminderKind(MilestoneKind):
    """The one reminder of an unpaid transfer or payment link order (orders/services/unpaid.py): a
    milestone's message that is no longer due once the order is paid, accepted or cancelled."""

    def no_longer_due(self, notification) -> tuple[str, str] | None:
        order = notification.order
        if order.is_paid or order.status != OrderStatus.PENDING:
            return Reason.PAID_MEANWHILE, ""
        return None


# The kinds apps registered (notifications/app_kinds.py), by code.
_REGISTERED: dict[str, MilestoneKind] = {}


def register_kind(kind):
    """Add an app's kind of message (called from its AppConfig.ready(); a second call replaces it)."""
    if not kind.code or kind.code in Milestone.values or kind.code == RULE:
        raise ValueError(f"A registered kind needs a code of its own, not {kind.code!r}")
    _REGISTERED[kind.code] = kind
    return kind


def registered_kinds() -> dict:
    """The apps' kinds of message, by code."""
    return dict(_REGISTERED)


MILESTONE_KIND = MilestoneKind()
RULE_KIND = RuleKind()
CHECKOUT_RECOVERY_KIND = CheckoutRecoveryKind()
PAYMENT_REMINDER_KIND = PaymentReminderKind()


def kind_of(notification) -> MilestoneKind:
    """The kind of a notification row, from the foreign key it has: a checkout (the recovery
    message), a rule (the rule's message), or neither (a milestone's message; the payment reminder's
    is told by its milestone); a kind an app registered, by its code in `milestone`."""
    registered = _REGISTERED.get(notification.milestone)
    if registered is not None:
        return registered
    if notification.checkout_id is not None:
        return CHECKOUT_RECOVERY_KIND
    if notification.rule_id is not None:
        return RULE_KIND
    return PAYMENT_REMINDER_KIND if notification.milestone == Milestone.PAYMENT_REMINDER else MILESTONE_KIND


def kind_for_milestone(milestone: str) -> MilestoneKind:
    """The kind a message template of this milestone writes for ("" or "rule": a rule's message)."""
    kinds = {
        Milestone.CHECKOUT_RECOVERY: CHECKOUT_RECOVERY_KIND, Milestone.PAYMENT_REMINDER: PAYMENT_REMINDER_KIND,
        RULE: RULE_KIND, "": RULE_KIND,
    }
    return kinds.get(milestone, MILESTONE_KIND)


def fields_for(milestone: str) -> dict:
    """The fields a message template of this milestone can use ("": a rule's message)."""
    return kind_for_milestone(milestone).fields(milestone)


def _is_id(query: str) -> bool:
    # An id is ASCII digits: "²" and other Unicode digits pass isdigit() but int() refuses them.
    return query.isascii() and query.isdigit()


def _example_order(orders, milestone: str):
    """A real order that suits the milestone (a shipped one for `shipped`), else the latest."""
    if milestone == Milestone.SHIPPED:
        return orders.exclude(tracking_code="").first() or orders.first()
    if milestone == Milestone.READY_FOR_PICKUP:
        return orders.exclude(pickup_point="").first() or orders.first()
    if milestone == Milestone.REFUNDED:
        return orders.filter(refunds__isnull=False).first() or orders.first()
    return orders.first()


def _still_in_rule_status(order, rule) -> bool:
    if rule.is_core:
        return order.status == rule.to_status
    from orders.models import OrderCustomStatus

    return OrderCustomStatus.objects.filter(
        order=order, type=rule.status_type, status_id=rule.to_custom_status_id
    ).exists()
