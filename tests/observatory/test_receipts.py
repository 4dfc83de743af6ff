"""The association's receipt data (form 2041-MEC-SD), against figures computed by hand.

« Les Jardins de Laon » received, from « Banque du Nord » (PASS 2025: 47,100 €, 1,607 full-time
hours, so an hourly cap of 3 × 47,100 ÷ 1,607 = 87.9278… €/h):
- Alice Martin, 40 €/h declared for 2025: « Plan de formation », 2 h + 1 h 30 confirmed in 2025
  (plus 1 h disputed and 30 min to confirm, which do not count) and 1 h confirmed in 2026 (no cost
  declared for 2026); 4 h of bénévolat (her own time, no receipt);
- Bruno Durand, 100 €/h declared for 2025 (above the cap): « Fonds européens », 3 h; he also
  gave 10 h to « Solidarité Somme », so his cap covers 13 h: 3 × 47,100 × 13 ÷ 1,607 = 1,143.06 €,
  shared by hours: 1,143.06 × 3 ÷ 13 = 263.78 € for the Jardins (his raw 300 € is capped);
and from « Conseil Picard »: Chloé Petit, no cost declared, 1 h in 2025.

So the Jardins' receipts: Banque du Nord 2025 (6 h 30, 140.00 + 263.78 = 403.78 €), Banque du
Nord 2026 (1 h, valuation not declared), Conseil Picard 2025 (1 h, valuation not declared).
"""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation
from matching.models import Proposal
from missions.models import HoursEntry, Mission
from observatory.models import VolunteerCost
from observatory.receipts import amount_in_words, receipt_for, receipt_pairs
from tests.browser import conftest as browser_fixtures
from tests.browser.test_needs import log_in
from tests.factories import (
    MembershipFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db
SCREENSHOTS = settings.VAR_DIR / "screenshots"

Kind = Organisation.Kind
CONFIRMED, LOGGED, DISPUTED = (HoursEntry.Status.CONFIRMED, HoursEntry.Status.LOGGED,
                               HoursEntry.Status.DISPUTED)  # fmt: skip


def mission(employer, volunteer, structure, title, engagement="mecenat", description="Aider."):
    """An accepted proposal's mission: the volunteer's offer with their employer."""
    offer = OfferFactory(volunteer=volunteer, organisation=employer, engagement=engagement)
    need = NeedFactory(
        organisation=structure, title=title, description=description, status="in_progress"
    )
    proposal = Proposal.objects.create(need=need, offer=offer, score=1, status="accepted")
    return Mission.objects.create(proposal=proposal, need=need, offer=offer, volunteer=volunteer)


def hours(mission_, day, minutes, description="Atelier", status=CONFIRMED):
    return HoursEntry.objects.create(
        mission=mission_, day=day, minutes=minutes, status=status, description=description
    )


def declare_cost(employer, volunteer, year, amount):
    VolunteerCost.objects.create(
        company=employer, volunteer=volunteer, year=year, hourly_cost=Decimal(amount)
    )


@pytest.fixture
def jardins():
    """The data set of the module docstring."""
    structure = OrganisationFactory(
        name="Les Jardins de Laon", rna="W023456789", street_address="12 rue des Arts"
    )
    bank = OrganisationFactory(
        kind=Kind.COMPANY, name="Banque du Nord", legal_form="SA", siren="732829320",
        street_address="3 place du Théâtre", departement="59", postcode="59000",
    )  # fmt: skip
    picard = OrganisationFactory(
        kind=Kind.COMPANY, name="Conseil Picard", departement="80", postcode="80000"
    )
    somme = OrganisationFactory(name="Solidarité Somme", departement="80", postcode="80000")
    alice = UserFactory(first_name="Alice", last_name="Martin")
    bruno = UserFactory(first_name="Bruno", last_name="Durand")
    chloe = UserFactory(first_name="Chloé", last_name="Petit")
    plan = mission(bank, alice, structure, "Plan de formation", description="Former les salariés.")
    hours(plan, date(2025, 4, 2), 90, "Atelier avec l'équipe")
    hours(plan, date(2025, 3, 10), 120, "Diagnostic des besoins")
    hours(plan, date(2025, 5, 1), 60, "Contesté", DISPUTED)
    hours(plan, date(2025, 5, 3), 30, "À confirmer", LOGGED)
    hours(plan, date(2026, 1, 15), 60, "Bilan")
    hours(mission(bank, alice, structure, "Site web", "benevolat"), date(2025, 7, 1), 240)
    hours(mission(bank, bruno, structure, "Fonds européens"), date(2025, 6, 20), 180, "FSE+")
    hours(mission(bank, bruno, somme, "Marchés publics"), date(2025, 10, 10), 600)
    hours(mission(picard, chloe, structure, "Veille"), date(2025, 9, 9), 60)
    declare_cost(bank, alice, 2025, "40.00")
    declare_cost(bank, bruno, 2025, "100.00")
    admin = MembershipFactory(organisation=structure, role=Membership.Role.ADMIN).user
    return {"structure": structure, "bank": bank, "picard": picard, "somme": somme,
            "admin": admin, "alice": alice}  # fmt: skip


def detail_url(data, company="bank", year=2025):
    return reverse("receipt_detail", args=[data["structure"].pk, data[company].pk, year])


# The figures


def test_the_pairs_are_the_companies_and_years_with_confirmed_mecenat_hours(jardins):
    pairs = [
        (p["year"], p["company_name"], p["minutes"], p["missions"], p["volunteers"])
        for p in receipt_pairs(jardins["structure"])
    ]
    assert pairs == [
        (2026, "Banque du Nord", 60, 1, 1),
        (2025, "Banque du Nord", 390, 2, 2),  # not Alice's bénévolat, disputed or waiting hours
        (2025, "Conseil Picard", 60, 1, 1),
    ]


def test_a_receipt_lists_the_missions_with_their_days_and_confirmed_hours(jardins):
    receipt = receipt_for(jardins["structure"], jardins["bank"], 2025)
    lines = [
        (line.volunteer, line.title, line.first_day, line.last_day, line.minutes)
        for line in receipt.missions
    ]
    assert lines == [
        ("Bruno Durand", "Fonds européens", date(2025, 6, 20), date(2025, 6, 20), 180),
        ("Alice Martin", "Plan de formation", date(2025, 3, 10), date(2025, 4, 2), 210),
    ]
    assert (receipt.first_day, receipt.last_day, receipt.minutes) == (
        date(2025, 3, 10), date(2025, 6, 20), 390,
    )  # fmt: skip


def test_the_description_is_every_confirmed_entry_by_date(jardins):
    alice = receipt_for(jardins["structure"], jardins["bank"], 2025).missions[1]
    assert alice.description == "Former les salariés."
    assert alice.entries == [
        (date(2025, 3, 10), 120, "Diagnostic des besoins"),
        (date(2025, 4, 2), 90, "Atelier avec l'équipe"),
    ]


def test_the_valuation_is_the_companys_capped_for_this_structures_missions(jardins):
    receipt = receipt_for(jardins["structure"], jardins["bank"], 2025)
    bruno, alice = receipt.missions
    assert (alice.valuation, alice.capped) == (Decimal("140.00"), False)  # 3.5 h × 40 €
    assert (bruno.valuation, bruno.capped) == (Decimal("263.78"), True)
    assert receipt.valuation == Decimal("403.78")
    assert receipt.valuation_in_words == "quatre cent trois euros et soixante-dix-huit centimes"


def test_missing_costs_give_no_total(jardins):
    receipt = receipt_for(jardins["structure"], jardins["bank"], 2026)
    assert receipt.valuation is None
    assert [line.title for line in receipt.undeclared] == ["Plan de formation"]
    assert receipt.valuation_in_words == ""


def test_one_missing_cost_among_declared_ones_gives_no_total(jardins):
    """The total is never a part passed off as the whole."""
    carole = UserFactory(first_name="Carole", last_name="Zola")
    hours(mission(jardins["bank"], carole, jardins["structure"], "Paie"), date(2025, 2, 2), 60)
    receipt = receipt_for(jardins["structure"], jardins["bank"], 2025)
    assert receipt.valuation is None
    assert [line.volunteer for line in receipt.undeclared] == ["Carole Zola"]
    assert receipt.missions[0].valuation == Decimal("263.78")  # the declared ones stay known


def test_a_year_without_a_social_security_ceiling_is_not_valued(jardins):
    alice = jardins["alice"]
    hours(mission(jardins["bank"], alice, jardins["structure"], "Ancien"), date(2019, 5, 5), 60)
    declare_cost(jardins["bank"], alice, 2019, "40.00")
    receipt = receipt_for(jardins["structure"], jardins["bank"], 2019)
    assert receipt.pass_missing
    assert receipt.valuation is None


def test_a_receipt_of_a_year_not_over_is_provisional(jardins):
    """Hours can still be confirmed until the 31st of December: the figures may still grow."""
    structure, bank = jardins["structure"], jardins["bank"]
    assert receipt_for(structure, bank, 2026, today=date(2026, 12, 31)).provisional
    assert receipt_for(structure, bank, 2026, today=date(2026, 1, 1)).provisional
    assert not receipt_for(structure, bank, 2026, today=date(2027, 1, 1)).provisional
    assert not receipt_for(structure, bank, 2025, today=date(2026, 6, 1)).provisional


def test_no_receipt_without_hours_that_year_or_from_that_company(jardins):
    structure = jardins["structure"]
    assert receipt_for(structure, jardins["bank"], 2024) is None
    assert receipt_for(structure, jardins["picard"], 2026) is None
    assert receipt_for(jardins["somme"], jardins["picard"], 2025) is None


@pytest.mark.parametrize(
    "amount, words",
    [
        ("0.01", "un centime"),
        ("1", "un euro"),
        ("1.50", "un euro et cinquante centimes"),
        ("80", "quatre-vingts euros"),
        ("200", "deux cents euros"),
        ("21.01", "vingt et un euros et un centime"),
        ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
        ("1000000", "un million d'euros"),
        ("2000000", "deux millions d'euros"),
        ("1200000", "un million deux cent mille euros"),
        ("2999.995", "trois mille euros"),  # rounded to the cent, half up
    ],
)
def test_the_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


# The pages


def test_the_list_links_each_company_and_year(client, jardins):
    client.force_login(jardins["admin"])
    response = client.get(reverse("receipt_list", args=[jardins["structure"].pk]))
    assert response.status_code == 200
    for year, company in ((2026, "bank"), (2025, "bank"), (2025, "picard")):
        assert detail_url(jardins, company, year) in response.text


def test_an_empty_list_says_there_is_nothing_to_prepare(client):
    admin = member_of(Kind.ASSOCIATION, role=Membership.Role.ADMIN)
    client.force_login(admin)
    structure = admin.memberships.get().organisation
    response = client.get(reverse("receipt_list", args=[structure.pk]))
    assert "aucun reçu n'est à préparer" in response.text


def test_the_receipt_page_shows_both_parties_the_missions_and_the_amount(client, jardins):
    client.force_login(jardins["admin"])
    text = client.get(detail_url(jardins)).text
    for shown in (
        "Les Jardins de Laon", "W023456789", "12 rue des Arts",  # the structure
        "Banque du Nord", "SA", "732829320", "3 place du Théâtre",  # the company
        "Alice Martin", "Bruno Durand", "10 mars 2025", "20 juin 2025", "6 h 30",
        "Former les salariés.", "Diagnostic des besoins", "FSE+",
        "403,78 €", "quatre cent trois euros et soixante-dix-huit centimes",
        "Numéro d'ordre du reçu", "Signature", "ne les certifie pas",
    ):  # fmt: skip
        assert shown in text, shown
    for hidden in ("Contesté", "À confirmer", "Site web", "Marchés publics", "Veille"):
        assert hidden not in text, hidden


def test_the_services_are_the_structures_request_then_what_was_done(client, jardins):
    """The need's text is the structure's request (often in the future tense, written before
    the mission): labelled as such, before the confirmed entries, which say what was done."""
    client.force_login(jardins["admin"])
    text = html.unescape(client.get(detail_url(jardins)).text)
    services = text[text.index("Description exhaustive des services rendus") :]
    alice = services[services.index("Plan de formation (Alice Martin)") :]
    in_order = (
        "La demande de la structure :", "Former les salariés.",
        "Ce qui a été fait", "10 mars 2025", "Diagnostic des besoins",
        "2 avril 2025", "Atelier avec l'équipe",
    )  # fmt: skip
    positions = [alice.index(shown) for shown in in_order]
    assert positions == sorted(positions)


def test_this_years_receipt_says_its_figures_are_provisional(client, jardins):
    this_year = timezone.localdate().year
    late = mission(jardins["bank"], jardins["alice"], jardins["structure"], "Bilan annuel")
    hours(late, date(this_year, 1, 2), 60)
    client.force_login(jardins["admin"])
    note = "Chiffres provisoires : l'année n'est pas terminée"
    assert note in client.get(detail_url(jardins, "bank", this_year)).text
    assert note not in client.get(detail_url(jardins, "bank", 2025)).text
    listing = client.get(reverse("receipt_list", args=[jardins["structure"].pk])).text
    assert listing.count("chiffres provisoires") == 1  # this year's line only


def test_the_receipt_page_does_not_show_each_volunteers_cost(client, jardins):
    """The structure needs the total; a mission's amount would tell a colleague's salary."""
    client.force_login(jardins["admin"])
    text = client.get(detail_url(jardins)).text
    assert "140,00" not in text
    assert "263,78" not in text


def test_the_receipt_page_says_when_the_company_has_not_declared(client, jardins):
    client.force_login(jardins["admin"])
    text = client.get(detail_url(jardins, "bank", 2026)).text
    assert "Valorisation non déclarée par l'entreprise." in text
    assert "le 15 janvier 2026" in text  # a one-day period
    assert "Montant en toutes lettres" not in text


def test_the_receipt_page_prints_without_scripts_or_inline_styles(client, jardins):
    client.force_login(jardins["admin"])
    text = client.get(detail_url(jardins)).text
    assert "observatory/receipt.css" in text
    assert "<script" not in text
    assert "style=" not in text
    assert "impression de votre navigateur" in text


def test_missing_addresses_are_flagged_to_complete(client, jardins):
    jardins["structure"].street_address = ""
    jardins["structure"].save()
    client.force_login(jardins["admin"])
    text = client.get(detail_url(jardins, "picard")).text
    assert "voie à compléter" in text  # the structure's, with a link to its form
    assert reverse("organisation_edit", args=[jardins["structure"].pk]) in text
    assert "non renseignée par l'entreprise" in text  # Conseil Picard's legal form


def test_an_administrator_fills_in_the_legal_form_and_address(client):
    admin = member_of(Kind.COMPANY, role=Membership.Role.ADMIN, name="Banque du Nord",
                      departement="59", postcode="59000")  # fmt: skip
    company = admin.memberships.get().organisation
    client.force_login(admin)
    response = client.post(
        reverse("organisation_edit", args=[company.pk]),
        {"kind": Kind.COMPANY, "name": "Banque du Nord", "siren": company.siren,
         "postcode": "59000", "legal_form": "SAS", "street_address": "3 place du Théâtre"},
    )  # fmt: skip
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.legal_form, company.street_address) == ("SAS", "3 place du Théâtre")


# Who may open them (the whole matrix: tests/test_access_matrix.py)


def test_a_plain_member_of_the_structure_reads_and_prints_the_receipt(client, jardins):
    """Its treasurer is often not the account's administrator: every active member reads the
    figures of what the structure received."""
    treasurer = MembershipFactory(organisation=jardins["structure"]).user
    client.force_login(treasurer)
    listing = client.get(reverse("receipt_list", args=[jardins["structure"].pk]))
    assert listing.status_code == 200
    assert detail_url(jardins) in listing.text
    receipt = client.get(detail_url(jardins))
    assert receipt.status_code == 200
    assert "403,78 €" in receipt.text


def test_a_plain_member_is_not_sent_to_the_structures_form(client, jardins):
    """Only administrators edit the structure: a member is told who completes the address."""
    jardins["structure"].street_address = ""
    jardins["structure"].save()
    client.force_login(MembershipFactory(organisation=jardins["structure"]).user)
    text = client.get(detail_url(jardins)).text
    assert "voie à compléter" in text
    assert reverse("organisation_edit", args=[jardins["structure"].pk]) not in text
    assert "un administrateur ou une administratrice de la structure" in text


def test_a_pending_member_gets_a_404(client, jardins):
    asking = MembershipFactory(organisation=jardins["structure"], status="pending").user
    client.force_login(asking)
    assert client.get(detail_url(jardins)).status_code == 404
    assert client.get(reverse("receipt_list", args=[jardins["structure"].pk])).status_code == 404


def test_cress_staff_are_refused_and_see_no_link_on_the_structure_page(client, jardins):
    """The valuation comes from the company's salaries: not the observatory's to read."""
    staff = member_of(Kind.CRESS, name="CRESS", departement="59", postcode="59000")
    client.force_login(staff)
    structure = jardins["structure"]
    assert client.get(detail_url(jardins)).status_code == 403
    page = client.get(reverse("organisation_detail", args=[structure.pk])).text
    assert structure.name in page
    assert reverse("receipt_list", args=[structure.pk]) not in page


def test_a_companys_page_has_no_receipts_link(client, jardins):
    employee = MembershipFactory(organisation=jardins["bank"]).user
    client.force_login(employee)
    page = client.get(reverse("organisation_detail", args=[jardins["bank"].pk])).text
    assert "Banque du Nord" in page
    assert reverse("receipt_list", args=[jardins["bank"].pk]) not in page


def test_the_other_structures_administrator_gets_a_404(client, jardins):
    other = MembershipFactory(organisation=jardins["somme"], role=Membership.Role.ADMIN).user
    client.force_login(other)
    assert client.get(detail_url(jardins)).status_code == 404


def test_the_companys_referent_gets_a_404(client, jardins):
    """The company has its own statement; the structure's receipt page is not it."""
    referent = MembershipFactory(organisation=jardins["bank"], role=Membership.Role.ADMIN).user
    client.force_login(referent)
    assert client.get(detail_url(jardins)).status_code == 404


@pytest.mark.parametrize(
    "company, year",
    [("bank", 2024), ("picard", 2026), ("somme", 2025), ("structure", 2025)],
)
def test_a_company_or_year_without_hours_is_a_404(client, jardins, company, year):
    client.force_login(jardins["admin"])
    assert client.get(detail_url(jardins, company, year)).status_code == 404


@pytest.mark.parametrize("year", [0, 10000, 99999])
def test_a_year_out_of_the_calendar_is_a_404_not_a_crash(client, jardins, year):
    client.force_login(jardins["admin"])
    assert client.get(detail_url(jardins, "bank", year)).status_code == 404


def test_ids_beyond_the_databases_integers_are_a_404(client, jardins):
    client.force_login(jardins["admin"])
    huge = 10**20
    structure = jardins["structure"].pk
    assert client.get(reverse("receipt_list", args=[huge])).status_code == 404
    assert client.get(reverse("receipt_detail", args=[structure, huge, 2025])).status_code == 404


def test_a_company_is_not_a_structure_with_receipts(client, jardins):
    referent = MembershipFactory(organisation=jardins["bank"], role=Membership.Role.ADMIN).user
    client.force_login(referent)
    assert client.get(reverse("receipt_list", args=[jardins["bank"].pk])).status_code == 404


# Queries


def more_missions(data, count):
    for n in range(count):
        volunteer = UserFactory(first_name="Bénévole", last_name=f"N{n:02d}")
        made = mission(data["bank"], volunteer, data["structure"], f"Mission {n}")
        hours(made, date(2025, 8, 1), 60)
        hours(made, date(2025, 8, 2), 45)
        declare_cost(data["bank"], volunteer, 2025, "30.00")


@pytest.mark.parametrize("extra", [0, 12])
def test_the_receipt_page_queries_do_not_grow_with_missions(
    client, jardins, django_assert_num_queries, extra
):
    more_missions(jardins, extra)
    client.force_login(jardins["admin"])
    # Session, user, structure, memberships, company; the mission lines, their entries and the
    # totals; the company's statement: hours, costs, declared year; unread notifications.
    with django_assert_num_queries(12):
        response = client.get(detail_url(jardins))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_the_list_page_queries_do_not_grow_with_missions(
    client, jardins, django_assert_num_queries, extra
):
    more_missions(jardins, extra)
    client.force_login(jardins["admin"])
    # Session, user, structure, memberships, the pairs, unread notifications.
    with django_assert_num_queries(6):
        client.get(reverse("receipt_list", args=[jardins["structure"].pk]))


# On paper, in a real browser (Debian's Chromium; skipped without it, like tests/browser/)

browser = browser_fixtures.browser  # the browser tests' fixtures, for this module too
page = browser_fixtures.page
# A4's width less the 15 mm margins of receipt.css's @page, in CSS pixels: 180 mm = 680.3 px.
A4_AREA_WIDTH = 680
BORDERED = "table, .receipt-blank, .receipt-legal, .receipt-provisional, .receipt-undeclared"


@pytest.mark.browser
def test_the_receipt_prints_on_a4_with_every_border_inside_the_page(
    skills_catalogue, page, jardins
):
    """Chromium clips what reaches the right edge of the printed area: a box 100 % wide lost
    its right border on paper. The printed receipt is saved to var/screenshots/receipt.pdf."""
    log_in(page, jardins["admin"])
    page.set_viewport_size({"width": A4_AREA_WIDTH, "height": 1000})
    page.goto(detail_url(jardins, "bank", 2026))  # undeclared (and provisional in 2026)
    page.emulate_media(media="print")
    touching = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((box) => box.getBoundingClientRect().right > innerWidth - 1)
            .map((box) => box.className || box.tagName)""",
        BORDERED,
    )
    assert touching == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=SCREENSHOTS / "receipt.pdf", prefer_css_page_size=True)


@pytest.mark.browser
def test_the_disclaimer_is_printed_with_the_signature(skills_catalogue, page, jardins):
    """A page held only the last paragraph: the boxes to fill in and the disclaimer are now one
    block that does not break across pages."""
    log_in(page, jardins["admin"])
    page.goto(detail_url(jardins))
    page.emulate_media(media="print")
    block = page.evaluate(
        """() => {
            const block = document.querySelector('.receipt-legal').parentElement;
            return [block.contains(document.getElementById('receipt-to-complete')),
                    getComputedStyle(block).breakInside];
        }"""
    )
    assert block == [True, "avoid"]
