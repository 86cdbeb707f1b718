import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from connectors.models import Platform
from connectors.services.connecting import connect, describe


class Command(BaseCommand):
    help = (
        "Link a storefront to its Tiendanube / Nuvemshop store or Shopify shop and register the webhooks its "
        "orders come in by. Creates the storefront named NAME if none has that name. Give '-' as a secret to "
        "read it from standard input (it then stays out of the shell history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("platform", choices=Platform.values)
        parser.add_argument("name", help="The storefront's name, e.g. “Tienda Palermo”.")
        parser.add_argument("--store-id", default="", help="Tiendanube: the store id (the installation's user_id).")
        parser.add_argument("--shop", default="", help="Shopify: the shop's address, e.g. my-shop.myshopify.com.")
        parser.add_argument("--access-token", default="",
                            help="Tiendanube: the app's access token for the store; Shopify: a legacy custom app's "
                                 "Admin API access token (shpat_...).")
        parser.add_argument("--client-id", default="",
                            help="Shopify: a Dev Dashboard app's client id (its tokens are requested as needed; "
                                 "give its client secret as --webhook-secret).")
        parser.add_argument("--webhook-secret", default="",
                            help="Shopify: the key its webhooks are signed with (the app's API secret key or "
                                 "client secret). Tiendanube: the app's client secret, if not "
                                 "TIENDANUBE_CLIENT_SECRET.")
        parser.add_argument("--skip-webhooks", action="store_true",
                            help="Link only; register the webhooks later (from the admin).")

    def _secret(self, value: str) -> str:
        return sys.stdin.readline().strip() if value == "-" else value

    def handle(self, *args, platform, name, store_id, shop, access_token, client_id, webhook_secret, skip_webhooks,
               **options):
        store = shop if platform == Platform.SHOPIFY else store_id
        if not store:
            raise CommandError("Give --shop for Shopify." if platform == Platform.SHOPIFY else
                               "Give --store-id for Tiendanube.")
        try:
            connected = connect(
                platform=platform, name=name, store_id=store, access_token=self._secret(access_token),
                webhook_secret=self._secret(webhook_secret), client_id=client_id, register=not skip_webhooks,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}"
                                         for field, messages in error.message_dict.items())) from error
        failed = False
        for level, text in describe(connected):
            if level == "error":
                failed = True
                self.stderr.write(str(text))
            else:
                self.stdout.write(str(text))
        if failed:
            raise CommandError("The store is linked, but some webhooks are missing: fix the cause and register "
                               "them again from the admin (Connected stores › Platform connections).")
