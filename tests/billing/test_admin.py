import csv
import io
import re
import uuid

import pytest
from django.urls import reverse

from billing import services
from billing.models import LedgerEntry, ServiceTier
from tests.factories import UserFactory

from .conftest import account, assert_balances_equal_ledger

pytestmark = pytest.mark.django_db

TOP_UP_URL = reverse("admin:billing_ledgerentry_top_up")
TIER_URL = reverse("admin:billing_ledgerentry_tier")
LEDGER_URL = reverse("admin:billing_ledgerentry_changelist")
EXPORT_URL = reverse("admin:billing_ledgerentry_export")


@pytest.fixture
def billing_client(client):
    client.force_login(UserFactory(username="cobranzas", groups=["Billing"]))
    return client


@pytest.fixture
def plain_staff_client(client):
    client.force_login(UserFactory(username="deposito"))
    return client


def top_up_token(client) -> str:
    page = client.get(TOP_UP_URL).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]+)"', page).group(1)


# --- the index widget -------------------------------------------------------------------------

def test_admin_index_shows_the_credit_widget(staff_client, credits):
    credits(monthly=73, purchased=250)
    services.charge_sms(segments=2, notification_id=1)
    services.change_tier(tier=ServiceTier.objects.get(name="Pro"), by=None)

    page = staff_client.get(reverse("admin:index")).content.decode()
    widget = page[page.index('id="sms-credits"'):]
    assert "SMS credits" in widget
    assert "71 / 100" in widget  # monthly allowance remaining
    assert "250" in widget  # purchased credits
    assert "321" in widget  # total
    assert re.search(r"SMS sent this month</th><td>1 \(2 credits\)", widget)
    assert "Start (100 SMS a month)" in widget
    assert "Pro (1,000 SMS a month), from" in widget
    assert TOP_UP_URL in widget and TIER_URL in widget and LEDGER_URL in widget
    assert "running low" not in widget


def test_admin_index_warns_when_credits_run_low_and_when_they_run_out(staff_client, credits):
    credits(monthly=19)
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "SMS credits are running low: 19 credits left, below the warning level of 20." in page

    credits(monthly=0)
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "No SMS credits left: SMS notifications are not being sent" in page


def test_widget_hides_the_billing_links_from_other_staff(plain_staff_client, credits):
    credits(monthly=50)
    page = plain_staff_client.get(reverse("admin:index")).content.decode()
    assert "50 / 100" in page
    assert TOP_UP_URL not in page and TIER_URL not in page


# --- top-ups ----------------------------------------------------------------------------------

def test_a_billing_member_tops_up_credits(billing_client, credits):
    credits(monthly=10)
    response = billing_client.post(TOP_UP_URL, {
        "amount": "1000", "reference": "Factura A-0001-00001234", "note": "Pack 1000", "token": top_up_token(billing_client),
    })
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="top_up")
    assert (entry.amount, entry.reference, entry.reason, entry.created_by.username) == (
        1000, "Factura A-0001-00001234", "Pack 1000", "cobranzas",
    )
    assert account().purchased == 1000
    assert "1000 SMS credits added." in billing_client.get(LEDGER_URL).content.decode()


@pytest.mark.parametrize("amount,error", [
    ("0", "Enter at least 1 credit."),
    ("-5", "Enter at least 1 credit."),
    ("1.5", "Enter a whole number of credits."),
    ("abc", "Enter a whole number of credits."),
    ("", "This field is required."),
])
def test_a_top_up_that_is_not_a_positive_whole_number_is_a_form_error(staff_client, credits, amount, error):
    credits(monthly=10)
    response = staff_client.post(TOP_UP_URL, {"amount": amount, "reference": "X-1", "token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="top_up").exists()
    assert account().purchased == 0


def test_a_top_up_without_reference_or_token_is_a_form_error(staff_client, credits):
    credits(monthly=10)
    response = staff_client.post(TOP_UP_URL, {"amount": "10", "reference": ""})
    page = response.content.decode()
    assert "This field is required." in page
    assert "This form has expired; open it again." in page
    assert not LedgerEntry.objects.filter(kind="top_up").exists()


def test_a_double_submitted_top_up_is_applied_once(staff_client, credits):
    credits(monthly=10)
    data = {"amount": "500", "reference": "MP-123456", "token": top_up_token(staff_client)}
    assert staff_client.post(TOP_UP_URL, data).status_code == 302
    second = staff_client.post(TOP_UP_URL, data, follow=True)
    assert "This top-up was already applied" in second.content.decode()
    assert LedgerEntry.objects.filter(kind="top_up").count() == 1
    assert account().purchased == 500

    # A new form (new token) is a new top-up.
    data["token"] = top_up_token(staff_client)
    staff_client.post(TOP_UP_URL, data)
    assert account().purchased == 1000
    assert_balances_equal_ledger()


def test_staff_outside_the_billing_group_cannot_top_up_or_change_tier(plain_staff_client, credits):
    credits(monthly=10)
    assert plain_staff_client.get(TOP_UP_URL).status_code == 403
    response = plain_staff_client.post(TOP_UP_URL, {"amount": "100", "reference": "X", "token": str(uuid.uuid4())})
    assert response.status_code == 403
    assert plain_staff_client.get(TIER_URL).status_code == 403
    assert plain_staff_client.post(TIER_URL, {"tier": ServiceTier.objects.get(name="Pro").pk}).status_code == 403
    assert plain_staff_client.get(LEDGER_URL).status_code == 403
    assert account().purchased == 0 and account().pending_tier is None


def test_the_billing_group_exists_with_its_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Billing").permissions.values_list("codename", flat=True))
    assert {"top_up_credits", "change_service_tier", "view_ledgerentry"} <= codenames


# --- tier change ------------------------------------------------------------------------------

def test_the_tier_page_schedules_the_change_for_the_next_grant(billing_client, credits):
    credits(monthly=40)
    page = billing_client.get(TIER_URL).content.decode()
    assert "A new tier takes effect with the next monthly grant" in page

    pro = ServiceTier.objects.get(name="Pro")
    response = billing_client.post(TIER_URL, {"tier": pro.pk}, follow=True)
    assert "The store moves to the Pro tier on" in response.content.decode()
    assert "Pending change to Pro, requested by cobranzas" in response.content.decode()
    assert (account().tier.name, account().pending_tier, account().monthly_remaining) == ("Start", pro, 40)


# --- the ledger -------------------------------------------------------------------------------

def test_the_ledger_cannot_be_added_changed_or_deleted_in_the_admin(staff_client, credits):
    credits(monthly=10)
    entry = services.charge_sms(segments=1, notification_id=3)
    change_url = reverse("admin:billing_ledgerentry_change", args=[entry.pk])

    page = staff_client.get(change_url)
    assert page.status_code == 200  # read-only view
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(change_url, {"amount": "-100", "kind": "charge"}).status_code == 403
    assert staff_client.get(reverse("admin:billing_ledgerentry_add")).status_code == 403
    delete_url = reverse("admin:billing_ledgerentry_delete", args=[entry.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = staff_client.post(LEDGER_URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert LedgerEntry.objects.filter(pk=entry.pk, amount=-1).exists()
    assert response.status_code in (200, 302)
    changelist = staff_client.get(LEDGER_URL).content.decode()
    assert "delete_selected" not in changelist
    assert "export_csv" in changelist


def test_the_ledger_filters_by_kind_and_date(staff_client, credits):
    from django.utils import timezone

    credits(monthly=10, purchased=5)
    services.charge_sms(segments=1, notification_id=77)

    response = staff_client.get(LEDGER_URL, {"kind__exact": "charge"})
    assert [(e.kind, e.notification_id) for e in response.context["cl"].result_list] == [("charge", 77)]

    today = timezone.localdate()
    response = staff_client.get(LEDGER_URL, {"created_at__year": today.year, "created_at__month": today.month})
    assert response.context["cl"].result_count == 3
    response = staff_client.get(LEDGER_URL, {"created_at__gte": "2000-01-01T00:00:00-03:00",
                                             "created_at__lt": "2000-02-01T00:00:00-03:00"})
    assert response.context["cl"].result_count == 0


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_ledger_exports_to_csv_with_the_lists_filters(staff_client, credits, admin_user):
    credits(monthly=10)
    services.top_up(amount=300, by=admin_user, reference="=HYPERLINK(\"x\")")
    services.charge_sms(segments=2, notification_id=55)

    response = staff_client.get(EXPORT_URL)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:5] == ["Date", "Kind", "Bucket", "Credits", "Bucket balance after"]
    assert [row[1] for row in rows[1:]] == ["Monthly grant", "Top-up", "Message charge"]
    top_up_row = rows[2]
    assert top_up_row[3] == "300" and top_up_row[7] == "boss"
    assert top_up_row[9] == "'=HYPERLINK(\"x\")"  # never run as a spreadsheet formula

    rows = read_csv(staff_client.get(EXPORT_URL, {"kind__exact": "charge"}))
    assert [(row[1], row[3], row[6]) for row in rows[1:]] == [("Message charge", "-2", "55")]


def test_the_export_action_exports_the_selected_entries(staff_client, credits):
    credits(monthly=10)
    entry = services.charge_sms(segments=1, notification_id=8)
    response = staff_client.post(LEDGER_URL, {"action": "export_csv", "_selected_action": [entry.pk]})
    rows = read_csv(response)
    assert len(rows) == 2 and rows[1][6] == "8"


def test_billing_members_can_read_the_ledger(billing_client, credits):
    credits(monthly=10)
    assert billing_client.get(LEDGER_URL).status_code == 200
    assert billing_client.get(EXPORT_URL).status_code == 200
    assert billing_client.get(reverse("admin:billing_servicetier_changelist")).status_code == 200


# --- the cost preview tag ---------------------------------------------------------------------

def test_the_cost_preview_tag_shows_both_costs():
    from django.template import Context, Template

    html = Template("{% load billing_admin %}{% sms_cost_preview text %}").render(
        Context({"text": "Hola João, tu pedido salió. " * 6})
    )
    assert "UCS-2 (Unicode)" in html and "3 SMS segments" in html
    assert "With GSM-7 friendly characters:" in html and "GSM-7" in html and "2 SMS segments" in html
    assert "<code>ã ó</code>" in html


# --- manual adjustments -----------------------------------------------------------------------

ADJUST_URL = reverse("admin:billing_ledgerentry_adjust")


def test_a_superuser_records_an_adjustment_once(staff_client, credits):
    credits(monthly=10, purchased=40)
    page = staff_client.get(ADJUST_URL).content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', page).group(1)
    data = {"bucket": "purchased", "amount": "-25", "reason": "Recarga FAC-0001 cargada dos veces", "token": token}
    assert staff_client.post(ADJUST_URL, data).status_code == 302
    assert staff_client.post(ADJUST_URL, data).status_code == 302
    entry = LedgerEntry.objects.get(kind="adjustment")
    assert (entry.amount, entry.bucket, entry.created_by.username) == (-25, "purchased", "boss")
    assert account().purchased == 15
    assert_balances_equal_ledger()


@pytest.mark.parametrize("amount,error", [
    ("0", "An adjustment adds or takes at least 1 credit."),
    ("2.5", "Enter a whole number of credits."),
    ("-41", "That would leave the balance below zero: it has 40 credits."),
])
def test_an_impossible_adjustment_is_a_form_error(staff_client, credits, amount, error):
    credits(monthly=10, purchased=40)
    response = staff_client.post(ADJUST_URL, {
        "bucket": "purchased", "amount": amount, "reason": "x", "token": str(uuid.uuid4()),
    })
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


def test_only_superusers_adjust_credits(billing_client, credits):
    credits(monthly=10)
    assert billing_client.get(ADJUST_URL).status_code == 403
    response = billing_client.post(ADJUST_URL, {
        "bucket": "monthly", "amount": "50", "reason": "x", "token": str(uuid.uuid4()),
    })
    assert response.status_code == 403
    assert account().monthly_remaining == 10
