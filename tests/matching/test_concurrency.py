"""Concurrent matcher runs on PostgreSQL never exceed an offer's capacity together."""

import pytest
from django.db import connection
from django.db.models import Count

from matching import matcher
from matching.models import MatchingRun, Proposal
from tests import concurrency
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL advisory locks"),
    pytest.mark.usefixtures("skills_catalogue"),
]


def run_in_threads(functions):
    """Start every function at once, each in its own thread and database connection."""
    assert concurrency.errors_of(concurrency.collide([(f, ()) for f in functions])) == []


def test_two_groups_at_once_share_offers_without_exceeding_them(settings):
    """Aisne and Nord needs, in two groups run at the same moment, want the same offers."""
    settings.MATCHING_FULL_PASS_GROUPS = 2
    for code in ("02", "59"):
        organisation = OrganisationFactory(departement=code, postcode=f"{code}000")
        NeedFactory.create_batch(6, organisation=organisation, departement=code)
    offers = [OfferFactory(departements=["02", "59"], hours_per_month=8) for _ in range(4)]
    parent, children = matcher.start_full_pass(MatchingRun.Trigger.SCHEDULE)
    assert len(children) == 2

    run_in_threads([lambda child=child: matcher.run_group(child.pk) for child in children])

    per_offer = Proposal.objects.values("offer").annotate(n=Count("pk"))
    assert {row["n"] for row in per_offer} == {1}, "one slot each, never two"
    assert Proposal.objects.count() == len(offers)


def test_the_same_need_twice_at_once_creates_each_pair_once():
    organisation = OrganisationFactory(departement="02", postcode="02000")
    need = NeedFactory(organisation=organisation, departement="02")
    for _ in range(3):
        OfferFactory(departements=["02"], hours_per_month=40)

    run_in_threads([lambda: matcher.propose_for_need(need.pk)] * 2)

    assert Proposal.objects.filter(need=need).count() == 2
    assert MatchingRun.objects.filter(trigger="need").count() == 2
