from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy as _
from django.utils.cache import add_never_cache_headers
from rest_framework_api_key.models import APIKey

from .models import Storefront, StorefrontAPIKey
from .services import create_api_key, create_service_user

# Storefronts authenticate with their own keys (StorefrontAPIKey, below); the library's
# generic key model authenticates nothing here, so its admin page would only mislead.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class StorefrontAPIKeyInline(admin.TabularInline):
    model = StorefrontAPIKey
    fields = ["name", "prefix", "created", "expiry_date", "revoked"]
    readonly_fields = ["prefix", "created"]
    extra = 0
    can_delete = False
    verbose_name = _("API key")
    verbose_name_plural = _("API keys (tick “revoked” to stop a key for good; new keys come from the button above)")

    def has_add_permission(self, request, obj=None):
        # A key is shown only once, when created: that happens on its own page (the button).
        return False


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "active_keys", "created_at"]
    list_filter = ["platform"]
    search_fields = ["name"]
    readonly_fields = ["user", "created_at"]
    inlines = [StorefrontAPIKeyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("active API keys"))
    def active_keys(self, obj):
        return obj.api_keys.filter(revoked=False).count()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = create_service_user(name=obj.name)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(request, gettext("Now create the storefront's API key with the “New API key” button."))
        return redirect(reverse("admin:storefronts_storefront_change", args=[obj.pk]))

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/new-api-key/",
                self.admin_site.admin_view(self.new_api_key_view),
                name="storefronts_storefront_new_api_key",
            ),
        ]
        return urls + super().get_urls()

    def new_api_key_view(self, request, object_id):
        """GET asks for a name; POST creates the key and shows it, this one time only."""
        storefront = self.get_object(request, unquote(object_id))
        if storefront is None:
            raise Http404
        if not self.has_change_permission(request, storefront):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": storefront,
            "title": gettext("New API key for %(storefront)s") % {"storefront": storefront.name},
            "key": None,
        }
        if request.method == "POST":
            api_key, key = create_api_key(storefront=storefront, name=request.POST.get("name", ""))
            self.log_change(request, storefront, gettext("Created API key %(prefix)s.") % {"prefix": api_key.prefix})
            context.update(api_key=api_key, key=key)
        response = TemplateResponse(request, "admin/storefronts/storefront/new_api_key.html", context)
        add_never_cache_headers(response)
        return response
