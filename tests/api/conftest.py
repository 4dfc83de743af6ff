"""Fixtures of the API tests: a client that speaks JSON, and each side's rows."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory


@pytest.fixture
def api():
    """A DRF client asking for French, as the site's visitors do."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def as_user(api):
    """The client with a person's token in its Authorization header, used already today: the
    first use of a day writes last_login once (retention), which the pinned counts leave out."""

    def _as(user):
        user.last_login = timezone.now()
        type(user).objects.filter(pk=user.pk).update(last_login=user.last_login)
        token, _created = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return _as


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
def company(volunteer):
    return volunteer.memberships.get().organisation


@pytest.fixture
def offer(volunteer, company):
    return OfferFactory(volunteer=volunteer, organisation=company)


@pytest.fixture
def company_referent(company):
    """The HR manager of the volunteer's company: a volunteer too, by the roles' rules."""
    return MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of the CRESS's Somme antenna: the Somme and the Aisne only."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80", "02"]).user
