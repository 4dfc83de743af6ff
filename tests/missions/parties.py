"""The people around one proposal, for the two sides' tests: every persona of an access rule.

The need is in the Aisne (02); a territorial reviewer "in" reviews the Aisne, one "out" the
Somme (80); the regional CRESS reviews all.
"""

from django.urls import reverse

from accounts.models import Membership, Organisation
from matching.models import Proposal
from missions import services
from missions.models import Party
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, member_of

Kind = Organisation.Kind
LOGIN = "login"
PERSONAS = (
    "staff", "reviewer_in", "reviewer_out", "member", "other_member", "volunteer",
    "other_volunteer", "referent", "anonymous",
)  # fmt: skip


def reviewer(departements):
    cress = Organisation.objects.filter(kind=Kind.CRESS).first()
    membership = MembershipFactory(organisation=cress, review_departements=departements)
    return membership.user


def build_world(engagement="mecenat"):
    """An association of the Aisne with a published need, a volunteer whose offer fits it,
    their company's referent, and someone of every other kind."""
    member = member_of(Kind.ASSOCIATION, name="Les Jardins de Laon", postcode="02000")
    member.first_name, member.last_name, member.phone = "Dominique", "Tresorier", "0323000001"
    member.save()
    association = member.memberships.get().organisation
    volunteer = member_of(Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000")
    volunteer.first_name, volunteer.last_name, volunteer.phone = "Camille", "Verbeke", "0600000001"
    volunteer.save()
    company = volunteer.memberships.get().organisation
    offer = OfferFactory(
        volunteer=volunteer, organisation=company, engagement=engagement, departements=["02"],
        hours_per_month=16, skills=[("fonds-europeens", "expert")],
    )  # fmt: skip
    staff = member_of(Kind.CRESS, name="CRESS Hauts-de-France", departement="59", postcode="59000")
    return {
        "association": association,
        "company": company,
        "need": NeedFactory(organisation=association, title="Monter un dossier FSE+"),
        "offer": offer,
        "people": {
            "staff": staff,
            "reviewer_in": reviewer(["02"]),
            "reviewer_out": reviewer(["80"]),
            "member": member,
            "other_member": member_of(Kind.ASSOCIATION, name="Autre", departement="80",
                                      postcode="80000"),
            "volunteer": volunteer,
            "other_volunteer": member_of(Kind.COMPANY, name="Autre entreprise",
                                         departement="62", postcode="62000"),
            "referent": MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user,
            "anonymous": None,
        },
    }  # fmt: skip


def make_proposal(world, need=None, offer=None):
    return Proposal.objects.create(
        need=need or world["need"], offer=offer or world["offer"], score=3.5,
        parts={"skill": 2.0, "place": 1.5}, details={"level": "expert", "place": "same",
                                                     "departement": "02"},
    )  # fmt: skip


def approved(world, **kwargs):
    proposal = make_proposal(world, **kwargs)
    services.approve(proposal.pk, world["people"]["staff"], no_commercial_link=True)
    proposal.refresh_from_db()
    return proposal


def started_mission(world):
    """A proposal approved and accepted by everyone it needs: the mission."""
    proposal = approved(world)
    people = world["people"]
    services.answer(proposal.pk, people["volunteer"], Party.VOLUNTEER, "accepted")
    if proposal.offer.engagement == "mecenat":
        services.answer(proposal.pk, people["referent"], Party.EMPLOYER, "accepted")
    return services.answer(proposal.pk, people["member"], Party.ASSOCIATION, "accepted")


def as_persona(client, world, persona):
    person = world["people"][persona]
    if person:
        client.force_login(person)
    return client


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]
