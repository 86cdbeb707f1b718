"""This app's routes under /api/v1/, named in the "api" namespace (e.g. "api:orders")."""
from django.urls import path

from . import api

urlpatterns = [
    path("orders/", api.OrderListCreateView.as_view(), name="orders"),
    path("orders/<str:number>/", api.OrderDetailView.as_view(), name="order"),
    path("orders/<str:number>/payments/", api.PaymentCreateView.as_view(), name="order-payments"),
    path("orders/<str:number>/refunds/", api.RefundCreateView.as_view(), name="order-refunds"),
    path("orders/<str:number>/accept/", api.AcceptView.as_view(), name="order-accept"),
    path("orders/<str:number>/prepare/", api.PrepareView.as_view(), name="order-prepare"),
    path("orders/<str:number>/ship/", api.ShipView.as_view(), name="order-ship"),
    path("orders/<str:number>/ready-for-pickup/", api.ReadyForPickupView.as_view(), name="order-ready-for-pickup"),
    path("orders/<str:number>/finalize/", api.FinalizeView.as_view(), name="order-finalize"),
    path("orders/<str:number>/cancel/", api.CancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/statuses/", api.CustomStatusSetView.as_view(), name="order-statuses"),
    path("custom-statuses/", api.CustomStatusListView.as_view(), name="custom-statuses"),
    path("carriers/", api.CarrierListView.as_view(), name="carriers"),
]
