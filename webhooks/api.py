"""The storefront API for webhook endpoints: `/api/v1/webhooks/` and `/api/v1/webhooks/{id}/`.

A storefront manages only its own endpoints (another's id is as missing as one that does not
exist). The signing secret is answered once, by the create; the admin can reveal or replace it.
"""
import re

from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api import serializers as s
from api.idempotency import IdempotentPostMixin
from api.views import POST_PARAMETERS, RETRY_AFTER_HEADER, StorefrontView, errors

from . import services
from .models import Endpoint, Event, validate_events
from .validators import validate_endpoint_url

MAX_ENDPOINTS = 20  # per storefront
ENDPOINT_ID = re.compile(r"[1-9][0-9]{0,17}")

ENDPOINT_ID_PARAMETER = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": 999999999999999999}, OpenApiParameter.PATH,
    description=_("The endpoint's id."),
)


class URLField(s.CharField):
    def __init__(self, **kwargs):
        validators = [URLValidator(schemes=["https", "http"]), validate_endpoint_url]
        super().__init__(max_length=500, validators=validators, **kwargs)


class EndpointInput(s.StrictInputSerializer):
    url = URLField(help_text=_("Where the events are posted: an https:// address reachable from the internet."))
    events = serializers.ListField(
        child=s.ChoiceField(choices=Event.choices), min_length=1, max_length=len(Event.values),
        help_text=_("The events to receive, e.g. [\"order.created\", \"order.paid\"]."),
    )
    description = s.CharField(max_length=200, required=False, allow_blank=True, default="")
    active = s.BooleanField(
        required=False, default=True,
        help_text=_("false pauses the endpoint; true turns it on again, also after it was disabled for failing."),
    )

    def validate_events(self, value):
        value = list(dict.fromkeys(value))  # once each, in the order given
        validate_events(value)
        return value


class EndpointOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))
    active = serializers.BooleanField(help_text=_("Whether events are being sent to it."))
    consecutive_failures = serializers.IntegerField(
        help_text=_("Deliveries that failed in a row; the endpoint is disabled when they reach the store's limit."),
    )
    disabled_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it was disabled for failing too often (null if it was not)."),
    )
    disabled_reason = serializers.CharField()
    secret_hint = serializers.SerializerMethodField(help_text=_("The start of the signing secret."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_secret_hint(self, endpoint) -> str:
        return endpoint.secret[:10] + "…"


class EndpointCreatedOutput(EndpointOutput):
    secret = serializers.CharField(
        allow_null=True,
        help_text=_("The signing secret, answered only this once: keep it to check each delivery's "
                    "X-Webhook-Signature header."),
    )
    secret_note = serializers.CharField(
        required=False,
        help_text=_("Only in a replay by Idempotency-Key, whose `secret` is null: the secret is answered once "
                    "and not kept."),
    )


def endpoint_errors(*codes):
    described = errors(*codes)
    if 404 in described:
        described[404] = OpenApiResponse(s.ErrorOutput, description=_("No such endpoint for this storefront."))
    return described


class EndpointListCreateView(IdempotentPostMixin, StorefrontView):
    idempotency_secret_fields = ("secret",)

    @extend_schema(
        operation_id="webhooks_list",
        summary=_("List the storefront's webhook endpoints"),
        parameters=[RETRY_AFTER_HEADER],
        responses={200: EndpointOutput(many=True), **endpoint_errors(401, 403, 429)},
        tags=["webhooks"],
    )
    def get(self, request):
        endpoints = Endpoint.objects.filter(storefront=self.storefront).order_by("pk")
        return Response(EndpointOutput(endpoints, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        summary=_("Register a webhook endpoint"),
        description=_(
            "201 with the endpoint and its signing `secret`, which is never answered again. Each delivery is "
            "a POST of the event's JSON with the headers X-Webhook-Id (the event id: de-duplicate on it), "
            "X-Webhook-Event and X-Webhook-Signature (`t=<unix time>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`). "
            "Answer 2xx quickly; timeouts, 429 and 5xx are retried for about a day, other answers are not."
        ),
        request=EndpointInput,
        parameters=POST_PARAMETERS,
        responses={201: EndpointCreatedOutput, **endpoint_errors(400, 401, 403, 409, 422, 429)},
        tags=["webhooks"],
    )
    def post(self, request):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            # Counted under the storefront's lock, so racing creates cannot pass the limit together.
            type(self.storefront).objects.select_for_update().filter(pk=self.storefront.pk).first()
            if Endpoint.objects.filter(storefront=self.storefront).count() >= MAX_ENDPOINTS:
                raise ValidationError(
                    {"url": [_("A storefront may have at most %(max)s endpoints; delete one first.")
                             % {"max": MAX_ENDPOINTS}]},
                    code="too_many",
                )
            endpoint = Endpoint.objects.create(storefront=self.storefront, **data.validated_data)
        return Response(EndpointCreatedOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(StorefrontView):
    def get_endpoint(self, endpoint_id: str) -> Endpoint:
        endpoint = None
        if ENDPOINT_ID.fullmatch(endpoint_id):
            endpoint = Endpoint.objects.filter(storefront=self.storefront, pk=int(endpoint_id)).first()
        if endpoint is None:
            raise NotFound(_("No webhook endpoint with this id."))
        return endpoint

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary=_("A webhook endpoint"),
        parameters=[ENDPOINT_ID_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: EndpointOutput, **endpoint_errors(401, 403, 404, 429)},
        tags=["webhooks"],
    )
    def get(self, request, id):
        return Response(EndpointOutput(self.get_endpoint(id)).data)

    @extend_schema(
        operation_id="webhooks_partial_update",
        summary=_("Change a webhook endpoint"),
        description=_(
            "Send only the fields to change. `\"active\": true` turns on an endpoint that was paused, or "
            "disabled for failing, and starts its failure count over."
        ),
        request=EndpointInput(partial=True),
        parameters=[ENDPOINT_ID_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: EndpointOutput, **endpoint_errors(400, 401, 403, 404, 429)},
        tags=["webhooks"],
    )
    def patch(self, request, id):
        endpoint = self.get_endpoint(id)
        data = EndpointInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key != "active"}
        for field, value in changes.items():
            setattr(endpoint, field, value)
        if changes:
            endpoint.save(update_fields=[*changes, "updated_at"])
        if "active" in data.validated_data:
            if data.validated_data["active"]:
                if not endpoint.active or endpoint.is_disabled:
                    services.enable(endpoint)
            elif endpoint.active:
                endpoint.active = False
                endpoint.save(update_fields=["active", "updated_at"])
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(
        operation_id="webhooks_destroy",
        summary=_("Delete a webhook endpoint"),
        description=_("Nothing more is sent to it; its delivery log goes too."),
        parameters=[ENDPOINT_ID_PARAMETER, RETRY_AFTER_HEADER],
        responses={204: None, **endpoint_errors(401, 403, 404, 429)},
        tags=["webhooks"],
    )
    def delete(self, request, id):
        self.get_endpoint(id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
