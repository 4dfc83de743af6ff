"""The figures per département, against values computed by hand on a small fixed data set."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from matching.models import Proposal
from missions.models import HoursEntry, Mission
from observatory.scope import Selection
from observatory.territories import departement_figures
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
FIRST_HALF = (date(2025, 1, 1), date(2025, 6, 30))
AISNE, NORD, OISE, SOMME = 523_342, 2_615_635, 829_899, 565_413  # INSEE, departements.csv


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def need(departement, status, published_at):
    organisation = OrganisationFactory(departement=departement, postcode=f"{departement}000")
    return NeedFactory(organisation=organisation, status=status, published_at=published_at)


def mission_on(need_, *entries):
    """A mission on that need (its offer paused and in the Oise, so it counts no volunteer)
    with hours entries (day, minutes, status)."""
    offer = OfferFactory(is_active=False, departements=["60"])
    proposal = Proposal.objects.create(need=need_, offer=offer, score=1)
    mission = Mission.objects.create(
        proposal=proposal, need=need_, offer=offer, volunteer=offer.volunteer
    )
    for day, minutes, status in entries:
        HoursEntry.objects.create(
            mission=mission, day=day, minutes=minutes, status=status, description="Atelier"
        )
    return mission


CONFIRMED, LOGGED, DISPUTED = (HoursEntry.Status.CONFIRMED, HoursEntry.Status.LOGGED,
                               HoursEntry.Status.DISPUTED)  # fmt: skip


@pytest.fixture
def first_half():
    """Aisne: 3 needs posted in the period (2 served), 3 hours given, 2 volunteers; Nord:
    2 needs posted (none served), 0.75 hour, 1 volunteer; Somme: nothing but 1 volunteer;
    the Oise (outside the selection) has a bit of everything."""
    need("02", "published", at(2025, 1, 1, 0, 30))  # first day, just after midnight
    served = need("02", "matched", at(2025, 3, 10))
    need("02", "completed", at(2025, 6, 30, 23, 30))  # last day, late
    before = need("02", "published", at(2024, 12, 31, 23, 30))
    need("02", "draft", None)
    need("02", "in_progress", at(2025, 7, 1, 0, 30))  # the day after
    expired = need("59", "expired", at(2025, 2, 1))
    need("59", "cancelled", at(2025, 5, 5))
    oise = need("60", "matched", at(2025, 3, 1))

    mission_on(
        served,
        (date(2025, 3, 15), 90, CONFIRMED),
        (date(2025, 6, 30), 30, CONFIRMED),
        (date(2025, 4, 1), 60, LOGGED),
        (date(2025, 4, 2), 45, DISPUTED),
        (date(2025, 7, 1), 120, CONFIRMED),
        (date(2024, 12, 31), 120, CONFIRMED),
    )
    # Hours count by the day given, whenever the need was published.
    mission_on(before, (date(2025, 2, 2), 60, CONFIRMED))
    mission_on(expired, (date(2025, 1, 10), 45, CONFIRMED))
    mission_on(oise, (date(2025, 3, 1), 600, CONFIRMED))  # fmt: skip

    both = UserFactory()
    OfferFactory(volunteer=both, departements=["02", "59"])
    OfferFactory(volunteer=both, departements=["02"])  # the same person, counted once
    OfferFactory(departements=["02"])
    OfferFactory(departements=["59"], is_active=False)  # paused: not active
    OfferFactory(departements=["60"])
    OfferFactory(departements=["80"])


def by_code(rows):
    return {row.code: row for row in rows}


def test_it_counts_needs_posted_in_the_period_and_those_served(first_half):
    rows = by_code(departement_figures(Selection(*FIRST_HALF, ("02", "59", "80"))))
    assert (rows["02"].needs_posted, rows["02"].needs_served) == (3, 2)
    assert (rows["59"].needs_posted, rows["59"].needs_served) == (2, 0)
    assert (rows["80"].needs_posted, rows["80"].needs_served) == (0, 0)


def test_the_share_served_is_none_without_needs_posted(first_half):
    rows = by_code(departement_figures(Selection(*FIRST_HALF, ("02", "59", "80"))))
    assert rows["02"].share_served == pytest.approx(2 / 3)
    assert rows["59"].share_served == 0
    assert rows["80"].share_served is None


def test_it_sums_confirmed_hours_given_on_days_of_the_period(first_half):
    rows = by_code(departement_figures(Selection(*FIRST_HALF, ("02", "59", "80"))))
    assert rows["02"].hours_given == pytest.approx((90 + 30 + 60) / 60)
    assert rows["59"].hours_given == pytest.approx(45 / 60)
    assert rows["80"].hours_given == 0


def test_it_counts_each_active_volunteer_once_in_each_departement_covered(first_half):
    rows = by_code(departement_figures(Selection(*FIRST_HALF, ("02", "59", "80"))))
    assert [rows[code].volunteers for code in ("02", "59", "80")] == [2, 1, 1]


def test_it_gives_figures_per_10000_inhabitants(first_half):
    rows = by_code(departement_figures(Selection(*FIRST_HALF, ("02", "59", "80"))))
    aisne = rows["02"]
    assert aisne.population == AISNE
    assert aisne.needs_per_10k == pytest.approx(3 * 10_000 / AISNE)
    assert aisne.hours_per_10k == pytest.approx(3 * 10_000 / AISNE)
    assert aisne.volunteers_per_10k == pytest.approx(2 * 10_000 / AISNE)
    assert rows["59"].hours_per_10k == pytest.approx(0.75 * 10_000 / NORD)
    assert rows["80"].needs_per_10k == 0
    assert rows["80"].volunteers_per_10k == pytest.approx(10_000 / SOMME)


def test_rows_follow_the_selection_order_with_names(first_half):
    rows = departement_figures(Selection(*FIRST_HALF, ("80", "02")))
    assert [(row.code, row.name) for row in rows] == [("80", "Somme"), ("02", "Aisne")]


def test_a_single_departement_sees_only_its_own_figures(first_half):
    """A territorial selection: the Oise alone, where everything outside it is left out."""
    (oise,) = departement_figures(Selection(*FIRST_HALF, ("60",)))
    assert (oise.code, oise.population) == ("60", OISE)
    assert (oise.needs_posted, oise.needs_served, oise.hours_given, oise.volunteers) == (
        1, 1, 10.0, 1)  # fmt: skip


def test_the_period_moves_the_figures(first_half):
    """The second half of 2025: only the need posted on 1 July and the 120 minutes."""
    rows = by_code(departement_figures(Selection(date(2025, 7, 1), date(2025, 12, 31), ("02",))))
    assert (rows["02"].needs_posted, rows["02"].needs_served) == (1, 1)
    assert rows["02"].hours_given == 2.0


def _grow(count):
    """count more needs, missions with hours and offers in each of the five départements."""
    for code in ("02", "59", "60", "62", "80"):
        for _ in range(count):
            posted = need(code, "matched", at(2025, 3, 1))
            mission_on(posted, (date(2025, 3, 2), 60, CONFIRMED))
            OfferFactory(departements=sorted({code, "59"}))


@pytest.mark.parametrize("count", [1, 8])
def test_three_queries_whatever_the_number_of_rows(django_assert_num_queries, count):
    """One query for the needs, one for the hours, one for the volunteers."""
    _grow(count)
    selection = Selection(*FIRST_HALF, ("02", "59", "60", "62", "80"))
    with django_assert_num_queries(3):
        rows = departement_figures(selection)
    assert [row.needs_posted for row in rows] == [count] * 5
