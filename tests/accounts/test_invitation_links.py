"""Shareable invitation links: the referent creates one valid 7, 30 or 90 days, copies it,
revokes it and sees how many joined through it; anyone with it signs up (the address then
confirmed by the usual e-mail) or joins from their account, until it expires or is revoked."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, InvitationLink, Membership, Organisation, User
from tests.accounts import invitation_world as world
from tests.accounts.invitation_world import SIGNUP, a_user
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

company, referent, employee = world.company, world.referent, world.employee
Kind = Organisation.Kind


def link_of(organisation, days=30, **fields):
    return InvitationLink.objects.create(
        organisation=organisation, expires_at=timezone.now() + timedelta(days=days), **fields
    )


def sign_up(client, link, capture, **overrides):
    with capture(execute=True):
        return client.post(link.get_absolute_url(), {**SIGNUP, **overrides})


# The referent's side


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_referent_creates_a_link_valid_for_the_chosen_days(client, company, referent, days):
    client.force_login(referent)
    response = client.post(reverse("invitation_link_create", args=[company.pk]), {"days": days})
    assert response.url == reverse("invitation_list", args=[company.pk])
    link = InvitationLink.objects.get()
    assert (link.organisation, link.created_by) == (company, referent)
    assert timedelta(days=days - 1) < link.expires_at - timezone.now() <= timedelta(days=days)
    page = client.get(response.url).content.decode()
    assert f"{settings.SITE_URL.rstrip('/')}{link.get_absolute_url()}" in page  # to copy
    assert "Copier le lien" in page


@pytest.mark.parametrize("days", ["", "365", "abc"])
def test_another_life_is_refused_in_french(client, company, referent, days):
    client.force_login(referent)
    response = client.post(reverse("invitation_link_create", args=[company.pk]), {"days": days})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not InvitationLink.objects.exists()


def test_two_links_have_different_tokens(company):
    assert link_of(company).token != link_of(company).token


def test_the_referent_revokes_a_link(client, company, referent):
    link = link_of(company)
    client.force_login(referent)
    client.post(reverse("invitation_link_revoke", args=[company.pk, link.pk]))
    link.refresh_from_db()
    assert link.status == "revoked"
    client.logout()
    page = client.get(link.get_absolute_url())
    assert page.status_code == 410
    assert "a été révoquée par la structure" in page.content.decode()


def test_another_company_s_link_cannot_be_revoked_through_mine(client, company, referent):
    theirs = link_of(OrganisationFactory(kind=Kind.COMPANY))
    client.force_login(referent)
    url = reverse("invitation_link_revoke", args=[company.pk, theirs.pk])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_the_list_shows_how_many_joined_through_each_link_and_who(
    client, company, referent, django_capture_on_commit_callbacks
):
    link = link_of(company)
    sign_up(client, link, django_capture_on_commit_callbacks, email="claire@example.org")
    client.logout()
    sign_up(client, link, django_capture_on_commit_callbacks,
            email="paul@example.org", first_name="Paul", last_name="Durand")  # fmt: skip
    client.logout()
    client.force_login(referent)
    page = client.get(reverse("invitation_list", args=[company.pk])).content.decode()
    assert re.search(r"<td>2</td>", page)
    assert "Claire Martin" in page and "Paul Durand" in page
    assert "Lien d&#x27;invitation" in page or "Lien d'invitation" in page


def test_the_referent_sees_which_addresses_arrived_by_link_are_not_confirmed_yet(
    client, company, referent, django_capture_on_commit_callbacks
):
    """A link proves nothing about the address typed: until its owner confirms it, the
    referent's lists say so (an unconfirmed account can do nothing meanwhile)."""
    link = link_of(company)
    sign_up(client, link, django_capture_on_commit_callbacks, email="pdg@example.org")
    client.logout()
    client.force_login(referent)
    pages = [
        client.get(reverse("invitation_list", args=[company.pk])).content.decode(),
        client.get(company.get_absolute_url()).content.decode(),
    ]
    assert all("adresse pas encore confirmée" in page for page in pages)
    User.objects.filter(email="pdg@example.org").update(email_confirmed_at=timezone.now())
    pages = [
        client.get(reverse("invitation_list", args=[company.pk])).content.decode(),
        client.get(company.get_absolute_url()).content.decode(),
    ]
    assert not any("adresse pas encore confirmée" in page for page in pages)


# The person who follows it


def test_a_visitor_signs_up_through_the_link_and_confirms_the_address_by_e_mail(
    client, company, django_capture_on_commit_callbacks, eager_tasks
):
    link = link_of(company)
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200
    assert "Créer un compte et rejoindre Banque du Nord" in page.content.decode()
    response = sign_up(client, link, django_capture_on_commit_callbacks,
                       email="claire@example.org")  # fmt: skip
    assert response.url == reverse("email_confirmation_required")
    user = User.objects.get(email="claire@example.org")
    assert user.email_confirmed_at is None  # a link proves nothing about the address
    assert Consent.objects.filter(user=user).count() == 1
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.status) == (company, Membership.Status.ACTIVE)
    assert (membership.joined_through, membership.invitation_link) == (
        Membership.JoinedThrough.LINK, link,
    )  # fmt: skip
    link.refresh_from_db()
    assert link.uses == 1
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]
    assert "/compte/confirmer-adresse/" in mail.outbox[0].body


def test_a_link_serves_many_people_until_it_expires(
    client, company, django_capture_on_commit_callbacks
):
    link = link_of(company)
    for n in range(3):
        client.logout()
        sign_up(client, link, django_capture_on_commit_callbacks, email=f"p{n}@example.org")
    link.refresh_from_db()
    assert link.uses == 3
    assert company.memberships.filter(joined_through=Membership.JoinedThrough.LINK).count() == 3


def test_an_expired_link_says_so_and_creates_nothing(
    client, company, django_capture_on_commit_callbacks
):
    link = link_of(company, days=0)
    page = client.get(link.get_absolute_url())
    assert page.status_code == 410
    assert "a expiré" in page.content.decode()
    response = sign_up(client, link, django_capture_on_commit_callbacks, email="c@example.org")
    assert response.status_code == 410
    assert not User.objects.exists()


def test_a_link_revoked_while_the_form_is_filled_creates_nothing(
    client, company, django_capture_on_commit_callbacks
):
    link = link_of(company)
    assert client.get(link.get_absolute_url()).status_code == 200
    InvitationLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    response = sign_up(client, link, django_capture_on_commit_callbacks, email="c@example.org")
    assert response.status_code == 410
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_an_unknown_link_is_a_french_404(client, company):
    link_of(company)
    page = client.get(reverse("invitation_link_join", args=["pas-un-lien"]))
    assert page.status_code == 404
    assert "n'existe pas" in page.content.decode()


def test_a_suspended_employer_s_link_takes_nobody(
    client, company, django_capture_on_commit_callbacks
):
    """The wrong employer: the structure cannot take people any more."""
    link = link_of(company)
    Organisation.objects.filter(pk=company.pk).update(status=Organisation.Status.SUSPENDED)
    assert client.get(link.get_absolute_url()).status_code == 400
    response = sign_up(client, link, django_capture_on_commit_callbacks, email="c@example.org")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_logged_in_person_joins_with_a_button(client, company):
    person = a_user()
    link = link_of(company)
    client.force_login(person)
    page = client.get(link.get_absolute_url()).content.decode()
    assert "Rejoindre Banque du Nord" in page
    assert not person.memberships.exists()
    response = client.post(link.get_absolute_url())
    assert response.url == company.get_absolute_url()
    assert person.memberships.get().joined_through == Membership.JoinedThrough.LINK
    link.refresh_from_db()
    assert link.uses == 1


def test_a_member_following_the_link_is_not_counted_twice(client, company, employee):
    link = link_of(company)
    client.force_login(employee)
    response = client.post(link.get_absolute_url(), follow=True)
    assert "Vous êtes déjà membre de Banque du Nord." in response.content.decode()
    link.refresh_from_db()
    assert link.uses == 0


def test_an_existing_address_is_sent_to_log_in(client, company, django_capture_on_commit_callbacks):
    a_user(email="claire@example.org")
    link = link_of(company)
    response = sign_up(client, link, django_capture_on_commit_callbacks,
                       email="claire@example.org")  # fmt: skip
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail" in response.content.decode()
    assert f"{reverse('login')}?next=" in response.content.decode()
    link.refresh_from_db()
    assert link.uses == 0
