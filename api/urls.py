from django.urls import include, path, re_path

from . import views

app_name = "api"
urlpatterns = [
    path("orders/", views.OrderListCreateView.as_view(), name="orders"),
    path("orders/<str:number>/", views.OrderDetailView.as_view(), name="order"),
    path("orders/<str:number>/payments/", views.PaymentCreateView.as_view(), name="order-payments"),
    path("orders/<str:number>/accept/", views.AcceptView.as_view(), name="order-accept"),
    path("orders/<str:number>/prepare/", views.PrepareView.as_view(), name="order-prepare"),
    path("orders/<str:number>/ship/", views.ShipView.as_view(), name="order-ship"),
    path("orders/<str:number>/ready-for-pickup/", views.ReadyForPickupView.as_view(), name="order-ready-for-pickup"),
    path("orders/<str:number>/finalize/", views.FinalizeView.as_view(), name="order-finalize"),
    path("orders/<str:number>/cancel/", views.CancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/statuses/", views.CustomStatusSetView.as_view(), name="order-statuses"),
    path("custom-statuses/", views.CustomStatusListView.as_view(), name="custom-statuses"),
    path("carriers/", views.CarrierListView.as_view(), name="carriers"),
    path("", include("inventory.api_urls")),
    path("", include("checkouts.api_urls")),
    path("", include("webhooks.api_urls")),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ answers a JSON 404, like a missing order does
    # (addresses without the final slash are still redirected to it first).
    re_path(r"^.*/$", views.not_found, name="not-found"),
]
