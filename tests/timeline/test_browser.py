"""A customer on a phone, in a real headless Chromium (Debian's package) driven by Playwright.

CI installs Chromium in .ci/run; where /usr/bin/chromium is missing these tests skip and say so.
The screenshot lands in test-artifacts/timeline.png.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from notifications.models import PushSubscription
from orders.models import Order, Status

from .factories import TRACKING_CODE, browser_keys, order_at, timeline_carrier

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SCREENSHOT = Path(django_settings.BASE_DIR) / "test-artifacts" / "timeline.png"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no Chromium at /usr/bin/chromium: install Debian's package (`apt-get install chromium`, "
        "as .ci/run does) to run the real-browser tests",
    ),
    # The live server answers from another thread, so the data must be committed. The tests make
    # every row they need (their own carrier), so they rely on no seeded data.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are plain
    # blocking calls made between browser steps, which Django allows with this switch.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def carrier_site():
    """The carrier's public tracking page, played by a stub server on 127.0.0.1."""
    visits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            visits.append(self.path)
            body = f"<!doctype html><title>Carrier</title><h1>Tracking {self.path}</h1>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", visits
    server.shutdown()
    server.server_close()


@pytest.fixture
def vapid_key(settings):
    settings.VAPID_PUBLIC_KEY = browser_keys()[0]
    return settings.VAPID_PUBLIC_KEY


def test_customer_follows_a_shipped_order_on_a_phone_and_tracks_the_package(
    browser, live_server, carrier_site, vapid_key
):
    site, visits = carrier_site
    carrier = timeline_carrier(site + "/track/{code}")
    order = order_at(Status.SHIPPED, carrier=carrier, language="es", customer_name="Lucía Fernández", city="Rosario")
    context = browser.new_context(**PHONE, locale="es-AR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(live_server.url + reverse("timeline:order", args=[order.public_token]))

    assert page.locator("h1").inner_text() == f"Pedido {order.number}"
    steps = page.locator("ol.steps > li")
    assert [label.strip() for label in steps.locator(".step__label").all_inner_texts()] == [
        "Pedido recibido", "Confirmado", "En preparación", "Enviado", "Finalizado",
    ]
    current = page.locator('ol.steps > li[aria-current="step"]')
    assert current.count() == 1 and current.locator(".step__label").inner_text() == "Enviado"
    assert current.locator("time").is_visible()
    # The step still to come is greyed, the current one stands out.
    upcoming_color = page.locator('li[data-step="finalized"] .step__label').evaluate("e => getComputedStyle(e).color")
    current_color = current.locator(".step__label").evaluate("e => getComputedStyle(e).color")
    assert upcoming_color == "rgb(80, 88, 98)"
    assert current_color != upcoming_color
    assert page.get_by_text("¡Hola, Lucía!").is_visible()
    # Tracking: the code is there to copy, and the button leads through our counter.
    assert page.get_by_label("Código de seguimiento").input_value() == TRACKING_CODE
    track = page.get_by_role("link", name="Seguir mi envío")
    assert track.is_visible()
    assert track.get_attribute("href") == reverse("timeline:track", args=[order.public_token])
    page.get_by_role("button", name="Copiar").click()
    # The page says so once the clipboard has taken it (asynchronously): wait for the words.
    from playwright.sync_api import expect

    expect(page.locator("#copy-status")).to_have_text("Código de seguimiento copiado")
    # The browser supports web push and the service worker registered: the opt-in is offered.
    notify = page.get_by_role("button", name="Avisarme en este dispositivo")
    notify.wait_for(state="visible")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    track.click()
    page.wait_for_url(f"{site}/track/{TRACKING_CODE}")
    assert [path for path in visits if path.startswith("/track/")] == [f"/track/{TRACKING_CODE}"]
    assert Order.objects.get(pk=order.pk).tracking_clicks == 1
    context.close()


def test_the_page_reads_fine_without_javascript(browser, live_server):
    order = order_at(Status.READY_FOR_PICKUP, "pickup", language="en")
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()

    page.goto(live_server.url + reverse("timeline:order", args=[order.public_token]))

    assert page.locator('li[aria-current="step"] .step__label').inner_text() == "Ready for pickup"
    assert page.get_by_text("Your order is ready: you can pick it up now.").is_visible()
    assert page.get_by_text("Honduras 4800").is_visible()
    assert page.locator("[data-push]").count() == 0 or not page.locator("[data-push]").is_visible()
    context.close()


def test_notify_me_stores_the_subscription_and_stop_removes_it(browser, live_server, vapid_key):
    """The browser's push service is out of reach here, so PushManager hands out a subscription
    with real-format keys; everything else (service worker, page script, endpoints) is real."""
    order = order_at(Status.PREPARING, language="en")
    p256dh, auth = browser_keys()
    endpoint = "https://fcm.googleapis.com/fcm/send/browser-test:APA91b"
    context = browser.new_context(**PHONE)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(
        """
        (() => {
          let current = null;
          const make = () => ({
            endpoint: %(endpoint)r,
            toJSON() { return {endpoint: this.endpoint, expirationTime: null,
                               keys: {p256dh: %(p256dh)r, auth: %(auth)r}}; },
            unsubscribe() { current = null; return Promise.resolve(true); },
          });
          if (window.PushManager) {
            PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
            PushManager.prototype.subscribe = function () { current = make(); return Promise.resolve(current); };
          }
        })();
        """ % {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("timeline:order", args=[order.public_token]))

    page.get_by_role("button", name="Notify me on this device").click()
    page.get_by_role("button", name="Stop notifications").wait_for(state="visible")

    stored = PushSubscription.objects.get(order=order)
    assert (stored.endpoint, stored.p256dh, stored.auth) == (endpoint, p256dh, auth)
    assert "Chrome" in stored.user_agent
    assert page.locator("[data-push-status]").inner_text().startswith("Done: we will notify you")

    page.get_by_role("button", name="Stop notifications").click()
    page.get_by_role("button", name="Notify me on this device").wait_for(state="visible")
    assert not PushSubscription.objects.filter(order=order).exists()
    context.close()


def test_a_reader_switches_the_language_and_the_page_remembers_it_for_that_order(browser, live_server):
    """A Portuguese-speaking customer reads an order the store wrote down in Spanish: one tap on
    "Português", and the page stays in Portuguese on the next visit; another order's page, and a
    new reader of this one, still get the order's language. A cancelled order says why."""
    order = order_at(Status.CANCELLED, cancelled_from=Status.ACCEPTED, language="es", customer_name="João Silva")
    other = order_at(Status.PENDING, language="es")
    context = browser.new_context(**PHONE, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    address = live_server.url + reverse("timeline:order", args=[order.public_token])

    page.goto(address)
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".notice--cancelled").get_by_text("Motivo: Sin stock del talle pedido").is_visible()
    languages = page.get_by_role("navigation", name="Idioma")
    assert languages.get_by_role("link").all_inner_texts() == ["Español", "Português", "English"]
    assert languages.locator('[aria-current="true"]').inner_text() == "Español"
    # The links fit the phone's header: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    languages.get_by_role("link", name="Português").click()
    page.wait_for_url(address + "?lang=pt-br")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.locator("h1").inner_text() == f"Pedido {order.number}"
    assert page.get_by_text("Este pedido foi cancelado").is_visible()
    assert page.locator(".notice--cancelled").get_by_text("Motivo: Sin stock del talle pedido").is_visible()
    assert page.get_by_role("navigation", name="Idioma").locator('[aria-current="true"]').inner_text() == "Português"

    page.goto(address)  # a later visit, from the link in a message
    assert page.locator("html").get_attribute("lang") == "pt-br"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(address + "?lang=en")
    page.goto(address)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Reason: Sin stock del talle pedido").is_visible()

    page.goto(live_server.url + reverse("timeline:order", args=[other.public_token]))
    assert page.locator("html").get_attribute("lang") == "es"  # the choice was for that page

    newcomer = browser.new_context(**PHONE, locale="en-US").new_page()
    newcomer.goto(address)
    assert newcomer.locator("html").get_attribute("lang") == "es"  # a new reader: the order's language
    newcomer.context.close()
    context.close()
