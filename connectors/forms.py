"""The admin's connect page: link a storefront (new or existing) to its platform account."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Platform


class ConnectForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    name = forms.CharField(
        label=_("Storefront"), max_length=100,
        help_text=_("The storefront's name here; a new storefront is created if none has it."),
    )
    store_id = forms.CharField(
        label=_("Store"), max_length=255,
        help_text=_("Tiendanube: the store id (a number). Shopify: the shop's address, e.g. my-shop.myshopify.com."),
    )
    access_token = forms.CharField(
        label=_("Access token"), max_length=500, required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Tiendanube: the app's access token for the store. Shopify: a legacy custom app's Admin API "
                    "access token (shpat_…), or leave it empty and give a Dev Dashboard app's client id. "
                    "Stored encrypted."),
    )
    client_id = forms.CharField(
        label=_("Client id"), max_length=100, required=False,
        help_text=_("Shopify, an app made in the Dev Dashboard: its client id; its client secret goes below. The "
                    "access token is requested as needed."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook signing secret"), max_length=500, required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Shopify: the app's API secret key (a Dev Dashboard app's client secret), which signs its "
                    "webhooks. Tiendanube: leave it empty to use TIENDANUBE_CLIENT_SECRET. Stored encrypted."),
    )
