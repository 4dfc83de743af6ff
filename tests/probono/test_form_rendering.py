"""How forms are drawn (templates/includes/_form.html). The error summary at the top names
each field in error with a link to it (keyboard and screen-reader users go straight there),
and says honestly what is kept: passwords are never sent back, so it asks for them again.
A checkbox comes before its words."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary(response):
    html = response.content.decode()
    return re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)


def test_the_summary_links_each_field_in_error_and_asks_for_the_passwords_again(client):
    response = client.post(
        reverse("signup"),
        {
            "email": "claire.martin@example.org",
            "first_name": "",
            "last_name": "Martin",
            "password1": "court",
            "password2": "autre",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200
    box = summary(response)
    assert 'href="#id_first_name"' in box
    assert 'href="#id_password2"' in box
    assert 'href="#id_email"' not in box  # the e-mail address was right
    assert "sauf les mots de passe" in box


def test_a_form_without_passwords_does_not_mention_them(client):
    response = client.post(reverse("password_reset"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    box = summary(response)
    assert 'href="#id_email"' in box
    assert "mots de passe" not in box


def test_a_checkbox_comes_before_its_label(client):
    html = client.get(reverse("signup")).content.decode()
    box = html.index('id="id_privacy_consent"')
    label = html.index('<label for="id_privacy_consent">')
    assert box < label
    assert 'aria-describedby="id_privacy_consent_helptext"' in html  # the privacy link, read out
