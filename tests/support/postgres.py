"""A fresh PostgreSQL database for a test session, dropped afterwards.

The project's machines run PostgreSQL on 127.0.0.1:5432; tests that need it fail
(never skip) with a clear message when it is not there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest
from psycopg2 import sql
from sqlalchemy.engine import make_url

from spinecare import settings
from spinecare.storage.schema import migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "SPINECARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """Create a uniquely named, migrated database; yield its URL; drop it at the end."""
    admin = make_url(POSTGRES_ADMIN_URL)
    connection, problem = None, ""
    try:
        connection = psycopg2.connect(
            host=admin.host,
            port=admin.port or 5432,
            user=admin.username,
            password=admin.password,
            dbname=admin.database,
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        problem = str(exc).strip()
    if connection is None:
        pytest.fail(
            f"PostgreSQL is not reachable at {admin.host}:{admin.port or 5432} as "
            f"{admin.username} (database {admin.database}): {problem}\n"
            "Start it, or point SPINECARE_TEST_POSTGRES_URL at a server where this user "
            "may create databases. These tests do not skip without it.",
            pytrace=False,
        )
    connection.autocommit = True
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url, settings.load())
        yield url
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.close()
