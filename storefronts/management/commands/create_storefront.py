from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from storefronts.models import Storefront
from storefronts.services import create_api_key, create_storefront


class Command(BaseCommand):
    help = (
        "Create a storefront with its service user and a first API key. "
        "The key is printed as the last line of output (it is shown only once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The storefront's name, e.g. “Tienda Nube Palermo”.")
        parser.add_argument(
            "--platform", choices=Storefront.Platform.values, default=Storefront.Platform.CUSTOM,
            help="The store platform (default: %(default)s).",
        )
        parser.add_argument("--key-name", default="", help="A name for the API key (default: derived from the name).")

    def handle(self, *args, name, platform, key_name, **options):
        name = name.strip()
        if not name:
            raise CommandError("The storefront needs a name.")
        try:
            with transaction.atomic():
                storefront = create_storefront(name=name, platform=platform)
                api_key, key = create_api_key(storefront=storefront, name=key_name)
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}"
                                         for field, messages in error.message_dict.items())) from error
        self.stdout.write(
            f"Created storefront “{storefront.name}” ({storefront.get_platform_display()}), "
            f"service user “{storefront.user.get_username()}”."
        )
        self.stdout.write(f"API key “{api_key.name}” (prefix {api_key.prefix}). Store it now: it is not shown again.")
        self.stdout.write(key)
