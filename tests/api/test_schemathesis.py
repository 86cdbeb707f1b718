"""Property-based fuzzing of the whole API from its own OpenAPI schema.

Schemathesis generates valid and invalid requests for every operation and sends them through
the WSGI application with a real storefront key. It fails on any 5xx, on any response that
does not match the schema (status code, content type, body, headers), and on any request
that breaks the schema yet is accepted (the serializers are strict).

Not checked: that every schema-valid request is accepted. Business rules the schema cannot
express (a carrier order needs an address, a phone number must exist, a tracking code must
match its carrier's format) rightly answer 400 to requests that are well-formed.
"""
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

# Undeclared methods (PUT, TRACE, ...) answer 405 the same way everywhere (DRF): one test covers
# that (test_carriers_and_docs), so the coverage phase spends its requests on the documented ones.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttling_while_fuzzing(settings):
    settings.API_THROTTLE_RATE = "100000/min"


@contextmanager
def open_test_transaction_kept():
    """Requests go straight to the WSGI application, whose request signals would close the
    database connection holding the test's transaction (Django's test client detaches them too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_always_answers_as_documented(case, api, placed):
    if case.path_parameters and "number" in case.path_parameters and case.path_parameters["number"] == "0":
        case.path_parameters["number"] = placed["number"]  # reach real orders too, not only 404s
    with open_test_transaction_kept():
        case.call_and_validate(
            headers={} if _key_left_out_on_purpose(case) else {"Authorization": f"Api-Key {api.key}"},
            excluded_checks=[positive_data_acceptance],
        )


def _key_left_out_on_purpose(case) -> bool:
    """A case made invalid by leaving out the (required) Authorization header is sent without the
    storefront's key, so the check that it is rejected sees what it expects to: a 401. Every other
    case carries the key in place of the header schemathesis generated."""
    headers = {name.lower() for name in (case.headers or {})}
    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER) and "authorization" not in headers
