import pytest

from tests.factories import SuperuserFactory


@pytest.fixture
def admin_user(db):
    return SuperuserFactory(username="boss")


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client
