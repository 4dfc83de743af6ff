"""Someone who signed up on their own, did not confirm yet, then receives their employer's
invitation: following it must not send them back to the confirmation page."""

import pytest
from django.urls import reverse

from accounts import invitations
from accounts.models import Membership
from tests.accounts.invitation_world import company, invitation_to  # noqa: F401 (fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return UserFactory(email="nouvelle@example.org", email_confirmed_at=None)


def test_an_unconfirmed_account_opens_and_accepts_its_e_mail_invitation(client, company, newcomer):  # noqa: F811
    invitation = invitation_to(company, newcomer.email)
    client.force_login(newcomer)
    url = reverse("invitation_accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    client.post(url)
    assert Membership.objects.filter(user=newcomer, organisation=company).exists()
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None  # the invitation went to that address


def test_an_unconfirmed_account_opens_a_shareable_link(client, company, newcomer):  # noqa: F811
    link = invitations.create_link(company, by=None, days=7)
    client.force_login(newcomer)
    assert client.get(reverse("invitation_link_join", args=[link.token])).status_code == 200
