"""What an attacker sends the API is refused in French JSON, never a server error: deeply nested
JSON, a `null` body, session writes without their CSRF token or from another site."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.models import Need

pytestmark = pytest.mark.django_db

BAD_JSON = "Le contenu envoyé n'est pas du JSON valide."
DEEP_LIST = "[" * 2000 + "]" * 2000
DEEP_OBJECT = '{"a":' * 1500 + "1" + "}" * 1500


@pytest.fixture
def own_need(association):
    from tests.factories import NeedFactory

    return NeedFactory(organisation=association, status="draft", published_at=None)


# D2: nesting deep enough to exhaust Python's recursion is a 400 in French, not a 500.


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
@pytest.mark.parametrize("url_name", ["api_own_needs-list", "api_own_offers-list"])
def test_deeply_nested_json_is_refused_in_french(
    as_user, volunteer, association_member, body, url_name
):
    person = association_member if url_name == "api_own_needs-list" else volunteer
    response = as_user(person).post(reverse(url_name), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": BAD_JSON}


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_deeply_nested_json_in_a_patch_changes_nothing(as_user, association_member, own_need, body):
    url = reverse("api_own_needs-detail", args=[own_need.pk])
    response = as_user(association_member).patch(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": BAD_JSON}
    assert Need.objects.get(pk=own_need.pk).title == own_need.title


# D3: DRF's English messages said in French.


def test_a_null_body_is_refused_in_french(as_user, association_member):
    response = as_user(association_member).post(
        reverse("api_own_needs-list"), "null", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Aucune donnée envoyée : le corps doit être un objet JSON."]
    }


def test_a_null_body_in_a_patch_is_refused_in_french(as_user, association_member, own_need):
    response = as_user(association_member).patch(
        reverse("api_own_needs-detail", args=[own_need.pk]), "null", content_type="application/json"
    )
    assert response.status_code == 400
    assert "No data" not in response.text
    assert response.json() == {
        "non_field_errors": ["Aucune donnée envoyée : le corps doit être un objet JSON."]
    }


@pytest.fixture
def session_api(association_member):
    """The browser's way: logged in by the session, CSRF checked as in production."""
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(association_member)
    return client


def test_a_session_write_without_its_csrf_token_is_refused_in_french(session_api):
    response = session_api.post(reverse("api_own_needs-list"), {"title": "x"}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Jeton CSRF absent ou incorrect : rechargez la page du site et réessayez."
    }
    assert not Need.objects.exists()


def test_a_session_write_from_another_site_is_refused_in_french(session_api):
    response = session_api.post(
        reverse("api_own_needs-list"),
        {"title": "x"},
        format="json",
        HTTP_ORIGIN="https://malveillant.example",
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Requête refusée : elle ne vient pas de ce site (en-tête Origin ou Referer)."
    }
    assert not Need.objects.exists()


def test_the_csrf_refusal_speaks_english_when_asked(association_member):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(association_member)
    response = client.post(reverse("api_own_needs-list"), {"title": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF Failed" not in response.text
