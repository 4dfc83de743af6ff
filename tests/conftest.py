"""Fixtures: one person per side of every access rule."""

import pytest

from accounts.models import Membership, Organisation
from tests.factories import member_of

Kind = Organisation.Kind


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request in English switches the test thread's language and nothing switches it back
    (LocaleMiddleware activates per request, never deactivates): without this, tests that
    format text outside a request read English after such a test, depending on the order."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache holds the sign-up and password reset counts per address (accounts.throttling):
    one test's requests, all from 127.0.0.1, must not spend another's allowance."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def association_member(db):
    """A member of a verified association in the Aisne."""
    return member_of(Kind.ASSOCIATION, name="Les Jardins de Laon")


@pytest.fixture
def association_admin(db):
    return member_of(
        Kind.ASSOCIATION,
        role=Membership.Role.ADMIN,
        name="Solidarité Somme",
        departement="80",
        postcode="80000",
    )


@pytest.fixture
def other_member(db):
    """A member of another organisation, who must see nothing of the first one."""
    return member_of(Kind.ASSOCIATION, name="Autre Association", departement="59", postcode="59000")


@pytest.fixture
def volunteer(db):
    """An employee of a company in Lille."""
    return member_of(Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000")


@pytest.fixture
def cress_staff(db):
    return member_of(Kind.CRESS, name="CRESS Hauts-de-France", departement="59", postcode="59000")


@pytest.fixture
def login(client):
    """Log a user in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def celery_worker(settings):
    """A real Celery worker thread consuming from the configured Redis broker.

    Skipped where no broker is configured, except when PROBONO_REQUIRE_BROKER=1 (CI).
    """
    import os

    from celery.contrib.testing.worker import start_worker

    from probono.celery import app

    if not settings.CELERY_BROKER_URL:
        if os.environ.get("PROBONO_REQUIRE_BROKER") == "1":
            pytest.fail("PROBONO_REQUIRE_BROKER=1 but CELERY_BROKER_URL is not set")
        pytest.skip("no CELERY_BROKER_URL: the real-worker tests need Redis")
    # Tests without a worker leave their tasks queued (e-mails of rolled-back notifications):
    # a worker started behind hundreds of them spent its test's wait draining them, and under
    # load the test timed out. They belong to finished tests: drop them first.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test, whatever broker is configured."""
    from probono.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def skills_catalogue(transactional_db):
    """The skills catalogue of the data migration, loaded again (idempotent).

    Transactional tests (live server, real worker) flush the database after each test, which
    empties the catalogue the data migration loaded; the tests after them need it back.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("matching.migrations.0003_skills_catalogue").load_catalogue(apps, None)


@pytest.fixture
def demo_after_first_pass(db):
    """The state an operator has on day two: the demo seeded and one full pass already run."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("run_matcher", stdout=StringIO())


@pytest.fixture
def committed_demo_after_first_pass(transactional_db, skills_catalogue):
    """Day two, committed, for tests whose web server or worker runs in another process."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("run_matcher", stdout=StringIO())


@pytest.fixture
def point_producers_at():
    """Send this process's tasks to another broker URL for the test, then back."""
    import os

    from probono.celery import app

    before_env, before_url = os.environ.get("CELERY_BROKER_URL"), app.conf.broker_url
    before_eager = app.conf.task_always_eager

    def point(url):
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        os.environ["CELERY_BROKER_URL"] = url
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        app._pool = None
        app.amqp._producer_pool = None

    yield point
    if before_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = before_env
    app.conf.broker_url = before_url
    app.conf.task_always_eager = before_eager
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def production_processes():
    """Tests that run gunicorn or a worker in processes of their own, on the test database.

    They need PostgreSQL (another process cannot open the in-memory SQLite test database) and
    the redis-server binary; they skip without them, except when PROBONO_REQUIRE_BROKER=1 (CI).
    """
    import os
    import shutil

    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if missing:
        reason = f"needs {' and '.join(missing)} for processes of its own"
        if os.environ.get("PROBONO_REQUIRE_BROKER") == "1":
            pytest.fail(f"PROBONO_REQUIRE_BROKER=1 but this test {reason}")
        pytest.skip(reason)


def empty_committed_demo():
    """Undo a demo seeded outside any test's transaction (module fixtures of the seed tests):
    leave the next module an empty database. The demo's missions go first (they protect their
    need, offer and volunteer); its stories' matcher runs, and what seed_demo loads for every
    deploy too (the public pages, the need templates), are not deleted with the rest."""
    from accounts.models import Organisation, User
    from matching.models import MatchingRun, NeedTemplate
    from missions.models import Mission
    from pages.models import Page, Question, Revision

    Mission.objects.all().delete()
    MatchingRun.objects.all().delete()
    Revision.objects.all().delete()
    Page.objects.all().delete()
    Question.objects.all().delete()
    NeedTemplate.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()
