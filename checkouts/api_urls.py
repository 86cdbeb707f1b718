"""This app's routes under /api/v1/, named in the "api" namespace (e.g. "api:checkouts")."""
from django.urls import path

from . import api

urlpatterns: list = [
    path("checkouts/", api.CheckoutReportView.as_view(), name="checkouts"),
    path("checkouts/<str:checkout_id>/", api.CheckoutDetailView.as_view(), name="checkout"),
]
