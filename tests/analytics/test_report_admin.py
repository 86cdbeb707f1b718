"""The report in the admin: who may see it, where it is linked, the page with its chart and table,
the CSV export, form errors, translations, and a query count that does not grow."""
import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import CustomStatus
from tests.analytics.factories import enter, enter_custom, known_orders, local, order_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("admin:analytics_report_changelist")
CSV_URL = reverse("admin:analytics_report_csv")
MAY_1_TO_4 = {"start": "2025-05-01", "end": "2025-05-04"}


def analyst(username="analyst"):
    user = UserFactory(username=username)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="analytics", codename="view_report"))
    return user


@pytest.fixture
def analyst_client(client):
    client.force_login(analyst())
    return client


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- who may see it -----------------------------------------------------------------------------


def test_staff_without_the_permission_get_403(client):
    client.force_login(UserFactory(username="clerk"))

    assert client.get(REPORT_URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_people_who_are_not_staff_are_sent_to_the_login(client):
    user = analyst("former")
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    response = client.get(REPORT_URL)

    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_order_managers_see_the_report(client):
    client.force_login(UserFactory(username="manager", groups=["Order managers"]))

    assert client.get(REPORT_URL).status_code == 200
    assert client.get(CSV_URL).status_code == 200


def test_the_admin_index_and_the_order_list_link_to_the_report(analyst_client, client):
    analyst_client.force_login(UserFactory(username="both", groups=["Order managers"]))

    assert REPORT_URL in analyst_client.get(reverse("admin:index")).content.decode()
    assert REPORT_URL in analyst_client.get(reverse("admin:orders_order_changelist")).content.decode()

    client.force_login(UserFactory(username="dispatcher", groups=["Dispatch"]))
    assert REPORT_URL not in client.get(reverse("admin:index")).content.decode()
    assert REPORT_URL not in client.get(reverse("admin:orders_order_changelist")).content.decode()


# --- the page -----------------------------------------------------------------------------------


def test_page_shows_the_median_the_chart_and_the_table(analyst_client):
    known_orders()

    response = analyst_client.get(REPORT_URL, MAY_1_TO_4)
    page = response.content.decode()

    assert response.status_code == 200
    between = response.context["result"].between
    assert (between.orders, between.median) == (4, 18 * 3600)
    assert "median <strong>18 h 0 min</strong>" in page and "90% within 1 d 16 h" in page and "4 orders" in page
    # The chart: inline SVG, labelled for screen readers, a line and a legend entry per status with orders.
    charts = re.findall(r'<svg [^>]*id="report-chart".*?</svg>', page, re.DOTALL)
    assert len(charts) == 1
    chart = charts[0]
    assert 'role="img" aria-labelledby="report-chart-title report-chart-desc"' in chart
    assert '<title id="report-chart-title">Orders that entered each status, per day</title>' in chart
    assert "Pending: 5; Accepted: 5; Preparing: 1; Shipped: 5" in chart  # in the description
    assert chart.count("<polyline") == 4 and chart.count('class="legend-item"') == 4
    assert "<script" not in chart and "href" not in chart
    # The table beside it, with the totals.
    table = page.split('<table id="report-table">')[1].split("</table>")[0]
    assert "<caption>Orders that entered each status, per day</caption>" in table
    assert [row.count("<td>") for row in table.split("<tr>")[2:]] == [4, 4, 4, 4, 4]  # 4 days and the totals
    assert "<td>2</td><td>2</td><td>0</td><td>1</td>" in table  # 1 May: pending, accepted, preparing, shipped
    assert "<td>5</td><td>5</td><td>1</td><td>5</td>" in table  # totals
    assert "No order entered these statuses in the period:" in page and "Ready for pickup" in page


def test_page_defaults_to_the_last_30_days_and_accepted_to_shipped(analyst_client):
    today, now = timezone.localdate(), timezone.now()
    order = order_with([("pending", now - timedelta(days=29, hours=1))])
    enter(order, "accepted", now - timedelta(hours=5))
    enter(order, "shipped", now - timedelta(hours=2))

    response = analyst_client.get(REPORT_URL)

    result = response.context["result"]
    assert (result.filters.start, result.filters.end) == (today - timedelta(days=29), today)
    assert (result.between.start.key, result.between.end.key) == ("accepted", "shipped")
    assert (result.between.orders, result.between.median) == (1, 3 * 3600)
    assert f"start={(today - timedelta(days=29)).isoformat()}" in response.context["csv_url"]


def test_page_filters_by_payment_method(analyst_client):
    known_orders()

    response = analyst_client.get(REPORT_URL, {**MAY_1_TO_4, "payment_method": ["cash_on_delivery"]})

    rows = {row.option.key: row.total for row in response.context["result"].rows}
    assert rows == {"pending": 1, "accepted": 1, "preparing": 1, "shipped": 1}
    assert response.context["result"].between.median == 6 * 3600
    assert 'value="cash_on_delivery" id="id_payment_method_2" checked' in response.content.decode()


def test_refused_filters_are_explained_in_sentences_and_draw_nothing(analyst_client):
    reversed_range = analyst_client.get(REPORT_URL, {"start": "2025-05-04", "end": "2025-05-01"})
    same_status = analyst_client.get(REPORT_URL, {**MAY_1_TO_4, "from_status": "shipped", "to_status": "shipped"})
    too_long = analyst_client.get(REPORT_URL, {"start": "2023-01-01", "end": "2025-05-01"})
    bad_csv = analyst_client.get(CSV_URL, {"start": "2025-05-04", "end": "2025-05-01"})

    assert "The first day must not be after the last day." in reversed_range.content.decode()
    assert "Choose two different statuses to measure the time between them." in same_status.content.decode()
    assert "Choose at most 366 days." in too_long.content.decode()
    for response in (reversed_range, same_status, too_long):
        assert response.status_code == 200 and 'id="report-chart"' not in response.content.decode()
    assert bad_csv.status_code == 400 and bad_csv.content.decode() == "The first day must not be after the last day."


def test_days_far_outside_any_order_are_refused_with_a_sentence(analyst_client):
    # The last day ends at the next midnight: 9999-12-31 has none (it used to be a server error).
    far_future = analyst_client.get(REPORT_URL, {"start": "9999-12-25", "end": "9999-12-31"})
    far_past = analyst_client.get(REPORT_URL, {"start": "0001-01-01", "end": "0001-01-02"})
    far_future_csv = analyst_client.get(CSV_URL, {"start": "9999-12-25", "end": "9999-12-31"})

    for response in (far_future, far_past):
        assert response.status_code == 200 and 'id="report-chart"' not in response.content.decode()
    assert "Ensure this value is less than or equal to" in far_future.content.decode()
    assert "Ensure this value is greater than or equal to" in far_past.content.decode()
    assert far_future_csv.status_code == 400


def test_page_speaks_spanish_and_portuguese(analyst_client):
    known_orders()

    spanish = analyst_client.get(REPORT_URL, MAY_1_TO_4, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    portuguese = analyst_client.get(REPORT_URL, MAY_1_TO_4, HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()

    for text in ("Pedidos por estado", "Descargar CSV", "Medio de pago", "Aceptado", "mediana", "En reparto"):
        assert text in spanish, text
    for text in ("Pedidos por status", "Baixar CSV", "Forma de pagamento", "Aceito", "mediana", "Saiu para entrega"):
        assert text in portuguese, text


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_has_the_numbers_the_filters_and_the_median(analyst_client):
    known_orders()

    response = analyst_client.get(CSV_URL, {**MAY_1_TO_4, "payment_method": ["transfer"]})
    rows = read_csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="orders-by-status_2025-05-01_2025-05-04.csv"'
    assert rows[0] == ["day", "status_type", "status_code", "status_name", "orders"]
    counts = rows[1:rows.index([])]
    # Transfer orders 1, 2, 5, 6, 7 over 4 days, for the 3 statuses they entered; zeros included.
    assert len(counts) == 4 * 3
    assert counts[:3] == [
        ["2025-05-01", "core", "pending", "Pending", "2"],
        ["2025-05-01", "core", "accepted", "Accepted", "2"],
        ["2025-05-01", "core", "shipped", "Shipped", "1"],
    ]
    assert ["2025-05-03", "core", "shipped", "Shipped", "0"] in counts
    assert ["2025-05-04", "core", "pending", "Pending", "1"] in counts
    assert rows[rows.index([]) + 1:] == [
        ["from_status", "from_status_name", "to_status", "to_status_name", "orders_measured", "median_seconds",
         "p90_seconds"],
        ["accepted", "Accepted", "shipped", "Shipped", "3", "86400", "155520"],
    ]


def test_csv_cells_never_start_a_formula(analyst_client):
    order = known_orders()[1]
    CustomStatus.objects.filter(type="delivery", code="delivered").update(
        name_en='=HYPERLINK("http://evil.example","x")', name_es="+1", name_pt_br="@SUM(A1)"
    )
    enter_custom(order, "delivery:delivered", local(3, 9))

    rows = read_csv(analyst_client.get(CSV_URL, {
        **MAY_1_TO_4, "from_status": "shipped", "to_status": "delivery:delivered",
    }))

    assert ["2025-05-03", "delivery", "delivered", "'=HYPERLINK(\"http://evil.example\",\"x\")", "1"] in rows
    assert rows[-1][:5] == ["shipped", "Shipped", "delivery:delivered", "'=HYPERLINK(\"http://evil.example\",\"x\")",
                            "1"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- query budget -------------------------------------------------------------------------------


def many_orders(count: int, days: int):
    for index in range(count):
        day = local(1, 0) + timedelta(days=index % days, hours=index % 7)
        order = order_with([("pending", day), ("accepted", day + timedelta(hours=2))],
                           payment_method=("transfer", "online")[index % 2])
        enter(order, "shipped", day + timedelta(hours=30))
        enter_custom(order, "delivery:delivered", day + timedelta(hours=50))


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [REPORT_URL, CSV_URL])
def test_query_count_does_not_grow_with_orders_or_days(analyst_client, url):
    short = {"start": "2025-05-01", "end": "2025-05-03", "payment_method": ["transfer"]}
    long = {"start": "2025-04-01", "end": "2025-07-31", "payment_method": ["transfer"]}
    many_orders(3, days=3)
    analyst_client.get(url, short)  # warm the session and content-type caches
    small = count_queries(analyst_client, url, short)
    many_orders(60, days=90)

    # 12: the daily counts read which days are rolled up, then the kept counts and/or the live ones;
    # the time between reads through which day its pair is kept, and its plan settings are set before
    # its statement and, inside the test's transaction, put back after it (outside one, they end with
    # its own transaction: one statement).
    assert count_queries(analyst_client, url, long) == small <= 12
