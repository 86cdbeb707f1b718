from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand
from py_vapid import Vapid
from py_vapid.utils import b64urlencode


class Command(BaseCommand):
    help = "Print a new VAPID key pair for web push, as lines to paste into .env."

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="Contact for push services (default: mailto:STORE_EMAIL).")

    def handle(self, *args, subject, **options):
        vapid = Vapid()
        vapid.generate_keys()
        private_raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        public_raw = vapid.public_key.public_bytes(
            encoding=serialization.Encoding.X962, format=serialization.PublicFormat.UncompressedPoint
        )
        subject = subject or settings.VAPID_SUBJECT or f"mailto:{settings.STORE_EMAIL}"
        self.stdout.write("# Web push (VAPID). Keep the private key secret; changing keys drops every browser")
        self.stdout.write("# subscription made with the old public key.")
        self.stdout.write(f"VAPID_PUBLIC_KEY={b64urlencode(public_raw)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={b64urlencode(private_raw)}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")
