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


def test_every_message_has_an_english_translation():
    """No entry of the English catalogue is left empty or fuzzy (run `make messages` after)."""
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"
    entries = catalogue.read_text(encoding="utf-8").split("\n\n")[1:]  # the header first
    untranslated = [
        entry
        for entry in entries
        if "#, fuzzy" in entry
        or any(
            line in ('msgstr ""', 'msgstr[0] ""', 'msgstr[1] ""')
            and not entry.split(line, 1)[1].lstrip().startswith('"')
            for line in entry.splitlines()
        )
    ]
    assert untranslated == []


def test_the_compiled_catalogue_holds_the_latest_messages():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Lancer un passage complet") == "Start a full pass"
