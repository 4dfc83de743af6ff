"""The review queue runs the same number of queries for 3 pending proposals as for 50.

Every row comes from a different structure, volunteer and employer, half of them mécénat (whose
missing referent is shown), each offer with two skills, so a related object read row by row
would show as extra queries.
"""

import pytest
from django.urls import reverse

from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, skill
from tests.missions.test_review_world import make_proposal

pytestmark = pytest.mark.django_db

SKILLS = [("fonds-europeens", "expert"), ("droit-du-travail", "junior")]


@pytest.fixture
def somme_association():
    return OrganisationFactory(departement="80", postcode="80000")


def pending(rows, organisation):
    for n in range(rows):
        engagement = ("benevolat", "mecenat")[n % 2]
        offer = OfferFactory(departements=["80"], skills=SKILLS, engagement=engagement)
        make_proposal(NeedFactory(organisation=organisation), offer)


@pytest.mark.parametrize("rows", [3, 50])
def test_the_review_queue_runs_8_queries(
    login,
    cress_staff,
    somme_association,
    django_assert_num_queries,
    rows,
):
    pending(rows, somme_association)
    client = login(cress_staff)
    # signed-in page (3), unread count, count, rows with need, structure, skill, volunteer,
    # employer and whether a mécénat employer lacks a referent, the offers' skills; the skill
    # filter's choices
    with django_assert_num_queries(8):
        response = client.get(reverse("review_queue"))
    assert len(response.context["rows"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [3, 50])
def test_the_review_queue_filtered_by_skill_runs_9_queries(
    login,
    cress_staff,
    somme_association,
    django_assert_num_queries,
    rows,
):
    pending(rows, somme_association)
    client = login(cress_staff)
    filters = {"skill": skill("fonds-europeens").pk}
    # as unfiltered, and the chosen skill read to validate the filter
    with django_assert_num_queries(9):
        response = client.get(reverse("review_queue"), filters)
    assert response.context["page"].paginator.count == rows
