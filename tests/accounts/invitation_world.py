"""People around a company's invitations: its referent, a plain employee, another company's
referent, an association's member and CRESS staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import INVITATION_DAYS, Invitation, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, signup_form

Kind = Organisation.Kind

# The invitation's sign-up form: the address is the invitation's, or typed per test.
SIGNUP = {name: value for name, value in signup_form().items() if name != "email"}


@pytest.fixture
def company(db):
    return OrganisationFactory(
        kind=Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000"
    )


@pytest.fixture
def referent(company):
    return MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user


@pytest.fixture
def employee(company):
    return MembershipFactory(organisation=company).user


@pytest.fixture
def people(company, referent, employee):
    """Each side of the referent's pages, by role."""
    other_company = OrganisationFactory(kind=Kind.COMPANY, name="Autre Entreprise")
    association = OrganisationFactory(name="Les Jardins de Laon")
    cress = OrganisationFactory(kind=Kind.CRESS, name="CRESS")
    return {
        "referent": referent,
        "employee": employee,
        "other_referent": MembershipFactory(
            organisation=other_company, role=Membership.Role.ADMIN
        ).user,
        "association_member": MembershipFactory(organisation=association).user,
        "cress_staff": MembershipFactory(organisation=cress).user,
        "anonymous": None,
    }


def invitation_to(organisation, email, by=None, **fields):
    now = timezone.now()
    fields.setdefault("expires_at", now + timedelta(days=INVITATION_DAYS))
    return Invitation.objects.create(organisation=organisation, email=email, invited_by=by,
                                     **fields)  # fmt: skip


def a_user(**fields):
    return UserFactory(**fields)
