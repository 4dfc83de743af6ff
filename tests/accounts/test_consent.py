"""Sign-up records the person's agreement to the privacy notice, with its version and date."""

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, User
from tests.factories import signup_form

pytestmark = pytest.mark.django_db

SIGNUP = signup_form()


def test_the_form_asks_for_consent_with_a_link_to_the_notice(client):
    page = client.get(reverse("signup")).text
    assert 'type="checkbox" name="privacy_consent"' in page
    assert "J&#x27;ai lu la politique de confidentialité" in page
    assert f'<a href="{reverse("privacy")}" target="_blank" rel="noopener">' in page


def test_the_box_says_the_notice_was_read_not_that_processing_is_consented_to(client):
    """The legal bases are the service (6.1.b), obligations (6.1.c) and legitimate interest
    (6.1.f), not consent (6.1.a): the box must not read as a consent to processing."""
    page = client.get(reverse("signup")).text
    assert "J&#x27;ai lu la politique de confidentialité de Probono" in page
    assert "traite mes" not in page
    assert "j&#x27;accepte" not in page.lower()


def test_sign_up_records_the_consent_with_the_notice_s_version_and_date(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-01-15"
    before = timezone.now()
    client.post(reverse("signup"), SIGNUP)
    user = User.objects.get(email="claire.martin@example.org")
    consent = user.consents.get()
    assert consent.version == "2027-01-15"
    assert before <= consent.given_at <= timezone.now()


def test_without_the_box_ticked_no_account_is_made_and_the_input_is_kept(client):
    data = {**SIGNUP}
    del data["privacy_consent"]
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert "Cochez cette case pour créer votre compte" in response.text
    assert 'value="claire.martin@example.org"' in response.text
    assert 'value="Claire"' in response.text
    assert 'value="Martin"' in response.text
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_a_refused_sign_up_records_no_consent(client):
    response = client.post(reverse("signup"), {**SIGNUP, "password2": "autre-chose-2026"})
    assert response.status_code == 200
    assert not Consent.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite does not enforce the version's length"
)
def test_the_account_and_its_consent_are_saved_together(client, settings):
    """A consent that cannot be saved (a version longer than the column) takes the account
    with it: no account without its proof of consent."""
    settings.PRIVACY_NOTICE_VERSION = "v" * 30
    with pytest.raises(DatabaseError):
        client.post(reverse("signup"), SIGNUP)
    assert not User.objects.exists()


def test_each_consent_is_kept_with_its_own_version(client, settings):
    """A later version of the notice does not rewrite what earlier accounts agreed to."""
    settings.PRIVACY_NOTICE_VERSION = "2026-11-28"
    client.post(reverse("signup"), SIGNUP)
    client.logout()
    settings.PRIVACY_NOTICE_VERSION = "2027-06-01"
    client.post(reverse("signup"), {**SIGNUP, "email": "paul@example.org"})
    versions = dict(Consent.objects.values_list("user__email", "version"))
    assert versions == {"claire.martin@example.org": "2026-11-28", "paul@example.org": "2027-06-01"}
