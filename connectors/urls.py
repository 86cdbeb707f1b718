from django.urls import path

from . import views

app_name = "connectors"
urlpatterns = [
    # Where the platforms post: order webhooks (registered when a store connects) and Tiendanube's
    # privacy webhooks (set in the app's settings in Tiendanube's partner portal).
    path("hooks/tiendanube/", views.tiendanube_hook, name="tiendanube_hook"),
    path("hooks/tiendanube/store-redact/", views.tiendanube_hook, {"topic": "store/redact"},
         name="tiendanube_store_redact"),
    path("hooks/tiendanube/customers-redact/", views.tiendanube_hook, {"topic": "customers/redact"},
         name="tiendanube_customers_redact"),
    path("hooks/tiendanube/customers-data-request/", views.tiendanube_hook, {"topic": "customers/data_request"},
         name="tiendanube_customers_data_request"),
    path("hooks/shopify/", views.shopify_hook, name="shopify_hook"),
    # Tiendanube's OAuth install, for staff.
    path("connect/tiendanube/", views.tiendanube_install, name="tiendanube_install"),
    path("connect/tiendanube/callback/", views.tiendanube_callback, name="tiendanube_callback"),
]
