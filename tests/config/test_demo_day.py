"""A demo day, in a real headless Chromium, once per language (Spanish, Portuguese (Brazil), English).

`make run`'s set-up loads the demo data; then a store day is worked through the admin as staff work
it, clicking the real buttons at 1366×768: a transfer order paid with a proof and taken to
finalized (shipped with Correo Argentino), a cash-on-delivery order shipped with Andreani, collected
and finalized, a pickup order marked ready for pickup, and a paid order cancelled with a reason and
refunded in two parts. Then every message the day sent is read, and the customer's page of each order
on a 390×844 phone, the way the links in the messages open it. Each assertion names what a first demo
day once found wrong: the reader sees none of it, in the day's language.
"""
import re
import struct
import zlib
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from billing import services as billing
from carriers.models import Carrier
from inventory.models import StockItem
from notifications.backends.sms import locmem as sms_locmem
from notifications.models import MessageTemplate, Notification
from orders import services
from orders.display import format_money
from orders.models import Order
from tests.timeline.factories import browser_keys
from tests.timeline.test_browser import PHONE

from .test_admin_screens import boss, browser, columns_in_view, pytestmark, staff_page  # noqa: F401
from .test_glossary import forbidden_words, uses

CORREO_CODE = "RR123456785AR"  # UPU S10, check digit 5
ANDREANI_CODE = "360000123456780"
BANK = "Banco Demo · CBU 0000003100010000000001 · alias TIENDA.DEMO"

# The day in each language: the browser's locale (the staff's and the customers' language), a
# customer who lives there, and what the messages and pages must say.
DAYS = {
    "es": {
        "locale": "es-AR", "customer": ("Lucía Fernández", "Rosario", "Bv. Oroño 1234"),
        "reason": "Nos quedamos sin stock del talle elegido.",
        "subjects": {
            "order_placed": "Recibimos tu pedido {n}", "cancelled": "Tu pedido {n} fue cancelado",
            "ready_for_pickup": "Tu pedido {n} está listo para retirar", "refunded": "Reintegro de tu pedido {n}",
            "shipped": "Tu pedido {n} está en camino",
        },
        "said": {
            "reason": "Motivo: {reason}", "bank": "Para pagarlo por transferencia:",
            "refund_total": "en total te reintegramos {total}",
        },
        "notify": "Avisarme en este dispositivo", "bank_title": "Cómo pagar por transferencia",
        "money": r"\$\d{1,3}(?:\.\d{3})*,\d{2}",
    },
    "pt-br": {
        "locale": "pt-BR", "customer": ("João Silva", "São Paulo", "Av. Paulista 1000, ap. 52"),
        "reason": "Ficamos sem estoque do tamanho escolhido.",
        "subjects": {
            "order_placed": "Recebemos o seu pedido {n}", "cancelled": "O seu pedido {n} foi cancelado",
            "ready_for_pickup": "O seu pedido {n} está pronto para retirada",
            "refunded": "Reembolso do seu pedido {n}", "shipped": "O seu pedido {n} está a caminho",
        },
        "said": {
            "reason": "Motivo: {reason}", "bank": "Para pagar por transferência:",
            "refund_total": "no total, reembolsamos {total}",
        },
        "notify": "Avisar neste dispositivo", "bank_title": "Como pagar por transferência",
        "money": r"ARS\s\d{1,3}(?:\.\d{3})*,\d{2}",
    },
    "en": {
        "locale": "en-US", "customer": ("Emily Carter", "Mendoza", "Av. San Martín 1200"),
        "reason": "The size you chose is out of stock.",
        "subjects": {
            "order_placed": "We received your order {n}", "cancelled": "Your order {n} was cancelled",
            "ready_for_pickup": "Your order {n} is ready for pickup", "refunded": "Refund for your order {n}",
            "shipped": "Your order {n} is on its way",
        },
        "said": {
            "reason": "Reason: {reason}", "bank": "To pay by bank transfer:",
            "refund_total": "in all, we've refunded {total}",
        },
        "notify": "Notify me on this device", "bank_title": "How to pay by bank transfer",
        "money": r"ARS\d{1,3}(?:,\d{3})*\.\d{2}",
    },
}
# Anything written as money: a currency sign or code beside digits, on either side.
MONEY_LIKE = re.compile(r"(?:R\$|US\$|ARS|\$)[ \xa0]?\d[\d.,]*\d|\d[\d.,]*[.,]\d\d[ \xa0]?(?:ARS|\$)")
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
MONTHS = {
    "pt-br": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
              "novembro", "dezembro"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
}
CODES = ["order_placed", "payment_approved", "ready_for_pickup", "cancelled email", "_"]


def png() -> bytes:
    """A 1×1 PNG: the transfer's proof, as a phone's screenshot would be."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


@pytest.fixture
def demo_store(settings, live_server):
    """`make run`: the demo data, links to the address the server answers at, web push keys."""
    settings.SITE_URL = live_server.url
    settings.STORE_TRANSFER_DETAILS = BANK
    settings.VAPID_PUBLIC_KEY = browser_keys()[0]
    settings.STORE_EMAIL = "hola@tiendademo.com.ar"
    for command in ("seed_demo_stock", "seed_demo", "seed_demo_checkouts"):
        call_command(command, stdout=StringIO())
    billing.top_up(amount=50, by=None, reference="demo")
    mail.outbox = []
    sms_locmem.outbox.clear()
    yield
    sms_locmem.outbox.clear()


def place(day, language, payment_method, fulfillment, email):
    name, city, address = day["customer"]
    where = {"address": f"{address}, {city}", "city": city} if fulfillment == "carrier" else {
        "pickup_point": "Local Palermo, Honduras 4800, CABA"}
    return services.place_order(
        by=None, customer_name=name, customer_email=email, customer_phone="+5491155550000", language=language,
        payment_method=payment_method, fulfillment_method=fulfillment, currency="ARS",
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "32500.00"}],
        shipping_cost="1500.00", **where,
    )


class Staff:
    """The staff member's tab: opens an order and makes a move through its button and form."""

    def __init__(self, page, server):
        self.page, self.server = page, server
        self.read = []  # (page, text) of every page the staff member saw

    def open(self, order):
        self.page.goto(self.server + reverse("admin:orders_order_change", args=[order.pk]))

    def move(self, order, button, fill=None):
        self.open(order)
        self.page.locator(f'li.order-move[data-move="{button}"][data-enabled="true"] a').click()
        self.read.append((f"the {button} page of {order.number}", page_text(self.page)))
        if fill is not None:
            fill(self.page)
        self.page.locator("form.move-form input[type=submit]").click()
        self.page.wait_for_url(f"**/orders/order/{order.pk}/change/")
        success = self.page.locator("ul.messagelist li.success")
        assert success.count() == 1, (button, self.page.locator(".errornote, .errorlist").all_inner_texts())
        self.read.append((f"the page of {order.number} after {button}", page_text(self.page)))
        return success.inner_text()


def pay_with_proof(page):
    page.fill("#id_reference", "TRF-000123")
    page.set_input_files("#id_proof", files=[{"name": "comprobante.png", "mimeType": "image/png", "buffer": png()}])


def ship_with(carrier_code, tracking_code):
    def fill(page):
        page.select_option("#id_carrier", str(Carrier.objects.get(code=carrier_code).pk))
        page.fill("#id_tracking_code", tracking_code)
    return fill


def refund(amount):
    def fill(page):
        page.fill("#id_amount", amount)
        page.fill("#id_reference", "REINT-1")
    return fill


def page_text(page) -> str:
    return page.locator("body").inner_text()


def assert_words_of(language, where, text, day):
    """The glossary's words, one money format and (Portuguese) months in lower case."""
    for word in forbidden_words().get(language, ()):
        assert not uses(text, word), f"{where} says “{word}”"
    for written in MONEY_LIKE.findall(text):
        assert re.fullmatch(day["money"], written.replace("\xa0", " ")), f"{where} writes money as “{written}”"
    for month in MONTHS.get(language, ()):
        assert not re.search(rf"\b{month.capitalize()}\b", text), f"{where} capitalises {month}"


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_a_demo_day_shows_none_of_the_first_demo_days_defects(demo_store, live_server, browser, staff_page, language):
    day = DAYS[language]
    server = live_server.url

    # (9) The demo data `make run` loads: stock never below zero, each customer on a street of their city.
    for item in StockItem.objects.all():
        assert item.quantity >= 0, item.sku
    streets = {}
    for city, address in Order.objects.exclude(address="").values_list("city", "address"):
        streets.setdefault(address, set()).add(city)
    assert all(len(cities) == 1 for cities in streets.values()), streets

    # The storefront places the day's orders.
    transfer = place(day, language, "transfer", "carrier", "transfer@example.com")
    cash = place(day, language, "cash_on_delivery", "carrier", "cash@example.com")
    pickup = place(day, language, "transfer", "pickup", "pickup@example.com")
    doomed = place(day, language, "transfer", "carrier", "doomed@example.com")
    money = lambda amount: format_money(Decimal(amount), "ARS", language)  # noqa: E731

    # --- the staff's day, through the admin's buttons and forms, in the staff's language ---
    staff = Staff(staff_page(day["locale"]), server)
    staff.move(transfer, "register_payment", pay_with_proof)
    staff.move(transfer, "accept")
    staff.move(transfer, "start_preparation")
    staff.move(transfer, "ship", ship_with("correo-argentino", CORREO_CODE))
    staff.move(transfer, "finalize")

    staff.move(cash, "accept")
    staff.move(cash, "start_preparation")
    staff.move(cash, "ship", ship_with("andreani", ANDREANI_CODE))
    staff.move(cash, "register_payment")  # the cash the carrier collected
    staff.move(cash, "finalize")

    staff.move(pickup, "register_payment", pay_with_proof)
    staff.move(pickup, "accept")
    staff.move(pickup, "start_preparation")
    staff.move(pickup, "mark_ready_for_pickup")

    staff.move(doomed, "register_payment", pay_with_proof)
    staff.move(doomed, "cancel", lambda page: page.fill("#id_reason", day["reason"]))
    staff.move(doomed, "register_refund", refund("30000.00"))
    staff.move(doomed, "register_refund")  # what is still refundable, as offered
    for order in (transfer, cash, pickup, doomed):
        order.refresh_from_db()
    assert [o.status for o in (transfer, cash, pickup, doomed)] == ["finalized", "finalized", "ready_for_pickup",
                                                                    "cancelled"]
    assert doomed.payment_status == "refunded"

    # --- every message the day sent, as the console backends printed them ---
    emails = {}
    for email in mail.outbox:
        emails.setdefault(email.to[0], []).append(email)
    subjects = {to: [e.subject for e in sent] for to, sent in emails.items()}
    said = {k: v for k, v in day["subjects"].items()}
    assert said["order_placed"].format(n=transfer.number) in subjects["transfer@example.com"]
    assert said["shipped"].format(n=transfer.number) in subjects["transfer@example.com"]
    # (2) The pickup customer is told the order is ready.
    assert said["ready_for_pickup"].format(n=pickup.number) in subjects["pickup@example.com"]
    # (1) The cancellation tells why; (8) each refund tells its amount, the second the total too.
    [cancelled] = [e for e in emails["doomed@example.com"] if e.subject == said["cancelled"].format(n=doomed.number)]
    assert day["said"]["reason"].format(reason=day["reason"]) in cancelled.body
    refunds = [e for e in emails["doomed@example.com"] if e.subject == said["refunded"].format(n=doomed.number)]
    assert len(refunds) == 2
    assert money("30000.00") in refunds[0].body and money("36500.00") in refunds[1].body
    assert day["said"]["refund_total"].format(total=money("66500.00")) in refunds[1].body
    # A transfer order's receipt says how to pay it.
    [receipt] = [e for e in emails["transfer@example.com"] if e.subject == said["order_placed"].format(n=transfer.number)]
    assert f"{day['said']['bank']}\n{BANK}" in receipt.body
    # (4), (5) Words people read: the glossary's, one money format, no codes.
    texts = [(f"email “{e.subject}”", f"{e.subject}\n{e.body}") for sent in emails.values() for e in sent
             if e.to != [django_settings.STORE_EMAIL]]
    texts += [(f"SMS to {sms.to}", sms.body) for sms in sms_locmem.outbox]
    assert any(CORREO_CODE in text for _where, text in texts if _where.startswith("SMS"))  # shipped: email and SMS
    for where, text in texts:
        assert_words_of(language, where, text, day)
    # (9) The links in the messages lead to the server the day runs on, and open.
    links = {link for _where, text in texts for link in re.findall(r"https?://\S+", text)}
    assert links and all(link.startswith(server + "/") for link in links), links

    # --- the admin at 1366×768, in the staff's language ---
    page = staff.page
    # (6) The order list and the log show what matters without scrolling sideways.
    page.goto(server + reverse("admin:orders_order_changelist"))
    found = columns_in_view(page, ["status", "next_step", "oversold_display"])
    assert found == {"shown": dict.fromkeys(found["shown"], True), "sideways": False}
    assert_words_of(language, "the order list", page_text(page), day)
    page.goto(server + reverse("admin:notifications_notification_changelist"))
    staff.read.append(("the notification log", page_text(page)))
    found = columns_in_view(page, ["status_label", "reason_short"])
    assert found == {"shown": {"status_label": True, "reason_short": True}, "sideways": False}
    # (4) The log names what was sent in words.
    log = page.locator("#result_list tbody").inner_text()
    for code in CODES:
        assert code not in log, code
    row = Notification.objects.get(order=doomed, milestone="cancelled", channel="email")
    page.goto(server + reverse("admin:notifications_notification_change", args=[row.pk]))
    with translation.override(language):
        assert page.locator("#content h2").first.inner_text() == str(row)
        assert row.milestone not in str(row) and f"· {language}" not in str(row)
    staff.read.append(("a log entry", page_text(page)))
    # (4) A subject can be read whole: its box is as wide as the message's.
    template = MessageTemplate.objects.get(milestone="cancelled", channel="email", language=language)
    page.goto(server + reverse("admin:notifications_messagetemplate_change", args=[template.pk]))
    title = page.locator("#content h2").first.inner_text()  # "Cancelado · Email · Español", not "cancelled · email · es"
    assert "cancelled" not in title.lower() or language == "en"
    assert not title.endswith(f"· {language}") and title.count(" · ") == 2, title
    subject, body = (page.locator(f"[name={name}]").bounding_box() for name in ("subject", "body"))
    assert subject["width"] >= body["width"] * 0.9
    staff.read.append(("a message template", page_text(page)))
    # (6) What customers receive: the buttons leave the intro readable.
    page.goto(server + reverse("admin:notifications_notificationrule_overview"))
    staff.read.append(("what customers receive", page_text(page)))
    intro = page.locator("#content-main > p").first.bounding_box()
    for button in page.locator(".object-tools a").all():
        box = button.bounding_box()
        assert (box["y"] + box["height"] <= intro["y"] or intro["y"] + intro["height"] <= box["y"]
                or box["x"] + box["width"] <= intro["x"] or intro["x"] + intro["width"] <= box["x"]), button.inner_text()
    # (6) The index's new orders lead to all of them; no header link is a 404, and no View site.
    page.goto(server + reverse("admin:index"))
    count = Order.objects.count()
    with translation.override(language):
        heading = ngettext("%(counter)s new order", "%(counter)s new orders", count) % {"counter": count}
        see_all = ngettext("See all %(counter)s new order", "See all %(counter)s new orders", count) % {
            "counter": count}
    staff.read.append(("the index", page_text(page)))
    notices = page.locator("#new-order-notices")
    assert notices.locator("h2").inner_text() == heading
    for link in page.locator("#user-tools a").evaluate_all("links => links.map(a => a.href)"):
        assert page.request.get(link).status < 400, link
    notices.get_by_role("link", name=see_all).click()
    page.wait_for_url("**/admin/orders/order/?*")
    assert page.locator("#result_list tbody tr").count() == count
    # (8), (9) The cancelled order's page: its refunds, every date written one way.
    staff.open(doomed)
    text = page_text(page)
    assert page.locator("#refunds-group tbody tr.has_original").count() == 2
    assert money("30000.00") in text and money("36500.00") in text
    assert not NUMERIC_DATE.search(text), NUMERIC_DATE.search(text).group(0)
    assert_words_of(language, f"the page of order {doomed.number}", text, day)
    # The printable sheet, one click away: the refunds, dates written the same one way.
    page.goto(server + page.locator(".object-tools a[target=_blank]").first.get_attribute("href"))
    sheet = page_text(page)
    assert money("30000.00") in sheet and money("36500.00") in sheet
    assert not NUMERIC_DATE.search(sheet)
    staff.read.append((f"the sheet of {doomed.number}", sheet))
    for where, text in staff.read:
        assert_words_of(language, where, text, day)
    for order in (transfer, cash, pickup):  # (9) one date format on every order page
        staff.open(order)
        assert not NUMERIC_DATE.search(page_text(page)), (order.number, NUMERIC_DATE.search(page_text(page)).group(0))

    # --- the customers' pages on a 390×844 phone, opened from their messages ---
    phone = browser.new_context(**PHONE, locale=day["locale"])
    try:
        customer = phone.new_page()
        customer.set_default_timeout(10_000)
        for order in (transfer, cash, pickup, doomed):
            customer.goto(order.get_timeline_url())
            assert urlsplit(customer.url).netloc == urlsplit(server).netloc
            # (7) In the order's language, with the links to read it in another.
            assert customer.locator("html").get_attribute("lang") == language
            assert customer.get_by_role("link", name="English").get_attribute("href").endswith("?lang=en")
            assert customer.evaluate("document.documentElement.scrollWidth") <= 390, order.number
            assert_words_of(language, f"the timeline of {order.number}", page_text(customer), day)
        # (3) Web push can be turned on where an order still moves.
        customer.goto(pickup.get_timeline_url())
        customer.get_by_role("button", name=day["notify"]).wait_for(state="visible")
        # (1), (8) The cancelled order says why, and lists its refunds instead of "paid".
        customer.goto(doomed.get_timeline_url())
        assert customer.locator(".notice--cancelled").get_by_text(day["reason"]).is_visible()
        assert customer.locator(".refunds li").count() == 2
        # An unpaid transfer order shows how to pay it.
        waiting = place(day, language, "transfer", "carrier", "waiting@example.com")
        customer.goto(waiting.get_timeline_url())
        assert customer.get_by_role("heading", name=day["bank_title"]).is_visible()
        assert customer.locator("[data-transfer-details]").inner_text() == BANK
        # (7) A reader who picks another language keeps it on that page.
        other = "en" if language != "en" else "es"
        customer.locator(f'.langs__link[hreflang="{other}"]').click()
        customer.wait_for_url(f"**?lang={other}")
        customer.goto(waiting.get_timeline_url())
        assert customer.locator("html").get_attribute("lang") == other
    finally:
        phone.close()
