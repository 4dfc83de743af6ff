"""Roles derive from memberships, and each role gets its own home page section."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def test_a_member_of_an_association_is_an_association_member(association_member):
    roles = association_member.roles
    assert roles.association_member
    assert not (roles.volunteer or roles.cress_staff or roles.company_referent)


def test_an_employee_of_a_company_is_a_volunteer(volunteer):
    assert volunteer.roles.volunteer
    assert not volunteer.roles.company_referent


def test_a_public_agent_is_a_volunteer():
    agent = member_of(Kind.PUBLIC_BODY)
    assert agent.roles.volunteer


def test_an_administrator_of_a_company_is_its_referent():
    referent = member_of(Kind.COMPANY, role=Membership.Role.ADMIN)
    assert referent.roles.company_referent
    assert referent.roles.volunteer


def test_a_member_of_the_cress_is_staff(cress_staff):
    assert cress_staff.is_cress_staff


def test_one_person_can_hold_several_roles(volunteer):
    MembershipFactory(user=volunteer, organisation=OrganisationFactory(kind=Kind.ASSOCIATION))
    volunteer.refresh_from_db()
    assert volunteer.roles.volunteer and volunteer.roles.association_member


def test_a_pending_request_gives_no_role():
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(kind=Kind.CRESS),
        status=Membership.Status.PENDING,
    )
    assert not user.is_cress_staff


def test_a_newcomer_is_invited_to_register_or_join_a_structure(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert "Enregistrer une structure" in response.text
    assert "Rejoindre une structure existante" in response.text


def test_staff_see_how_many_structures_await_them(client, cress_staff):
    OrganisationFactory.create_batch(2, status=Organisation.Status.REGISTERED)
    client.force_login(cress_staff)
    response = client.get(reverse("home"))
    assert "2 structures attendent votre vérification" in response.text


def test_an_association_member_sees_the_association_section(client, association_member):
    client.force_login(association_member)
    response = client.get(reverse("home"))
    assert "Ma structure de l'ESS" in response.text
    assert "Mon engagement" not in response.text


def test_a_volunteer_sees_the_volunteer_section(client, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("home"))
    assert "Mon engagement" in response.text
    assert "Vérifier les structures" not in response.text


def test_anonymous_people_see_the_presentation(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Créer un compte" in response.text
