from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("new-orders/seen/", views.new_orders_seen, name="new_orders_seen"),
    # The configured email provider's tracking webhook (delivered, bounced, complained), e.g.
    # /notifications/anymail/postmark/tracking/ with EMAIL_BACKEND=anymail.backends.postmark.EmailBackend;
    # HTTP basic auth with ANYMAIL["WEBHOOK_SECRET"]. Every other provider's path is 404.
    path("anymail/<str:esp>/tracking/", views.email_tracking, name="email_tracking"),
]
