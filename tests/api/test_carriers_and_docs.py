import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from carriers.models import Carrier


def test_carriers_lists_the_active_carriers_with_their_formats(api):
    Carrier.objects.filter(code="usps").update(active=False)

    response = api.get("/api/v1/carriers/")

    assert response.status_code == 200
    carriers = {c["code"]: c for c in response.json()}
    assert "usps" not in carriers
    assert carriers["andreani"] == {
        "code": "andreani",
        "name": "Andreani",
        "tracking_code_format": r"\d{10,20}",
        "tracking_code_example": "360000123456780",
        "tracking_url_template": "https://www.andreani.com/envio/{code}",
    }


@pytest.mark.django_db
def test_the_openapi_schema_is_public_and_describes_every_endpoint():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/orders/",
        "/api/v1/orders/{number}/",
        "/api/v1/orders/{number}/payments/",
        "/api/v1/orders/{number}/refunds/",
        "/api/v1/orders/{number}/accept/",
        "/api/v1/orders/{number}/prepare/",
        "/api/v1/orders/{number}/ship/",
        "/api/v1/orders/{number}/ready-for-pickup/",
        "/api/v1/orders/{number}/finalize/",
        "/api/v1/orders/{number}/cancel/",
        "/api/v1/orders/{number}/statuses/",
        "/api/v1/orders/{number}/mercadopago-payments/",
        "/api/v1/custom-statuses/",
        "/api/v1/carriers/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/checkouts/",
        "/api/v1/checkouts/{checkout_id}/",
        "/api/v1/stock/{sku}/",
    }
    scheme = schema["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    accept = schema["paths"]["/api/v1/orders/{number}/accept/"]["post"]
    assert {"200", "400", "401", "404", "409", "429"} <= set(accept["responses"])


@pytest.mark.django_db
def test_the_docs_are_served_without_any_cdn():
    response = APIClient().get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"cdn|jsdelivr|unpkg|cloudflare", html, re.IGNORECASE)
    scripts = re.findall(r'src="/static/([^"]+)"', html)
    assert scripts
    for path in scripts:
        assert finders.find(path), path


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/orders/a/b/c/d/"])
def test_unknown_api_addresses_answer_a_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unsupported_method_answers_405(api):
    response = api.delete("/api/v1/orders/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("language,detail", [
    ("es", "No hay ningún pedido con este número."),
    ("pt-BR", "Não há pedido com este número."),
    ("en", "No order with this number."),
])
def test_errors_speak_the_requests_language(api, language, detail):
    response = api.get("/api/v1/orders/ZZZZ-ZZZZ/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.json() == {"code": "not_found", "detail": detail}
