import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

WARNING = (
    "# Web push (VAPID). Keep the private key secret; changing keys drops every browser\n"
    "# subscription made with the old public key.\n"
)


def new_key_pair() -> tuple[str, str]:
    """(public key, private key), base64url as browsers and pywebpush take them."""
    vapid = Vapid()
    vapid.generate_keys()
    private_raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public_raw = vapid.public_key.public_bytes(
        encoding=serialization.Encoding.X962, format=serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(public_raw), b64urlencode(private_raw)


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push, as lines to paste into .env. With --local (run by `make run`): "
        "with DEBUG on and no keys set, write a pair for the local store into LOCAL_VAPID_KEYS_FILE, once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="Contact for push services (default: mailto:STORE_EMAIL).")
        parser.add_argument(
            "--local", action="store_true",
            help="Write the keys for the local store (DEBUG on) unless keys are set already; say which are used.",
        )

    def handle(self, *args, subject, local, **options):
        if local:
            self._local()
            return
        public, private = new_key_pair()
        subject = subject or settings.VAPID_SUBJECT or f"mailto:{settings.STORE_EMAIL}"
        self.stdout.write(WARNING, ending="")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")

    def _local(self):
        path = Path(settings.LOCAL_VAPID_KEYS_FILE)
        if settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY:
            self.stdout.write(f"Web push keys: already set ({self._source(path)}).")
            return
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING(
                "Web push keys: none set, and DEBUG is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY in the "
                "environment (`manage.py generate_vapid_keys` prints a pair). Until then customers cannot "
                "subscribe and web push switches cannot be turned on."
            ))
            return
        public, private = new_key_pair()
        # Only the owner reads it: it holds the private key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as keys:
            keys.write(WARNING + "# Written by `manage.py generate_vapid_keys --local` for this local store.\n")
            keys.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
        self.stdout.write(self.style.SUCCESS(
            f"Web push keys: created for this local store in {path.name} (git-ignored); customers can now "
            "subscribe on the timeline page."
        ))

    def _source(self, path: Path) -> str:
        from_file = settings.DEBUG and not os.environ.get("VAPID_PUBLIC_KEY") and path.is_file()
        return f"from {path.name}" if from_file else "from the environment"
