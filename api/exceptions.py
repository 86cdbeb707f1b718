"""How errors reach a storefront.

- A refused move (orders.services.TransitionNotAllowed): 409 {"code", "detail"}.
- Django's ValidationError raised by a service: 400 with one list of messages per field.
- An unknown custom status type or code (orders.services.CustomStatusNotFound): 400 on that field.
- Every other error keeps DRF's status and gets a machine `code` next to its `detail`.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from orders.services import CustomStatusNotFound, TransitionNotAllowed


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


class ExternalIdConflict(Conflict):
    default_detail = _("An order with this external_id already exists with different content.")
    default_code = "external_id_conflict"


class IdempotencyKeyInUse(Conflict):
    default_detail = _("A request with this Idempotency-Key is still being processed; retry in a moment.")
    default_code = "idempotency_key_in_use"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_key_reused"


def exception_handler(exc, context):
    if isinstance(exc, TransitionNotAllowed):
        return Response({"code": exc.code, "detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, CustomStatusNotFound):
        exc = exceptions.ValidationError(detail={exc.field: [str(exc)]}, code=exc.code)
    elif isinstance(exc, DjangoValidationError):
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
