"""In a real browser: a company referent opens the mécénat dashboard, declares the year's
turnover and other gifts, reads the 2025 statement (missions, cap, estimate, the warning that
it is not a certification), and the statement is saved as a screenshot to look at
(var/screenshots/company_statement.png; the dashboard in company_dashboard.png)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership
from observatory.models import CompanyYear
from tests.browser.test_needs import log_in
from tests.factories import MembershipFactory
from tests.observatory.test_valuation import banque_du_nord_2025

pytestmark = pytest.mark.browser

SCREENSHOTS = settings.VAR_DIR / "screenshots"


def test_a_referent_reads_the_years_statement(page, skills_catalogue):
    bank, _people = banque_du_nord_2025()
    referent = MembershipFactory(
        organisation=bank, role=Membership.Role.ADMIN,
        user__first_name="Hélène", user__last_name="Lefebvre",
    ).user  # fmt: skip
    log_in(page, referent)

    # One company: its dashboard straight away.
    page.goto(reverse("mecenat_companies"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mécénat de compétences : Banque du Nord"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "company_dashboard.png", full_page=True)
    page.get_by_role("link", name="Relevé 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Relevé de mécénat de compétences 2025"
    )
    expect(page.get_by_role("alert").filter(has_text="sans coût horaire déclaré")).to_be_visible()

    # The estimate needs the turnover: typed as people write it; a mistake first.
    page.get_by_role("link", name="Faire la déclaration").click()
    page.get_by_label(re.compile("^Chiffre d'affaires hors taxes")).fill("douze millions")
    page.get_by_label(re.compile("^Autres dons de l'année")).fill("15 000 €")
    page.get_by_role("button", name="Enregistrer").click()
    # The field says what is wrong, and the summary above the form links to it.
    expect(page.locator("#id_turnover_error")).to_contain_text("Saisissez un montant en euros")
    summary_link = page.get_by_role("alert").get_by_role("link", name=re.compile("^Chiffre"))
    expect(summary_link).to_have_attribute("href", "#id_turnover")
    expect(page.get_by_label(re.compile("^Autres dons de l'année"))).to_have_value("15 000 €")
    assert not CompanyYear.objects.exists()
    page.get_by_label(re.compile("^Chiffre d'affaires hors taxes")).fill("12 500 000")
    page.get_by_role("button", name="Enregistrer").click()

    # Back on the statement: 3,412.83 € retained + 15,000 € of other gifts = 18,412.83 €,
    # within the 62,500 € ceiling (0.5 % of 12.5 M€): 60 % = 11,047.70 €.
    expect(page.get_by_role("status")).to_contain_text("La déclaration de 2025 est enregistrée")
    missions = page.get_by_role("table", name=re.compile("^Missions de mécénat de 2025"))
    expect(missions.get_by_role("row")).to_have_count(1 + 5 + 1)
    expect(missions.get_by_role("row").last).to_contain_text("3\u00a0412,83")
    estimate = page.get_by_role("table", name=re.compile("^Estimation pour 2025"))
    expect(
        estimate.get_by_role("row", name=re.compile("^Réduction d'impôt estimée"))
    ).to_contain_text("11\u00a0047,70")
    expect(page.get_by_text("Probono prépare, ne certifie pas").first).to_be_visible()

    page.screenshot(path=SCREENSHOTS / "company_statement.png", full_page=True)

    # The PDF is one click away.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le relevé (PDF)").click()
    assert download.value.suggested_filename == "releve-mecenat-banque-du-nord-2025.pdf"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_the_pages_do_not_scroll_sideways(page, skills_catalogue):
    """375 px wide: the wide tables scroll inside their own region, keyboard-reachable; the
    page itself stays as wide as the screen."""
    bank, _people = banque_du_nord_2025()
    CompanyYear.objects.create(company=bank, year=2025, turnover=12_500_000, other_gifts=0)
    log_in(page, MembershipFactory(organisation=bank, role=Membership.Role.ADMIN).user)
    page.set_viewport_size({"width": 375, "height": 800})
    for url, table in (
        (reverse("company_dashboard", args=[bank.pk]), "^Salariés ayant une offre"),
        (reverse("company_statement", args=[bank.pk, 2025]), "^Missions de mécénat de 2025"),
    ):
        page.goto(url)
        assert page_width(page) <= 375, url
        region = page.get_by_role("region", name=re.compile(table))
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.get_by_role("table", name=re.compile(table))).to_be_visible()
        assert region.evaluate("element => element.scrollWidth > element.clientWidth"), url
    page.screenshot(path=SCREENSHOTS / "company_statement_phone.png", full_page=True)
    for name in ("company_costs", "company_year"):
        page.goto(reverse(name, args=[bank.pk, 2025]))
        assert page_width(page) <= 375, name
    # On paper the table is printed whole, not cut at the region's edge.
    page.goto(reverse("company_statement", args=[bank.pk, 2025]))
    page.emulate_media(media="print")
    assert region.evaluate("element => getComputedStyle(element).overflowX") == "visible"
