"""This app's routes under /api/v1/, named in the "api" namespace (e.g. "api:stock")."""
urlpatterns: list = []
