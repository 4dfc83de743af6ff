"""A structure always has someone to manage it: an administrator names another among the
members; CRESS staff name one for a structure left without (its administrator deleted their
account or was anonymised by the retention job); the last administrator of a structure with
other members names a successor before deleting their account."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from accounts import personal_data
from accounts.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Role, Status = Membership.Role, Membership.Status


@pytest.fixture
def structure(association_admin):
    return association_admin.memberships.get().organisation


@pytest.fixture
def colleague(structure):
    return MembershipFactory(
        organisation=structure, user=UserFactory(first_name="Inès", last_name="Lefebvre")
    )


def name_admin(client, user, membership):
    client.force_login(user)
    url = reverse("membership_make_admin", args=[membership.organisation_id, membership.pk])
    return client.post(url)


def test_an_administrator_names_a_member_administrator(client, association_admin, colleague):
    response = name_admin(client, association_admin, colleague)
    assert response.status_code == 302
    assert response.url == colleague.organisation.get_absolute_url()
    colleague.refresh_from_db()
    assert colleague.role == Role.ADMIN
    page = unescape(client.get(response.url).content.decode())
    assert "Inès Lefebvre est maintenant administratrice ou administrateur" in page


def test_the_button_is_shown_to_administrators_only_for_active_members(
    client, association_admin, colleague
):
    pending = MembershipFactory(organisation=colleague.organisation, status=Status.PENDING)
    client.force_login(association_admin)
    page = client.get(colleague.organisation.get_absolute_url()).content.decode()
    url = reverse("membership_make_admin", args=[colleague.organisation_id, colleague.pk])
    assert url in page
    assert reverse("membership_make_admin", args=[pending.organisation_id, pending.pk]) not in page
    client.force_login(colleague.user)
    assert url not in client.get(colleague.organisation.get_absolute_url()).content.decode()


def test_a_plain_member_cannot_name_an_administrator(client, colleague, structure):
    other = MembershipFactory(organisation=structure)
    assert name_admin(client, other.user, colleague).status_code == 403
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_a_pending_request_cannot_be_made_administrator(client, association_admin, structure):
    pending = MembershipFactory(organisation=structure, status=Status.PENDING)
    assert name_admin(client, association_admin, pending).status_code == 404
    pending.refresh_from_db()
    assert pending.role == Role.MEMBER


@pytest.fixture
def unconfirmed(structure):
    """A colleague who joined by a shareable link and has not confirmed their address yet."""
    return MembershipFactory(
        organisation=structure,
        joined_through=Membership.JoinedThrough.LINK,
        user=UserFactory(first_name="Noé", last_name="Caron", email_confirmed_at=None),
    )


def test_an_unconfirmed_address_cannot_be_named_administrator(
    client, association_admin, unconfirmed
):
    """Nobody knows yet the address is theirs: it would receive join requests to answer."""
    response = name_admin(client, association_admin, unconfirmed)
    assert response.status_code == 302
    unconfirmed.refresh_from_db()
    assert unconfirmed.role == Role.MEMBER
    page = unescape(client.get(response.url).content.decode())
    assert (
        "Noé Caron n'a pas encore confirmé son adresse e-mail : vous pourrez le ou la nommer "
        "administratrice ou administrateur une fois l'adresse confirmée."
    ) in page
    assert "est maintenant administratrice" not in page


def test_no_button_names_an_unconfirmed_address_administrator(
    client, association_admin, unconfirmed, colleague
):
    client.force_login(association_admin)
    page = client.get(unconfirmed.organisation.get_absolute_url()).content.decode()
    assert "adresse pas encore confirmée" in page
    assert (
        reverse("membership_make_admin", args=[unconfirmed.organisation_id, unconfirmed.pk])
        not in page
    )
    assert reverse("membership_make_admin", args=[colleague.organisation_id, colleague.pk]) in page


def test_another_structure_s_member_cannot_be_named_through_mine(client, association_admin):
    elsewhere = MembershipFactory()
    url = reverse("membership_make_admin", args=[
        association_admin.memberships.get().organisation_id, elsewhere.pk])  # fmt: skip
    client.force_login(association_admin)
    assert client.post(url).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == Role.MEMBER


def test_cress_staff_name_an_administrator_for_a_structure_left_without(
    client, cress_staff, association_admin, colleague
):
    Membership.objects.filter(user=association_admin).delete()  # the administrator is gone
    client.force_login(cress_staff)
    page = unescape(client.get(colleague.organisation.get_absolute_url()).content.decode())
    # « n'a pas », not « n'a plus »: true too of a structure that never had one.
    assert "Cette structure n'a pas d'administrateur ni d'administratrice" in page
    assert "n'a plus d'administrateur" not in page
    assert name_admin(client, cress_staff, colleague).status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.ADMIN


def test_cress_staff_do_not_name_one_where_the_structure_has_an_administrator(
    client, cress_staff, colleague
):
    assert name_admin(client, cress_staff, colleague).status_code == 403
    page = client.get(colleague.organisation.get_absolute_url()).content.decode()
    assert "Nommer administrateur" not in page
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_a_territorial_reviewer_names_one_only_in_their_departements(
    client, cress_staff, association_admin, colleague
):
    Membership.objects.filter(user=association_admin).delete()
    cress = cress_staff.memberships.get().organisation
    reviewer = MembershipFactory(organisation=cress, review_departements=["02"]).user
    assert colleague.organisation.departement == "80"
    assert name_admin(client, reviewer, colleague).status_code == 403
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_staff_cannot_promote_themselves_in_the_cress(client, cress_staff):
    cress = cress_staff.memberships.get().organisation
    MembershipFactory(organisation=cress, user=UserFactory())  # no administrator at all
    mine = cress_staff.memberships.get()
    assert name_admin(client, cress_staff, mine).status_code == 403
    mine.refresh_from_db()
    assert mine.role == Role.MEMBER


def test_the_last_administrator_with_other_members_names_a_successor_before_leaving(
    client, association_admin, colleague
):
    reasons = personal_data.erasure_refusals(association_admin)
    assert len(reasons) == 1
    assert "Solidarité Somme" in reasons[0] and "administrat" in reasons[0]
    assert colleague.organisation.get_absolute_url() in reasons[0]
    client.force_login(association_admin)
    page = client.get(reverse("account_delete")).content.decode()
    assert "Votre compte ne peut pas encore être supprimé" in page
    # The structure page's button, then the deletion is open.
    name_admin(client, association_admin, colleague)
    assert personal_data.erasure_refusals(association_admin) == []


def test_the_last_member_of_a_structure_without_live_needs_may_leave(association_admin):
    assert personal_data.erasure_refusals(association_admin) == []


def test_one_of_two_administrators_may_leave(association_admin, colleague):
    colleague.role = Role.ADMIN
    colleague.save()
    assert personal_data.erasure_refusals(association_admin) == []


def test_the_person_named_is_told_by_e_mail(
    client, association_admin, colleague, django_capture_on_commit_callbacks, eager_tasks
):
    """Their new rights (accept members, edit the structure, receive its join requests) are
    not a surprise: an e-mail says so, with the structure's page."""
    client.force_login(association_admin)
    url = reverse("membership_make_admin", args=[colleague.organisation_id, colleague.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    [message] = mail.outbox
    assert message.to == [colleague.user.email]
    assert (
        message.subject
        == "Probono : vous êtes administrateur ou administratrice de Solidarité Somme"
    )
    assert colleague.organisation.get_absolute_url() in message.body


def test_the_named_e_mail_task_takes_ids_and_sends_nothing_once_no_longer_true(colleague):
    from accounts import tasks

    assert tasks.send_named_administrator_email(colleague.pk) == 0  # still a plain member
    assert mail.outbox == []
