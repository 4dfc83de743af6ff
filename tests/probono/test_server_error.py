"""A server error is the site's own page, in French and English, rendered without the database
or the request (Django renders 500.html with an empty context); under /api/, JSON in French.
A body too large for DATA_UPLOAD_MAX_MEMORY_SIZE under /api/ is a JSON 400."""

import pytest
from django.template import loader
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.probono.urls_raising")]


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")


def test_a_page_that_fails_is_the_site_s_page_in_french_and_english(visitor):
    response = visitor.get("/en-panne/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Server Error (500)" not in page
    assert "<h1>Erreur du serveur</h1>" in page
    assert 'lang="en"' in page and "Server error" in page
    assert "/static/css/probono.css" in page
    assert "style=" not in page and "<script" not in page  # the Content-Security-Policy


def test_the_page_renders_with_an_empty_context_and_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()
    assert "<h1>Erreur du serveur</h1>" in page


def test_the_page_is_written_in_english_first_for_english_readers(visitor):
    visitor.cookies["django_language"] = "en"
    page = visitor.get("/en-panne/").content.decode()
    assert '<html lang="en">' in page


def test_an_api_failure_is_json_in_french(visitor):
    response = visitor.get("/api/en-panne/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Erreur interne du serveur : réessayez plus tard. L'équipe est prévenue."
    }


def test_an_api_body_over_the_upload_limit_is_a_json_400(visitor, association_member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    token = Token.objects.create(user=association_member)
    response = visitor.post(
        "/api/mes-besoins/",
        '{"title": "' + "x" * 5000 + '"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Demande incorrecte : Probono n'a pas pu la lire (corps trop grand ?)."
    }
