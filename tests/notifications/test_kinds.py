"""The three kinds of message (notifications/kinds.py): each row has one, every kind answers the same
questions, and no other module tells the kinds apart by the row's foreign keys."""
import ast
from decimal import Decimal
from pathlib import Path

import pytest

from checkouts.models import Checkout
from notifications.kinds import (
    CHECKOUT_RECOVERY_KIND, MILESTONE_KIND, RULE_KIND, fields_for, kind_for_milestone, kind_of,
)
from notifications.models import Notification
from notifications.reasons import Reason
from notifications.rendering import CHECKOUT_FIELDS, FIELDS
from tests.factories import OrderFactory, storefront

from .factories import NotificationRuleFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = Path(__file__).resolve().parents[2] / "notifications"


@pytest.fixture
def order():
    return OrderFactory(language="pt-br")


@pytest.fixture
def checkout():
    return Checkout.objects.create(
        storefront=storefront(), external_id="chk-7", customer_name="Ana Souza", customer_email="ana@example.com",
        language="en", currency="BRL", total=Decimal("10.00"), resume_url="https://shop.example.com/r/7/",
    )


def test_the_kind_of_a_row_follows_the_foreign_key_it_has(order, checkout):
    rule = NotificationRuleFactory(name="Late delivery")
    assert kind_of(Notification(order=order, milestone="shipped", channel="email")) is MILESTONE_KIND
    assert kind_of(Notification(order=order, rule=rule, milestone="rule", channel="email")) is RULE_KIND
    assert kind_of(
        Notification(checkout=checkout, milestone="checkout_recovery", channel="email")
    ) is CHECKOUT_RECOVERY_KIND


def test_every_kind_answers_the_same_questions(order, checkout, settings):
    settings.LANGUAGE_CODE = "es"
    rule = NotificationRuleFactory(name="Late delivery")
    milestone = Notification(pk=1, order=order, milestone="shipped", channel="email")
    staff_notice = Notification(pk=2, order=order, milestone="new_order", channel="email")
    by_rule = Notification(pk=3, order=order, rule=rule, milestone="rule", channel="email")
    recovery = Notification(pk=4, checkout=checkout, milestone="checkout_recovery", channel="email")

    assert [kind_of(row).language(row) for row in (milestone, staff_notice, by_rule, recovery)] == [
        "pt-br", "es", "pt-br", "en",
    ]
    assert kind_of(by_rule).label(by_rule) == "Late delivery"
    assert kind_of(milestone).ledger_label(milestone) == f"shipped {order.number}"
    assert kind_of(by_rule).ledger_label(by_rule) == f"Late delivery {order.number}"
    assert kind_of(recovery).ledger_label(recovery) == "checkout_recovery chk-7"
    assert kind_of(milestone).email_metadata(milestone) == (
        ["shipped"], {"notification_id": "1", "order": order.number}
    )
    assert kind_of(recovery).email_metadata(recovery) == (
        ["checkout_recovery"], {"notification_id": "4", "checkout": "chk-7"}
    )
    assert kind_of(by_rule).push_tag(by_rule) == f"{order.number}-rule-{rule.pk}"
    assert str(recovery) == f"checkout {checkout.pk} checkout_recovery email queued"
    assert [kind_of(row).falls_back for row in (milestone, by_rule, recovery)] == [True, False, True]
    assert kind_of(recovery).no_longer_due(recovery) is None
    Checkout.objects.filter(pk=checkout.pk).update(status=Checkout.Status.RECOVERED)
    recovery.checkout.refresh_from_db()
    assert kind_of(recovery).no_longer_due(recovery) == (Reason.CHECKOUT_RECOVERED, "")


def test_a_templates_milestone_says_which_fields_it_can_use():
    assert kind_for_milestone("checkout_recovery") is CHECKOUT_RECOVERY_KIND
    assert kind_for_milestone("") is kind_for_milestone("rule") is RULE_KIND  # a rule's message
    assert fields_for("checkout_recovery") is CHECKOUT_FIELDS
    assert fields_for("") is FIELDS
    assert fields_for("cancelled") == FIELDS
    assert "cancel_reason" not in fields_for("shipped") and "tracking_code" in fields_for("shipped")


KIND_KEYS = {"rule", "checkout"}


def _names_a_kind_key(node) -> bool:
    """`x.rule_id`, `x.checkout_id`; or `rule`, `x.checkout` as a truth value or beside `is (not) None`."""
    if isinstance(node, ast.Attribute) and node.attr in {f"{key}_id" for key in KIND_KEYS}:
        return True
    return (isinstance(node, ast.Attribute) and node.attr in KIND_KEYS) or (
        isinstance(node, ast.Name) and node.id in KIND_KEYS
    )


def _looks_at_kind(test) -> bool:
    if any(isinstance(sub, ast.Attribute) and sub.attr in {f"{key}_id" for key in KIND_KEYS} for sub in ast.walk(test)):
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _looks_at_kind(test.operand)
    if isinstance(test, ast.BoolOp):
        return any(_looks_at_kind(value) for value in test.values)
    if isinstance(test, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in test.ops):
        return any(_names_a_kind_key(side) for side in [test.left, *test.comparators])
    return _names_a_kind_key(test)


def _kind_tests(path: Path) -> list[str]:
    """The conditions in `path` that look at which foreign key a row has (a rule, a checkout)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.comprehension):
            tests = node.ifs
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
            tests = [node.test]
        else:
            continue
        found += [f"{path.relative_to(NOTIFICATIONS.parent)}:{test.lineno}" for test in tests if _looks_at_kind(test)]
    return found


def test_no_module_but_the_kinds_tells_the_kinds_apart():
    modules = [
        path for path in NOTIFICATIONS.rglob("*.py")
        if "migrations" not in path.parts and path.name != "kinds.py"
    ]
    assert modules
    assert [where for path in modules for where in _kind_tests(path)] == []
