from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Idempotent set-up after migrate: the local admin user (for `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default=None, help="Default: ADMIN_PASSWORD or 'admin'.")

    def handle(self, *args, username, password, **options):
        import os

        password = password or os.environ.get("ADMIN_PASSWORD", "admin")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True, "email": settings.STORE_EMAIL}
        )
        if created:
            user.set_password(password)
            user.save()
            self.stdout.write(self.style.SUCCESS(f"Admin login: {username} / {password}"))
        else:
            self.stdout.write(f"Admin login: {username} (existing user; `manage.py changepassword {username}` resets it)")
