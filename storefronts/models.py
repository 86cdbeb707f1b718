from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class Storefront(models.Model):
    """A shop that sends orders here: a Tiendanube or Shopify app, a custom shop.

    Each storefront acts through its own service user, so every service call has a
    `by` user and the order timeline names the storefront as the actor.
    """

    class Platform(models.TextChoices):
        TIENDANUBE = "tiendanube", "Tiendanube"
        SHOPIFY = "shopify", "Shopify"
        PRESTASHOP = "prestashop", "PrestaShop"
        WOOCOMMERCE = "woocommerce", "WooCommerce"
        CUSTOM = "custom", _("Custom shop")

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, default=Platform.CUSTOM)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="storefront",
        verbose_name=_("service user"),
        help_text=_("The account the storefront acts as; it appears as the actor in order timelines."),
    )
    emails_sent_by_platform = models.JSONField(
        _("milestones the platform already emails"),
        default=list,
        blank=True,
        help_text=_("Milestone codes whose customer email the store platform sends itself; ours is skipped."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")

    def __str__(self):
        return self.name


class StorefrontAPIKey(AbstractAPIKey):
    """A key a storefront authenticates with (`Authorization: Api-Key <key>`).

    Only a hash is stored; the key itself is shown once, when created. A storefront may
    hold several keys so they can be rotated; a revoked key stops working at once.
    """

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("storefront"),
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
