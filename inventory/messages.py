"""The low-stock email to the store (STORE_EMAIL): a kind of message of the notification log
(notifications/app_kinds.py), registered by this app, addressed to the staff. It is written in the
transaction of the change that crossed the alert levels (one email naming every SKU that change
crossed), in the store's language; the notifications' worker sends it, retries it while the email
provider is down, and logs it. One per change: the row's `source` names the change's first
`LowStockAlert`, so nothing writes it twice.
"""
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications import services as notifications
from notifications.app_kinds import AppKind, admin_link

CODE = "low_stock"
SOURCE_PREFIX = "low-stock-alert:"


def source_of(alerts) -> str:
    return f"{SOURCE_PREFIX}{min(alert.pk for alert in alerts)}"


class LowStockEmail(AppKind):
    code = CODE
    verbose_name = gettext_lazy("Low stock (staff)")
    staff = True

    def describe_source(self, source: str) -> str:
        return gettext_lazy("low-stock alert %(id)s") % {"id": source.removeprefix(SOURCE_PREFIX)}

    def admin_about(self, notification) -> str:
        return admin_link("admin:inventory_lowstockalert_change", notification.source.removeprefix(SOURCE_PREFIX),
                          self.describe_source(notification.source))


LOW_STOCK_EMAIL = LowStockEmail()


def low_stock_url() -> str:
    try:
        return settings.SITE_URL + reverse("admin:inventory_stockitem_changelist") + "?stock=low"
    except NoReverseMatch:
        return ""


def record_low_stock(alerts) -> notifications.Recorded | None:
    """Write the store's email about these crossings (`LowStockAlert` rows with their items), one
    for all of them; call it inside the transaction that wrote them."""
    if not alerts:
        return None
    alerts = sorted(alerts, key=lambda alert: (alert.item.sku, alert.pk))
    with translation.override(settings.LANGUAGE_CODE):
        skus = [alert.item.sku for alert in alerts]
        shown = ", ".join(skus[:3]) + ("…" if len(skus) > 3 else "")
        subject = _("[%(store)s] Low stock: %(skus)s") % {"store": settings.STORE_NAME, "skus": shown}
        lines = [
            ngettext(
                "This product fell to its low-stock alert level or below:",
                "These products fell to their low-stock alert level or below:",
                len(alerts),
            ),
            "",
            *(alert_line(alert) for alert in alerts),
        ]
        url = low_stock_url()
        if url:
            lines += ["", _("See every product running low: %(url)s") % {"url": url}]
    return notifications.record_message(
        CODE, source=source_of(alerts), subject=" ".join(subject.split())[:200], body="\n".join(lines),
        language=settings.LANGUAGE_CODE,
    )


def alert_line(alert) -> str:
    item = alert.item
    label = f"{item.sku} · {item.name}" if item.name else item.sku
    context = {"item": label, "quantity": alert.quantity, "threshold": alert.threshold, "owed": -alert.quantity}
    if alert.quantity < 0:
        return _("%(item)s: %(owed)s units sold without stock (alert at %(threshold)s)") % context
    return _("%(item)s: %(quantity)s left (alert at %(threshold)s)") % context
