"""Staff register a refund from the order page at 1366×768, in a real headless Chromium."""
from django.urls import reverse

from orders import services
from orders.models import Payment, Status
from tests.timeline.factories import order_at
from tests.timeline.test_browser import browser, pytestmark  # noqa: F401 (the browser and its skip)

ADMIN_SCREEN = {"viewport": {"width": 1366, "height": 768}}


def test_staff_register_the_refund_from_the_order_page(browser, live_server, admin_user):
    """At 1366×768 the button is on the order page, its page takes the refund, and Next step says it."""
    order = order_at(Status.ACCEPTED, language="es")
    Payment.objects.create(order=order, amount=order.total, reference="MP-1")
    order = services.cancel(order, by=admin_user, reason="Sin stock", notify_customer=False)
    admin_user.set_password("secret-pass-123")
    admin_user.save()
    context = browser.new_context(**ADMIN_SCREEN, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")

    page.goto(live_server.url + reverse("admin:orders_order_change", args=[order.pk]))
    assert page.locator(".next-step strong").inner_text() == "Refund"
    button = page.get_by_role("link", name="Register refund")
    assert button.is_visible()
    button.click()
    page.fill("#id_reference", "DEV-2231")
    page.get_by_role("button", name="Register refund").click()

    assert "Everything paid was refunded." in page.locator(".messagelist").inner_text()
    assert page.locator(".next-step").count() == 0
    assert page.get_by_text("DEV-2231").first.is_visible()
    context.close()
