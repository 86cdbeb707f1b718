"""The message providers' delivery report webhooks, under /hooks/."""
from django.urls import path

from . import hooks

urlpatterns = [
    # Twilio's SMS status callbacks: SITE_URL + /hooks/twilio/status/ (README, "Notifications").
    path("twilio/status/", hooks.twilio_status, name="twilio_status"),
]
