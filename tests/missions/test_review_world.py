"""The people and proposals of the review tests (fixtures only; the tests import them).

Two needs: one in the Somme ("80", a territorial reviewer's département) and one in the Aisne
("02", outside it). One volunteer's offer acts in both, with room for five live proposals.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership, Organisation
from matching.models import Proposal
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory

PARTS = {"skill": 4.0, "place": 3.0, "availability": 1.0, "waiting": 0.5, "equity": 0.0}
DETAILS = {"level": "expert", "place": "same", "departement": "80", "overlap": 1.0}


def make_proposal(need, offer, score=8.5, age_days=0, **fields):
    proposal = Proposal.objects.create(
        need=need, offer=offer, score=score, parts=PARTS, details=DETAILS, **fields
    )
    if age_days:
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=timezone.now() - timedelta(days=age_days)
        )
        proposal.refresh_from_db()
    return proposal


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of a partner structure of the pôle, for the Somme only."""
    partner = OrganisationFactory(
        kind=Organisation.Kind.CRESS, name="Partenaire Somme", departement="80", postcode="80000"
    )
    return MembershipFactory(organisation=partner, review_departements=["80"]).user


@pytest.fixture
def somme_association(association_admin):
    return association_admin.memberships.get().organisation


@pytest.fixture
def aisne_association(association_member):
    return association_member.memberships.get().organisation


@pytest.fixture
def review_offer(volunteer):
    """A mécénat offer: its employer has a referent, who gives the company's agreement."""
    company = volunteer.memberships.get().organisation
    if not company.memberships.filter(role="admin").exists():
        MembershipFactory(organisation=company, role="admin")
    return OfferFactory(
        volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
        title="Fonds européens, 15 ans d'expérience", hours_per_month=40,
        skills=[("fonds-europeens", "expert")], departements=["02", "80"],
    )  # fmt: skip


@pytest.fixture
def in_scope(somme_association, review_offer):
    """A pending proposal for a need in the Somme."""
    need = NeedFactory(organisation=somme_association, title="Dossier FSE+ Amiens")
    return make_proposal(need, review_offer, age_days=3)


@pytest.fixture
def out_of_scope(aisne_association, review_offer):
    """A pending proposal for a need in the Aisne."""
    need = NeedFactory(organisation=aisne_association, title="Dossier FEDER Laon")
    return make_proposal(need, review_offer, score=6.0, age_days=9)


@pytest.fixture
def review_referent(review_offer):
    """The administrator of the volunteer's company."""
    return MembershipFactory(
        organisation=review_offer.organisation, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def another_volunteer(db):
    company = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, departement="62", postcode="62000"
    )
    return MembershipFactory(organisation=company).user


@pytest.fixture
def people(
    cress_staff, territorial_reviewer, association_admin, other_member, volunteer,
    another_volunteer, review_referent,
):  # fmt: skip
    """Every persona of the access rules (the owner is the Somme need's association)."""
    return {
        "staff": cress_staff,
        "territorial": territorial_reviewer,
        "owner": association_admin,
        "other_member": other_member,
        "volunteer": volunteer,
        "other_volunteer": another_volunteer,
        "referent": review_referent,
        "anonymous": None,
    }
