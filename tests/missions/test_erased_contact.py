"""A mission whose volunteer deleted their account: its page names nobody and offers no
address to write to (the placeholder address goes nowhere)."""

import pytest
from django.urls import reverse

from accounts import personal_data
from tests.accounts.personal_world import lived_world

pytestmark = pytest.mark.django_db


def test_the_mission_page_shows_an_erased_volunteer_as_a_deleted_account(client):
    world = lived_world()
    volunteer, member = world["people"]["volunteer"], world["people"]["member"]
    mission = world["mission"]
    personal_data.erase(volunteer)
    client.force_login(member)
    page = client.get(reverse("mission_detail", args=[mission.pk])).content.decode()
    assert "Compte supprimé" in page
    assert "@invalid" not in page
    assert f"mailto:{member.email}" in page  # the other side's contact is still shown
