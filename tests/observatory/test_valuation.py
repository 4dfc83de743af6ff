"""The mécénat valuation and the tax estimate, against figures computed by hand.

The year 2025 of « Banque du Nord » (PASS 47,100 €, 1,607 full-time hours, so an hourly cap of
3 × 47,100 ÷ 1,607 = 87.9278… €/h):
- Alice Martin, 50 €/h: 10 h with Les Jardins de Laon, 5 h 30 with Solidarité Somme;
- Bruno Durand, 120 €/h (above the cap): 20 h with the Jardins, 10 h with Solidarité Somme;
- Chloé Petit, no declared cost: 3 h with Solidarité Somme;
and what must not count: hours to confirm or disputed, hours of 2024 and 2026, Alice's
bénévolat mission, another company's mécénat.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Organisation
from matching.models import Proposal
from missions.models import HoursEntry, Mission
from observatory import valuation
from observatory.models import CompanyYear, VolunteerCost
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED, LOGGED, DISPUTED = (HoursEntry.Status.CONFIRMED, HoursEntry.Status.LOGGED,
                               HoursEntry.Status.DISPUTED)  # fmt: skip
D = Decimal


def company(name="Banque du Nord", kind=Organisation.Kind.COMPANY):
    return OrganisationFactory(kind=kind, name=name, departement="59", postcode="59000")


def structure(name, departement="02", postcode="02000"):
    return OrganisationFactory(name=name, departement=departement, postcode=postcode)


def mission(employer, volunteer, association, title, engagement="mecenat"):
    """An accepted proposal's mission: the volunteer's offer with their employer."""
    offer = OfferFactory(volunteer=volunteer, organisation=employer, engagement=engagement)
    need = NeedFactory(organisation=association, title=title, status="in_progress")
    proposal = Proposal.objects.create(need=need, offer=offer, score=1, status="accepted")
    return Mission.objects.create(proposal=proposal, need=need, offer=offer, volunteer=volunteer)


def hours(mission_, day, minutes, status=CONFIRMED):
    return HoursEntry.objects.create(
        mission=mission_, day=day, minutes=minutes, status=status, description="Atelier"
    )


def declare_cost(employer, volunteer, year, amount):
    return VolunteerCost.objects.create(
        company=employer, volunteer=volunteer, year=year, hourly_cost=D(amount)
    )


def banque_du_nord_2025():
    """The data set of the module docstring; returns the company and its people by name."""
    bank = company()
    jardins = structure("Les Jardins de Laon")
    somme = structure("Solidarité Somme", "80", "80000")
    alice = UserFactory(first_name="Alice", last_name="Martin")
    bruno = UserFactory(first_name="Bruno", last_name="Durand")
    chloe = UserFactory(first_name="Chloé", last_name="Petit")
    compta = mission(bank, alice, jardins, "Tenir la comptabilité")
    hours(compta, date(2025, 3, 10), 360)
    hours(compta, date(2025, 4, 2), 240)
    hours(compta, date(2025, 4, 9), 120, LOGGED)
    hours(compta, date(2025, 4, 16), 60, DISPUTED)
    hours(compta, date(2024, 12, 20), 180)  # another year
    hours(compta, date(2026, 1, 5), 90)  # another year
    hours(mission(bank, alice, somme, "Dossier FSE+"), date(2025, 6, 15), 330)
    rh = mission(bank, bruno, jardins, "Fonction employeur")
    hours(rh, date(2025, 2, 1), 600)
    hours(rh, date(2025, 2, 8), 600)
    hours(mission(bank, bruno, somme, "Marchés publics"), date(2025, 9, 9), 600)
    hours(mission(bank, chloe, somme, "Veille réglementaire"), date(2025, 5, 5), 180)
    # Alice's own time (bénévolat) and another company's mécénat never count for the bank.
    hours(mission(bank, alice, somme, "Site web", "benevolat"), date(2025, 7, 1), 240)
    other = mission(company("Autre entreprise"), UserFactory(), jardins, "Ailleurs")
    hours(other, date(2025, 3, 3), 300)
    declare_cost(bank, alice, 2025, "50.00")
    declare_cost(bank, bruno, 2025, "120.00")
    declare_cost(bank, alice, 2024, "10.00")  # another year's cost is not this year's
    return bank, {"alice": alice, "bruno": bruno, "chloe": chloe}


def by_name(statement):
    return {line.volunteer_name: line for line in statement.volunteers}


# The dated table


def test_the_table_holds_each_years_pass_and_full_time_hours():
    assert valuation.ceiling_for(2025).pass_amount == D("47100")
    assert valuation.ceiling_for(2026).pass_amount == D("48060")
    assert valuation.ceiling_for(2025).full_time_hours == 1607
    assert "22 décembre 2025" in valuation.ceiling_for(2026).pass_source
    assert "L3121-41" in valuation.ceiling_for(2026).hours_source


def test_a_year_missing_from_the_table_has_no_ceiling():
    assert valuation.ceiling_for(2019) is None


def test_the_hourly_cap_is_three_pass_over_full_time_hours():
    """3 × 47,100 ÷ 1,607 = 87.9278… €/h in 2025; 3 × 48,060 ÷ 1,607 = 89.7199… in 2026."""
    assert valuation.cents(valuation.ceiling_for(2025).hourly_cap) == D("87.93")
    assert valuation.cents(valuation.ceiling_for(2026).hourly_cap) == D("89.72")


# Pure arithmetic


def test_cents_round_half_up():
    assert valuation.cents(D("2.675")) == D("2.68")
    assert valuation.cents(D("0.005")) == D("0.01")
    assert valuation.cents(D("0.0049")) == D("0.00")


def test_shares_add_up_to_the_total():
    """2,637.83 over 20 h and 10 h: 1,758.5533 → 1,758.55, the rest 879.28."""
    assert valuation.share_out(D("2637.83"), [1200, 600]) == [D("1758.55"), D("879.28")]
    assert sum(valuation.share_out(D("100.00"), [1, 1, 1])) == D("100.00")


def test_small_gifts_give_sixty_percent():
    """3,412.83 € within the 20,000 € floor: 60 % = 2,047.698 → 2,047.70."""
    estimate = valuation.tax_estimate(D("3412.83"), D("0"), D("1000000"))
    assert estimate.ceiling == D("20000")
    assert estimate.eligible == D("3412.83")
    assert estimate.reduction == D("2047.70")
    assert estimate.carried_over == D("0")


def test_the_floor_of_20000_applies_to_a_small_turnover():
    """Turnover 1 M€: 0.5 % is 5,000 €, below the 20,000 € floor; 33,412.83 € of gifts:
    20,000 eligible → 12,000 €; 13,412.83 € carried over."""
    estimate = valuation.tax_estimate(D("3412.83"), D("30000"), D("1000000"))
    assert estimate.gifts == D("33412.83")
    assert estimate.ceiling == D("20000")
    assert estimate.eligible == D("20000")
    assert estimate.reduction == D("12000.00")
    assert estimate.carried_over == D("13412.83")


def test_half_a_percent_of_a_large_turnover_is_the_ceiling():
    """Turnover 10 M€: ceiling 50,000 €; 63,412.83 € of gifts: 30,000 € of reduction."""
    estimate = valuation.tax_estimate(D("3412.83"), D("60000"), D("10000000"))
    assert estimate.ceiling == D("50000.00")
    assert estimate.eligible == D("50000.00")
    assert estimate.reduction == D("30000.00")
    assert estimate.carried_over == D("13412.83")


def test_the_part_above_two_million_gives_forty_percent():
    """Turnover 1 G€ (ceiling 5 M€), 3 M€ of gifts: 60 % × 2 M€ + 40 % × 1 M€ = 1.6 M€."""
    estimate = valuation.tax_estimate(D("3412.83"), D("2996587.17"), D("1000000000"))
    assert estimate.eligible == D("3000000.00")
    assert estimate.reduction_at_rate == D("1200000.00")
    assert estimate.reduction_above_band == D("400000.00")
    assert estimate.reduction == D("1600000.00")
    assert estimate.carried_over == D("0")


def test_gifts_above_the_ceiling_and_the_band():
    """6,003,412.83 € of gifts, ceiling 5 M€: 1.2 M€ + 40 % × 3 M€ = 2.4 M€; the rest,
    1,003,412.83 €, carries over."""
    estimate = valuation.tax_estimate(D("3412.83"), D("6000000"), D("1000000000"))
    assert estimate.reduction == D("2400000.00")
    assert estimate.carried_over == D("1003412.83")
    assert estimate.carry_over_years == 5


def test_amounts_and_rates_are_written_the_french_way():
    assert valuation.euros(D("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0€"
    assert valuation.euros(D("20000"), 0) == "20\u00a0000\u00a0€"
    assert valuation.euros(None) == "–"
    assert valuation.percent(D("0.005")) == "0,5\u00a0%"
    assert valuation.percent(D("0.60")) == "60\u00a0%"


def test_the_estimate_reads_step_by_step():
    """The page, the CSV and the PDF show these lines; the reduction is flagged."""
    estimate = valuation.tax_estimate(D("3412.83"), D("30000"), D("1000000"))
    lines = estimate.lines()
    assert [amount for _label, amount, _flag in lines] == [
        D("3412.83"), D("30000"), D("33412.83"), D("20000"), D("20000"), D("12000.00"),
        D("0.00"), D("12000.00"), D("13412.83"),
    ]  # fmt: skip
    assert [flag for _label, _amount, flag in lines].index(True) == 7
    assert lines[3][0] == (
        "Plafond des dons : 20\u00a0000\u00a0€ ou 0,5\u00a0% du chiffre d'affaires HT "
        "(1\u00a0000\u00a0000,00\u00a0€), le plus élevé"
    )
    assert lines[8][0] == "Excédent au-delà du plafond, reportable sur les 5 exercices suivants"


# A company's year from the database


def test_each_mission_is_its_confirmed_hours_times_the_cost():
    """Alice, 50 €/h, under the cap: 10 h → 500.00 €, 5 h 30 → 275.00 €; her prorated cap
    3 × 47,100 × 15.5 ÷ 1,607 = 1,362.88 € does not bite."""
    bank, _people = banque_du_nord_2025()
    alice = by_name(valuation.for_company_year(bank, 2025))["Alice Martin"]
    assert [(m.title, m.minutes, m.raw, m.capped) for m in alice.missions] == [
        ("Tenir la comptabilité", 600, D("500.00"), D("500.00")),
        ("Dossier FSE+", 330, D("275.00"), D("275.00")),
    ]
    assert (alice.minutes, alice.raw, alice.cap, alice.capped) == (
        930, D("775.00"), D("1362.88"), D("775.00"),
    )  # fmt: skip
    assert not alice.is_capped
    compta = alice.missions[0]
    assert (compta.first_day, compta.last_day) == (date(2025, 3, 10), date(2025, 4, 2))
    assert compta.structure_name == "Les Jardins de Laon"
    assert compta.hours == D("10.00")


def test_a_cost_above_the_cap_is_capped_per_employee_and_shared_by_hours():
    """Bruno, 120 €/h: 30 h → 3,600.00 € raw; cap 3 × 47,100 × 30 ÷ 1,607 = 2,637.83 €,
    shared 20 h / 10 h: 1,758.55 € and 879.28 €."""
    bank, _people = banque_du_nord_2025()
    bruno = by_name(valuation.for_company_year(bank, 2025))["Bruno Durand"]
    assert (bruno.raw, bruno.cap, bruno.capped) == (D("3600.00"), D("2637.83"), D("2637.83"))
    assert bruno.is_capped
    assert [(m.raw, m.capped) for m in bruno.missions] == [
        (D("2400.00"), D("1758.55")),
        (D("1200.00"), D("879.28")),
    ]


def test_volunteers_without_a_cost_are_listed_but_left_out_of_the_totals():
    """Chloé's 3 h are shown (cost to declare) but not valued: totals are Alice's and
    Bruno's, 775.00 + 3,600.00 = 4,375.00 € raw and 775.00 + 2,637.83 = 3,412.83 € capped."""
    bank, _people = banque_du_nord_2025()
    statement = valuation.for_company_year(bank, 2025)
    chloe = by_name(statement)["Chloé Petit"]
    assert chloe.cost_missing
    assert (chloe.minutes, chloe.raw, chloe.capped) == (180, None, None)
    assert [v.volunteer_name for v in statement.uncosted] == ["Chloé Petit"]
    assert statement.minutes == 600 + 330 + 1200 + 600 + 180
    assert statement.costed_minutes == 600 + 330 + 1200 + 600
    assert (statement.raw, statement.capped) == (D("4375.00"), D("3412.83"))


def test_only_confirmed_mecenat_hours_of_the_year_with_the_company_count():
    """No hours to confirm or disputed, no 2024 or 2026 hours, no bénévolat, no other
    company: the bank's 2025 lines are exactly its five mécénat missions."""
    bank, _people = banque_du_nord_2025()
    statement = valuation.for_company_year(bank, 2025)
    assert sorted((m.title, m.minutes) for m in statement.missions) == [
        ("Dossier FSE+", 330),
        ("Fonction employeur", 1200),
        ("Marchés publics", 600),
        ("Tenir la comptabilité", 600),
        ("Veille réglementaire", 180),
    ]


def test_a_structure_sees_only_its_own_missions_with_the_cap_of_all():
    """The receipt of Solidarité Somme: Alice's 275.00 € and Bruno's 879.28 € (his share of
    a cap computed over all his hours), and Chloé's uncosted hours."""
    bank, _people = banque_du_nord_2025()
    statement = valuation.for_company_year(bank, 2025)
    somme = Organisation.objects.get(name="Solidarité Somme")
    assert [(m.volunteer_name, m.capped) for m in statement.for_structure(somme.pk)] == [
        ("Bruno Durand", D("879.28")),
        ("Alice Martin", D("275.00")),
        ("Chloé Petit", None),
    ]


def test_without_declared_turnover_there_is_no_estimate():
    bank, _people = banque_du_nord_2025()
    statement = valuation.for_company_year(bank, 2025)
    assert statement.turnover_missing
    assert statement.estimate is None


def test_the_estimate_uses_the_declared_turnover_and_other_gifts():
    """3,412.83 € through Probono + 30,000 € of other gifts, turnover 1 M€: floor 20,000 €,
    12,000 € of reduction, 13,412.83 € carried over."""
    bank, _people = banque_du_nord_2025()
    CompanyYear.objects.create(company=bank, year=2025, turnover=D("1000000"),
                               other_gifts=D("30000"))  # fmt: skip
    estimate = valuation.for_company_year(bank, 2025).estimate
    assert estimate.probono_gifts == D("3412.83")
    assert estimate.reduction == D("12000.00")
    assert estimate.carried_over == D("13412.83")


def test_each_year_uses_its_own_pass():
    """2026: Bruno's 10 h at 120 €/h capped at 3 × 48,060 × 10 ÷ 1,607 = 897.20 €."""
    bank = company()
    bruno = UserFactory(first_name="Bruno", last_name="Durand")
    hours(mission(bank, bruno, structure("Jardins"), "RH"), date(2026, 2, 2), 600)
    declare_cost(bank, bruno, 2026, "120.00")
    statement = valuation.for_company_year(bank, 2026)
    assert (statement.raw, statement.capped) == (D("1200.00"), D("897.20"))


def test_a_year_without_pass_gets_hours_but_no_valuation():
    """2019 is not in the table: the hours show, no amount is invented, no estimate."""
    bank = company()
    alice = UserFactory(first_name="Alice", last_name="Martin")
    hours(mission(bank, alice, structure("Jardins"), "Compta"), date(2019, 5, 2), 120)
    declare_cost(bank, alice, 2019, "50.00")
    CompanyYear.objects.create(company=bank, year=2019, turnover=D("1000000"))
    statement = valuation.for_company_year(bank, 2019)
    assert statement.pass_missing
    assert statement.minutes == 120
    assert (statement.raw, statement.capped, statement.estimate) == (None, None, None)
    line = statement.missions[0]
    assert (line.hourly_cost, line.raw, line.capped) == (D("50.00"), None, None)


def test_an_empty_year_is_zero():
    statement = valuation.for_company_year(company(), 2025)
    assert statement.volunteers == ()
    assert (statement.minutes, statement.raw, statement.capped) == (0, D("0.00"), D("0.00"))


@pytest.mark.parametrize("extra_missions", [0, 12])
def test_three_queries_whatever_the_number_of_missions(django_assert_num_queries, extra_missions):
    """1. confirmed minutes per mission, 2. declared costs, 3. the year's declaration."""
    bank, people = banque_du_nord_2025()
    jardins = Organisation.objects.get(name="Les Jardins de Laon")
    for n in range(extra_missions):
        volunteer = UserFactory()
        hours(mission(bank, volunteer, jardins, f"Mission {n}"), date(2025, 10, 1), 60)
        declare_cost(bank, volunteer, 2025, "30.00")
    with django_assert_num_queries(3):
        statement = valuation.for_company_year(bank, 2025)
    assert len(statement.missions) == 5 + extra_missions
