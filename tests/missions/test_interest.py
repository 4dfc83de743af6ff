""" "I'm interested": a volunteer's raised hand becomes a scored proposal in the staff queue."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from matching import engine
from matching.explain import explain
from matching.models import Proposal
from tests.factories import NeedFactory, OfferFactory
from tests.missions.parties import (
    LOGIN,
    PERSONAS,
    as_persona,
    assert_status,
    build_world,
    make_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def url(need):
    return reverse("need_interest", args=[need.pk])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def raise_hand(client, world, offer=None):
    return client.post(url(world["need"]), {"offer": (offer or world["offer"]).pk})


# The referent is a member of a company: a volunteer too, without an offer of their own.
WHO_MAY_RAISE_A_HAND = {
    "staff": 403, "reviewer_in": 403, "reviewer_out": 403, "member": 403, "other_member": 404,
    "volunteer": 302, "other_volunteer": 302, "referent": 302, "anonymous": LOGIN,
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_raise_a_hand(client, world, persona):
    response = raise_hand(as_persona(client, world, persona), world)
    assert_status(response, WHO_MAY_RAISE_A_HAND[persona])
    made = Proposal.objects.filter(source=Proposal.Source.VOLUNTEER).count()
    assert made == (1 if persona == "volunteer" else 0)


def test_it_rejects_get(client, world):
    response = as_persona(client, world, "volunteer").get(url(world["need"]))
    assert response.status_code == 405


def test_a_draft_need_is_not_found(client, world):
    draft = NeedFactory(organisation=world["association"], status="draft", published_at=None)
    response = as_persona(client, world, "volunteer").post(url(draft), {"offer": 1})
    assert response.status_code == 404


def test_it_creates_a_scored_explained_proposal_in_the_staff_queue(client, world):
    """Scored by the matcher's own parts, with the facts behind them, waiting for review."""
    response = raise_hand(as_persona(client, world, "volunteer"), world)
    assert response.url == world["need"].get_absolute_url()
    assert "transmis à la CRESS" in texts(response)[0]
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.source) == ("proposed", "volunteer")
    assert set(proposal.parts) == set(engine.PARTS)
    assert proposal.score == pytest.approx(sum(proposal.parts.values()))
    assert proposal.parts["skill"] > 0 and proposal.parts["place"] > 0
    why = explain(proposal, "Fonds européens")
    assert why.startswith("Compétence : fonds européens, niveau expert")
    assert "Même département : Aisne" in why
    client.force_login(world["people"]["staff"])
    assert "Monter un dossier FSE+" in client.get(reverse("proposal_list")).content.decode()


def test_the_volunteer_does_not_see_it_before_the_cress_approves(client, world):
    client = as_persona(client, world, "volunteer")
    raise_hand(client, world)
    proposal = Proposal.objects.get()
    assert client.get(reverse("proposal_answer", args=[proposal.pk])).status_code == 404


def test_an_offer_that_does_not_fit_is_refused_clearly(client, world):
    volunteer = world["people"]["volunteer"]
    elsewhere = OfferFactory(
        volunteer=volunteer,
        organisation=world["company"],
        departements=["13"],
        skills=[("recrutement", "expert")],
    )
    response = raise_hand(as_persona(client, world, "volunteer"), world, offer=elsewhere)
    assert "Votre offre ne correspond pas à ce besoin" in texts(response)[0]
    assert not Proposal.objects.exists()


def test_already_proposed_is_refused_clearly(client, world):
    make_proposal(world)
    response = raise_hand(as_persona(client, world, "volunteer"), world)
    assert texts(response) == ["Vous êtes déjà proposé·e pour ce besoin."]
    assert Proposal.objects.count() == 1


def test_a_paused_offer_is_refused_clearly(client, world):
    world["offer"].set_active(False)
    response = raise_hand(as_persona(client, world, "volunteer"), world)
    assert texts(response) == ["Votre offre est en pause : réactivez-la d'abord."]
    assert not Proposal.objects.exists()


def test_someone_elses_offer_is_not_a_choice(client, world):
    other = world["people"]["other_volunteer"]
    theirs = OfferFactory(volunteer=other, organisation=other.memberships.get().organisation)
    response = raise_hand(as_persona(client, world, "volunteer"), world, offer=theirs)
    assert texts(response) == ["Choisissez une de vos offres."]
    assert not Proposal.objects.exists()


def test_a_volunteer_without_an_offer_is_told_to_publish_one(client, world):
    response = as_persona(client, world, "other_volunteer").post(url(world["need"]), {})
    assert "Publiez d'abord une offre de compétences" in texts(response)[0]


# The button on the need's page


def need_page(client, world, persona):
    return as_persona(client, world, persona).get(world["need"].get_absolute_url())


def test_one_active_offer_is_sent_without_asking(client, world):
    page = need_page(client, world, "volunteer").content.decode()
    assert "Je suis intéressé·e" in page
    assert f'type="hidden" name="offer" value="{world["offer"].pk}"' in page


def test_several_active_offers_are_a_choice(client, world):
    second = OfferFactory(
        volunteer=world["people"]["volunteer"],
        organisation=world["company"],
        title="Conseil RH",
        departements=["02"],
    )
    page = need_page(client, world, "volunteer").content.decode()
    assert '<label for="interest-offer">' in page
    assert f'<option value="{second.pk}">Conseil RH</option>' in page


def test_the_page_says_when_one_is_already_proposed(client, world):
    make_proposal(world)
    page = need_page(client, world, "volunteer").content.decode()
    assert "Je suis intéressé·e" not in page
    assert "Vous êtes déjà proposé·e pour ce besoin" in page


def test_the_association_sees_no_button_on_its_own_need(client, world):
    assert "Je suis intéressé·e" not in need_page(client, world, "member").content.decode()
