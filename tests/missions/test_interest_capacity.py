""" "I'm interested" when the matcher already used the offer's capacity.

The reviewer's case (issue 12): a visitor reads a need of the Somme, signs up, creates an offer
of 6 h a month with that skill, and the matcher, run as the offer is saved, spends its single
slot on another need. The raised hand must not then be refused as « ne correspond pas » : the
volunteer's explicit choice takes the place of the matcher's automatic proposal nobody has
reviewed yet; when no such proposal holds the slot, the refusal says the real reason and
where to change the hours.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import Organisation
from matching.models import Proposal
from missions import services
from missions.models import Event
from tests.factories import MembershipFactory, NeedFactory, member_of, skill

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def somme(db):
    """Two associations of the Somme wanting help with their business model: one has waited
    two months (the matcher prefers it), the other is the need the visitor read."""
    waiting = member_of(Kind.ASSOCIATION, name="La Ressourcerie", departement="80",
                        postcode="80000").memberships.get().organisation  # fmt: skip
    read = member_of(Kind.ASSOCIATION, name="Les Jardins d'Abbeville", departement="80",
                     postcode="80100").memberships.get().organisation  # fmt: skip
    today = datetime.date.today()
    common = {
        "main_skill": skill("modele-economique"), "departement": "80", "remote_ok": True,
        "wished_start": today, "wished_end": today + datetime.timedelta(days=120),
    }  # fmt: skip
    other = NeedFactory(
        organisation=waiting, title="Diversifier nos recettes",
        published_at=timezone.now() - datetime.timedelta(days=60), **common,
    )  # fmt: skip
    need = NeedFactory(organisation=read, title="Revoir notre modèle économique", **common)
    volunteer = member_of(Kind.COMPANY, name="Conseil Picard", departement="80", postcode="80000")
    cress = member_of(Kind.CRESS, name="CRESS Hauts-de-France", departement="59",
                      postcode="59000")  # fmt: skip
    return {"need": need, "other": other, "volunteer": volunteer, "staff": cress}


def create_offer(client, volunteer, hours):
    """The offer form as the visitor filled it: the need's skill, the Somme, remote, 6 h."""
    company = volunteer.memberships.get().organisation
    data = {
        "title": "Stratégie et modèle économique", "description": "", "organisation": company.pk,
        "engagement": "benevolat", "remote_ok": "on", "hours_per_month": hours,
        "available_from": datetime.date.today().isoformat(), "available_until": "",
        "departements": ["80"],
        "skills-TOTAL_FORMS": "1", "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0", "skills-MAX_NUM_FORMS": "10",
        "skills-0-skill": skill("modele-economique").pk, "skills-0-level": "confirmed",
    }  # fmt: skip
    response = client.post(reverse("offer_create"), data)
    assert response.status_code == 302, response.content[:2000]
    client.get(response.url)  # the offer's page, where « enregistrée » is read
    return volunteer.offers.get()


@pytest.fixture
def full_offer(client, somme, django_capture_on_commit_callbacks, eager_tasks):
    """Saved through the page, the matcher run on commit as in the demo: its one slot went to
    the need that waited longest."""
    client.force_login(somme["volunteer"])
    with django_capture_on_commit_callbacks(execute=True):
        offer = create_offer(client, somme["volunteer"], hours=6)
    automatic = offer.proposals.get()
    assert (automatic.need, automatic.source, automatic.status) == (
        somme["other"],
        "matcher",
        "proposed",
    )
    return offer


def raise_hand(client, need, offer, capture):
    with capture(execute=True):
        return client.post(reverse("need_interest", args=[need.pk]), {"offer": offer.pk})


def test_the_raised_hand_takes_the_place_of_the_matchers_unreviewed_proposal(
    client, somme, full_offer, django_capture_on_commit_callbacks, eager_tasks
):
    response = raise_hand(client, somme["need"], full_offer, django_capture_on_commit_callbacks)
    assert "transmis à la CRESS" in texts(response)[0]
    mine = Proposal.objects.get(need=somme["need"], offer=full_offer)
    assert (mine.source, mine.status) == ("volunteer", "proposed")
    automatic = Proposal.objects.get(need=somme["other"], offer=full_offer)
    assert automatic.status == "withdrawn"
    event = Event.objects.get(proposal=automatic, verb=Event.Verb.WITHDRAWN)
    assert event.actor == somme["volunteer"]
    assert "intéressé·e par un autre besoin" in event.detail
    # The offer still carries no more than its hours allow.
    assert full_offer.proposals.live().count() == 1
    # The staff queue shows the raised hand.
    client.force_login(somme["staff"])
    assert "Revoir notre modèle économique" in client.get(reverse("proposal_list")).text


def test_the_need_that_lost_the_proposal_is_matched_again(
    client, somme, full_offer, django_capture_on_commit_callbacks, eager_tasks
):
    """Another volunteer with room left gets the need the matcher had given the first one."""
    from tests.factories import OfferFactory

    second = MembershipFactory(organisation=somme["volunteer"].memberships.get().organisation)
    other_offer = OfferFactory(
        volunteer=second.user, organisation=second.organisation, departements=["80"],
        hours_per_month=8, skills=[("modele-economique", "expert")],
        # Created after the first matcher run: only the rematch can propose it.
    )  # fmt: skip
    raise_hand(client, somme["need"], full_offer, django_capture_on_commit_callbacks)
    assert Proposal.objects.filter(need=somme["other"], offer=other_offer, status="proposed")


def test_a_slot_held_by_an_approved_proposal_is_not_taken_and_the_refusal_says_why(
    client, somme, full_offer, django_capture_on_commit_callbacks, eager_tasks
):
    automatic = full_offer.proposals.get()
    services.approve(automatic.pk, somme["staff"], no_commercial_link=True)
    client.force_login(somme["volunteer"])
    response = raise_hand(client, somme["need"], full_offer, django_capture_on_commit_callbacks)
    [message] = texts(response)
    assert "ne correspond pas" not in message
    assert "6 h par mois" in message and "1 proposition" in message
    need_url = somme["need"].get_absolute_url()
    edit = f"{reverse('offer_edit', args=[full_offer.pk])}?{urlencode({'next': need_url})}"
    assert f'href="{edit}"' in message.replace("&amp;", "&")
    page = client.get(response.url).text
    assert f'<a href="{edit}">' in page.replace("&amp;", "&")  # a link, not escaped text
    assert not Proposal.objects.filter(need=somme["need"]).exists()
    automatic.refresh_from_db()
    assert automatic.status == "approved"


def test_the_volunteers_own_earlier_hand_is_not_taken_back_for_a_new_one(
    client, somme, full_offer, django_capture_on_commit_callbacks, eager_tasks
):
    first = raise_hand(client, somme["need"], full_offer, django_capture_on_commit_callbacks)
    assert "transmis à la CRESS" in texts(first)[0]
    client.get(first.url)
    third = NeedFactory(
        organisation=somme["need"].organisation, title="Tarifer nos prestations",
        main_skill=skill("modele-economique"), departement="80", remote_ok=True,
    )  # fmt: skip
    response = raise_hand(client, third, full_offer, django_capture_on_commit_callbacks)
    [message] = texts(response)
    assert "porte déjà autant de propositions" in message and "ne correspond pas" not in message
    assert not Proposal.objects.filter(need=third).exists()
    assert Proposal.objects.get(need=somme["need"]).status == "proposed"


def test_of_several_automatic_proposals_the_lowest_scored_gives_way(
    client, somme, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(somme["volunteer"])
    with django_capture_on_commit_callbacks(execute=True):
        offer = create_offer(client, somme["volunteer"], hours=16)
    # Two slots: the matcher gave the offer both needs of the Somme.
    automatic = list(offer.proposals.order_by("score"))
    assert [p.source for p in automatic] == ["matcher", "matcher"]
    third = NeedFactory(
        organisation=somme["need"].organisation, title="Tarifer nos prestations",
        main_skill=skill("modele-economique"), departement="80", remote_ok=True,
    )  # fmt: skip
    response = raise_hand(client, third, offer, django_capture_on_commit_callbacks)
    assert "transmis à la CRESS" in texts(response)[0]
    lowest, highest = (Proposal.objects.get(pk=p.pk) for p in automatic)
    assert (lowest.status, highest.status) == ("withdrawn", "proposed")
    assert offer.proposals.live().count() == 2


def test_at_the_most_proposals_an_offer_carries_more_hours_are_not_suggested(
    client, somme, django_capture_on_commit_callbacks, eager_tasks
):
    from tests.factories import OfferFactory

    volunteer = somme["volunteer"]
    offer = OfferFactory(
        volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
        departements=["80"], hours_per_month=80, skills=[("modele-economique", "expert")],
    )  # fmt: skip
    for n in range(5):
        need = NeedFactory(organisation=somme["need"].organisation, title=f"Autre {n}")
        Proposal.objects.create(need=need, offer=offer, score=1, status="approved")
    client.force_login(volunteer)
    response = raise_hand(client, somme["need"], offer, django_capture_on_commit_callbacks)
    [message] = texts(response)
    assert "le plus grand nombre de propositions à la fois (5)" in message
    assert "augmentez" not in message
    assert not Proposal.objects.filter(need=somme["need"]).exists()
