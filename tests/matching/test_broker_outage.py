"""A broker stopped or hung never blocks a web request, and the next full pass catches up.

Through the production settings, as an operator runs them: gunicorn and a Celery worker started
with `probono.settings.production` on the test database, the demo seeded and a first full pass
already run, and a real Redis that the test stops, or a port that accepts and never answers.
The bound of 5 s is generous on purpose: what is tested is that nothing hangs (a request used
to take 19 s with Redis refused, and over 60 s with Redis hung, when gunicorn killed it).
"""

import pytest
from django.urls import reverse

from accounts.models import User
from matching import tasks
from matching.models import Need
from tests.factories import NeedFactory, OfferFactory
from tests.processes import (
    CeleryWorker,
    ProductionServer,
    RedisServer,
    SilentListener,
    a_periodic_pass_succeeded,
    logged_in_cookies,
    production_env,
    wait_for,
)

pytestmark = [
    pytest.mark.broker,
    pytest.mark.usefixtures("production_processes", "committed_demo_after_first_pass"),
]

BOUND = 5  # seconds: nothing may hang on the broker (a generous bound: CI machines are busy)


@pytest.fixture
def treasurer():
    return User.objects.get(email="tresoriere.aisne@demo.probono.example.org")


@pytest.fixture
def draft_need(treasurer):
    """A draft of the Aisne treasurer's association, with two volunteers who could take it
    (and other needs of the demo still lacking proposals: 40 h a month each is room for all)."""
    organisation = treasurer.memberships.get().organisation
    need = NeedFactory(organisation=organisation, status="draft", published_at=None)
    for level in ("expert", "junior"):
        OfferFactory(
            departements=[need.departement], skills=[("fonds-europeens", level)],
            hours_per_month=40,
        )  # fmt: skip
    return need


@pytest.fixture
def outage(request, tmp_path):
    """A broker URL that is down (a real Redis, stopped) or hung; `.recover()` brings a real
    Redis back on the same port."""
    if request.param == "stopped":
        redis = RedisServer().start()
        redis.stop()
        broker = redis
    else:
        broker = SilentListener()

    class Outage:
        url = broker.url
        redis = None

        def recover(self):
            if isinstance(broker, SilentListener):
                broker.close()
            self.redis = RedisServer(broker.port).start()
            return self.redis

    outage = Outage()
    yield outage
    if isinstance(broker, SilentListener):
        broker.close()
    if outage.redis:
        outage.redis.stop()


@pytest.fixture
def server(outage, tmp_path):
    server = ProductionServer(production_env(outage.url), tmp_path / "gunicorn.log")
    yield server
    server.stop()


@pytest.mark.parametrize("outage", ["stopped", "hung"], indirect=True)
def test_publishing_a_need_with_the_broker_down_answers_at_once_and_publishes(
    server, treasurer, draft_need
):
    cookies = logged_in_cookies(treasurer)
    status, _body, seconds = server.request(
        reverse("need_publish", args=[draft_need.pk]), method="POST",
        data={"csrfmiddlewaretoken": cookies["csrftoken"]}, cookies=cookies,
    )  # fmt: skip
    assert status == 302, server.output()
    assert seconds < BOUND, f"publishing took {seconds:.1f} s"
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.PUBLISHED


@pytest.mark.parametrize("outage", ["stopped", "hung"], indirect=True)
def test_health_answers_503_at_once_with_the_broker_down(server):
    # The worker's first request loads the URLs and views (2-3 s on a busy machine): what
    # is measured here is the probe's own wait, as a load balancer meets it every few seconds.
    server.request(reverse("privacy"))
    status, body, seconds = server.request("/health/")
    assert status == 503
    assert '"database": "ok"' in body
    assert '"broker": "error' in body
    assert seconds < BOUND, f"/health/ took {seconds:.1f} s"


@pytest.mark.parametrize("outage", ["stopped", "hung"], indirect=True)
def test_once_the_broker_is_back_the_next_full_pass_gives_the_need_its_proposals(
    server, outage, treasurer, draft_need, tmp_path, point_producers_at
):
    cookies = logged_in_cookies(treasurer)
    server.request(
        reverse("need_publish", args=[draft_need.pk]), method="POST",
        data={"csrfmiddlewaretoken": cookies["csrftoken"]}, cookies=cookies,
    )  # fmt: skip
    assert not draft_need.proposals.exists()

    redis = outage.recover()
    assert server.request("/health/")[0] == 200
    worker = CeleryWorker(production_env(redis.url), tmp_path / "worker.log")
    try:
        point_producers_at(redis.url)
        tasks.full_pass.delay("schedule")  # what Celery beat sends
        # Covered first: other needs of the demo compete for the rest of the offers' room.
        assert wait_for(draft_need.proposals.live().exists, timeout=60), worker.output()
        assert wait_for(a_periodic_pass_succeeded, timeout=60), worker.output()
    finally:
        worker.stop()
