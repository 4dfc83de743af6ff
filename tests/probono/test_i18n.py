"""The interface is French first, with an English translation."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_interface_is_in_french_by_default(client):
    response = client.get(reverse("home"))
    assert '<html lang="fr">' in response.text
    assert "Créer un compte" in response.text


@pytest.mark.django_db
def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert '<html lang="en">' in response.text
    assert "Créer un compte" not in response.text
    assert "Skip to content" in response.text
