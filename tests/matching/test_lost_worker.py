"""A worker killed outright during a full pass: the pass is recognised as lost, staff read
why, and the next periodic pass does its work.

A real `celery worker` (production settings, prefork pool) is killed with SIGKILL, main
process and pool child together, while one of the pass's groups waits for the proposals'
write lock that the test holds. Its task is then neither finished nor redelivered (not before
the visibility timeout), exactly as when a machine or a container dies.
"""

import time

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from matching import matcher, tasks
from matching.matcher import WRITE_LOCK_KEY
from matching.models import MatchingRun, Need, Skill
from tests.factories import NeedFactory, OfferFactory, skill
from tests.processes import (
    CeleryWorker,
    RedisServer,
    a_periodic_pass_succeeded,
    production_env,
    wait_for,
)

pytestmark = [
    pytest.mark.broker,
    pytest.mark.usefixtures("production_processes", "committed_demo_after_first_pass"),
]

# Short limits for the worker and this process alike, so that "older than the hard time limit"
# takes seconds of real time; their order is the production one (soft < hard).
LIMITS = {"CELERY_TASK_SOFT_TIME_LIMIT": "3", "CELERY_TASK_TIME_LIMIT": "4"}


@pytest.fixture
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def new_need():
    """Published after the first pass, with a volunteer who could take it: on a skill no other
    need still lacking proposals asks for, so that no other need competes for the offer."""
    lacking_skills = matcher.needs_lacking_proposals().values("main_skill")
    code = Skill.objects.active().exclude(pk__in=lacking_skills).values_list("code", flat=True)[0]
    organisation = Need.objects.filter(departement="59").first().organisation
    need = NeedFactory(organisation=organisation, departement="59", main_skill=skill(code))
    OfferFactory(departements=["59"], skills=[(code, "expert")])
    return need


@pytest.fixture
def write_lock_held():
    """The proposals' write lock, held by another session until released."""
    database = connection.settings_dict
    holder = psycopg2.connect(
        dbname=database["NAME"], user=database["USER"], host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )  # fmt: skip
    holder.autocommit = True
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK_KEY])
    yield holder
    holder.close()


def someone_waits_for_the_write_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objid = %s",
            [WRITE_LOCK_KEY],
        )
        return cursor.fetchone()[0] > 0


def test_a_pass_whose_worker_was_killed_is_marked_lost_and_the_next_pass_does_its_work(
    redis, new_need, write_lock_held, point_producers_at, settings, tmp_path, client
):
    for name, seconds in LIMITS.items():
        setattr(settings, name, int(seconds))
    env = production_env(redis.url, **LIMITS)
    point_producers_at(redis.url)

    worker = CeleryWorker(env, tmp_path / "killed-worker.log")
    try:
        tasks.full_pass.delay("schedule")
        assert wait_for(someone_waits_for_the_write_lock, timeout=60), worker.output()
        worker.kill()  # SIGKILL to the main process and its pool child
    finally:
        worker.stop()
        write_lock_held.close()

    lost_pass = MatchingRun.objects.get(parent=None, trigger=MatchingRun.Trigger.SCHEDULE)
    stuck = lost_pass.groups.get(claimed_at__isnull=False)
    assert lost_pass.status == stuck.status == MatchingRun.Status.RUNNING
    assert not lost_pass.groups.filter(phase=2).exists()
    assert not new_need.proposals.exists()

    # Past the hard time limit, no task can still be running that group.
    time.sleep(settings.CELERY_TASK_TIME_LIMIT + 0.5)
    worker = CeleryWorker(env, tmp_path / "next-worker.log")
    try:
        tasks.full_pass.delay("schedule")  # the next periodic pass
        assert wait_for(a_periodic_pass_succeeded, timeout=60), worker.output()
    finally:
        worker.stop()

    lost_pass.refresh_from_db()
    stuck.refresh_from_db()
    assert lost_pass.status == stuck.status == MatchingRun.Status.FAILED
    assert "Perdu" in stuck.errors and "Perdu" in lost_pass.errors
    assert new_need.proposals.live().exists()

    client.force_login(User.objects.get(email="cress@demo.probono.example.org"))
    page = client.get(reverse("matcher_runs")).content.decode()
    assert "Perdu : le worker s&#x27;est arrêté pendant ce passage" in page
