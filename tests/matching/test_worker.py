"""With a real Celery worker on Redis and the real database: the matcher's tasks end to end."""

import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from matching import tasks
from matching.models import MatchingRun, Need, Proposal
from probono.celery import app
from tests.factories import NeedFactory, OfferFactory

# serialized_rollback: the flush after each test would otherwise wipe the skills catalogue.
pytestmark = [pytest.mark.broker, pytest.mark.usefixtures("skills_catalogue")]


def wait_for(condition, timeout=30):
    """Poll until the worker's effect is visible; the timeout only bounds a broken run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def draft_need(association_member):
    organisation = association_member.memberships.get().organisation
    need = NeedFactory(organisation=organisation, status="draft", published_at=None)
    OfferFactory(departements=[need.departement], skills=[("fonds-europeens", "expert")])
    OfferFactory(departements=[need.departement], skills=[("fonds-europeens", "junior")])
    return need


def test_publishing_a_need_yields_its_proposals(
    client, celery_worker, association_member, draft_need
):
    client.force_login(association_member)
    client.post(reverse("need_publish", args=[draft_need.pk]))
    assert wait_for(lambda: draft_need.proposals.count() == 2)
    run = MatchingRun.objects.get(trigger=MatchingRun.Trigger.NEED)
    assert run.status == MatchingRun.Status.SUCCEEDED


def test_the_same_task_twice_yields_no_duplicate(celery_worker, draft_need):
    Need.objects.filter(pk=draft_need.pk).update(status="published")
    first = tasks.propose_for_need.delay(draft_need.pk)
    second = tasks.propose_for_need.delay(draft_need.pk)
    assert first.get(timeout=30) == 2
    assert second.get(timeout=30) == 0
    assert Proposal.objects.filter(need=draft_need).count() == 2


def point_producers_at(url):
    """Send new tasks to this broker URL; the running worker keeps its own connection.

    Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    """
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_url():
    url = app.conf.broker_url
    yield url
    point_producers_at(url)


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers: a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept_forever():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    for connection in held:
        connection.close()


@pytest.mark.parametrize("outage", ["refused", "hung"])
def test_broker_down_at_publish_time_then_the_periodic_pass_catches_up(
    client, association_member, draft_need, celery_worker, broker_url, request, outage
):
    unreachable = (
        "redis://127.0.0.1:1/0" if outage == "refused" else request.getfixturevalue("silent_server")
    )
    point_producers_at(unreachable)
    client.force_login(association_member)
    started = time.monotonic()
    response = client.post(reverse("need_publish", args=[draft_need.pk]))
    assert response.status_code == 302, "publishing succeeds while the broker is unreachable"
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.PUBLISHED
    assert not draft_need.proposals.exists()
    assert app.connection_for_write().port == urlsplit(unreachable).port
    # Bounded by the broker timeouts in settings; printed, not asserted (no timing in tests).
    print(f"publish with the broker {outage} took {time.monotonic() - started:.2f} s")

    point_producers_at(broker_url)
    tasks.full_pass.delay().get(timeout=30)
    assert wait_for(lambda: draft_need.proposals.count() == 2)
    assert wait_for(
        lambda: MatchingRun.objects.filter(
            parent=None, trigger=MatchingRun.Trigger.SCHEDULE, status="succeeded"
        ).exists()
    )
