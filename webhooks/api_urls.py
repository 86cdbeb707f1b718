"""This app's routes under /api/v1/, named in the "api" namespace (e.g. "api:webhooks")."""
from django.urls import path

from . import api

urlpatterns = [
    path("webhooks/", api.EndpointListCreateView.as_view(), name="webhooks"),
    path("webhooks/<str:id>/", api.EndpointDetailView.as_view(), name="webhook"),
]
