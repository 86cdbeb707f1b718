"""Storefronts › connect: the storefront admin with a connect page and each storefront's connection.

The storefronts app knows nothing of platforms (it imports nothing of ours); this app extends its
admin: the list shows each storefront's connection, the storefront's page says how it is connected,
and *Connect a store* (on the list and on each storefront) links one to its platform account.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from storefronts.admin import StorefrontAdmin
from storefronts.models import Storefront

from ..forms import ConnectForm
from ..services import connecting, oauth

PERMISSION = "connectors.add_platformaccount"

if admin.site.is_registered(Storefront):
    admin.site.unregister(Storefront)


@admin.register(Storefront)
class ConnectedStorefrontAdmin(StorefrontAdmin):
    list_display = [*StorefrontAdmin.list_display, "connection"]
    readonly_fields = [*StorefrontAdmin.readonly_fields, "connection"]
    change_list_template = "admin/connectors/storefront/change_list.html"
    change_form_template = "admin/connectors/storefront/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("platform_account")

    @admin.display(description=_("platform connection"))
    def connection(self, obj):
        account = getattr(obj, "platform_account", None) if obj.pk else None
        if account is None:
            return "—"
        url = reverse("admin:connectors_platformaccount_change", args=[account.pk])
        if account.problem or not account.active:
            return format_html('<a href="{}" style="color:var(--error-fg)">⚠ {} {}</a>', url,
                               account.get_platform_display(), account.store_id)
        return format_html('<a href="{}">{} {}</a>', url, account.get_platform_display(), account.store_id)

    def get_urls(self):
        view = self.admin_site.admin_view(self.connect_view)
        return [
            path("connect/", view, name="storefronts_storefront_connect"),
            path("<path:object_id>/connect/", view, name="storefronts_storefront_connect_one"),
        ] + super().get_urls()

    def connect_view(self, request, object_id=None):
        """Link a storefront (this one, or one named in the form, created if new) to its platform account."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        storefront = self.get_object(request, object_id) if object_id else None
        initial = {}
        if storefront is not None:
            account = getattr(storefront, "platform_account", None)
            initial = {"name": storefront.name, "platform": account.platform if account else storefront.platform,
                       "store_id": account.store_id if account else ""}
        form = ConnectForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                connected = connecting.connect(**form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for level, text in connecting.describe(connected):
                    getattr(messages, level)(request, text)
                account = connected.account
                self.log_change(request, account.storefront, gettext("Connected to %(platform)s %(store)s.") % {
                    "platform": account.get_platform_display(), "store": account.store_id})
                return redirect(reverse("admin:storefronts_storefront_change", args=[connected.account.storefront_id]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": storefront,
            "title": gettext("Connect a Tiendanube or Shopify store"),
            "form": form,
            "oauth_ready": oauth.configured(),
            "oauth_url": reverse("connectors:tiendanube_install"),
            "hook_urls": {
                "tiendanube": connecting.hook_url("tiendanube"), "shopify": connecting.hook_url("shopify"),
            },
        }
        response = TemplateResponse(request, "admin/connectors/connect.html", context)
        add_never_cache_headers(response)
        return response
