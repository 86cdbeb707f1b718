from django.urls import path

from . import views, whatsapp

app_name = "timeline"
urlpatterns = [
    path("o/sw.js", views.service_worker, name="service-worker"),
    path("o/<str:token>/", views.order_timeline, name="order"),
    path("o/<str:token>/push/subscribe/", views.push_subscribe, name="push-subscribe"),
    path("o/<str:token>/push/unsubscribe/", views.push_unsubscribe, name="push-unsubscribe"),
    path("o/<str:token>/pay/", views.pay, name="pay"),
    path("o/<str:token>/whatsapp/", whatsapp.whatsapp_opt_in, name="whatsapp"),
    path("t/<str:token>/", views.track, name="track"),
]
