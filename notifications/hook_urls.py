"""The providers' hooks the notifications take, mounted under /hooks/: Meta's WhatsApp statuses."""
from django.urls import path

from .whatsapp_hook import whatsapp_webhook

urlpatterns = [
    path("whatsapp/", whatsapp_webhook, name="whatsapp_webhook"),
]
