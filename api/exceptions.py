"""How errors reach a storefront: every error body is {"code", "detail"} (400: one list per field).

- Django's ValidationError raised by a service: 400 with one list of messages per field.
- Django's Http404 and PermissionDenied: DRF's 404 and 403.
- An app's own domain errors: the app registers how they answer with `@translates(ErrorClass)`
  in its API module (orders/api.py: a refused move is 409 {"code", "detail"}); the toolkit
  names no app's errors.
- Every other error keeps DRF's status and gets a machine `code` next to its `detail`.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


class IdempotencyKeyInUse(Conflict):
    default_detail = _("A request with this Idempotency-Key is still being processed; retry in a moment.")
    default_code = "idempotency_key_in_use"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_key_reused"


# A domain exception class -> what answers it: a Response, or an exception handled in its place.
Translation = Callable[[Exception], "Response | Exception"]
_translations: dict[type[Exception], Translation] = {}


def translates(exception_class: type[Exception]) -> Callable[[Translation], Translation]:
    """Register the decorated function as the answer to `exception_class` (and its subclasses)."""

    def register(function: Translation) -> Translation:
        _translations[exception_class] = function
        return function

    return register


def _translated(exc: Exception) -> Response | Exception:
    for klass in type(exc).__mro__:
        if klass in _translations:
            return _translations[klass](exc)
    return exc


def exception_handler(exc, context):
    exc = _translated(exc)
    if isinstance(exc, Response):
        return exc
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and set(response.data) == {"detail"}:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "detail": response.data["detail"]}
    return response
