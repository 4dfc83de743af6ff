"""In a real browser, on the seeded demo: the main pages of every role, the admin included,
load under the strict Content-Security-Policy without a single violation (Chromium reports
each one as a console error and as a `securitypolicyviolation` event) and without an error
about the Permissions-Policy header."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo_data import DEMO_PASSWORD
from accounts.models import Membership, Organisation, User
from missions.models import Mission

pytestmark = pytest.mark.browser

# Playwright's init scripts run outside the page's policy: this one records what it refuses.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""
COMPLAINTS = re.compile("Content Security Policy|Refused to|Permissions-Policy", re.IGNORECASE)


@pytest.fixture
def demo_with_its_past_year(committed_demo_after_first_pass):
    call_command("seed_demo_history", stdout=StringIO())


class Visitor:
    """A browser context of its own, logged in as one person, that notes every complaint."""

    def __init__(self, browser, base_url):
        self.context = browser.new_context(base_url=base_url, locale="fr-FR")
        self.context.set_default_timeout(10_000)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.complaints = []
        self.page.on("console", self._note)

    def _note(self, message):
        if COMPLAINTS.search(message.text):
            self.complaints.append(f"{self.page.url}: {message.text}")

    def log_in(self, email, password=DEMO_PASSWORD, url=None):
        self.page.goto(url or reverse("login"))
        self.page.get_by_label(re.compile(r"^(Adresse e-mail|Email)")).fill(email)
        self.page.get_by_label(re.compile(r"^Mot de passe")).fill(password)
        self.page.locator("form [type=submit]").last.click()
        expect(self.page).not_to_have_url(re.compile("connexion|login"))

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate("window.__violations")
        self.complaints += [f"{url}: {violation}" for violation in violations]


def test_main_pages_of_every_role_load_without_a_violation(
    browser, live_server, demo_with_its_past_year
):
    mission = Mission.objects.select_related("need__organisation").order_by("pk").first()
    association_admin = Membership.objects.filter(
        organisation=mission.need.organisation, role=Membership.Role.ADMIN
    ).first()
    referent = Membership.objects.filter(
        organisation__kind=Organisation.Kind.COMPANY, role=Membership.Role.ADMIN
    ).first()
    User.objects.create_superuser(email="admin@example.org", password=DEMO_PASSWORD)
    pages = {
        None: [reverse("home"), reverse("login"), reverse("signup")],
        "cress@": [
            reverse("home"),
            reverse("observatory"),
            reverse("observatory_map"),
            reverse("observatory_unmet"),
            reverse("review_queue"),
        ],
        association_admin.user.email: [
            reverse("organisation_needs", args=[mission.need.organisation.pk]),
            reverse("need_detail", args=[mission.need.pk]),
            reverse("mission_detail", args=[mission.pk]),
        ],
        mission.volunteer.email: [
            reverse("need_list"),
            reverse("my_missions"),
            reverse("mission_detail", args=[mission.pk]),
        ],
        referent.user.email: [
            reverse("company_dashboard", args=[referent.organisation.pk]),
            reverse("company_statement", args=[referent.organisation.pk, mission.started_at.year]),
        ],
    }
    complaints, visited = [], 0
    for email, urls in pages.items():
        visitor = Visitor(browser, live_server.url)
        if email == "cress@":
            email = User.objects.get(email__startswith="cress@").email
        if email:
            visitor.log_in(email)
        for url in urls:
            visitor.visit(url)
            visited += 1
        complaints += visitor.complaints
        visitor.context.close()

    admin = Visitor(browser, live_server.url)
    admin.log_in("admin@example.org", url=reverse("admin:login"))
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[mission.volunteer.pk]),
        reverse("admin:accounts_organisation_changelist") + "?kind=company",
    ):
        admin.visit(url)
        visited += 1
    complaints += admin.complaints
    admin.context.close()

    assert visited == 20
    assert complaints == []


def test_the_api_docs_load_without_a_violation(browser, live_server, skills_catalogue):
    """Swagger UI (drf-spectacular's split view, our page without its inline <style>) draws
    the operations, opens one and lists its filters, all under the strict policy."""
    visitor = Visitor(browser, live_server.url)
    visitor.visit(reverse("api_docs"))
    operation = visitor.page.locator(".opblock-summary-path", has_text="/api/besoins/").first
    expect(operation).to_be_visible()
    operation.click()
    expect(visitor.page.get_by_text("departement", exact=True).first).to_be_visible()
    complaints = visitor.complaints + visitor.page.evaluate("window.__violations")
    visitor.context.close()
    assert complaints == []
