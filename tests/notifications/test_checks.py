"""The outbox needs SQLite's RETURNING (3.35): an older SQLite is a clear error at start, not a failed move."""
from notifications import checks


def test_an_sqlite_too_old_for_returning_is_reported(monkeypatch, settings):
    monkeypatch.setattr(checks.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(checks.sqlite3, "sqlite_version", "3.31.1")

    class Old:
        vendor = "sqlite"

    monkeypatch.setattr(checks, "connections", {"default": Old()})
    errors = checks.check_sqlite_supports_returning()

    assert [e.id for e in errors] == ["notifications.E001"] and "3.31.1" in errors[0].msg


def test_postgresql_or_a_recent_sqlite_passes():
    assert checks.check_sqlite_supports_returning() == []
