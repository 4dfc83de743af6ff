import pytest

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory


@pytest.fixture
def association(association_member):
    return association_member.memberships.get().organisation


@pytest.fixture
def draft_need(association):
    return NeedFactory(organisation=association, status="draft", published_at=None)


@pytest.fixture
def published_need(association):
    return NeedFactory(organisation=association, title="Monter un dossier FSE+")


@pytest.fixture
def offer(volunteer):
    return OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation)


@pytest.fixture
def other_volunteer(db):
    company = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, departement="62", postcode="62000"
    )
    return MembershipFactory(organisation=company).user


@pytest.fixture
def company_referent(offer):
    """The administrator of the offer's company: the HR manager who follows volunteers."""
    return MembershipFactory(organisation=offer.organisation, role=Membership.Role.ADMIN).user
