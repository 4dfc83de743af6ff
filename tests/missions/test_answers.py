"""The proposal answer page: each side sees the other without names, and answers once."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from matching import matcher
from matching.models import Need, Proposal
from missions.models import Answer, Mission, Party
from tests.factories import MembershipFactory, OfferFactory
from tests.missions.parties import (
    LOGIN,
    PERSONAS,
    approved,
    as_persona,
    assert_status,
    build_world,
    make_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def url(proposal):
    return reverse("proposal_answer", args=[proposal.pk])


def answer(client, proposal, party, **data):
    form = {"party": party, **{f"{party}-{key}": value for key, value in data.items()}}
    return client.post(url(proposal), form)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Who may open it

APPROVED_MECENAT = {
    "staff": 200, "reviewer_in": 200, "reviewer_out": 404, "member": 200, "other_member": 404,
    "volunteer": 200, "other_volunteer": 404, "referent": 200, "anonymous": LOGIN,
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_an_approved_mecenat_proposal(client, world, persona):
    proposal = approved(world)
    response = as_persona(client, world, persona).get(url(proposal))
    assert_status(response, APPROVED_MECENAT[persona])


BEFORE_APPROVAL = {**APPROVED_MECENAT, "member": 404, "volunteer": 404, "referent": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_before_approval_the_parties_do_not_know_the_proposal_exists(client, world, persona):
    proposal = make_proposal(world)
    response = as_persona(client, world, persona).get(url(proposal))
    assert_status(response, BEFORE_APPROVAL[persona])


def test_a_benevolat_proposal_is_none_of_the_referents_business(client):
    world = build_world(engagement="benevolat")
    proposal = approved(world)
    response = as_persona(client, world, "referent").get(url(proposal))
    assert response.status_code == 404


ANSWER_POST = {
    "staff": 403, "reviewer_in": 403, "reviewer_out": 404, "member": 302, "other_member": 404,
    "volunteer": 302, "other_volunteer": 404, "referent": 302, "anonymous": LOGIN,
}  # fmt: skip
PARTY_OF = {"member": Party.ASSOCIATION, "referent": Party.EMPLOYER}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_answer(client, world, persona):
    proposal = approved(world)
    party = PARTY_OF.get(persona, Party.VOLUNTEER)
    response = answer(as_persona(client, world, persona), proposal, party, decision="accepted")
    assert_status(response, ANSWER_POST[persona])
    assert Answer.objects.count() == (1 if ANSWER_POST[persona] == 302 else 0)


def test_one_may_not_answer_for_a_side_one_does_not_stand_on(client, world):
    proposal = approved(world)
    response = answer(
        as_persona(client, world, "volunteer"), proposal, Party.ASSOCIATION, decision="accepted"
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_staff_read_only_see_no_answer_form(client, world):
    proposal = approved(world)
    response = as_persona(client, world, "staff").get(url(proposal))
    assert b"Envoyer ma r\xc3\xa9ponse" not in response.content
    assert "Lecture seule" in response.content.decode()


# What each side sees before the mission


def test_the_association_sees_the_volunteers_skills_not_their_name_or_contact(client, world):
    proposal = approved(world)
    volunteer = world["people"]["volunteer"]
    page = as_persona(client, world, "member").get(url(proposal)).content.decode()
    assert "Fonds européens" in page or "fonds européens" in page.lower()
    assert "expert" in page.lower()
    assert "Entreprise" in page  # the employer's kind
    assert "Mécénat de compétences" in page
    for secret in (volunteer.last_name, volunteer.email, volunteer.phone, "Banque du Nord"):
        assert secret not in page


def test_the_volunteer_sees_the_structure_and_town_not_its_people(client, world):
    proposal = approved(world)
    member = world["people"]["member"]
    page = as_persona(client, world, "volunteer").get(url(proposal)).content.decode()
    assert "Les Jardins de Laon" in page
    assert world["association"].commune_name in page
    assert "Monter un dossier FSE+" in page
    for secret in (member.last_name, member.email, member.phone):
        assert secret not in page


def test_the_referent_sees_whose_work_time_it_is(client, world):
    proposal = approved(world)
    page = as_persona(client, world, "referent").get(url(proposal)).content.decode()
    assert world["people"]["volunteer"].last_name in page
    assert world["people"]["member"].last_name not in page


def test_the_page_says_who_has_already_answered(client, world):
    proposal = approved(world)
    answer(as_persona(client, world, "volunteer"), proposal, Party.VOLUNTEER, decision="accepted")
    page = as_persona(client, world, "member").get(url(proposal)).content.decode()
    assert re.search(r'scope="row">Le ou la bénévole</th>\s*<td>Accepte', page)
    assert re.search(r'scope="row">La structure</th>\s*<td>En attente', page)


# Answering


def test_accepting_records_the_answer_and_waits_for_the_others(client, world):
    proposal = approved(world)
    response = answer(
        as_persona(client, world, "volunteer"), proposal, Party.VOLUNTEER, decision="accepted"
    )
    assert response.url == url(proposal)
    assert Answer.objects.get().decision == "accepted"
    assert not Mission.objects.exists()


def test_the_last_acceptance_starts_the_mission_and_opens_it(client, world):
    proposal = approved(world)
    answer(as_persona(client, world, "volunteer"), proposal, Party.VOLUNTEER, decision="accepted")
    answer(as_persona(client, world, "referent"), proposal, Party.EMPLOYER, decision="accepted")
    response = answer(
        as_persona(client, world, "member"), proposal, Party.ASSOCIATION, decision="accepted"
    )
    mission = Mission.objects.get()
    assert response.url == mission.get_absolute_url()
    assert Need.objects.get(pk=proposal.need_id).status == Need.Status.IN_PROGRESS


def test_declining_needs_a_reason_and_saves_nothing_without_one(client, world):
    proposal = approved(world)
    response = answer(
        as_persona(client, world, "member"),
        proposal,
        Party.ASSOCIATION,
        decision="declined",
        comment="Nous avons trouvé quelqu'un",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choisissez la raison pour laquelle vous déclinez." in page
    assert "Nous avons trouvé quelqu&#x27;un" in page  # what was typed is kept
    assert not Answer.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.APPROVED


def test_declining_with_a_reason_closes_the_proposal(client, world):
    proposal = approved(world)
    answer(
        as_persona(client, world, "member"),
        proposal,
        Party.ASSOCIATION,
        decision="declined",
        reason="need_met",
        comment="Un bénévole local nous aide déjà.",
    )
    saved = Answer.objects.get()
    assert (saved.reason, saved.comment) == ("need_met", "Un bénévole local nous aide déjà.")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DECLINED


def test_an_unknown_reason_is_refused_in_french(client, world):
    proposal = approved(world)
    response = answer(
        as_persona(client, world, "member"),
        proposal,
        Party.ASSOCIATION,
        decision="declined",
        reason="because",
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_twice_is_refused(client, world):
    proposal = approved(world)
    client = as_persona(client, world, "volunteer")
    answer(client, proposal, Party.VOLUNTEER, decision="accepted")
    page = client.get(url(proposal)).content.decode()
    assert "Envoyer ma réponse" not in page
    response = answer(client, proposal, Party.VOLUNTEER, decision="declined", reason="other")
    assert texts(response) == ["Vous avez déjà répondu à cette proposition."]
    assert Answer.objects.get().decision == "accepted"


def test_answering_a_closed_proposal_is_a_message_not_an_error(client, world):
    proposal = approved(world)
    answer(
        as_persona(client, world, "member"),
        proposal,
        Party.ASSOCIATION,
        decision="declined",
        reason="need_met",
    )
    client.logout()
    response = answer(
        as_persona(client, world, "volunteer"), proposal, Party.VOLUNTEER, decision="accepted"
    )
    assert response.status_code == 302
    assert "déjà été traitée" in texts(response)[0]


def test_a_person_on_two_sides_answers_each_separately(client):
    """A volunteer on the board of the association answers as the volunteer, then for the
    structure: two answers, two forms, the mission starts after the second."""
    world = build_world(engagement="benevolat")
    volunteer = world["people"]["volunteer"]
    MembershipFactory(user=volunteer, organisation=world["association"])
    proposal = approved(world)
    client = as_persona(client, world, "volunteer")
    page = client.get(url(proposal)).content.decode()
    assert page.count("Envoyer ma réponse") == 2
    answer(client, proposal, Party.VOLUNTEER, decision="accepted")
    assert Answer.objects.get().party == Party.VOLUNTEER
    assert client.get(url(proposal)).content.decode().count("Envoyer ma réponse") == 1
    response = answer(client, proposal, Party.ASSOCIATION, decision="accepted")
    assert set(Answer.objects.values_list("party", flat=True)) == {"volunteer", "association"}
    assert response.url == Mission.objects.get().get_absolute_url()


def test_a_declined_pair_is_never_proposed_again_by_the_matcher(client, world, eager_tasks):
    """After the decline the matcher runs for the need: it proposes another offer that fits,
    never the declined one."""
    proposal = approved(world)
    other = world["people"]["other_volunteer"]
    another_offer = OfferFactory(
        volunteer=other,
        organisation=other.memberships.get().organisation,
        departements=["02"],
        skills=[("fonds-europeens", "expert")],
    )
    answer(
        as_persona(client, world, "volunteer"),
        proposal,
        Party.VOLUNTEER,
        decision="declined",
        reason="not_available",
    )
    matcher.propose_for_need(world["need"].pk)
    pairs = set(Proposal.objects.values_list("offer_id", "status"))
    assert (world["offer"].pk, Proposal.Status.DECLINED) in pairs
    assert (another_offer.pk, Proposal.Status.PROPOSED) in pairs
    assert Proposal.objects.filter(need=world["need"], offer=world["offer"]).count() == 1
