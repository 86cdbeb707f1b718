"""This app's routes under /api/v1/, named in the "api" namespace (e.g. "api:stock")."""
from django.urls import path

from . import api

urlpatterns: list = [
    path("stock/<str:sku>/", api.StockItemView.as_view(), name="stock"),
]
