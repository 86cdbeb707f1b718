"""django-q2 tasks. Thin: they take ids and call services."""
from . import links, payments
from .outbox import CHECKS, LINKS


def make_payment_link(link_id: int):
    return links.make(link_id)


def check_payment(check_id: int):
    return payments.check(check_id)


def sweep_payment_links():
    return LINKS.requeue_stale()


def sweep_payment_checks():
    return CHECKS.requeue_stale()


def purge_payment_checks():
    return CHECKS.purge()
