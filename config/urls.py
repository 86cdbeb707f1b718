from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    # For load balancers and uptime monitors: no trailing slash, no login, no redirect to https.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("timeline.urls")),
]

# Uploaded files (payment proofs) are private: only the staff views that check permissions serve
# them (orders/admin.py). MEDIA_URL is never served, not even with DEBUG on.
