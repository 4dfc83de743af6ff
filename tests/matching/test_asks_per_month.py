"""A volunteer is asked at most MATCHING_MAX_ASKS_PER_MONTH times in 30 days: an ask is a
proposal of theirs approved by the CRESS, whatever came of it."""

import datetime

import pytest
from django.utils import timezone

from matching import matcher
from matching.models import MatchingRun, Proposal
from tests.factories import NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db

ASKS = 3


@pytest.fixture(autouse=True)
def asks_per_month(settings):
    settings.MATCHING_MAX_ASKS_PER_MONTH = ASKS


@pytest.fixture
def asked_offer(volunteer, association):
    """An offer with plenty of room whose volunteer was asked ASKS times this month (and
    declined each time: the asks count, not what came of them)."""
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         hours_per_month=40, departements=["02"])  # fmt: skip
    now = timezone.now()
    for days_ago in range(ASKS):
        Proposal.objects.create(
            need=NeedFactory(organisation=association), offer=offer, score=5,
            status=Proposal.Status.DECLINED, approved_at=now - datetime.timedelta(days=days_ago),
        )  # fmt: skip
    return offer


@pytest.fixture
def fresh_offer(other_volunteer):
    """Another volunteer's offer for the same needs, never asked: the matcher does run."""
    return OfferFactory(volunteer=other_volunteer, departements=["02"], hours_per_month=40,
                        organisation=other_volunteer.memberships.get().organisation)  # fmt: skip


@pytest.fixture
def need(association):
    return NeedFactory(organisation=association, title="Répondre à un appel à projets FSE+")


def proposed_offers(need):
    return set(Proposal.objects.filter(need=need).values_list("offer", flat=True))


def age_out_the_oldest_ask(offer):
    oldest = Proposal.objects.filter(offer=offer).order_by("approved_at").first()
    Proposal.objects.filter(pk=oldest.pk).update(
        approved_at=timezone.now() - datetime.timedelta(days=31)
    )


def test_a_volunteer_asked_enough_this_month_is_not_proposed_for_a_new_need(
    asked_offer, fresh_offer, need
):
    matcher.propose_for_need(need.pk)
    assert proposed_offers(need) == {fresh_offer.pk}


def test_a_volunteer_asked_enough_is_left_out_of_a_full_pass(asked_offer, fresh_offer, need):
    matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
    assert proposed_offers(need) == {fresh_offer.pk}


def test_one_ask_fewer_and_the_volunteer_is_proposed_again(asked_offer, fresh_offer, need):
    """Once the oldest ask is more than 30 days old, the volunteer may be asked again."""
    matcher.propose_for_need(need.pk)
    age_out_the_oldest_ask(asked_offer)
    matcher.propose_for_need(need.pk)
    assert proposed_offers(need) == {fresh_offer.pk, asked_offer.pk}


def test_the_full_pass_proposes_the_volunteer_again_once_an_ask_ages_out(
    asked_offer, fresh_offer, need
):
    age_out_the_oldest_ask(asked_offer)
    matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
    assert asked_offer.pk in proposed_offers(need)


def test_proposals_not_approved_do_not_count_as_asks(volunteer, association, fresh_offer, need):
    """Waiting in the CRESS's queue, or rejected by it, the volunteer was never asked."""
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         hours_per_month=40, departements=["02"])  # fmt: skip
    for status in [Proposal.Status.PROPOSED, Proposal.Status.REJECTED] * 2:
        Proposal.objects.create(
            need=NeedFactory(organisation=association), offer=offer, score=5, status=status
        )
    matcher.propose_for_need(need.pk)
    assert offer.pk in proposed_offers(need)
