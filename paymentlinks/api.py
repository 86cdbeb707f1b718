"""`POST /api/v1/orders/{number}/mercadopago-payments/`: a storefront that took the payment through
Mercado Pago reports its id; the payment counts once Mercado Pago shows it approved, for this order,
in its currency (see payments.py). The answer (202) comes before the check: the order's `order.paid`
webhook, or its `payment_status`, tells when it counted.
"""
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from api import serializers as s
from api.exceptions import Conflict
from api.idempotency import IdempotentPostMixin
from api.views import POST_PARAMETERS, errors
from orders.api import OrderView
from orders.models import Order

from . import client, payments
from .models import PaymentCheck
from .views import PAYMENT_ID


class PaymentLinksOff(Conflict):
    default_detail = _("Mercado Pago is not set up in this store: its payments cannot be checked.")
    default_code = "mercadopago_not_configured"


class MercadoPagoPaymentInput(s.StrictInputSerializer):
    mercadopago_payment_id = s.CharField(
        max_length=64, help_text=_("The id of the payment in Mercado Pago, e.g. \"1234567890\"."),
    )

    def validate_mercadopago_payment_id(self, value):
        if not PAYMENT_ID.fullmatch(value):
            raise serializers.ValidationError(_("Letters, digits, - and _ only."), code="invalid")
        return value


class MercadoPagoPaymentOutput(serializers.Serializer):
    mercadopago_payment_id = serializers.CharField(source="payment_id")
    status = serializers.ChoiceField(
        choices=PaymentCheck.Status.choices, help_text=_("queued: it is checked with Mercado Pago shortly."),
    )


class MercadoPagoPaymentView(IdempotentPostMixin, OrderView):
    @extend_schema(
        operation_id="orders_mercadopago_payments_create",
        summary=_("Report a payment taken through Mercado Pago"),
        description=_(
            "The payment is read from Mercado Pago before it counts: it is registered on the order (reference "
            "MP-<id>) once it is approved, its external_reference is the order's number or its external_id, and "
            "its currency is the order's. The same payment counts once, however often it is reported. "
            "Answers 202 before the check; the order.paid webhook tells when it counted."
        ),
        request=MercadoPagoPaymentInput,
        parameters=POST_PARAMETERS,
        responses={202: MercadoPagoPaymentOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = MercadoPagoPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not client.configured():
            raise PaymentLinksOff()
        with transaction.atomic():
            row = payments.record(
                source=PaymentCheck.Source.STOREFRONT, payment_id=data.validated_data["mercadopago_payment_id"],
                order=order, by=request.user,
            )
        return Response(MercadoPagoPaymentOutput(row).data, status=status.HTTP_202_ACCEPTED)
