"""In a real browser: CRESS staff open the observatory on the seeded demo, read its figures
as charts and tables, filter them, and the page is saved as a screenshot to look at
(var/screenshots/observatory.png)."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo_data import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.browser

SCREENSHOTS = settings.VAR_DIR / "screenshots"
FIGURE_GROUPS = (
    "Besoins publiés et ce qu'ils sont devenus",
    "Part des besoins servis par domaine",
    "Propositions de binôme",
    "Motifs de rejet par la CRESS",
    "Raisons des propositions déclinées",
    "Délais médians, en jours",
    "Offres et bénévoles actifs sur le territoire",
    "Rapporté à la population",
    "Par département",
)


def log_in_as_demo_staff(page):
    staff = User.objects.get(email__startswith="cress@")
    page.goto(reverse("login"))
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(staff.email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {staff.first_name}")


@pytest.fixture
def demo_with_its_past_year(committed_demo_after_first_pass):
    """The demo, its first matcher pass, and the year of history the observatory reads."""
    call_command("seed_demo_history", stdout=StringIO())


def test_staff_read_the_observatory_of_the_demo(page, demo_with_its_past_year):
    log_in_as_demo_staff(page)
    page.goto(reverse("observatory"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Observatoire du territoire")
    for title in FIGURE_GROUPS:
        section = page.get_by_role("region", name=title)
        expect(section.get_by_role("heading", level=2)).to_have_text(title)
        expect(section.get_by_role("img")).to_be_visible()
        expect(section.get_by_role("table")).to_be_visible()
    areas = page.get_by_role("table", name="Part des besoins servis par domaine")
    expect(areas.get_by_role("rowheader").first).to_have_text(
        "Domaines prioritaires de l'étude 2019"
    )
    expect(areas.get_by_role("row")).to_have_count(1 + 1 + 5 + 1 + 9)  # header, 2 groups
    departements = page.get_by_role("table", name=re.compile("^Par département"))
    expect(departements.get_by_role("rowheader", name="80 – Somme")).to_be_visible()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "observatory.png", full_page=True)

    # One département: the page says so and keeps the choice in the form.
    page.get_by_role("combobox", name=re.compile("^Territoire")).select_option("80")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("paragraph").filter(has_text="80 – Somme, du")).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile("^Territoire"))).to_have_value("80")


def test_staff_follow_the_dashboard_to_the_map(page, demo_with_its_past_year):
    """From the dashboard's link, the map of the region's départements with its legend and
    table, switched to hours given; saved to var/screenshots/observatory_map.png."""
    log_in_as_demo_staff(page)
    page.goto(reverse("observatory"))
    page.get_by_role("link", name="Carte des départements").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des départements")
    the_map = page.locator("svg[role=img]").first
    expect(the_map).to_be_visible()
    expect(the_map.locator("path[data-code]")).to_have_count(96)
    table = page.get_by_role("table").filter(has=page.get_by_role("rowheader", name="Somme (80)"))
    expect(table).to_have_count(1)

    page.get_by_role("combobox", name=re.compile("^Mesure")).select_option("hours_given")
    page.get_by_role("button", name="Changer de mesure").click()
    expect(page).to_have_url(re.compile("mesure=hours_given"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "observatory_map.png", full_page=True)
