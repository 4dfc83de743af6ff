"""Each list page runs the same number of queries for 3 rows as for 50: no query per row.

Every row of these pages comes from a different structure, volunteer and employer, so a
related object read row by row would show as extra queries. The counts include the three
queries of any signed-in page (session, user, memberships for the roles) and the header's
unread-notifications count.
"""

import pytest
from django.urls import reverse

from matching.models import Proposal
from tests.factories import NeedFactory, OfferFactory, skill

pytestmark = pytest.mark.django_db

ROWS = [3, 50]
PAGE_SIZE = 20


def offers(rows):
    return [
        OfferFactory(
            skills=[("fonds-europeens", "expert"), ("communication", "junior")],
            departements=["59", "62"],
        )
        for _ in range(rows)
    ]


@pytest.mark.parametrize("rows", ROWS)
def test_the_published_needs_page_runs_8_queries(
    client, volunteer, django_assert_num_queries, rows
):
    NeedFactory.create_batch(rows)
    client.force_login(volunteer)
    # signed-in page (3), unread count, count, rows with structure, skill and domain; the
    # filter form's skill and domain choices
    with django_assert_num_queries(8):
        response = client.get(reverse("need_list"))
    assert len(response.context["page"].object_list) == min(rows, PAGE_SIZE)


@pytest.mark.parametrize("rows", ROWS)
def test_the_needs_page_filtered_by_skill_and_departement_runs_9_queries(
    client, volunteer, django_assert_num_queries, rows
):
    NeedFactory.create_batch(rows, departement="59", main_skill=skill("controle-gestion"))
    NeedFactory(departement="02", main_skill=skill("controle-gestion"))  # filtered out
    client.force_login(volunteer)
    filters = {"skill": skill("controle-gestion").pk, "departement": "59"}
    # as unfiltered, and the chosen skill read to validate the filter
    with django_assert_num_queries(9):
        response = client.get(reverse("need_list"), filters)
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_offers_page_runs_9_queries(client, cress_staff, django_assert_num_queries, rows):
    offers(rows)
    client.force_login(cress_staff)
    # signed-in page (3), unread count, count, rows with volunteer and employer, their skills,
    # their départements; the skill filter's choices
    with django_assert_num_queries(9):
        response = client.get(reverse("offer_list"))
    assert len(response.context["page"].object_list) == min(rows, PAGE_SIZE)


@pytest.mark.parametrize("rows", ROWS)
def test_the_proposals_page_runs_6_queries(client, cress_staff, django_assert_num_queries, rows):
    for offer in offers(rows):
        Proposal.objects.create(
            need=NeedFactory(), offer=offer, score=1,
            details={"level": "expert", "place": "same", "departement": "02"},
        )  # fmt: skip
    client.force_login(cress_staff)
    # signed-in page (3), unread count, count, rows with need, structure, skill, offer,
    # volunteer and employer
    with django_assert_num_queries(6):
        response = client.get(reverse("proposal_list"))
    assert len(response.context["rows"]) == min(rows, PAGE_SIZE)
