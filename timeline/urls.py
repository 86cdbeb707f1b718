from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [
    path("o/<str:token>/", views.order_timeline, name="order"),
    path("t/<str:token>/", views.track, name="track"),
]
