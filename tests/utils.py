import pytest
from django.db import connection

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks; run `bash .ci/run` or set DATABASE_URL=postgres://... to run it",
)
