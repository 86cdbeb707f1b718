"""This app's routes under /api/v1/, named in the "api" namespace."""
from django.urls import path

from . import api

urlpatterns = [
    path(
        "orders/<str:number>/mercadopago-payments/", api.MercadoPagoPaymentView.as_view(),
        name="order-mercadopago-payments",
    ),
]
