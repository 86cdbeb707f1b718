from django.urls import path

from . import views

app_name = "paymentlinks"
urlpatterns = [
    path("mercadopago/", views.notification, name="mercadopago-notification"),
]
