"""What to handle first: proposals waiting too long for review, missions with no hours for
too long, by territory (the weekly view; the weekly e-mail reads the same functions)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Proposal
from missions.models import HoursEntry, Mission
from missions.priorities import idle_missions, proposals_waiting_review, review_queue
from tests.factories import NeedFactory, OfferFactory
from tests.missions.test_review_world import *  # noqa: F403 - the fixtures
from tests.missions.test_review_world import make_proposal

pytestmark = pytest.mark.django_db


def mission_for(proposal, started_days_ago, hours_days_ago=None):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED)
    mission = Mission.objects.create(
        proposal=proposal, need=proposal.need, offer=proposal.offer,
        volunteer=proposal.offer.volunteer,
    )  # fmt: skip
    now = timezone.now()
    Mission.objects.filter(pk=mission.pk).update(started_at=now - timedelta(days=started_days_ago))
    if hours_days_ago is not None:
        entry = HoursEntry.objects.create(
            mission=mission, day=timezone.localdate(), minutes=60, description="Atelier"
        )
        HoursEntry.objects.filter(pk=entry.pk).update(
            created_at=now - timedelta(days=hours_days_ago)
        )
    return mission


def test_proposals_waiting_more_than_the_reminder_delay(in_scope, out_of_scope, settings):
    """in_scope waits 3 days, out_of_scope 9: only the second passes the 7 days."""
    now = timezone.now()
    assert list(proposals_waiting_review(None, now)) == [out_of_scope]
    settings.REVIEW_REMINDER_DAYS = 2
    assert list(proposals_waiting_review(None, now)) == [out_of_scope, in_scope]


def test_handled_proposals_no_longer_wait(out_of_scope):
    Proposal.objects.filter(pk=out_of_scope.pk).update(status=Proposal.Status.APPROVED)
    assert not proposals_waiting_review(None, timezone.now()).exists()


def test_priorities_follow_the_territory(territorial_reviewer, cress_staff, in_scope, out_of_scope):
    later = timezone.now() + timedelta(days=30)
    assert list(proposals_waiting_review(territorial_reviewer, later)) == [in_scope]
    assert list(proposals_waiting_review({"02"}, later)) == [out_of_scope]
    assert proposals_waiting_review(cress_staff, later).count() == 2
    assert list(review_queue(territorial_reviewer)) == [in_scope]
    assert not proposals_waiting_review(set(), later).exists()  # someone not on staff


def test_missions_idle_for_the_idle_delay(in_scope, out_of_scope, somme_association):
    idle = mission_for(in_scope, started_days_ago=90)
    mission_for(out_of_scope, started_days_ago=90, hours_days_ago=10)  # recent hours
    young = make_proposal(NeedFactory(organisation=somme_association), OfferFactory())
    mission_for(young, started_days_ago=5)  # just started
    old_hours = make_proposal(NeedFactory(organisation=somme_association), OfferFactory())
    stale = mission_for(old_hours, started_days_ago=200, hours_days_ago=61)
    assert list(idle_missions(None, timezone.now())) == [stale, idle]


def test_idle_missions_follow_the_territory(in_scope, out_of_scope):
    mission_for(in_scope, started_days_ago=90)
    aisne = mission_for(out_of_scope, started_days_ago=90)
    assert list(idle_missions({"02"}, timezone.now())) == [aisne]


def test_closed_missions_are_not_idle(in_scope):
    mission = mission_for(in_scope, started_days_ago=90)
    Mission.objects.filter(pk=mission.pk).update(status=Mission.Status.COMPLETED)
    assert not idle_missions(None, timezone.now()).exists()


def test_the_page_lists_both_for_the_reviewer(login, territorial_reviewer, in_scope, out_of_scope):
    Proposal.objects.filter(pk=in_scope.pk).update(created_at=timezone.now() - timedelta(days=8))
    need = NeedFactory(organisation=in_scope.need.organisation, title="Mission Somme")
    other = make_proposal(need, OfferFactory(departements=["80"]))
    mission_for(other, started_days_ago=70)
    mission_for(out_of_scope, started_days_ago=70)
    page = login(territorial_reviewer).get(reverse("to_handle_first")).content.decode()
    assert "Dossier FSE+ Amiens" in page
    assert "Mission Somme" in page
    assert "Dossier FEDER Laon" not in page  # the Aisne's, both the proposal and the mission
    assert "1 proposition attend une relecture depuis plus de 7 jours" in page
    assert "1 mission sans heures déclarées depuis 60 jours" in page


def test_the_page_says_when_nothing_waits(login, cress_staff):
    page = login(cress_staff).get(reverse("to_handle_first")).content.decode()
    assert "Aucune proposition n&#x27;attend" in page or "Aucune proposition n'attend" in page
    assert "Toutes les missions en cours ont des heures récentes." in page


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_query_count_does_not_grow(
    login, cress_staff, somme_association, django_assert_max_num_queries, rows
):
    for _n in range(rows):
        proposal = make_proposal(
            NeedFactory(organisation=somme_association), OfferFactory(departements=["80"]),
            age_days=10,
        )  # fmt: skip
        mission_for(
            make_proposal(NeedFactory(organisation=somme_association), OfferFactory()),
            started_days_ago=90,
        )
        assert proposal
    client = login(cress_staff)
    # session, user, memberships, proposals' count, rows (and skills), missions' count,
    # missions, notifications.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("to_handle_first")).status_code == 200
