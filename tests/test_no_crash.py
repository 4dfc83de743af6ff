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


OBSERVATORY_ODD = [
    *ODD,
    {"start": "31/02/2026", "end": "hier", "departement": "999"},
    {"start": "2026-05-01", "end": "2026-01-01"},
    {"start": "0001-01-01", "end": "9999-12-31"},
    {"departement": "\x00", "mesure": "\x00"},
    {"mesure": "nonsense", "page": "0"},
]


@pytest.mark.parametrize("params", OBSERVATORY_ODD)
@pytest.mark.parametrize("url_name", ["observatory", "observatory_map", "observatory_unmet"])
def test_observatory_pages_survive_odd_query_strings(client, cress_staff, url_name, params):
    client.force_login(cress_staff)
    assert client.get(reverse(url_name), params).status_code == 200


@pytest.mark.parametrize("params", OBSERVATORY_ODD)
@pytest.mark.parametrize(
    "url_name", ["export_needs", "export_offers", "export_proposals", "export_missions"]
)
def test_exports_refuse_odd_filters_without_a_server_error(client, cress_staff, url_name, params):
    """A wrong filter is a 400 naming it (a file must hold the period its name says)."""
    client.force_login(cress_staff)
    response = client.get(reverse(url_name), params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        b"".join(response.streaming_content)
