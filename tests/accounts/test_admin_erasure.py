"""A person who asks the CRESS (by post, by e-mail) to be forgotten: an operator anonymises
the account from the admin, by the same code as « Supprimer mon compte »."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from missions.models import HoursEntry
from tests.accounts.personal_world import lived_world

pytestmark = pytest.mark.django_db


def test_an_operator_anonymises_a_volunteer_with_missions_from_the_admin(client):
    world = lived_world()
    volunteer = world["people"]["volunteer"]
    hours = HoursEntry.objects.filter(mission=world["mission"]).count()
    operator = get_user_model().objects.create_superuser(
        "operateur@example.org", "motdepasse-solide-2026"
    )
    client.force_login(operator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "anonymise", "_selected_action": [volunteer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 compte anonymisé" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.anonymised_at is not None and volunteer.email.endswith("@invalid")
    assert HoursEntry.objects.filter(mission=world["mission"]).count() == hours
