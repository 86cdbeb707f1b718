import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEVELOPMENT_PASSWORD = "admin"


class Command(BaseCommand):
    help = (
        "Idempotent set-up after migrate: the reference data (seed_reference_data: what is missing only) and "
        "the admin user. With DEBUG on it defaults to admin/admin (for "
        "`make run`); otherwise it is created only with ADMIN_PASSWORD (or --password), which must pass the "
        "password validators."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password", default=None,
            help="Default: ADMIN_PASSWORD; with DEBUG on, 'admin' when that is unset too.",
        )

    def handle(self, *args, username, password, verbosity=1, **options):
        call_command("seed_reference_data", verbosity=verbosity, stdout=self.stdout)
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin login: {username} (existing user; `manage.py changepassword {username}` resets it)")
            return
        password = password or os.environ.get("ADMIN_PASSWORD", "")
        if not password:
            if not settings.DEBUG:
                self.stdout.write(self.style.WARNING(
                    f"No admin user created: DEBUG is off and ADMIN_PASSWORD is not set. Set ADMIN_PASSWORD and run "
                    f"setup_project again, or run `manage.py createsuperuser`."
                ))
                return
            password = DEVELOPMENT_PASSWORD
        user = User(username=username, is_staff=True, is_superuser=True, email=settings.STORE_EMAIL)
        if not settings.DEBUG:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("ADMIN_PASSWORD is too weak: " + " ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        if settings.DEBUG:
            self.stdout.write(self.style.SUCCESS(f"Admin login: {username} / {password}"))
        else:  # never echo a production password into logs
            self.stdout.write(self.style.SUCCESS(f"Admin login: {username} (password from ADMIN_PASSWORD)"))
