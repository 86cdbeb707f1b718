import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from billing import services
from billing.models import LedgerEntry, ServiceTier
from billing.services import InsufficientCredits, MessageTooLong, charge_sms, refund_notification

from .conftest import account, assert_balances_equal_ledger, last_month, next_month, start_credits, this_month

pytestmark = pytest.mark.django_db


def charges():
    return LedgerEntry.objects.filter(kind="charge")


# --- charging ---------------------------------------------------------------------------------

def test_a_fresh_install_has_this_months_allowance():
    # The test database was set up by `migrate`, like a fresh install.
    current = services.balance()
    assert current.tier.name == "Start"
    assert current.monthly_remaining == 100
    assert current.period == this_month()
    assert LedgerEntry.objects.filter(kind="grant", period=this_month()).count() == 1
    assert_balances_equal_ledger()


def test_charge_uses_the_monthly_allowance_first_then_purchased_credits(credits):
    credits(monthly=3, purchased=5)

    first = charge_sms(segments=2, notification_id=1)
    assert (first.bucket, first.amount, first.balance_after) == ("monthly", -2, 1)

    spanning = charge_sms(segments=4, notification_id=2, reason="shipped SMS")
    assert (spanning.bucket, spanning.amount) == ("monthly", -1)
    rows = list(LedgerEntry.objects.filter(operation=spanning.operation).order_by("id"))
    assert [(r.bucket, r.amount, r.balance_after, r.notification_id) for r in rows] == [
        ("monthly", -1, 0, 2), ("purchased", -3, 2, 2),
    ]
    assert (account().monthly_remaining, account().purchased) == (0, 2)

    only_purchased = charge_sms(segments=2, notification_id=3)
    assert (only_purchased.bucket, only_purchased.amount, only_purchased.balance_after) == ("purchased", -2, 0)
    assert_balances_equal_ledger()


def test_insufficient_credits_debits_nothing(credits):
    credits(monthly=1, purchased=1)
    with pytest.raises(InsufficientCredits) as raised:
        charge_sms(segments=3, notification_id=10)
    assert str(raised.value) == "no SMS credits"
    assert (raised.value.needed, raised.value.available) == (3, 2)
    assert (account().monthly_remaining, account().purchased) == (1, 1)
    assert not charges().exists()
    assert charge_sms(segments=2, notification_id=10).amount == -1
    with pytest.raises(InsufficientCredits):
        charge_sms(segments=1, notification_id=11)
    assert account().total == 0
    assert_balances_equal_ledger()


def test_a_message_over_ten_segments_is_refused_and_nothing_charged(credits):
    credits(monthly=50)
    assert services.MAX_SMS_SEGMENTS == 10
    with pytest.raises(MessageTooLong) as raised:
        charge_sms(segments=11, notification_id=1)
    assert raised.value.segments == 11
    assert charge_sms(segments=10, notification_id=2).amount == -10
    assert account().monthly_remaining == 40
    assert charges().count() == 1


@pytest.mark.parametrize("segments", [0, -1])
def test_a_charge_of_no_segment_is_a_programming_error(credits, segments):
    credits(monthly=5)
    with pytest.raises(ValueError):
        charge_sms(segments=segments, notification_id=1)
    with pytest.raises(TypeError):
        charge_sms(segments=1.0, notification_id=1)
    assert not charges().exists()


def test_charging_the_same_notification_twice_charges_once(credits):
    credits(monthly=10)
    first = charge_sms(segments=2, notification_id=42)
    again = charge_sms(segments=2, notification_id=42)
    assert again.pk == first.pk
    assert account().monthly_remaining == 8
    assert charges().count() == 1


# --- refunds ----------------------------------------------------------------------------------

def test_a_failed_send_is_refunded_once(credits):
    credits(monthly=10)
    charge_sms(segments=3, notification_id=7)
    refunds = refund_notification(notification_id=7, reason="provider refused the number")
    assert [(r.kind, r.bucket, r.amount, r.reason) for r in refunds] == [
        ("refund", "monthly", 3, "provider refused the number"),
    ]
    assert refunds[0].refund_of.notification_id == 7
    assert account().monthly_remaining == 10
    assert refund_notification(notification_id=7, reason="again") == []
    assert refund_notification(notification_id=999, reason="never charged") == []
    assert account().monthly_remaining == 10
    assert_balances_equal_ledger()


def test_a_resend_after_a_refund_is_charged_again(credits):
    credits(monthly=10)
    first = charge_sms(segments=2, notification_id=7)
    refund_notification(notification_id=7, reason="timeout")
    second = charge_sms(segments=2, notification_id=7)
    assert second.pk != first.pk
    assert account().monthly_remaining == 8
    assert services.balance().sent_this_month == 1
    assert services.balance().credits_used_this_month == 2
    assert_balances_equal_ledger()


def test_a_refund_returns_credits_to_the_buckets_they_came_from(credits):
    credits(monthly=1, purchased=5)
    charge_sms(segments=3, notification_id=5)
    refunds = refund_notification(notification_id=5, reason="failed")
    assert sorted((r.bucket, r.amount) for r in refunds) == [("monthly", 1), ("purchased", 2)]
    assert (account().monthly_remaining, account().purchased) == (1, 5)
    assert_balances_equal_ledger()


def test_a_refund_of_last_months_allowance_becomes_purchased_credits(credits):
    credits(monthly=10, tier="Start")
    charge_sms(segments=2, notification_id=5)
    services.grant_monthly_allowance(today=next_month())
    assert account().monthly_remaining == 100

    refunds = refund_notification(notification_id=5, reason="failed across the month change")
    assert [(r.bucket, r.amount) for r in refunds] == [("purchased", 2)]
    assert (account().monthly_remaining, account().purchased) == (100, 2)
    assert_balances_equal_ledger()


# --- the monthly grant ------------------------------------------------------------------------

def test_the_monthly_grant_is_idempotent_and_does_not_carry_over(credits):
    credits(monthly=30, purchased=7)
    granted = services.grant_monthly_allowance(today=next_month())
    assert [(e.kind, e.amount, e.period) for e in granted] == [
        ("expiry", -30, this_month()), ("grant", 100, next_month()),
    ]
    assert services.grant_monthly_allowance(today=next_month()) == []
    assert services.grant_monthly_allowance(today=next_month().replace(day=28)) == []
    assert LedgerEntry.objects.filter(kind="grant", period=next_month()).count() == 1
    assert (account().monthly_remaining, account().purchased, account().period) == (100, 7, next_month())
    assert_balances_equal_ledger()


def test_the_database_refuses_a_second_grant_for_the_same_month(credits):
    credits(monthly=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(kind="grant", bucket="monthly", amount=100, balance_after=105, period=this_month())


def test_the_grant_task_grants_once_per_month(credits):
    from django_q.tasks import async_task, result

    credits(monthly=5)
    assert result(async_task("billing.tasks.grant_monthly_allowance")) == 0  # this month is granted already
    assert LedgerEntry.objects.filter(kind="grant").count() == 1


def test_a_charge_on_the_first_before_the_scheduled_grant_gets_the_new_allowance(credits):
    credits(monthly=4, period=last_month())
    entry = charge_sms(segments=1, notification_id=1)
    assert entry.period == this_month()
    kinds = list(LedgerEntry.objects.order_by("id").values_list("kind", "amount", "period"))
    assert kinds == [
        ("grant", 4, last_month()), ("expiry", -4, last_month()), ("grant", 100, this_month()),
        ("charge", -1, this_month()),
    ]
    assert account().monthly_remaining == 99


def test_a_roll_over_is_kept_even_when_the_sms_cannot_be_paid(credits):
    ServiceTier.objects.filter(name="Start").update(monthly_allowance=1)
    credits(monthly=0, period=last_month())
    with pytest.raises(InsufficientCredits):
        charge_sms(segments=2, notification_id=1)
    assert (account().period, account().monthly_remaining) == (this_month(), 1)


# --- tiers ------------------------------------------------------------------------------------

def test_a_tier_change_takes_effect_at_the_next_grant(credits, admin_user):
    credits(monthly=60)
    pro = ServiceTier.objects.get(name="Pro")
    services.change_tier(tier=pro, by=admin_user)
    current = services.balance()
    assert (current.tier.name, current.pending_tier, current.monthly_remaining) == ("Start", pro, 60)
    assert account().pending_tier_requested_by == admin_user

    services.grant_monthly_allowance(today=next_month())
    current = services.balance()
    assert (current.tier.name, current.pending_tier, current.monthly_remaining) == ("Pro", None, 1000)
    assert_balances_equal_ledger()


def test_choosing_the_current_tier_cancels_a_pending_change(credits, admin_user):
    credits(monthly=60)
    services.change_tier(tier=ServiceTier.objects.get(name="Business"), by=admin_user)
    services.change_tier(tier=ServiceTier.objects.get(name="Start"), by=admin_user)
    assert account().pending_tier is None
    services.grant_monthly_allowance(today=next_month())
    assert account().tier.name == "Start"


def test_seeded_tiers():
    assert list(ServiceTier.objects.values_list("name", "monthly_allowance")) == [
        ("Start", 100), ("Pro", 1000), ("Business", 10000),
    ]


# --- top-ups and adjustments ------------------------------------------------------------------

def test_a_top_up_adds_purchased_credits_with_its_author(credits, admin_user):
    import uuid

    credits(monthly=10)
    token = uuid.uuid4()
    entry, applied = services.top_up(amount=500, by=admin_user, reference="FAC-0001", idempotency_key=token)
    assert applied
    assert (entry.kind, entry.bucket, entry.amount, entry.created_by, entry.reference) == (
        "top_up", "purchased", 500, admin_user, "FAC-0001",
    )
    same, applied_again = services.top_up(amount=500, by=admin_user, reference="FAC-0001", idempotency_key=token)
    assert (same.pk, applied_again) == (entry.pk, False)
    assert account().purchased == 500
    assert_balances_equal_ledger()


def test_an_adjustment_never_takes_a_bucket_below_zero(credits, admin_user):
    credits(monthly=10, purchased=3)
    services.adjust(bucket="purchased", amount=-3, by=admin_user, reason="duplicate top-up")
    with pytest.raises(InsufficientCredits):
        services.adjust(bucket="purchased", amount=-1, by=admin_user, reason="too much")
    with pytest.raises(ValueError):
        services.adjust(bucket="monthly", amount=5, by=admin_user, reason=" ")
    assert account().purchased == 0
    assert_balances_equal_ledger()


def test_ledger_rows_cannot_be_changed_or_deleted(credits):
    credits(monthly=10)
    entry = charge_sms(segments=1, notification_id=1)
    entry.amount = -100
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=-5)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == -1


# --- warnings ---------------------------------------------------------------------------------

def warning_emails():
    return [m for m in mail.outbox if "SMS credits" in m.subject]


def test_one_email_per_threshold_crossing(credits, django_capture_on_commit_callbacks, admin_user):
    assert settings.SMS_CREDIT_WARNING_RATIO == 0.2
    credits(monthly=21, tier="Start")  # warning level: below 20 credits
    with django_capture_on_commit_callbacks(execute=True):
        charge_sms(segments=1, notification_id=1)  # 20 left: not below
    assert warning_emails() == []

    with django_capture_on_commit_callbacks(execute=True):
        for notification_id in range(2, 12):  # 19 .. 10 left
            charge_sms(segments=1, notification_id=notification_id)
    assert [m.subject for m in warning_emails()] == ["[Tienda Demo] SMS credits running low"]
    assert warning_emails()[0].to == [settings.STORE_EMAIL]
    assert services.balance().warning == "low"

    with django_capture_on_commit_callbacks(execute=True):
        for notification_id in range(12, 22):
            charge_sms(segments=1, notification_id=notification_id)
        with pytest.raises(InsufficientCredits):
            charge_sms(segments=1, notification_id=99)
        refund_notification(notification_id=21, reason="failed")  # 1 left: does not re-arm the warning
        charge_sms(segments=1, notification_id=21)
    assert [m.subject for m in warning_emails()] == [
        "[Tienda Demo] SMS credits running low", "[Tienda Demo] SMS credits used up",
    ]
    assert "no SMS credits left" in warning_emails()[1].body

    with django_capture_on_commit_callbacks(execute=True):
        services.top_up(amount=50, by=admin_user, reference="FAC-9")  # back above: re-armed
        for notification_id in range(100, 132):
            charge_sms(segments=1, notification_id=notification_id)  # 18 left
    assert len(warning_emails()) == 3
    assert warning_emails()[2].subject == "[Tienda Demo] SMS credits running low"


def test_no_warning_email_when_the_charge_is_rolled_back(credits, django_capture_on_commit_callbacks):
    credits(monthly=20)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            charge_sms(segments=1, notification_id=1)
            raise RuntimeError("the send was aborted")
    assert warning_emails() == []
    assert account().monthly_remaining == 20
    assert account().warning_level == "ok"


# --- balances always equal the ledger ---------------------------------------------------------

class LedgerMachine(RuleBasedStateMachine):
    """Random sequences of every operation; the balances must always equal the ledger's sums."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.user = None
        self.month = this_month()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(monthly=st.integers(0, 30), purchased=st.integers(0, 30))
    def start(self, monthly, purchased):
        from tests.factories import SuperuserFactory

        start_credits(monthly=monthly, purchased=purchased)
        self.user = SuperuserFactory(username="ledger-machine")

    @rule(segments=st.integers(1, 10), notification_id=st.integers(1, 8))
    def charge(self, segments, notification_id):
        before = account().total
        outstanding = LedgerEntry.objects.filter(kind="charge", notification_id=notification_id,
                                                 refund__isnull=True).exists()
        try:
            charge_sms(segments=segments, notification_id=notification_id)
        except InsufficientCredits:
            assert not outstanding and before < segments
            assert account().total == before
        else:
            assert account().total == (before if outstanding else before - segments)

    @rule(notification_id=st.integers(1, 8))
    def refund(self, notification_id):
        refund_notification(notification_id=notification_id, reason="failed")
        assert not LedgerEntry.objects.filter(kind="charge", notification_id=notification_id,
                                              refund__isnull=True).exists()

    @rule(amount=st.integers(1, 40))
    def top_up(self, amount):
        services.top_up(amount=amount, by=self.user, reference="R")

    @rule(bucket=st.sampled_from(["monthly", "purchased"]), amount=st.integers(-20, 20).filter(bool))
    def adjust(self, bucket, amount):
        try:
            services.adjust(bucket=bucket, amount=amount, by=self.user, reason="correction")
        except InsufficientCredits:
            assert amount < 0

    @precondition(lambda self: self.user is not None)
    @rule(tier=st.sampled_from(["Start", "Pro"]))
    def change_tier(self, tier):
        services.change_tier(tier=ServiceTier.objects.get(name=tier), by=self.user)

    @rule(twice=st.booleans())
    def new_month(self, twice):
        self.month = services.next_grant_date(self.month)
        services.grant_monthly_allowance(today=self.month)
        if twice:
            assert services.grant_monthly_allowance(today=self.month) == []
        assert account().monthly_remaining == account().tier.monthly_allowance

    @invariant()
    def balances_equal_the_ledger(self):
        if self.user is not None:
            assert_balances_equal_ledger()


def test_balances_always_equal_the_ledger_sums():
    run_state_machine_as_test(
        LedgerMachine,
        settings=hypothesis_settings(max_examples=10, stateful_step_count=20, deadline=None),
    )


def test_the_warning_email_speaks_the_stores_language(credits, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "pt-br"
    credits(monthly=1)
    with django_capture_on_commit_callbacks(execute=True):
        charge_sms(segments=1, notification_id=1)
    assert [m.subject for m in mail.outbox] == ["[Tienda Demo] Os créditos de SMS acabaram"]
    assert "Sua loja ficou sem créditos de SMS." in mail.outbox[0].body
