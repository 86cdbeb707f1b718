"""System checks of payment links: a token without the webhook secret makes links nobody confirms."""
from django.conf import settings
from django.core.checks import Warning, register


@register()
def mercadopago_settings(app_configs=None, **kwargs):
    if settings.MERCADOPAGO_ACCESS_TOKEN and not settings.MERCADOPAGO_WEBHOOK_SECRET:
        return [Warning(
            "MERCADOPAGO_ACCESS_TOKEN is set without MERCADOPAGO_WEBHOOK_SECRET: payment links are made, "
            "but every Mercado Pago notification is refused, so no payment registers itself.",
            hint="Copy the application's secret signature from Mercado Pago (Your integrations > the application "
                 "> Webhooks) into MERCADOPAGO_WEBHOOK_SECRET.",
            id="paymentlinks.W001",
        )]
    return []
