"""In a real browser, on the seeded demo: axe-core (bundled by axe-playwright-python, no CDN)
checks the main pages of each role against WCAG 2.1 A and AA, and the keyboard alone fills and
sends a form.

A page passes when axe finds no violation of impact "serious" or "critical"; the minor and
moderate ones are left to the manual audit of the accessibility statement (accessibilite/).
"""

import datetime
import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo_data import DEMO_DOMAIN, DEMO_PASSWORD
from accounts.models import Organisation, User
from matching.models import Need, NeedTemplate, Offer, Proposal
from missions.models import Mission
from pages.models import Page, Question

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
AXE = Axe()


@pytest.fixture
def demo(committed_demo_after_first_pass):
    """The demo, its first matcher pass, and the past year (missions, mécénat statements)."""
    call_command("seed_demo_history", stdout=StringIO())


def blocking_violations(page):
    """The serious and critical WCAG 2.1 AA violations of the page, one line per element."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = AXE.run(page, options=options)
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): {node['html'][:160]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def check_pages(page, urls, sent_empty=()):
    """Open each page, and send each form of `sent_empty` with nothing typed (its error
    messages are checked too); gather what axe finds on all of them, so one run lists all."""
    found = []
    for url in urls:
        response = page.goto(url)
        assert response.status in (200, 403, 404), url
        found += blocking_violations(page)
    for url in sent_empty:
        page.goto(url)
        page.get_by_role("main").locator("form[method=post] [type=submit]").last.click()
        expect(page.locator(".error-summary").first).to_be_visible()
        found += blocking_violations(page)
    return found


def test_axe_finds_what_it_must_on_a_broken_page(page):
    """The check itself can fail: a page without title, language, alt text nor label."""
    page.set_content('<html><body><img src="photo.png"><input type="text"></body></html>')
    found = {line.split()[1] for line in blocking_violations(page)}
    assert found == {"document-title", "html-has-lang", "image-alt", "label"}


def demo_user(local_part):
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def log_in(page, user):
    page.goto(reverse("login"))
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {user.first_name}")


def test_anonymous_pages_have_no_serious_violation(page, demo):
    published = Need.objects.open_to_volunteers().order_by("pk").first()
    urls = [
        reverse("home"),
        reverse("public_needs"),
        reverse("public_needs") + "?departement=80",
        reverse("public_need", args=[published.pk]),
        reverse("login"),
        reverse("signup"),
        reverse("accessibility"),
        reverse("password_reset"),
        reverse("privacy"),
        # Not /api/docs/: Swagger UI's own contrasts fail (a known gap of the statement).
        reverse("pages_index"),
        *(reverse("page_detail", args=[page.slug]) for page in Page.objects.order_by("pk")),
        reverse("faq"),
        "/cette-page-n-existe-pas/",
    ]
    assert check_pages(page, urls, sent_empty=[reverse("signup")]) == []


def test_association_member_pages_have_no_serious_violation(page, demo):
    member = demo_user("president.somme")  # his structure has missions in the past year
    structure = member.memberships.get().organisation
    need = Need.objects.filter(organisation=structure).order_by("pk").first()
    mission = Mission.objects.filter(need__organisation=structure).order_by("pk").first()
    missions = Mission.objects.filter(need__organisation=structure).order_by("pk")
    mecenat = missions.filter(offer__engagement="mecenat").first()  # its convention
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")  # its questions, then errors
    guided = reverse("guided_need_answers", args=[structure.pk, hr.pk])
    log_in(page, member)
    urls = [
        reverse("home"),
        reverse("organisation_detail", args=[structure.pk]),
        reverse("organisation_needs", args=[structure.pk]),
        reverse("need_detail", args=[need.pk]),
        reverse("need_create", args=[structure.pk]),
        reverse("guided_need_choose", args=[structure.pk]),
        guided,
        reverse("my_missions"),
        reverse("mission_detail", args=[mission.pk]),
        reverse("mission_detail", args=[mecenat.pk]),
        reverse("mission_agreement", args=[mecenat.pk]),
        reverse("receipt_list", args=[structure.pk]),
        reverse("notification_inbox"),
        reverse("profile"),
        reverse("personal_data"),
        reverse("account_delete"),
        reverse("api_token"),
        reverse("review_queue"),  # refused: the 403 page
    ]
    # « Supprimer mon compte » is refused here (the only administrator of a structure with
    # other members): its refusal is checked above, its form with errors as a volunteer.
    sent_empty = [reverse("need_create", args=[structure.pk]), guided]
    assert check_pages(page, urls, sent_empty) == []


def test_volunteer_pages_have_no_serious_violation(page, demo):
    volunteer = demo_user("benevole.lille")
    offer = Offer.objects.filter(volunteer=volunteer).order_by("pk").first()
    log_in(page, volunteer)
    urls = [
        reverse("my_offers"),
        reverse("offer_detail", args=[offer.pk]),
        reverse("offer_create"),
        reverse("need_list"),
        reverse("my_missions"),
        reverse("account_delete"),
    ]
    sent_empty = [reverse("offer_create"), reverse("account_delete")]
    assert check_pages(page, urls, sent_empty=sent_empty) == []


def test_company_referent_pages_have_no_serious_violation(page, demo):
    referent = demo_user("referente.lille")
    company = referent.memberships.get().organisation
    log_in(page, referent)
    urls = [
        reverse("company_dashboard", args=[company.pk]),
        reverse("company_statement", args=[company.pk, 2025]),
        reverse("company_costs", args=[company.pk, 2025]),
        reverse("company_year", args=[company.pk, 2025]),
    ]
    assert check_pages(page, urls) == []


def test_cress_staff_pages_have_no_serious_violation(page, demo):
    staff = User.objects.get(email=f"cress@{DEMO_DOMAIN}")
    proposal = Proposal.objects.filter(status=Proposal.Status.PROPOSED).order_by("pk").first()
    log_in(page, staff)
    urls = [
        reverse("review_queue"),
        reverse("review_detail", args=[proposal.pk]),
        reverse("observatory"),
        reverse("observatory_map"),
        reverse("observatory_unmet"),
        reverse("verification_list"),
        reverse("organisation_detail", args=[Organisation.objects.order_by("pk").first().pk]),
        reverse("proposal_list"),
        reverse("to_handle_first"),
        reverse("offer_list"),
        reverse("page_edit", args=["acteurs-publics"]),
        reverse("question_edit", args=[Question.objects.order_by("pk").first().pk]),
        reverse("need_template_list"),
        reverse("need_template_edit", args=[NeedTemplate.objects.order_by("pk").first().pk]),
    ]
    # A new question of the FAQ and a new need template sent empty: their errors.
    sent_empty = [reverse("question_create"), reverse("need_template_create")]
    assert check_pages(page, urls, sent_empty=sent_empty) == []


def focused(page):
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, target, limit=150):
    """Tab (never the mouse) until the element `target` (an id, or a text) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def type_date(page, date):
    """Type a date into the focused date field, segment by segment as a person would.

    The segments' order (day or month first) is Chromium's own, from its interface language,
    not the page's: a first date typed tells which, then the field is typed again.
    """
    field = page.locator(":focus")
    page.keyboard.type("01022000")
    month_first = field.input_value() == "2000-01-02"
    page.keyboard.press("Shift+Tab")  # back from the year to the first segment
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(date.strftime("%m%d%Y" if month_first else "%d%m%Y"))
    expect(field).to_have_value(date.isoformat())


def test_the_skip_link_comes_first_shows_and_leads_to_the_content(page, demo):
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    # Keyboard focus is visible: the outline of :focus-visible in probono.css.
    assert skip.evaluate("link => getComputedStyle(link).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_a_need_is_written_and_saved_with_the_keyboard_alone(page, demo):
    member = demo_user("president.somme")
    structure = member.memberships.get().organisation
    log_in(page, member)
    page.goto(reverse("need_create", args=[structure.pk]))

    tab_to(page, "id_title")
    page.keyboard.type("Mettre à jour nos statuts")
    tab_to(page, "id_description")
    page.keyboard.type("Nos statuts datent de 1998 et ne prévoient pas le vote à distance.")
    tab_to(page, "id_main_skill")
    page.keyboard.type("Droit des")  # a closed list selects the option typed
    expect(page.locator("#id_main_skill option:checked")).to_have_text(
        "Droit des associations et statuts"
    )
    tab_to(page, "id_format_1")  # the group's checked radio, "Mission" by default
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Session courte (environ 2 heures)")).to_be_checked()
    tab_to(page, "id_estimated_hours")
    page.keyboard.type("2")
    tab_to(page, "id_wished_start")
    type_date(page, datetime.date(2027, 3, 1))
    tab_to(page, "id_wished_end")
    type_date(page, datetime.date(2027, 6, 30))
    tab_to(page, "Enregistrer")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mettre à jour nos statuts")
    need = Need.objects.get(title="Mettre à jour nos statuts")
    assert (need.organisation, need.main_skill.code, need.format, need.estimated_hours) == (
        structure,
        "droit-associations",
        "short_session",
        2,
    )
    assert (need.wished_start, need.wished_end) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 6, 30),
    )


def test_invitation_pages_have_no_serious_violation(page, demo):
    """The invited person's sign-up (an e-mail invitation, then a link; both also sent empty),
    and the referent's pages: the invitations, sending them and its report, a new link."""
    from accounts import invitations
    from accounts.forms_invitations import Entry
    from accounts.models import Invitation

    referent = demo_user("referente.lille")
    company = referent.memberships.get().organisation
    invitations.invite(company, referent, [Entry("", "invitee@example.org")])
    invitation = Invitation.objects.get(email="invitee@example.org")
    link = invitations.create_link(company, referent, days=30)
    invited = [invitation.get_absolute_url(), link.get_absolute_url()]
    found = check_pages(page, invited, sent_empty=invited)
    log_in(page, referent)
    urls = [
        reverse("invitation_list", args=[company.pk]),
        reverse("invitation_send", args=[company.pk]),
        reverse("invitation_link_create", args=[company.pk]),
    ]
    found += check_pages(page, urls, sent_empty=[reverse("invitation_send", args=[company.pk])])
    page.get_by_label(re.compile("^Adresses e-mail de vos collègues")).fill(
        "nouvelle@example.org\npas-une-adresse\ninvitee@example.org"
    )
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte rendu des invitations")
    found += blocking_violations(page)
    assert found == []
