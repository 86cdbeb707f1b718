"""The toolkit's own routes under /api/v1/: the schema, its docs, and a JSON 404 for every other
address. config/urls.py puts them after the apps' routes (each app's api_urls.py) in the "api"
namespace; the toolkit names no app."""
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ answers a JSON 404, like a missing order does
    # (addresses without the final slash are still redirected to it first).
    re_path(r"^.*/$", views.not_found, name="not-found"),
]
