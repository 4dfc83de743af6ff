"""End to end in a real browser: from the matcher's proposal to a completed mission.

CRESS staff approve with the conflict check; the association, the volunteer and (mécénat) the
volunteer's employer accept; the mission starts and each side sees the other's contact; they
exchange a message; hours are logged and confirmed; the mission is completed with feedback.
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership, Organisation
from matching import matcher
from matching.models import Need, Proposal
from missions.models import Feedback, HoursEntry, Mission
from tests.browser.test_needs import log_in, log_out
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, member_of

pytestmark = pytest.mark.browser

Kind = Organisation.Kind
TITLE = "Répondre à l'appel à projets FSE+ de la Région"


def answer(page, proposal, side):
    """Open the proposal from the home page's to-do list and accept it."""
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    form = page.get_by_role("region", name=re.compile(f"Votre réponse — {side}"))
    form.get_by_role("radio", name="Accepte").check()
    form.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("status")).to_be_visible()
    proposal.refresh_from_db()


def test_a_proposal_becomes_a_completed_mission(page, skills_catalogue):
    association_member = member_of(
        Kind.ASSOCIATION, role=Membership.Role.ADMIN, name="Les Jardins de Laon",
        departement="02", postcode="02000",
    )  # fmt: skip
    volunteer = member_of(Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000")
    company = volunteer.memberships.get().organisation
    referent = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    staff = member_of(Kind.CRESS, name="CRESS Hauts-de-France", departement="59", postcode="59000")
    need = NeedFactory(
        organisation=association_member.memberships.get().organisation, title=TITLE,
        departement="02",
    )  # fmt: skip
    OfferFactory(
        volunteer=volunteer, organisation=company, engagement="mecenat", departements=["02"],
        skills=[("fonds-europeens", "expert")],
    )  # fmt: skip
    matcher.propose_for_need(need.pk)
    proposal = Proposal.objects.get(need=need)

    # CRESS staff approve, confirming there is no commercial link.
    log_in(page, staff)
    page.goto(reverse("review_queue"))
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label(re.compile("^L'employeur du ou de la bénévole n'est ni fournisseur")).check()
    page.get_by_role("button", name="Approuver le binôme").click()
    expect(page.get_by_role("status")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    log_out(page)

    # The association accepts; it does not see the volunteer's name yet.
    log_in(page, association_member)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("main")).not_to_contain_text(volunteer.last_name)
    page.go_back()
    answer(page, proposal, "La structure")
    log_out(page)

    # The volunteer, then the employer's referent (mécénat: it is work time).
    log_in(page, volunteer)
    answer(page, proposal, "Le ou la bénévole")
    log_out(page)
    log_in(page, referent)
    answer(page, proposal, "L'employeur")
    assert proposal.status == Proposal.Status.ACCEPTED
    mission = Mission.objects.get(proposal=proposal)
    assert Need.objects.get(pk=need.pk).status == Need.Status.IN_PROGRESS
    log_out(page)

    # The volunteer sees the association's contact, writes, and logs hours.
    log_in(page, volunteer)
    page.goto(mission.get_absolute_url())
    contacts = page.get_by_role("region", name="Coordonnées")
    expect(contacts).to_contain_text(association_member.email)
    page.get_by_label(re.compile("^Votre message")).fill("Bonjour, je peux passer mardi à Laon.")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_text("Bonjour, je peux passer mardi à Laon.")).to_be_visible()
    page.get_by_role("textbox", name=re.compile("^Date")).fill(datetime.date.today().isoformat())
    page.get_by_role("spinbutton", name=re.compile("^Heures")).fill("2")
    page.get_by_role("combobox", name=re.compile("^Minutes")).select_option("30")
    page.get_by_label(re.compile("^Ce qui a été fait")).fill("Relecture du dossier FSE+")
    page.get_by_role("button", name="Enregistrer ces heures").click()
    expect(page.get_by_role("cell", name="Relecture du dossier FSE+")).to_be_visible()
    log_out(page)

    # The association sees the volunteer's contact, confirms the hours, completes, reviews.
    log_in(page, association_member)
    page.goto(mission.get_absolute_url())
    expect(page.get_by_role("region", name="Coordonnées")).to_contain_text(volunteer.email)
    expect(page.get_by_text("Bonjour, je peux passer mardi à Laon.")).to_be_visible()
    page.get_by_role("button", name="Confirmer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Heures confirmées")
    assert HoursEntry.objects.get(mission=mission).status == HoursEntry.Status.CONFIRMED
    page.get_by_role("button", name="Marquer la mission comme terminée").click()
    expect(page.get_by_role("status")).to_contain_text("La mission est terminée")
    page.get_by_role("radio", name="5").check()
    page.get_by_label(re.compile("^Votre commentaire")).fill("Un dossier enfin déposé à temps.")
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_role("status")).to_contain_text("Merci pour votre avis")
    log_out(page)

    log_in(page, volunteer)
    page.goto(mission.get_absolute_url())
    page.get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_role("status")).to_contain_text("Merci pour votre avis")

    mission.refresh_from_db()
    assert mission.status == Mission.Status.COMPLETED
    assert Need.objects.get(pk=need.pk).status == Need.Status.COMPLETED
    assert sorted(Feedback.objects.values_list("rating", flat=True)) == [4, 5]
