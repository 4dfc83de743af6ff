"""The dashboard's figures against values counted by hand on a small fixed data set.

The period is the first half of 2026; the region is Hauts-de-France. Every row outside the
period or the territory is there to be left out: a need published on 31 December at 23:30 in
Paris, one published on 1 July, one in Paris (75), a draft, hours on days outside the period,
hours not confirmed, a paused offer and an offer in Paris.
"""

from datetime import date, datetime

import pytest
from django.db.models import F
from django.utils import timezone

from matching.models import Need, Proposal
from missions.models import Answer, HoursEntry, Mission, Party, Review
from observatory import figures
from observatory.scope import Selection
from tests.factories import NeedFactory, OfferFactory, UserFactory, skill

pytestmark = pytest.mark.django_db

REGION = ("02", "59", "60", "62", "80")
FIRST_HALF = (date(2026, 1, 1), date(2026, 6, 30))
POPULATION = {"02": 523_342, "59": 2_615_635, "60": 829_899, "62": 1_457_905, "80": 565_413}
REGION_POPULATION = 5_992_194
Status = Need.Status


def at(month, day, hour=10, minute=0, year=2026):
    """A moment in Paris."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def need(departement, published_at, status, skill_code):
    return NeedFactory(
        departement=departement, published_at=published_at, status=status,
        main_skill=skill(skill_code),
    )  # fmt: skip


def proposal(need, offer, created_at, status, approved_at=None):
    made = Proposal.objects.create(need=need, offer=offer, score=1, status=status)
    Proposal.objects.filter(pk=made.pk).update(created_at=created_at, approved_at=approved_at)
    return made


def review(proposal, decided_at, reason=""):
    decision = Review.Decision.REJECTED if reason else Review.Decision.APPROVED
    made = Review.objects.create(
        proposal=proposal, decision=decision, reason=reason, no_commercial_link=not reason
    )
    Review.objects.filter(pk=made.pk).update(decided_at=decided_at)


def answer(proposal, answered_at, reason=""):
    decision = Answer.Decision.DECLINED if reason else Answer.Decision.ACCEPTED
    made = Answer.objects.create(
        proposal=proposal, party=Party.ASSOCIATION, decision=decision, reason=reason
    )
    Answer.objects.filter(pk=made.pk).update(answered_at=answered_at)


def mission(proposal, started_at, hours=()):
    """A mission and its hours entries: [(day, minutes, status)]."""
    made = Mission.objects.create(
        proposal=proposal, need=proposal.need, offer=proposal.offer,
        volunteer=proposal.offer.volunteer,
    )  # fmt: skip
    Mission.objects.filter(pk=made.pk).update(started_at=started_at)
    for day, minutes, status in hours:
        HoursEntry.objects.create(
            mission=made, day=day, minutes=minutes, description="Atelier", status=status
        )
    return made


def approved(need, offer, created_at, approved_at, status=Proposal.Status.APPROVED):
    made = proposal(need, offer, created_at, status, approved_at=approved_at)
    review(made, approved_at)
    return made


def rejected(need, offer, created_at, decided_at, reason):
    made = proposal(need, offer, created_at, Proposal.Status.REJECTED)
    review(made, decided_at, reason)
    return made


def build_small_territory():
    """The hand-counted data set (see the module's docstring and each test)."""
    confirmed, logged = HoursEntry.Status.CONFIRMED, HoursEntry.Status.LOGGED
    disputed = HoursEntry.Status.DISPUTED
    somme_volunteer, nord_volunteer = UserFactory(), UserFactory()
    somme = OfferFactory(volunteer=somme_volunteer, departements=["80"])
    somme_aisne = OfferFactory(volunteer=somme_volunteer, departements=["80", "02"])
    nord = OfferFactory(volunteer=nord_volunteer, departements=["59", "62"])
    OfferFactory(departements=["59"], is_active=False)
    paris, paris_too = OfferFactory(departements=["75"]), OfferFactory(departements=["75"])

    # Somme: a completed need and one in progress.
    n1 = need("80", at(1, 10), Status.COMPLETED, "fonds-europeens")
    p1 = approved(n1, somme, at(1, 10, 12), at(1, 12), Proposal.Status.COMPLETED)
    answer(p1, at(1, 14))
    mission(p1, at(1, 15), [
        (date(2026, 2, 1), 120, confirmed), (date(2026, 7, 5), 90, confirmed),
        (date(2026, 2, 2), 60, logged), (date(2026, 2, 3), 45, disputed),
    ])  # fmt: skip
    n2 = need("80", at(2, 1), Status.IN_PROGRESS, "comptabilite-finance")
    p2 = approved(n2, somme_aisne, at(2, 1, 11), at(2, 5), Proposal.Status.ACCEPTED)
    mission(p2, at(2, 11), [(date(2026, 3, 1), 30, confirmed)])
    rejected(n2, nord, at(2, 2), at(2, 3), Review.RejectReason.SKILLS)

    # Nord: one still waiting (declined once, rejected once), one expired.
    n3 = need("59", at(3, 1), Status.PUBLISHED, "fonds-europeens")
    p4 = approved(n3, nord, at(3, 1, 11), at(3, 7), Proposal.Status.DECLINED)
    answer(p4, at(3, 8), Answer.DeclineReason.NOT_AVAILABLE)
    rejected(n3, somme, at(3, 1, 12), at(3, 2), Review.RejectReason.DISTANCE)
    need("59", at(4, 1), Status.EXPIRED, "recrutement")

    # Pas-de-Calais: a cancelled need.
    need("62", at(5, 1), Status.CANCELLED, "commande-publique")

    # Outside the period: published the evening before it, its steps inside it count.
    n6 = need("80", at(12, 31, 23, 30, year=2025), Status.COMPLETED, "gestion-projet")
    p6 = approved(n6, somme, at(12, 31, 23, 45, year=2025), at(1, 2), Proposal.Status.COMPLETED)
    mission(p6, at(1, 3), [
        (date(2026, 1, 5), 60, confirmed), (date(2025, 12, 31), 30, confirmed),
    ])  # fmt: skip
    # Published the night after it, its steps after it.
    n7 = need("02", at(7, 1, 0, 30), Status.PUBLISHED, "fonds-europeens")
    rejected(n7, somme_aisne, at(7, 1, 1), at(7, 2), Review.RejectReason.OTHER)
    # Outside the territory, inside the period.
    n8 = need("75", at(3, 1), Status.PUBLISHED, "fonds-europeens")
    rejected(n8, paris, at(3, 1, 11), at(3, 2), Review.RejectReason.OTHER)
    p8 = approved(n8, paris_too, at(3, 1, 12), at(3, 3), Proposal.Status.DECLINED)
    answer(p8, at(3, 4), Answer.DeclineReason.TOO_FAR)
    # Never published.
    NeedFactory(departement="80", status=Status.DRAFT, published_at=None)


@pytest.fixture
def small_territory(db):
    build_small_territory()


def region():
    return Selection(*FIRST_HALF, REGION)


def somme():
    return Selection(*FIRST_HALF, ("80",))


def test_needs_are_the_period_cohort_by_what_became_of_them(small_territory):
    counts = figures.need_counts(region())
    assert counts == {
        "posted": 5, "waiting": 1, "served": 2, "completed": 1, "expired": 1, "cancelled": 1,
    }  # fmt: skip


def test_a_departement_counts_its_own_needs_only(small_territory):
    counts = figures.need_counts(somme())
    assert counts == {
        "posted": 2, "waiting": 0, "served": 2, "completed": 1, "expired": 0, "cancelled": 0,
    }  # fmt: skip


def test_proposals_are_counted_by_the_date_of_each_step(small_territory):
    """Made: P1–P5 (P6 was made on 31 December); approved: P1, P2, P4 and P6 (approved on
    2 January); rejected: P3, P5; accepted: the missions of N1, N2 and N6."""
    assert figures.proposal_counts(region()) == {
        "made": 5, "approved": 4, "rejected": 2, "accepted": 3,
    }  # fmt: skip
    assert figures.proposal_counts(somme()) == {
        "made": 3, "approved": 3, "rejected": 1, "accepted": 3,
    }  # fmt: skip


def test_rejections_by_reason_in_the_list_order_zeros_included(small_territory):
    rows = figures.rejections_by_reason(region())
    assert [row.label for row in rows] == [label for _, label in Review.RejectReason.choices]
    assert {row.label: row.count for row in rows if row.count} == {
        Review.RejectReason.SKILLS.label: 1,
        Review.RejectReason.DISTANCE.label: 1,
    }


def test_declines_by_reason_within_the_territory(small_territory):
    rows = figures.declines_by_reason(region())
    assert {row.label: row.count for row in rows if row.count} == {
        Answer.DeclineReason.NOT_AVAILABLE.label: 1
    }
    assert sum(row.count for row in figures.declines_by_reason(somme())) == 0


def test_median_days_to_first_approval_odd_count(small_territory):
    """N1: 2 days, N2: 4 days, N3: 6 days (N6 was published before the period)."""
    result = figures.figures_for(region())
    assert result.days_to_approval == figures.MedianOf(4.0, 3)


def test_median_days_to_mission_start_even_count(small_territory):
    """N1: 5 days, N2: 10 days: the mean of the two middle values."""
    result = figures.figures_for(region())
    assert result.days_to_start.count == 2
    assert result.days_to_start.value == pytest.approx(7.5)


def test_medians_of_one_departement(small_territory):
    result = figures.figures_for(somme())
    assert result.days_to_approval.value == pytest.approx(3.0)
    assert result.days_to_start.value == pytest.approx(7.5)


def test_a_median_over_nothing_is_none(db):
    result = figures.figures_for(region())
    assert result.days_to_approval == figures.MedianOf(None, 0)
    assert result.needs["posted"] == 0
    assert result.share_served is None


def test_median_keeps_fractions_of_days(db):
    """Published at 10:00, approved 1 day 12 hours later, and 3 days later: 2.25 days."""
    offer = OfferFactory(departements=["80"])
    for hours_later in (36, 72):
        published = at(1, 10)
        approved(
            need("80", published, Status.PUBLISHED, "fonds-europeens"), offer, published,
            published + timezone.timedelta(hours=hours_later),
        )  # fmt: skip
    result = figures.figures_for(region())
    assert result.days_to_approval.value == pytest.approx(2.25)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5])
def test_the_median_by_rank_matches_the_median_on_any_database(db, count):
    """SQLite's median (PostgreSQL has percentile_cont): 1, 2, 4, 8, 16 days' waits."""
    offer = OfferFactory(departements=["80"])
    waits = [2**n for n in range(count)]
    for days in reversed(waits):
        published = at(1, 10)
        approved(
            need("80", published, Status.PUBLISHED, "fonds-europeens"), offer, published,
            published + timezone.timedelta(days=days),
        )  # fmt: skip
    needs = Need.objects.all()
    days = figures.DaysBetween(figures.first_approval(), F("published_at"))
    expected = {0: None, 1: 1, 2: 1.5, 3: 2, 4: 3, 5: 4}[count]
    by_rank = figures.median_by_rank(needs, days)
    assert by_rank.count == count
    assert by_rank.value == pytest.approx(expected)
    median = figures.median(needs, days)  # percentile_cont on PostgreSQL
    assert (median.value, median.count) == (pytest.approx(expected), count)


def test_hours_given_are_confirmed_hours_on_days_of_the_period(small_territory):
    """120 + 30 + 60 minutes: not the July or December entries, nor logged or disputed ones."""
    assert figures.hours_given(region()) == 3.5
    assert figures.hours_given(Selection(*FIRST_HALF, ("59",))) == 0


def test_offers_and_volunteers_of_the_territory(small_territory):
    result = figures.figures_for(region())
    assert (result.active_offers, result.active_volunteers) == (3, 2)
    result = figures.figures_for(somme())
    assert (result.active_offers, result.active_volunteers) == (2, 1)


def test_per_10000_inhabitants(small_territory):
    result = figures.figures_for(somme())
    assert result.population == POPULATION["80"]
    assert result.needs_per_10k == pytest.approx(2 * 10_000 / 565_413)
    assert result.volunteers_per_10k == pytest.approx(1 * 10_000 / 565_413)
    assert result.hours_per_10k == pytest.approx(3.5 * 10_000 / 565_413)
    assert figures.figures_for(region()).population == REGION_POPULATION


def test_share_served_per_area_priority_areas_first(small_territory):
    """Priority: EU funds 2 posted (N1 served, N3 waiting), public procurement 1 (N5
    cancelled); other domains: HR 1 (N4 expired), finance 1 (N2 served)."""
    rows = figures.served_by_area(region())
    assert [row.is_priority for row in rows[:5]] == [True] * 5
    assert not any(row.is_priority for row in rows[5:])
    assert [row.name for row in rows[:5]] == [
        "Fonction employeur / RH", "Veille réglementaire", "Modèle économique",
        "Fonds européens", "Commande publique",
    ]  # fmt: skip
    counted = {row.name: (row.posted, row.served, row.share_served) for row in rows}
    assert counted["Fonds européens"] == (2, 1, 0.5)
    assert counted["Commande publique"] == (1, 0, 0)
    assert counted["Veille réglementaire"] == (0, 0, None)
    assert counted["Ressources humaines et fonction employeur"] == (1, 0, 0)
    assert counted["Finance et gestion"] == (1, 1, 1)
    assert counted["Gestion de projet"] == (0, 0, None)  # N6 is outside the period
    assert sum(row.posted for row in rows) == 5  # each need in one row only


def test_priority_needs_are_not_counted_again_in_their_domain(small_territory):
    rows = {row.name: row for row in figures.served_by_area(region())}
    # EU funds and public procurement are the domain's priority skills: only grants remain.
    assert rows["Financements publics et commande publique"].posted == 0


@pytest.mark.parametrize("size", [1, 4])
def test_the_figures_take_eleven_queries_whatever_the_rows(db, size, django_assert_num_queries):
    """Needs, offers, volunteers, proposals, rejections, declines, two medians, hours, the
    priority areas and the domains: one query each, for one data set or four."""
    for _ in range(size):
        build_small_territory()
    with django_assert_num_queries(11):
        figures.figures_for(region())
