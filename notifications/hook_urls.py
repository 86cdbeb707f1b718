"""The message providers' delivery report webhooks, under /hooks/: Twilio's SMS status callbacks and
Meta's WhatsApp statuses."""
from django.urls import path

from . import hooks
from .whatsapp_hook import whatsapp_webhook

urlpatterns = [
    # Twilio's SMS status callbacks: SITE_URL + /hooks/twilio/status/ (README, "Notifications").
    path("twilio/status/", hooks.twilio_status, name="twilio_status"),
    # Meta's WhatsApp statuses: SITE_URL + /hooks/whatsapp/ (README, "Sending WhatsApp messages").
    path("whatsapp/", whatsapp_webhook, name="whatsapp_webhook"),
]
