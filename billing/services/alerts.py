"""The low-balance warning: the threshold, the level a balance is at, and one email to the store per
threshold crossed."""
from __future__ import annotations

import logging
import math
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import CreditAccount, WarningLevel

logger = logging.getLogger(__name__)

_SEVERITY = {WarningLevel.OK: 0, WarningLevel.LOW: 1, WarningLevel.EMPTY: 2}


def warning_threshold(allowance: int) -> int:
    """Credits below which the balance is "running low" (SMS_CREDIT_WARNING_RATIO of the allowance)."""
    return math.ceil(settings.SMS_CREDIT_WARNING_RATIO * allowance)


def warning_level(*, total: int, allowance: int) -> str:
    if total <= 0:
        return WarningLevel.EMPTY
    if total < warning_threshold(allowance):
        return WarningLevel.LOW
    return WarningLevel.OK


def note_warning(account: CreditAccount, *, may_reset: bool) -> None:
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
