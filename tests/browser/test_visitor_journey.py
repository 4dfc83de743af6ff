"""Issue 12's journey in a real browser: a visitor who knows nothing of pro bono reads the
mécénat page, finds a need in the Somme among the published needs, signs up as an invited
employee of a company (the invitation its referent sent, read from the outbox), publishes an
offer and raises their hand on that need."""

import datetime
import re
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership, Organisation, User
from matching.models import Proposal
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_needs import log_in, log_out
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, skill

pytestmark = pytest.mark.browser

Kind = Organisation.Kind
SOMME_NEED = "Monter notre dossier de fonds européens"
AISNE_NEED = "Refaire le plan de trésorerie"
PASSWORD = "Un-jardin-a-Amiens-2026"


@pytest.fixture
def world(transactional_db, skills_catalogue):
    """The public pages, a company with its referent, and two associations' published needs:
    one in the Somme, one in the Aisne."""
    call_command("load_pages", stdout=StringIO())
    company = OrganisationFactory(
        kind=Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000"
    )
    referent = MembershipFactory(
        organisation=company, role=Membership.Role.ADMIN, user__first_name="Inès"
    ).user
    somme = OrganisationFactory(name="Solidarité Somme", departement="80", postcode="80000")
    aisne = OrganisationFactory(name="Les Jardins de Laon", departement="02", postcode="02000")
    need = NeedFactory(organisation=somme, title=SOMME_NEED, main_skill=skill("fonds-europeens"))
    NeedFactory(organisation=aisne, title=AISNE_NEED)
    return {"company": company, "referent": referent, "need": need}


def invite_a_colleague(browser, live_server, referent, address):
    """The referent, in a browser of their own, invites the visitor by e-mail."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        log_in(page, referent)
        page.get_by_role("link", name="Banque du Nord").first.click()
        page.get_by_role("link", name="Inviter des collègues").click()
        page.get_by_role("link", name="Inviter par e-mail (liste ou fichier CSV)").click()
        page.get_by_label(re.compile("^Adresses e-mail de vos collègues")).fill(address)
        page.get_by_role("button", name="Envoyer les invitations").click()
        expect(page.get_by_role("status")).to_contain_text("1 invitation envoyée.")
        log_out(page)
    finally:
        context.close()


def invitation_link(message):
    return re.search(r"https?://[^/\s]+(/invitation/\S+/)", message.body).group(1)


@contextmanager
def tasks_run_at_once():
    """Tasks run in-process (the invitation e-mail leaves at once), then as before."""
    from probono.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def test_a_visitor_reads_finds_a_need_in_the_somme_joins_their_employer_and_raises_a_hand(
    page, browser, live_server, world, point_producers_at
):
    # The visitor's employer has already invited them.
    with tasks_run_at_once():
        invite_a_colleague(browser, live_server, world["referent"], "claire.martin@example.org")
    # From now on tasks are not run, as when no worker has run yet: else the matcher, run
    # in-process as the offer is saved, would pair it with the need before the visitor
    # raises their hand. (A broker that refuses at once: the pages never wait for it.)
    point_producers_at("redis://127.0.0.1:1/0")

    # 1. From the home page to the mécénat page.
    page.goto("/")
    page.get_by_role("link", name="Les différences, côte à côte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mécénat ou bénévolat de compétences : les différences"
    )
    expect(page.get_by_role("main")).to_contain_text("Mécénat de compétences")
    assert blocking_violations(page) == []

    # 2. The published needs, filtered by the Somme.
    page.goto("/")
    page.get_by_role("link", name="Voir les besoins publiés près de chez vous").click()
    page.get_by_label(re.compile("^Département")).select_option("80")
    page.get_by_role("button", name="Appliquer les filtres").click()
    results = page.get_by_role("region", name=re.compile("besoin publié"))
    expect(results.get_by_role("link", name=SOMME_NEED)).to_be_visible()
    expect(results.get_by_role("link", name=AISNE_NEED)).to_have_count(0)
    results.get_by_role("link", name=SOMME_NEED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SOMME_NEED)
    expect(page.get_by_role("main")).to_contain_text("Solidarité Somme")
    need_url = page.url

    # 3. The invitation, read from the outbox: sign-up with the invited address, which
    # following the link proves; the account belongs to the employer at once.
    [message] = [m for m in mail.outbox if m.to == ["claire.martin@example.org"]]
    page.goto(invitation_link(message))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Créer un compte et rejoindre Banque du Nord"
    )
    expect(page.get_by_label(re.compile(r"^Adresse e-mail"))).to_have_value(
        "claire.martin@example.org"
    )
    expect(page.get_by_label(re.compile(r"^Adresse e-mail"))).to_be_disabled()
    page.get_by_label(re.compile(r"^Prénom")).fill("Claire")
    page.get_by_label(re.compile(r"^Nom")).fill("Martin")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Confirmation du mot de passe")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^J'ai lu la politique de confidentialité")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    claire = User.objects.get(email="claire.martin@example.org")
    assert claire.email_confirmed_at is not None
    membership = claire.memberships.get()
    assert (membership.organisation, membership.status) == (
        world["company"],
        Membership.Status.ACTIVE,
    )

    # 4. Back on the need: to raise a hand, an offer first.
    page.goto(need_url)
    page.get_by_role("region", name="Je propose mes compétences").get_by_role(
        "link", name="Je propose mes compétences"
    ).click()
    page.get_by_role("link", name="Publiez une offre de compétences pour vous proposer").click()
    form = page.get_by_role("main")
    form.get_by_label(re.compile("^Titre")).fill("Chargée de projets européens")
    form.locator("input[name=engagement][value=mecenat]").check()
    form.get_by_label(re.compile("^Heures par mois")).fill("8")
    form.get_by_label(re.compile("^Disponible à partir du")).fill(datetime.date.today().isoformat())
    form.get_by_label(re.compile("^Toute la région Hauts-de-France")).check()
    form.locator("select[name=skills-0-skill]").select_option(str(skill("fonds-europeens").pk))
    form.locator("select[name=skills-0-level]").select_option("confirmed")
    form.locator("form[method=post] [type=submit]").last.click()

    # 5. Saved, the offer leads back to the need of the Somme: the hand is raised there.
    expect(page).to_have_url(re.compile(reverse("need_detail", args=[world["need"].pk]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world["need"].title)
    page.get_by_role("button", name="Je suis intéressé·e").click()
    expect(page.get_by_role("status")).to_contain_text("Votre intérêt est transmis à la CRESS")
    proposal = Proposal.objects.get(need=world["need"])
    assert proposal.offer.volunteer == claire
