"""With a real Celery worker on Redis and the real database: the matcher's tasks end to end."""

import time

import pytest
from django.urls import reverse

from matching import tasks
from matching.models import MatchingRun, Need, Proposal
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
    tasks.propose_for_need.delay(draft_need.pk)
    tasks.propose_for_need.delay(draft_need.pk)
    # No result backend: the runs' records say when both deliveries are done.
    assert wait_for(
        lambda: (
            MatchingRun.objects.filter(status="succeeded", subject_id=draft_need.pk).count() == 2
        )
    )
    assert Proposal.objects.filter(need=draft_need).count() == 2
    assert sorted(MatchingRun.objects.values_list("proposals_created", flat=True)) == [0, 2]
