"""Refusals and missing pages answer in the site's language, inside the site's frame."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def test_a_refusal_is_a_french_page_with_the_navigation(client, cress_staff):
    client.force_login(cress_staff)
    response = client.get(reverse("mecenat_companies"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "<h1>Accès refusé</h1>" in page
    assert f'href="{reverse("observatory")}"' in page  # the staff's own links are still there


def test_a_missing_page_is_a_french_page(client):
    user = member_of(Organisation.Kind.ASSOCIATION, role=Membership.Role.ADMIN)
    client.force_login(user)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


def test_the_refusal_speaks_english_to_english_readers(client, cress_staff):
    client.force_login(cress_staff)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("mecenat_companies"))
    assert response.status_code == 403
    assert '<html lang="en">' in response.content.decode()
