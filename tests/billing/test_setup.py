import pytest
from django.utils import timezone
from django_q.models import Schedule

from billing import receivers, services
from billing.models import LedgerEntry

from .conftest import this_month

pytestmark = pytest.mark.django_db


def test_migrate_registers_one_monthly_schedule_for_the_grant():
    schedules = Schedule.objects.filter(func="billing.tasks.grant_monthly_allowance")
    assert schedules.count() == 1
    schedule = schedules.get()
    assert schedule.schedule_type == Schedule.MONTHLY
    assert schedule.repeats == -1
    local = timezone.localtime(schedule.next_run)
    assert (local.date(), local.hour, local.minute) == (services.next_grant_date(), 0, 5)


def test_running_the_set_up_again_keeps_one_schedule_and_one_grant():
    Schedule.objects.create(func="billing.tasks.grant_monthly_allowance", name="duplicate", schedule_type="M")
    receivers.set_up_after_migrate(sender=None)
    receivers.set_up_after_migrate(sender=None)
    assert Schedule.objects.filter(func="billing.tasks.grant_monthly_allowance").count() == 1
    assert LedgerEntry.objects.filter(kind="grant", period=this_month()).count() == 1


def test_the_grant_is_done_at_set_up_on_a_database_without_an_account():
    from django.db import connection

    from billing.models import CreditAccount

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_ledgerentry")
    CreditAccount.objects.all().delete()
    receivers.set_up_after_migrate(sender=None)
    current = services.balance()
    assert (current.tier.name, current.monthly_remaining, current.period) == ("Start", 100, this_month())
