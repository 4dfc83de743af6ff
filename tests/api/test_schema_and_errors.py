"""The schema, its docs page, and errors: JSON, in French, never a server error."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_warning(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`, as CI would run it."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert text.startswith("openapi: 3.")
    assert "Besoins publiés" in text


def test_the_schema_is_served_to_anyone_in_french(api):
    response = api.get(reverse("api_schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/besoins/"]["get"]
    assert operation["summary"] == "Besoins publiés"
    assert set(operation["responses"]) == {"200", "400", "401", "404"}


def test_the_schema_says_what_the_place_and_skill_filters_take(api):
    """A developer following the docs sends a département code and a skill id: the schema
    must list the codes (not the form's group labels) and say what `skill` is."""
    schema = api.get(reverse("api_schema"), HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/besoins/"]["get"]["parameters"]}
    place = parameters["departement"]
    assert "80" in place["schema"]["enum"] and "2A" in place["schema"]["enum"]
    assert "Hauts-de-France" not in place["schema"]["enum"]
    assert "80" in place["description"]
    assert "compétence" in parameters["skill"]["description"].lower()
    assert "/api/competences/" in parameters["skill"]["description"]


def test_the_docs_page_carries_no_inline_script_or_style(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html  # no CDN
    script = client.get(reverse("api_docs") + "?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


# Errors


def test_bad_json_is_refused_in_french(as_user, association_member):
    response = as_user(association_member).post(
        reverse("api_own_needs-list"), "{pas du json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Le contenu envoyé n'est pas du JSON valide."}


def test_a_body_that_is_not_json_is_refused_in_french(as_user, association_member):
    response = as_user(association_member).post(
        reverse("api_own_needs-list"), "title=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "non supporté" in response.json()["detail"]


def test_a_json_list_instead_of_an_object_is_refused_in_french(as_user, association_member):
    response = as_user(association_member).post(
        reverse("api_own_needs-list"), [1, 2], format="json"
    )
    assert response.status_code == 400
    assert "dictionnaire" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    "query",
    [
        "page=-1", "page=x", "departement=ZZ", "skill=99999999999999999999", "domain=abc",
        "remote_ok=peut-etre", "available_from=hier", "available_until=2026-02-30",
        "ordering=titre", "format=long", "q=" + "x" * 2000, "q=%00",
    ],
)  # fmt: skip
def test_bad_filters_and_pages_never_answer_a_server_error(api, query):
    NeedFactory()
    response = api.get(f"{reverse('api_published_needs-list')}?{query}")
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"
    if response.status_code == 400:
        messages = " ".join(str(m) for ms in response.json().values() for m in ms)
        assert re.search(r"valide|Sélectionnez|Saisissez|caractère nul", messages), messages


def test_a_wrong_token_is_refused_in_french(api):
    api.credentials(HTTP_AUTHORIZATION="Token pas-un-jeton")
    response = api.get(reverse("api_published_needs-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Token non valide."}


@pytest.mark.parametrize("path", ["/api/rien/", "/api/besoins/abc/", "/api/mes-offres/1.5/"])
def test_an_unknown_address_is_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_english_is_spoken_when_asked(api):
    response = api.get("/api/rien/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Not found."}


def test_the_api_answers_json_only(api):
    response = api.get(reverse("api_skills-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"


def test_the_schema_gives_the_form_s_hour_bounds(api):
    schema = api.get(reverse("api_schema"), HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    hours = components["NeedRequest"]["properties"]["estimated_hours"]
    assert (hours["minimum"], hours["maximum"]) == (1, 200)
    hours = components["OfferRequest"]["properties"]["hours_per_month"]
    assert (hours["minimum"], hours["maximum"]) == (1, 80)
