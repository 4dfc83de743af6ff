"""The company referent's pages: who opens them, what they show, the CSV and PDF statement,
and the declarations (everything saved or nothing)."""

import base64
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Membership, Organisation
from matching.models import Proposal
from missions import services
from missions.models import Party
from observatory import valuation
from observatory.models import CompanyYear, VolunteerCost
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, member_of
from tests.observatory.test_valuation import (
    banque_du_nord_2025,
    company,
    declare_cost,
    hours,
    mission,
    structure,
)

pytestmark = pytest.mark.django_db

D = Decimal
Kind = Organisation.Kind
NBSP = "\u00a0"


def referent_of(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def bank_2025():
    """The valuation tests' Banque du Nord 2025, with a referent."""
    bank, people = banque_du_nord_2025()
    return bank, people, referent_of(bank)


def statement_url(bank, year=2025, name="company_statement"):
    return reverse(name, args=[bank.pk, year])


# Who opens the pages


def test_the_referent_opens_the_dashboard_and_the_statement(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    assert client.get(reverse("company_dashboard", args=[bank.pk])).status_code == 200
    for name in ("company_statement", "company_statement_csv", "company_statement_pdf",
                 "company_costs", "company_year"):  # fmt: skip
        assert client.get(statement_url(bank, name=name)).status_code == 200, name


@pytest.mark.parametrize("name", ["company_dashboard", "company_statement",
                                  "company_statement_csv", "company_statement_pdf",
                                  "company_costs", "company_year"])  # fmt: skip
def test_a_referent_of_a_public_body_gets_a_404(client, name):
    """CGI art. 238 bis is for companies: a public body has no mécénat statement to read."""
    body = company("Ville de Laon", Kind.PUBLIC_BODY)
    client.force_login(referent_of(body))
    url = reverse(name, args=[body.pk]) if name == "company_dashboard" else statement_url(
        body, name=name)  # fmt: skip
    assert client.get(url).status_code == 404
    if name in ("company_costs", "company_year"):
        assert client.post(url, {"turnover": "1", "other_gifts": "0"}).status_code == 404
        assert not CompanyYear.objects.exists()


def test_a_referent_of_a_public_body_is_not_sent_to_its_dashboard(client):
    """/mecenat/ lists companies only: a public body's admin gets the refusal."""
    body = company("Ville de Laon", Kind.PUBLIC_BODY)
    client.force_login(referent_of(body))
    assert client.get(reverse("mecenat_companies")).status_code == 403


def test_a_referent_of_a_company_and_a_public_body_goes_to_the_company(client, bank_2025):
    bank, _people, referent = bank_2025
    body = company("Ville de Laon", Kind.PUBLIC_BODY)
    MembershipFactory(user=referent, organisation=body, role=Membership.Role.ADMIN)
    client.force_login(referent)
    response = client.get(reverse("mecenat_companies"))
    assert response.url == reverse("company_dashboard", args=[bank.pk])


@pytest.mark.parametrize(
    "name", ["company_dashboard", "company_statement", "company_costs", "company_year"]
)
def test_another_companys_referent_gets_a_404(client, bank_2025, name):
    bank, _people, _referent = bank_2025
    client.force_login(referent_of(company("Autre banque")))
    url = reverse(name, args=[bank.pk]) if name == "company_dashboard" else statement_url(
        bank, name=name)  # fmt: skip
    assert client.get(url).status_code == 404


def test_a_plain_employee_gets_a_404_and_staff_a_403(client, bank_2025):
    """Hourly costs are salary data: not for colleagues; staff know the company exists."""
    bank, _people, _referent = bank_2025
    client.force_login(MembershipFactory(organisation=bank).user)
    assert client.get(statement_url(bank)).status_code == 404
    client.force_login(member_of(Kind.CRESS, name="CRESS", departement="59", postcode="59000"))
    assert client.get(statement_url(bank)).status_code == 403


def test_an_associations_admin_has_no_dashboard_for_it(client):
    """Only companies have a mécénat dashboard."""
    admin = member_of(Kind.ASSOCIATION, role=Membership.Role.ADMIN)
    association = admin.memberships.get().organisation
    client.force_login(admin)
    assert client.get(reverse("company_dashboard", args=[association.pk])).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, bank_2025):
    bank, _people, _referent = bank_2025
    response = client.get(statement_url(bank))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


YEAR_PAGES = ["company_statement", "company_statement_csv", "company_statement_pdf",
              "company_costs", "company_year"]  # fmt: skip
FIRST_IN_TABLE = min(valuation.ceilings())  # 2024


@pytest.fixture
def next_year_without_pass(monkeypatch):
    """Next year, open to declare ahead, before its PASS is added to the table (as each
    January until the decree is out)."""
    year = timezone.localdate().year + 1
    table = {y: ceiling for y, ceiling in valuation.ceilings().items() if y != year}
    monkeypatch.setattr(valuation, "ceilings", lambda: table)
    return year


@pytest.mark.parametrize("name", YEAR_PAGES)
@pytest.mark.parametrize("year", [FIRST_IN_TABLE - 1, timezone.localdate().year + 2])
def test_a_year_outside_the_statements_range_is_a_404(client, bank_2025, year, name):
    """From the table's first year (no PASS before it, nothing to value) to next year."""
    bank, _people, referent = bank_2025
    client.force_login(referent)
    assert client.get(statement_url(bank, year, name)).status_code == 404


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_the_tables_first_year_and_next_year_open(client, bank_2025, name):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    for year in (FIRST_IN_TABLE, timezone.localdate().year + 1):
        assert client.get(statement_url(bank, year, name)).status_code == 200, year


def test_a_row_added_to_the_table_opens_its_year(client, monkeypatch):
    """A 2022 row (PASS 41,136 €) opens 2022: Alice's 2 h at 50 €/h are valued, 100.00 €;
    2021 stays closed."""
    table = {**valuation.ceilings(), 2022: valuation.Ceiling(2022, D("41136"), 1607, "", "")}
    monkeypatch.setattr(valuation, "ceilings", lambda: table)
    bank = company()
    alice = OfferFactory().volunteer
    hours(mission(bank, alice, structure("Jardins"), "Compta"), date(2022, 5, 2), 120)
    declare_cost(bank, alice, 2022, "50.00")
    client.force_login(referent_of(bank))
    response = client.get(statement_url(bank, 2022))
    assert response.status_code == 200
    assert response.context["s"].capped == D("100.00")
    assert client.get(statement_url(bank, 2021)).status_code == 404
    dashboard = client.get(reverse("company_dashboard", args=[bank.pk]))
    assert 2022 in dashboard.context["years"]


def test_a_referent_of_one_company_goes_straight_to_its_dashboard(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    response = client.get(reverse("mecenat_companies"))
    assert response.status_code == 302
    assert response.url == reverse("company_dashboard", args=[bank.pk])


def test_a_referent_of_two_companies_picks_one(client, bank_2025):
    bank, _people, referent = bank_2025
    other = company("Assurances du Littoral")
    MembershipFactory(user=referent, organisation=other, role=Membership.Role.ADMIN)
    client.force_login(referent)
    response = client.get(reverse("mecenat_companies"))
    assert response.status_code == 200
    names = {c.name for c in response.context["companies"]}
    assert names == {"Banque du Nord", "Assurances du Littoral"}


# The statement


def test_the_statement_shows_the_figures_computed_by_hand(client, bank_2025):
    """775.00 + 2,637.83 = 3,412.83 € retained (4,375.00 € raw); Bruno's cap shown."""
    bank, _people, referent = bank_2025
    client.force_login(referent)
    page = client.get(statement_url(bank)).content.decode()
    for figure in ("3\u00a0412,83", "4\u00a0375,00", "2\u00a0637,83", "1\u00a0758,55", "879,28",
                   "47\u00a0100", "87,93"):  # fmt: skip
        assert figure in page, figure
    assert "Probono prépare, ne certifie pas" in page


def test_volunteers_without_a_cost_are_flagged(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    response = client.get(statement_url(bank))
    page = response.content.decode()
    assert "1 bénévole sans coût horaire déclaré" in page
    assert "Chloé Petit (3 h)" in page
    assert "coût à déclarer" in page


def test_without_a_declared_turnover_the_statement_asks_for_it(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    page = client.get(statement_url(bank)).content.decode()
    assert "Déclarez le chiffre d'affaires hors taxes" in page


def test_the_estimate_shows_the_floor_and_the_carry_over(client, bank_2025):
    """Turnover 1 M€, 30,000 € of other gifts: 20,000 € eligible, 12,000 € of reduction,
    13,412.83 € carried over."""
    bank, _people, referent = bank_2025
    CompanyYear.objects.create(company=bank, year=2025, turnover=D("1000000"),
                               other_gifts=D("30000"))  # fmt: skip
    client.force_login(referent)
    page = client.get(statement_url(bank)).content.decode()
    assert "<strong>12\u00a0000,00&nbsp;€</strong>" in page
    assert "13\u00a0412,83&nbsp;€" in page
    assert "20\u00a0000\u00a0€ ou 0,5\u00a0% du chiffre d&#x27;affaires HT" in page
    assert "reportable sur les 5 exercices suivants" in page


def test_a_year_without_pass_says_so_and_values_nothing(client, next_year_without_pass):
    year = next_year_without_pass
    bank = company()
    alice = OfferFactory().volunteer
    hours(mission(bank, alice, structure("Jardins"), "Compta"), date(year, 1, 2), 120)
    declare_cost(bank, alice, year, "50.00")
    referent = referent_of(bank)
    client.force_login(referent)
    response = client.get(statement_url(bank, year))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"de {year} n'est pas dans la table de Probono" in page
    assert "50,00" in page  # the declared cost is shown…
    assert "100,00" not in page  # …but 2 h × 50 € is not valued


def statement_queries_for(client, referent, bank, django_assert_num_queries, name, expected):
    client.force_login(referent)
    client.get(statement_url(bank, name=name))  # warm the session
    with django_assert_num_queries(expected):
        response = client.get(statement_url(bank, name=name))
        b"".join(response) if response.streaming else response.content
    return response


def add_missions(bank, count, jardins=None):
    """`count` volunteers of the bank with one hour each at 30 €/h, on 1 October 2025."""
    jardins = jardins or Organisation.objects.get(name="Les Jardins de Laon")
    for n in range(count):
        volunteer = OfferFactory(organisation=bank).volunteer
        hours(mission(bank, volunteer, jardins, f"Mission {n}"), date(2025, 10, 1), 60)
        declare_cost(bank, volunteer, 2025, "30.00")


@pytest.mark.parametrize("extra", [0, 15])
@pytest.mark.parametrize(
    "name", ["company_statement", "company_statement_csv", "company_statement_pdf"]
)
def test_the_statement_takes_the_same_queries_whatever_its_size(
    client, bank_2025, django_assert_num_queries, name, extra
):
    """1. session, 2. user, 3. memberships (access and roles), 4. the company, 5–7. hours,
    costs and declaration (valuation), 8. unread notifications (the page's header only)."""
    bank, _people, referent = bank_2025
    add_missions(bank, extra)
    expected = 8 if name == "company_statement" else 7
    statement_queries_for(client, referent, bank, django_assert_num_queries, name, expected)


# The CSV


def statement_csv_lines(client, bank, year=2025):
    response = client.get(statement_url(bank, year, name="company_statement_csv"))
    return b"".join(response.streaming_content).decode("utf-8").split("\r\n")


def test_the_csv_lists_each_mission_then_the_totals_and_the_warning(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    lines = statement_csv_lines(client, bank)
    assert lines[0] == (
        "\ufeffBénévole;Structure;Mission;Premier jour;Dernier jour;Heures confirmées;"
        "Coût horaire (€);Valorisation brute (€);Plafond au prorata (€);"
        "Valorisation retenue (€);Remarque"
    )
    assert "Alice Martin;Les Jardins de Laon;Tenir la comptabilité;2025-03-10;2025-04-02;" \
           "10,00;50,00;500,00;;500,00;" in lines  # fmt: skip
    assert "Chloé Petit;Solidarité Somme;Veille réglementaire;2025-05-05;2025-05-05;3,00;;;;;" \
           "coût à déclarer" in lines  # fmt: skip
    assert "Total;;;;;48,50;;4375,00;;3412,83;" in lines
    assert any("ne certifie pas" in line for line in lines)


@pytest.mark.parametrize("name", ["company_statement_csv", "company_statement_pdf"])
def test_the_files_are_named_after_the_company_and_the_year(client, name):
    bank = company("Société d'Économie & Cie")
    client.force_login(referent_of(bank))
    response = client.get(statement_url(bank, 2025, name=name))
    extension = name.removeprefix("company_statement_")
    disposition = response["Content-Disposition"]
    assert f'filename="releve-mecenat-societe-deconomie-cie-2025.{extension}"' in disposition


def test_the_csv_says_which_lines_are_capped_as_the_page_does(client, bank_2025):
    """Bruno's 120 €/h is above the cap: both his missions are « plafonnée »."""
    bank, _people, referent = bank_2025
    client.force_login(referent)
    lines = statement_csv_lines(client, bank)
    assert "Bruno Durand;Les Jardins de Laon;Fonction employeur;2025-02-01;2025-02-08;20,00;" \
           "120,00;2400,00;;1758,55;plafonnée" in lines  # fmt: skip
    assert "Bruno Durand;Solidarité Somme;Marchés publics;2025-09-09;2025-09-09;10,00;" \
           "120,00;1200,00;;879,28;plafonnée" in lines  # fmt: skip


def test_the_csv_has_the_cap_per_volunteer_between_the_missions_and_the_total(client, bank_2025):
    """Caps: Alice 3 × 47,100 × 15.5 ÷ 1,607 = 1,362.88 €; Bruno × 30 h = 2,637.83 €."""
    bank, _people, referent = bank_2025
    client.force_login(referent)
    lines = statement_csv_lines(client, bank)
    caps = [
        "Bruno Durand;;Plafond par salarié;;;30,00;120,00;3600,00;2637,83;2637,83;plafonnée",
        "Alice Martin;;Plafond par salarié;;;15,50;50,00;775,00;1362,88;775,00;",
        "Chloé Petit;;Plafond par salarié;;;3,00;;;;;coût à déclarer",
    ]
    first = lines.index(caps[0])
    assert lines[first : first + 4] == [*caps, "Total;;;;;48,50;;4375,00;;3412,83;"]
    assert lines[first - 1].startswith("Chloé Petit;Solidarité Somme;Veille réglementaire;")


def test_a_year_without_pass_has_no_cap_rows_in_the_csv(client, next_year_without_pass):
    year = next_year_without_pass
    bank = company()
    alice = OfferFactory().volunteer
    hours(mission(bank, alice, structure("Jardins"), "Compta"), date(year, 1, 2), 120)
    declare_cost(bank, alice, year, "50.00")
    client.force_login(referent_of(bank))
    lines = statement_csv_lines(client, bank, year)
    assert not any("Plafond par salarié" in line for line in lines)


# The PDF


def pdf_pages(data):
    """The text strings drawn on each page, decoded (ASCII85 + Flate, WinAnsi): read with the
    standard library only, not with the library that wrote it (one content stream a page)."""
    pages = []
    for match in re.finditer(rb"/Filter \[ /ASCII85Decode /FlateDecode \].*?stream\r?\n(.*?)"
                             rb"endstream", data, re.S):  # fmt: skip
        body = match.group(1).strip()
        content = zlib.decompress(base64.a85decode(body.removesuffix(b"~>")))
        literals = re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S)
        shown = [_unescape(literal).decode("cp1252") for literal in literals]
        # Spaces as a reader sees them (reportlab may write a no-break space as a plain one).
        pages.append("\n".join(shown).replace(NBSP, " "))
    return pages


def pdf_strings(data):
    """Every text string drawn in the PDF, page after page."""
    return "\n".join(pdf_pages(data))


def _unescape(literal):
    def replace(match):
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", replace, literal, flags=re.S)


def test_the_pdf_is_a_landscape_a4_document_with_the_statement(client, bank_2025):
    bank, _people, referent = bank_2025
    CompanyYear.objects.create(company=bank, year=2025, turnover=D("1000000"))
    client.force_login(referent)
    response = client.get(statement_url(bank, name="company_statement_pdf"))
    data = response.content
    assert response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert re.findall(rb"/Type /Page\b", data)  # at least one page
    assert set(re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)) == {
        (b"841.8898", b"595.2756")
    }
    text = pdf_strings(data)
    assert "Relevé de mécénat de compétences 2025" in text
    assert "Banque du Nord" in text
    for figure in ("3 412,83 €", "2 637,83 €", "1 758,55 €", "879,28 €", "2 047,70 €"):
        assert figure in text, figure
    assert "Probono prépare, ne certifie pas" in text.replace("\n", " ")
    assert "coût à déclarer" in text


def test_the_pdf_says_his_or_their_hours_by_the_number_of_volunteers_without_a_cost(
    client, bank_2025
):
    bank, people, referent = bank_2025
    client.force_login(referent)
    url = statement_url(bank, name="company_statement_pdf")
    text = pdf_strings(client.get(url).content).replace("\n", " ")
    assert "Coût horaire à déclarer pour : Chloé Petit. Ses heures ne sont ni valorisées" in text
    VolunteerCost.objects.filter(volunteer=people["alice"]).delete()
    text = pdf_strings(client.get(url).content).replace("\n", " ")
    assert "pour : Alice Martin, Chloé Petit. Leurs heures ne sont ni valorisées" in text


def test_the_pdf_numbers_each_page_out_of_the_total(client, bank_2025):
    bank, _people, referent = bank_2025
    add_missions(bank, 40)
    client.force_login(referent)
    pages = pdf_pages(client.get(statement_url(bank, name="company_statement_pdf")).content)
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} sur {len(pages)}" in text, number


def test_the_estimate_starts_on_the_page_that_has_room_for_it(client):
    """Three volunteers with one hour each: page 1 has room under the cap table for the
    estimate's heading and its first steps, not for all of it. It starts there (it was pushed
    whole to page 2, leaving a third of page 1 blank) and goes on over the page, cut only
    between its groups of steps: the reduction stays with the rates it adds up."""
    bank = company()
    CompanyYear.objects.create(company=bank, year=2025, turnover=D("1000000"))
    add_missions(bank, 3, jardins=structure("Les Jardins de Laon"))
    client.force_login(referent_of(bank))
    pages = pdf_pages(client.get(statement_url(bank, name="company_statement_pdf")).content)
    assert len(pages) == 2
    assert "Plafond par salarié" in pages[0]
    assert "Mécénat de compétences par Probono (valorisation retenue)" in pages[0]
    assert "Dons retenus dans le plafond" in pages[0]
    for step in ("60 % des dons retenus jusqu'à 2 000 000 €", "40 % de la part au-delà",
                 "54,00 €", "Excédent au-delà du plafond"):  # fmt: skip
        assert step in pages[1], step
        assert step not in pages[0], step


def test_the_pdf_of_a_long_year_runs_over_several_pages(client, bank_2025):
    bank, _people, referent = bank_2025
    add_missions(bank, 40)
    client.force_login(referent)
    data = client.get(statement_url(bank, name="company_statement_pdf")).content
    assert len(re.findall(rb"/Type /Page\b", data)) >= 2
    assert "Page 2" in pdf_strings(data)


@pytest.mark.parametrize("pass_missing", [True, False])
def test_a_pdf_and_a_csv_come_out_for_a_year_without_pass_or_without_hours(
    client, request, pass_missing
):
    """Next year before its PASS is in the table, or 2025 without hours: still a document,
    no 500."""
    year = request.getfixturevalue("next_year_without_pass") if pass_missing else 2025
    bank = company()
    client.force_login(referent_of(bank))
    data = client.get(statement_url(bank, year, "company_statement_pdf")).content
    assert data.startswith(b"%PDF-")
    text = pdf_strings(data)
    assert f"Aucune heure de mécénat confirmée en {year}." in text
    missing = f"de {year} n'est pas dans la table de Probono"
    assert (missing in text.replace("\n", " ")) == pass_missing
    response = client.get(statement_url(bank, year, "company_statement_csv"))
    assert response.status_code == 200
    csv_text = b"".join(response.streaming_content).decode()
    assert (missing in csv_text) == pass_missing


# The dashboard


def waiting_proposal(bank, volunteer, staff, title, engagement="mecenat"):
    """A proposal of the bank's volunteer the CRESS approved: the employer's answer waits."""
    offer = OfferFactory(volunteer=volunteer, organisation=bank, engagement=engagement)
    need = NeedFactory(organisation=structure(f"Structure {title}"), title=title)
    proposal = Proposal.objects.create(need=need, offer=offer, score=1)
    services.approve(proposal.pk, staff, no_commercial_link=True)
    return proposal


def test_the_dashboard_lists_agreements_waiting_for_the_employer(client, bank_2025, eager_tasks):
    bank, people, referent = bank_2025
    staff = member_of(Kind.CRESS, name="CRESS", departement="59", postcode="59000")
    waiting = waiting_proposal(bank, people["alice"], staff, "Paie et contrats")
    answered = waiting_proposal(bank, people["bruno"], staff, "Déjà accordé")
    services.answer(answered.pk, referent, Party.EMPLOYER, "accepted")
    waiting_proposal(bank, people["alice"], staff, "Sur son temps libre", "benevolat")
    client.force_login(referent)
    response = client.get(reverse("company_dashboard", args=[bank.pk]))
    assert [p.pk for p in response.context["waiting"]] == [waiting.pk]
    assert reverse("proposal_answer", args=[waiting.pk]) in response.content.decode()


def test_the_dashboard_shows_volunteers_missions_and_the_years_valuation(client):
    """This year: Alice 2 h at 40 €/h = 80.00 €; Bruno has an offer but no mission."""
    this_year = timezone.localdate().year
    bank = company()
    referent = referent_of(bank)
    alice = OfferFactory(organisation=bank).volunteer
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    bruno = OfferFactory(organisation=bank, is_active=False).volunteer
    compta = mission(bank, alice, structure("Les Jardins de Laon"), "Tenir la comptabilité")
    hours(compta, date(this_year, 1, 15), 120)
    hours(compta, date(this_year - 1, 12, 15), 60)  # last year's: in the total only
    hours(compta, date(this_year, 1, 16), 45, "logged")
    hours(mission(bank, alice, structure("Autre"), "Bénévolat", "benevolat"),
          date(this_year, 1, 15), 300)  # fmt: skip
    declare_cost(bank, alice, this_year, "40.00")
    client.force_login(referent)
    response = client.get(reverse("company_dashboard", args=[bank.pk]))
    volunteers = {v.pk: v for v in response.context["volunteers"]}
    assert set(volunteers) == {alice.pk, bruno.pk}
    assert (volunteers[alice.pk].active_offers, volunteers[alice.pk].mission_count,
            volunteers[alice.pk].year_minutes, volunteers[alice.pk].cost_declared) == (
        2, 1, 120, True)  # fmt: skip
    assert (volunteers[bruno.pk].active_offers, volunteers[bruno.pk].mission_count,
            volunteers[bruno.pk].year_minutes, volunteers[bruno.pk].cost_declared) == (
        0, 0, None, False)  # fmt: skip
    [row] = response.context["page"].object_list
    assert (row.need.title, row.year_minutes, row.all_minutes, row.to_confirm) == (
        "Tenir la comptabilité", 120, 180, 1)  # fmt: skip
    assert response.context["statement"].capped == D("80.00")
    page = response.content.decode()
    assert "80,00" in page
    assert reverse("company_statement", args=[bank.pk, this_year]) in page
    assert reverse("company_statement", args=[bank.pk, this_year - 1]) in page
    assert reverse("company_costs", args=[bank.pk, this_year]) in page


def test_the_dashboard_writes_no_hours_as_zero_hours_and_links_a_missing_cost(client):
    """Bruno has an offer but no hours and no cost: « 0 h », and « à déclarer » opens the
    year's costs form at his field."""
    this_year = timezone.localdate().year
    bank = company()
    bruno = OfferFactory(organisation=bank).volunteer
    bruno.first_name, bruno.last_name = "Bruno", "Durand"
    bruno.save()
    client.force_login(referent_of(bank))
    page = client.get(reverse("company_dashboard", args=[bank.pk])).content.decode()
    row = re.search(r"<th scope=\"row\">Bruno Durand</th>(.*?)</tr>", page, re.S).group(1)
    assert "0 min" not in page
    assert '<td class="num">0 h</td>' in row
    costs = reverse("company_costs", args=[bank.pk, this_year])
    assert f'<a href="{costs}#id_cout_{bruno.pk}">à déclarer</a>' in row
    assert "<dd>0 h</dd>" in page  # the year's confirmed hours


@pytest.mark.parametrize("count", [1, 12])
def test_the_dashboard_takes_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, count, eager_tasks
):
    """Session, user, memberships, the company; volunteers; missions (count, page);
    agreements; years; the valuation's three; unread notifications: 13."""
    this_year = timezone.localdate().year
    bank = company()
    referent = referent_of(bank)
    staff = member_of(Kind.CRESS, name="CRESS", departement="59", postcode="59000")
    jardins = structure("Les Jardins de Laon")
    for n in range(count):
        volunteer = OfferFactory(organisation=bank).volunteer
        hours(mission(bank, volunteer, jardins, f"Mission {n}"), date(this_year, 1, 2), 60)
        declare_cost(bank, volunteer, this_year, "30.00")
        waiting_proposal(bank, volunteer, staff, f"Attente {n}")
    url = reverse("company_dashboard", args=[bank.pk])
    client.force_login(referent)
    client.get(url)
    with django_assert_num_queries(13):
        client.get(url)


# The declarations


def test_the_costs_form_shows_each_mecenat_volunteer_with_the_declared_cost(client, bank_2025):
    bank, people, referent = bank_2025
    client.force_login(referent)
    form = client.get(statement_url(bank, name="company_costs")).context["form"]
    by_name = [people[name].pk for name in ("bruno", "alice", "chloe")]  # Durand, Martin, Petit
    assert [v.pk for v, _field in form.rows()] == by_name
    assert form.initial[f"cout_{people['alice'].pk}"] == D("50.00")
    assert form.initial[f"cout_{people['bruno'].pk}"] == D("120.00")
    assert form.initial[f"cout_{people['chloe'].pk}"] is None


def costs_form(bank, people):
    """The form's field names (the three have mécénat offers with the bank)."""
    return {name: f"cout_{people[name].pk}" for name in people}


def test_costs_typed_the_french_way_are_saved(client, bank_2025):
    """« 1 000,00 € » (the highest cost taken), « 45.5 » and an empty field (Alice's 50 €
    withdrawn)."""
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_costs"), {
        field["alice"]: "", field["bruno"]: "1 000,00 €", field["chloe"]: "45.5"})  # fmt: skip
    assert response.status_code == 302
    saved = dict(VolunteerCost.objects.filter(company=bank, year=2025).values_list(
        "volunteer", "hourly_cost"))  # fmt: skip
    assert saved == {people["bruno"].pk: D("1000.00"), people["chloe"].pk: D("45.50")}
    assert VolunteerCost.objects.get(volunteer=people["bruno"], year=2025).declared_by == referent


def test_one_wrong_cost_saves_nothing_and_keeps_what_was_typed(client, bank_2025):
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_costs"), {
        field["alice"]: "", field["bruno"]: "cent euros", field["chloe"]: "0"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez un montant en euros" in page
    assert "Le coût horaire doit être supérieur à zéro." in page
    assert 'value="cent euros"' in page
    saved = dict(VolunteerCost.objects.filter(company=bank, year=2025).values_list(
        "volunteer", "hourly_cost"))  # fmt: skip
    assert saved == {people["alice"].pk: D("50.00"), people["bruno"].pk: D("120.00")}


@pytest.mark.parametrize("typed", ["1e3", "€ 12", "+12", "\u0661\u0662", "12 50", "1.250,50",
                                   "12,", ",5", "12 €€", "12 EUR", "0x1F", "Infinity"])  # fmt: skip
def test_a_cost_that_is_not_plain_digits_is_refused(client, bank_2025, typed):
    """Digits, one decimal comma or point, spaces between thousands, a final « € »: nothing
    else (« 1e3 » was saved as 1,000 €/h, Arabic-Indic digits as a number)."""
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_costs"), {field["chloe"]: typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez un montant en euros en chiffres" in page
    assert f'value="{escape(typed)}"' in page
    assert not VolunteerCost.objects.filter(volunteer=people["chloe"]).exists()


def test_an_hourly_cost_above_a_thousand_euros_is_refused(client, bank_2025):
    """1,000.01 €/h is 1.6 M€ for a full-time year: a monthly or yearly figure, or a typo."""
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_costs"),
                           {field["bruno"]: "1 000,01", field["chloe"]: "40"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Un coût horaire de plus de 1\u00a0000\u00a0€ est sans doute une erreur" in page
    assert 'value="1 000,01"' in page
    assert VolunteerCost.objects.get(volunteer=people["bruno"], year=2025).hourly_cost == D("120")
    assert not VolunteerCost.objects.filter(volunteer=people["chloe"]).exists()


def test_the_costs_form_shows_the_declared_costs_as_typed(client, bank_2025):
    """120 €/h reads « 120,00 » and can be sent back as it is."""
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    url = statement_url(bank, name="company_costs")
    page = client.get(url).content.decode()
    assert f'name="{field["bruno"]}" value="120,00"' in page
    assert client.post(url, {field["bruno"]: "120,00"}).status_code == 302
    assert VolunteerCost.objects.get(volunteer=people["bruno"], year=2025).hourly_cost == D("120")


def test_a_cost_not_sent_is_left_as_it_was(client, bank_2025):
    """A volunteer who published an offer after the page was shown keeps their cost."""
    bank, people, referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent)
    client.post(statement_url(bank, name="company_costs"), {field["chloe"]: "30"})
    saved = dict(VolunteerCost.objects.filter(company=bank, year=2025).values_list(
        "volunteer", "hourly_cost"))  # fmt: skip
    assert saved == {people["alice"].pk: D("50.00"), people["bruno"].pk: D("120.00"),
                     people["chloe"].pk: D("30.00")}  # fmt: skip


def test_another_companys_referent_cannot_declare(client, bank_2025):
    bank, people, _referent = bank_2025
    field = costs_form(bank, people)
    client.force_login(referent_of(company("Autre banque")))
    response = client.post(statement_url(bank, name="company_costs"), {field["alice"]: "1"})
    assert response.status_code == 404
    assert VolunteerCost.objects.get(volunteer=people["alice"], year=2025).hourly_cost == D("50")
    response = client.post(statement_url(bank, name="company_year"),
                           {"turnover": "1", "other_gifts": "0"})  # fmt: skip
    assert response.status_code == 404
    assert not CompanyYear.objects.exists()


def test_the_turnover_and_other_gifts_are_declared_then_corrected(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    url = statement_url(bank, name="company_year")
    assert client.post(url, {"turnover": "12 500 000", "other_gifts": "0"}).status_code == 302
    assert (
        client.post(url, {"turnover": "12 500 000", "other_gifts": "2 000,50"}).status_code == 302
    )
    declared = CompanyYear.objects.get(company=bank, year=2025)
    assert (declared.turnover, declared.other_gifts) == (D("12500000"), D("2000.50"))
    assert declared.declared_by == referent


def test_the_declared_turnover_is_shown_grouped_and_taken_back(client, bank_2025):
    """27,400,000 € reads « 27 400 000,00 » (no-break spaces), and is saved as it is sent."""
    bank, _people, referent = bank_2025
    CompanyYear.objects.create(company=bank, year=2025, turnover=D("27400000"),
                               other_gifts=D("1500.5"))  # fmt: skip
    client.force_login(referent)
    url = statement_url(bank, name="company_year")
    page = client.get(url).content.decode()
    turnover, gifts = f"27{NBSP}400{NBSP}000,00", f"1{NBSP}500,50"
    assert f'value="{turnover}"' in page
    assert f'value="{gifts}"' in page
    assert client.post(url, {"turnover": turnover, "other_gifts": gifts}).status_code == 302
    declared = CompanyYear.objects.get(company=bank, year=2025)
    assert (declared.turnover, declared.other_gifts) == (D("27400000"), D("1500.50"))


def test_the_turnover_takes_narrow_spaces_and_a_point(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    typed = {"turnover": "2\u202f500\u202f000.5 €", "other_gifts": "0€"}
    response = client.post(statement_url(bank, name="company_year"), typed)
    assert response.status_code == 302
    assert CompanyYear.objects.get(company=bank).turnover == D("2500000.50")


def test_a_wrong_turnover_saves_nothing(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_year"),
                           {"turnover": "-5", "other_gifts": "douze"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le chiffre d&#x27;affaires ne peut pas être négatif." in page
    assert "Saisissez un montant en euros" in page
    assert 'value="douze"' in page
    assert not CompanyYear.objects.exists()


def test_an_empty_turnover_is_asked_for(client, bank_2025):
    bank, _people, referent = bank_2025
    client.force_login(referent)
    response = client.post(statement_url(bank, name="company_year"), {})
    assert "Indiquez le chiffre d&#x27;affaires hors taxes." in response.content.decode()
    assert not CompanyYear.objects.exists()
