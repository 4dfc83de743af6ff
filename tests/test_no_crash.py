"""Odd query strings get a page, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "99999"},
    {"q": "&&& | !! ((", "ordering": "nonsense"},
    {"q": "\x00"},
    {"skill": "abc", "domain": "x", "departement": "999", "available_from": "31/02/2026"},
    {"level": "god", "engagement": "x", "available_on": "hier", "is_active": "maybe"},
    {"status": "???"},
]


@pytest.mark.parametrize("params", ODD)
@pytest.mark.parametrize(
    "url_name", ["need_list", "offer_list", "proposal_list", "verification_list", "my_offers"]
)
def test_staff_pages_survive_odd_query_strings(client, cress_staff, url_name, params):
    client.force_login(cress_staff)
    assert client.get(reverse(url_name), params).status_code == 200


@pytest.mark.parametrize("params", ODD)
def test_an_organisations_needs_survive_odd_query_strings(client, association_member, params):
    organisation = association_member.memberships.get().organisation
    client.force_login(association_member)
    url = reverse("organisation_needs", args=[organisation.pk])
    assert client.get(url, params).status_code == 200


def test_the_join_search_survives_odd_input(client, association_member):
    client.force_login(association_member)
    assert client.get(reverse("organisation_join"), {"q": "\x00%_'"}).status_code == 200
