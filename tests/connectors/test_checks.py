"""`manage.py check --deploy` asks for FIELD_ENCRYPTION_KEY; a malformed key stops every command."""
from tests.config.production import manage, production_env


def test_production_without_an_encryption_key_is_warned_about():
    checked = manage("check", "--deploy", env=production_env(FIELD_ENCRYPTION_KEY=None))
    assert "connectors.W001" in checked.stdout + checked.stderr


def test_a_malformed_key_is_an_error():
    checked = manage("check", env=production_env(FIELD_ENCRYPTION_KEY="not-a-fernet-key"))
    assert checked.returncode != 0 and "connectors.E001" in checked.stderr
