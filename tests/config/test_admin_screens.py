"""The admin on a 1366×768 laptop, in a real headless Chromium (Debian's package) driven by Playwright:
what matters in the order list and the notification log is in view without scrolling sideways, the
buttons of *What customers receive* leave its text readable, no header link opens a 404, and the
index's new orders lead to all of them. Where /usr/bin/chromium is missing these tests skip and say so.
"""
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from orders import services
from orders.models import Order
from tests.factories import OrderFactory, SuperuserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no Chromium at /usr/bin/chromium: install Debian's package (`apt-get install chromium`, "
        "as .ci/run does) to run the real-browser tests",
    ),
    # The live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def boss():
    return SuperuserFactory(username="boss")


@pytest.fixture
def staff_page(browser, live_server, boss):
    """A logged-in staff member's tab at 1366×768; `staff_page("es")` reads the admin in Spanish."""
    contexts = []

    def open_page(language="es"):
        client = Client()
        client.force_login(boss)
        context = browser.new_context(**LAPTOP, locale=language)
        context.add_cookies([{
            "name": django_settings.SESSION_COOKIE_NAME, "url": live_server.url,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        }])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def a_busy_day(boss, count=12):
    """Orders as a real day has them: long names, far cities, custom statuses, an oversold one."""
    orders = [
        OrderFactory(customer_name=f"María Fernanda Pérez González {n}", city="San Miguel de Tucumán")
        for n in range(count)
    ]
    services.set_custom_status(orders[0], by=boss, status_type="delivery", code="out_for_delivery")
    services.set_custom_status(orders[0], by=boss, status_type="payment", code="invoice_issued")
    Order.objects.filter(pk=orders[-1].pk).update(oversold_skus=["REM-001", "GOR-BORDADA-02"])
    return orders


def columns_in_view(page, names):
    """{column: its header's right edge is inside the list's visible box} and the list's own overflow."""
    return page.evaluate(
        """names => {
            const results = document.querySelector('.results');
            const box = results.getBoundingClientRect();
            const shown = {};
            for (const name of names) {
                const header = document.querySelector(`#result_list thead th.column-${name}`);
                const edge = header.getBoundingClientRect();
                shown[name] = edge.left >= box.left && edge.right <= Math.min(box.right, window.innerWidth) + 0.5;
            }
            return {shown, sideways: results.scrollWidth > results.clientWidth
                                     || document.documentElement.scrollWidth > window.innerWidth};
        }""",
        names,
    )


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_the_order_list_shows_status_next_step_and_oversold_without_scrolling(live_server, staff_page, boss, language):
    a_busy_day(boss)
    page = staff_page(language)

    page.goto(live_server.url + reverse("admin:orders_order_changelist"))

    found = columns_in_view(page, ["status", "next_step", "oversold_display", "custom_statuses_display"])
    assert found == {"shown": dict.fromkeys(found["shown"], True), "sideways": False}
    assert page.locator("td.field-oversold_display", has_text="GOR-BORDADA-02").is_visible()
    if language == "es":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "admin-order-list.png"))


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_the_notification_log_shows_status_and_reason_without_scrolling(live_server, staff_page, boss, language):
    order = a_busy_day(boss, count=1)[0]
    for milestone in ("order_placed", "payment_approved", "preparing", "shipped", "cancelled"):
        Notification.objects.create(
            order=order, milestone=milestone, channel="sms", status="failed",
            recipient="maria.fernanda.perez.gonzalez@example.com",
            reason_code="provider_error",
            reason_detail="21614: the number is a landline, which cannot receive text messages from this sender",
        )
    page = staff_page(language)

    page.goto(live_server.url + reverse("admin:notifications_notification_changelist"))

    found = columns_in_view(page, ["status_label", "reason_short"])
    assert found == {"shown": {"status_label": True, "reason_short": True}, "sideways": False}


def test_the_buttons_of_what_customers_receive_leave_the_intro_readable(live_server, staff_page):
    page = staff_page("es")

    page.goto(live_server.url + reverse("admin:notifications_notificationrule_overview"))

    intro = page.locator("#content-main > p").first.bounding_box()
    for button in page.locator(".object-tools a").all():
        box = button.bounding_box()
        overlaps = not (box["x"] + box["width"] <= intro["x"] or intro["x"] + intro["width"] <= box["x"]
                        or box["y"] + box["height"] <= intro["y"] or intro["y"] + intro["height"] <= box["y"])
        assert not overlaps, button.inner_text()


def test_no_link_of_the_admin_header_opens_a_404(live_server, staff_page, settings, boss):
    settings.SITE_URL = live_server.url  # the order's "View on site" opens the customer's page here
    order = OrderFactory()
    page = staff_page("es")

    for url in (reverse("admin:index"), reverse("admin:orders_order_change", args=[order.pk])):
        page.goto(live_server.url + url)
        links = page.locator("#user-tools a, .object-tools a").evaluate_all("links => links.map(a => a.href)")
        assert links
        for link in links:
            assert page.request.get(link).status < 400, link
    page.goto(live_server.url + reverse("admin:index"))
    assert page.get_by_role("link", name="Ver el sitio").count() == 0


def test_the_index_new_orders_lead_to_all_of_them(live_server, staff_page, boss):
    a_busy_day(boss, count=12)
    page = staff_page("es")
    page.goto(live_server.url + reverse("admin:index"))
    notices = page.locator("#new-order-notices")
    assert notices.locator("h2").inner_text() == "12 pedidos nuevos"
    assert notices.locator("tbody tr").count() == 8

    notices.get_by_role("link", name="Ver los 12 pedidos nuevos").click()

    page.wait_for_url("**/admin/orders/order/?*")
    assert page.locator("#result_list tbody tr").count() == 12
