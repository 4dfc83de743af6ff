"""Who sees whom in a structure: names for members, e-mails and join requests for those who act."""

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from tests.factories import MembershipFactory, UserFactory, signup_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure(association_admin):
    """A structure with its administrator, a named member, a nameless one and a join request."""
    organisation = association_admin.memberships.get().organisation
    MembershipFactory(
        organisation=organisation,
        user=UserFactory(first_name="Inès", last_name="Lefebvre", email="ines@example.org"),
    )
    MembershipFactory(
        organisation=organisation,
        user=UserFactory(first_name="", last_name="", email="sans.nom@example.org"),
    )
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.PENDING,
        user=UserFactory(first_name="Paul", last_name="Demandeur", email="paul@example.org"),
    )
    return organisation


@pytest.fixture
def plain_member(structure):
    return MembershipFactory(organisation=structure).user


def members_page(client, user, organisation):
    client.force_login(user)
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_a_plain_member_sees_names_but_no_email(client, structure, plain_member):
    page = members_page(client, plain_member, structure)
    assert "Inès Lefebvre" in page
    assert "ines@example.org" not in page


def test_a_member_without_a_name_is_not_shown_by_email(client, structure, plain_member):
    """A legacy account with blank names shows as « Membre sans nom », never its address."""
    page = members_page(client, plain_member, structure)
    assert "sans.nom@example.org" not in page
    assert "Membre sans nom" in page


def test_a_plain_member_does_not_see_join_requests(client, structure, plain_member):
    page = members_page(client, plain_member, structure)
    assert "Demandeur" not in page
    assert "paul@example.org" not in page
    assert "Accepter" not in page


def test_an_administrator_sees_emails_and_join_requests(client, structure, association_admin):
    page = members_page(client, association_admin, structure)
    assert "Inès Lefebvre &lt;ines@example.org&gt;" in page
    assert "sans.nom@example.org" in page
    assert "Paul Demandeur &lt;paul@example.org&gt;" in page
    request = structure.memberships.pending().get()
    assert reverse("membership_approve", args=[structure.pk, request.pk]) in page


def test_cress_staff_see_emails_but_not_join_requests(client, structure, cress_staff):
    """Staff who verify structures may reach their members; join requests are not theirs."""
    page = members_page(client, cress_staff, structure)
    assert "ines@example.org" in page
    assert "Demandeur" not in page


def test_another_organisations_member_sees_nothing(client, structure, other_member):
    client.force_login(other_member)
    assert client.get(structure.get_absolute_url()).status_code == 404


def test_anonymous_people_see_nothing(client, structure):
    response = client.get(structure.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("extra_members", [0, 47])
def test_the_members_list_takes_the_same_queries_for_3_or_50_members(
    client, structure, plain_member, extra_members, django_assert_num_queries
):
    MembershipFactory.create_batch(extra_members, organisation=structure)
    client.force_login(plain_member)
    # The session, the user, the structure (with who verified it), the user's memberships,
    # the header's unread count, the members with their users.
    with django_assert_num_queries(6):
        client.get(structure.get_absolute_url())


def test_a_user_without_a_name_is_never_shown_by_email():
    assert str(User(email="sans.nom@example.org")) == "Membre sans nom"


# The profile: names are required, what was typed is kept


def test_the_profile_requires_a_first_and_a_last_name(client):
    user = UserFactory(first_name="Inès", last_name="Lefebvre")
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"first_name": " ", "last_name": "", "phone": "03 22 00 00 00"}
    )
    assert response.status_code == 200
    assert "Indiquez votre prénom." in response.text
    assert "Indiquez votre nom." in response.text
    assert 'value="03 22 00 00 00"' in response.text
    user.refresh_from_db()
    assert user.get_full_name() == "Inès Lefebvre"


def test_the_profile_keeps_the_name_typed_when_the_other_is_missing(client):
    client.force_login(UserFactory())
    response = client.post(reverse("profile"), {"first_name": "", "last_name": "Lefebvre"})
    assert "Indiquez votre prénom." in response.text
    assert 'value="Lefebvre"' in response.text


def test_signing_up_requires_a_name(client):
    response = client.post(
        reverse("signup"),
        signup_form(first_name="", last_name=""),
    )
    assert response.status_code == 200
    assert not User.objects.exists()
