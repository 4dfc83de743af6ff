"""An offer's form sent from a stale page: a skill the offer already has, added again in a
blank row (another tab saved it meanwhile), is a French error, not a 500."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import OfferFactory, skill

pytestmark = pytest.mark.django_db


def test_a_skill_saved_meanwhile_and_added_again_is_a_form_error(client, volunteer):
    company = volunteer.memberships.get().organisation
    offer = OfferFactory(volunteer=volunteer, organisation=company, title="Conseil")
    client.force_login(volunteer)
    data = {
        "title": "Conseil", "description": "", "organisation": company.pk,
        "engagement": "mecenat", "hours_per_month": 8,
        "available_from": datetime.date.today().isoformat(), "available_until": "",
        "departements": ["59"],
        # The page was opened before the skill's row existed: no initial row.
        "skills-TOTAL_FORMS": "1", "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0", "skills-MAX_NUM_FORMS": "10",
        "skills-0-skill": skill("fonds-europeens").pk, "skills-0-level": "expert",
    }  # fmt: skip
    response = client.post(reverse("offer_edit", args=[offer.pk]), data)
    assert response.status_code == 200
    assert "Chaque compétence ne peut figurer qu&#x27;une fois." in response.text
    assert list(offer.skills.values_list("level", flat=True)) == ["confirmed"]
