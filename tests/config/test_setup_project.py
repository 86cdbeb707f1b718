"""`setup_project` makes the admin/admin login only for local development."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("setup_project", stdout=out, **options)
    return out.getvalue()


def test_with_debug_on_the_development_admin_is_created(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    output = _run()

    assert get_user_model().objects.get(username="admin").check_password("admin")
    assert "admin / admin" in output


def test_with_debug_off_and_no_admin_password_no_user_is_created_and_it_says_so(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    output = _run()

    assert not get_user_model().objects.filter(username="admin").exists()
    assert "No admin user created" in output and "ADMIN_PASSWORD" in output


def test_with_debug_off_the_admin_password_is_used_and_not_printed(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("ADMIN_PASSWORD", "correct-horse-battery-staple-42")

    output = _run()

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("correct-horse-battery-staple-42")
    assert not user.check_password("admin")
    assert "correct-horse" not in output


def test_with_debug_off_a_weak_admin_password_is_refused(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")

    with pytest.raises(CommandError, match="ADMIN_PASSWORD"):
        _run()

    assert not get_user_model().objects.filter(username="admin").exists()
