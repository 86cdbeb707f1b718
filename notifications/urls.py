from django.urls import include, path

from . import views

app_name = "notifications"
urlpatterns = [
    path("new-orders/seen/", views.new_orders_seen, name="new_orders_seen"),
    # Email providers' tracking webhooks (delivered, bounced, complained), e.g.
    # /notifications/anymail/postmark/tracking/; HTTP basic auth with ANYMAIL["WEBHOOK_SECRET"].
    path("anymail/", include("anymail.urls")),
]
