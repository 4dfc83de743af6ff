"""After PostgreSQL closed the server's connections (a restart, a failover, an idle timeout),
the next request still succeeds: production keeps connections for a minute, so each one is
checked before it is reused.

gunicorn runs with the production settings on the seeded demo after a first pass; the test
closes every connection but its own from the PostgreSQL side, as a restart does.
"""

import pytest
from django.db import connection

from accounts.models import User
from tests.processes import (
    ProductionServer,
    RedisServer,
    collect_static,
    logged_in_cookies,
    production_env,
)


@pytest.fixture
def server(production_processes, committed_demo_after_first_pass, tmp_path):
    redis = RedisServer().start()
    env = collect_static(production_env(redis.url), tmp_path / "static")
    server = ProductionServer(env, tmp_path / "gunicorn.log")
    yield server
    server.stop()
    redis.stop()


def close_every_other_connection():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_health_answers_after_the_database_closed_the_servers_connections(server):
    assert server.request("/health/")[0] == 200
    assert close_every_other_connection() >= 1
    status, body, _seconds = server.request("/health/")
    assert (status, '"database": "ok"' in body) == (200, True), body


def test_a_signed_in_page_answers_after_the_database_closed_the_servers_connections(server):
    cookies = logged_in_cookies(User.objects.get(email="cress@demo.probono.example.org"))
    assert server.request("/", cookies=cookies)[0] == 200, server.output()
    assert close_every_other_connection() >= 1
    status, _body, _seconds = server.request("/", cookies=cookies)
    assert status == 200, server.output()[-3000:]
