""" "I'm interested" racing the matcher and the CRESS, with real threads on PostgreSQL.

A raised hand may withdraw the matcher's proposal that holds an offer's only slot; at the
same moment the volunteer raises hands on other needs, a reviewer approves that very
proposal and the matcher runs for the offer. Nothing may deadlock or fail, and the offer
never carries more live proposals than its hours allow.
"""

import pytest

from accounts.models import Membership, Organisation
from matching import matcher
from matching.models import Proposal
from missions import services
from tests import concurrency
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory
from tests.missions.test_races import collide, show, tally

pytestmark = [pytest.mark.django_db(transaction=True), concurrency.POSTGRESQL_ONLY]

HANDS = 10
ROUNDS = 10


@pytest.fixture
def people(skills_catalogue):
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION)
    company = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, departement="59", postcode="59000"
    )
    MembershipFactory(organisation=company, role=Membership.Role.ADMIN)
    volunteer = MembershipFactory(organisation=company).user
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="59", postcode="59000")
    reviewer = MembershipFactory(organisation=cress).user
    return association, company, volunteer, reviewer


def test_hands_a_reviewer_and_the_matcher_at_once_never_exceed_the_offer(people):
    association, company, volunteer, reviewer = people
    for round_ in range(ROUNDS):
        offer = OfferFactory(
            volunteer=volunteer, organisation=company, hours_per_month=8, departements=["02"]
        )
        automatic = Proposal.objects.create(
            need=NeedFactory(organisation=association), offer=offer, score=1, parts={},
            details={},
        )  # fmt: skip
        needs = [NeedFactory(organisation=association) for _ in range(HANDS)]
        outcomes = collide(
            [(services.raise_hand, (need, offer, volunteer)) for need in needs]
            + [(services.approve, (automatic.pk, reviewer, True))]
            + [(matcher.propose_for_offer, (offer.pk,))]
        )
        counts = tally(outcomes)
        hands = tally(outcomes[:HANDS])
        live = Proposal.objects.live().filter(offer=offer)
        print(f"round {round_ + 1:2}: {show(counts)} · hands {show(hands)} · {live.count()} live")
        assert counts["error"] == 0, outcomes
        assert live.count() == 1
        automatic.refresh_from_db()
        if automatic.status == Proposal.Status.APPROVED:
            assert hands["ok"] == 0  # an approved proposal is never taken
        else:
            assert automatic.status == Proposal.Status.WITHDRAWN
            assert hands["ok"] == 1
        for kind, message in outcomes[:HANDS]:
            if kind == "refused":
                assert "porte déjà autant de propositions" in message, message
