from django.contrib import admin
from django.urls import include, path

from .health import healthz

# The storefront API, /api/v1/, in the "api" namespace: each app's endpoints (its api.py, routed by
# its api_urls.py), then the toolkit's schema, docs and JSON 404 for any other address, last.
api_v1 = [
    path("", include("orders.api_urls")),
    path("", include("inventory.api_urls")),
    path("", include("checkouts.api_urls")),
    path("", include("webhooks.api_urls")),
    path("", include("paymentlinks.api_urls")),
    path("", include("api.urls")),
]

urlpatterns = [
    # For load balancers and uptime monitors: no trailing slash, no login, no redirect to https.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("notifications/", include("notifications.urls")),
    # Mercado Pago's signed payment notifications: /hooks/mercadopago/.
    path("hooks/", include("paymentlinks.urls")),
    # The message providers' delivery reports: /hooks/twilio/status/, /hooks/whatsapp/ (Meta's WhatsApp
    # statuses and its subscription handshake).
    path("hooks/", include("notifications.hook_urls")),
    # The store platforms' webhooks (/hooks/tiendanube/, /hooks/shopify/) and Tiendanube's OAuth install.
    path("", include("connectors.urls")),
    path("", include("timeline.urls")),
]

# Uploaded files (payment proofs) are private: only the staff views that check permissions serve
# them (orders/admin/sheet.py). MEDIA_URL is never served, not even with DEBUG on.
