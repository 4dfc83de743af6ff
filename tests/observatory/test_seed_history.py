"""The demo's past year (`seed_demo_history`): twelve months of missions and hours, uneven
across the région, that leave today's demo and its matcher alone."""

import calendar
import io
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.departements import HAUTS_DE_FRANCE
from accounts.models import Organisation
from matching import matcher
from matching.models import MatchingRun, Need, Offer, OfferArea, OfferSkill, Proposal
from missions.models import Answer, Event, Feedback, HoursEntry, Message, Mission, Review
from notifications.models import Notification
from observatory import definitions, valuation
from observatory.demo import HISTORY, build_history, history, history_needs, history_offers
from observatory.models import CompanyYear, VolunteerCost
from observatory.scope import Selection
from tests.conftest import empty_committed_demo

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [
    Need, Need.secondary_skills.through, Offer, OfferSkill, OfferArea, Proposal, Review, Answer,
    Mission, HoursEntry, Message, Feedback, Event, VolunteerCost, CompanyYear, Notification,
]  # fmt: skip
CONFIRMED = HoursEntry.Status.CONFIRMED


def run(command="seed_demo_history"):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo and its past year, seeded once for the module (tests roll their writes back).

    Until seed_demo runs the history itself, the second command seeds it; after, it finds the
    history in place."""
    with django_db_blocker.unblock():
        run("seed_demo")
        run()
    yield
    with django_db_blocker.unblock():
        empty_committed_demo()


@pytest.fixture
def past(seeded):
    """The history's needs."""
    return history_needs()


def counts():
    return [model.objects.count() for model in HISTORY_MODELS]


def months_back(day, months):
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def forget_history():
    """Delete what the history seeded (missions first: they protect their need and offer)."""
    needs = list(history_needs().values_list("pk", flat=True))
    Mission.objects.filter(need__in=needs).delete()
    Need.objects.filter(pk__in=needs).delete()
    history_offers().delete()
    VolunteerCost.objects.all().delete()
    CompanyYear.objects.all().delete()


def test_the_file_is_what_its_build_script_draws():
    """history.json is exactly what build_history.py draws from its seed: rebuilt, not edited."""
    document = build_history.Builder(random.Random(build_history.SEED)).build()
    assert build_history.dump(document) == HISTORY.read_text(encoding="utf-8")


def test_every_need_of_the_file_is_seeded_in_every_departement(past):
    """All the file's needs are in, a few hundred, posted in the five départements."""
    assert past.count() == len(history()["needs"]) >= 300
    assert set(past.values_list("departement", flat=True)) == set(HAUTS_DE_FRANCE)
    priority = past.filter(main_skill__is_priority=True)
    assert priority.count() / past.count() > 0.5
    assert priority.values("main_skill").distinct().count() == 5


def test_needs_were_published_all_over_the_last_twelve_months(past):
    today = timezone.localdate()
    published = {moment.date() for moment in past.values_list("published_at", flat=True)}
    for months in range(1, 12):
        month = (months_back(today, months + 1), months_back(today, months))
        assert any(month[0] < day <= month[1] for day in published), month


def test_missions_have_confirmed_hours_in_each_of_the_last_twelve_months(past):
    """Each of the twelve months before today holds confirmed hours of past missions."""
    today = timezone.localdate()
    hours = HoursEntry.objects.filter(mission__need__in=past, status=CONFIRMED)
    for months in range(12):
        start, end = months_back(today, months + 1), months_back(today, months)
        assert hours.filter(day__gt=start, day__lte=end).exists(), (start, end)


def test_every_departement_has_completed_missions_with_hours(past):
    completed = Mission.objects.filter(need__in=past, status=Mission.Status.COMPLETED)
    assert set(completed.values_list("need__departement", flat=True)) == set(HAUTS_DE_FRANCE)
    assert not completed.filter(hours__isnull=True).exists()
    # Completed ones were confirmed in full; a few abandoned ones kept logged or disputed hours.
    assert not HoursEntry.objects.filter(mission__in=completed).exclude(status=CONFIRMED).exists()
    left = HoursEntry.objects.filter(mission__need__in=past).exclude(status=CONFIRMED)
    assert set(left.values_list("status", flat=True)) == {"logged", "disputed"}
    assert Mission.objects.filter(need__in=past, status=Mission.Status.ABANDONED).exists()


def test_the_nord_and_the_pas_de_calais_are_better_served_than_the_aisne_and_the_oise(seeded):
    """Over the observatory's default year, the share of needs served differs by département:
    the equity gauge (least served ÷ best served) says something."""
    today = timezone.localdate()
    selection = Selection(today - timedelta(days=364), today, tuple(HAUTS_DE_FRANCE))
    rows = (
        definitions.needs_posted(selection)
        .values("departement")
        .annotate(posted=Count("pk"), served=Count("pk", filter=definitions.served()))
    )
    share = {row["departement"]: row["served"] / row["posted"] for row in rows}
    assert min(share["59"], share["62"]) > max(share["02"], share["60"])
    assert min(share.values()) / max(share.values()) < 0.7


def test_reviews_and_answers_give_varied_reasons(past):
    rejected = Review.objects.filter(proposal__need__in=past, decision=Review.Decision.REJECTED)
    assert set(rejected.values_list("reason", flat=True)) == set(Review.RejectReason.values)
    declined = Answer.objects.filter(proposal__need__in=past, decision=Answer.Decision.DECLINED)
    assert len(set(declined.values_list("reason", flat=True))) >= 5
    statuses = set(Proposal.objects.filter(need__in=past).values_list("status", flat=True))
    assert statuses == {"completed", "rejected", "declined", "expired", "withdrawn"}
    assert set(past.values_list("status", flat=True)) == {"completed", "expired", "cancelled"}


def test_mecenat_and_benevolat_both_served(past):
    missions = Mission.objects.filter(need__in=past)
    engagements = set(missions.values_list("offer__engagement", flat=True))
    assert engagements == {Offer.Engagement.MECENAT, Offer.Engagement.BENEVOLAT}


def test_nothing_of_the_history_is_live_for_the_matcher(past):
    """No published need, no live proposal, no active mission or offer, and no approval in the
    last 30 days (the matcher's count of a volunteer's asks): the matcher sees what it saw."""
    proposals = Proposal.objects.filter(need__in=past)
    assert not past.filter(status=Need.Status.PUBLISHED).exists()
    assert not proposals.filter(status__in=Proposal.LIVE).exists()
    assert not proposals.filter(approved_at__gte=timezone.now() - timedelta(days=31)).exists()
    assert not Mission.objects.filter(need__in=past, status=Mission.Status.ACTIVE).exists()
    assert not history_offers().filter(is_active=True).exists()
    assert not matcher.eligible_needs().filter(pk__in=past).exists()
    assert not matcher.eligible_offers().filter(pk__in=history_offers()).exists()


def test_the_matcher_proposes_the_same_with_or_without_the_history(seeded):
    """A full pass over the demo makes the very same proposals, scores included."""

    def full_pass():
        before = set(Proposal.objects.values_list("pk", flat=True))
        runs = set(MatchingRun.objects.values_list("pk", flat=True))
        matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
        made = Proposal.objects.exclude(pk__in=before)
        rows = sorted(made.values_list("need_id", "offer_id", "score"))
        # Undone, so that the next pass starts from the same state.
        made.delete()
        MatchingRun.objects.exclude(pk__in=runs).delete()
        return rows

    with_history = full_pass()
    forget_history()
    without_history = full_pass()

    assert len(with_history) > 100
    assert with_history == without_history


def test_moments_follow_each_other_and_none_is_to_come(past):
    """Dated back consistently: published before proposed, approved before answered, started
    before hours, hours decided before the mission closed; nothing after now."""
    now, today = timezone.now(), timezone.localdate()
    proposals = Proposal.objects.filter(need__in=past)
    missions = Mission.objects.filter(need__in=past)
    hours = HoursEntry.objects.filter(mission__in=missions)
    assert not past.filter(Q(created_at__gt=F("published_at")) | Q(wished_end__gte=today)).exists()
    assert not proposals.filter(created_at__lt=F("need__published_at")).exists()
    assert not proposals.filter(approved_at__lt=F("created_at")).exists()
    answers = Answer.objects.filter(proposal__in=proposals)
    assert not answers.filter(answered_at__lt=F("proposal__approved_at")).exists()
    assert not missions.filter(started_at__lt=F("proposal__approved_at")).exists()
    assert not hours.filter(
        Q(created_at__lt=F("mission__started_at"))
        | Q(day__lt=F("mission__started_at__date"))
        | Q(decided_at__gt=F("mission__closed_at"))
        | Q(decided_at__lt=F("created_at"))
    ).exists()
    assert not Event.objects.filter(proposal__in=proposals, at__gt=now).exists()
    assert not hours.filter(day__gt=today).exists()
    # Each step has its event, as the services write them.
    events = Event.objects.filter(proposal__in=proposals)
    approved = proposals.exclude(approved_at=None)
    assert events.filter(verb=Event.Verb.APPROVED).count() == approved.count()
    assert events.filter(verb=Event.Verb.MISSION_STARTED).count() == missions.count()
    assert events.filter(verb=Event.Verb.HOURS_LOGGED).count() == hours.count()
    assert (
        events.filter(verb=Event.Verb.HOURS_CONFIRMED).count()
        == hours.filter(status=CONFIRMED).count()
    )


def test_the_demo_referents_company_has_a_mecenat_statement_with_the_cap(seeded):
    """The printed referent's company: its volunteer's mécénat hours, a declared cost above the
    cap (3 × PASS ÷ 1,607 h), a turnover, hence a capped valuation and a tax estimate."""
    company = Organisation.objects.get(name="Beffroi Services Numériques")
    year = timezone.localdate().year
    statements = [valuation.for_company_year(company, y) for y in (year - 1, year)]
    assert sum(statement.minutes for statement in statements) >= 60 * 20
    statement = max(statements, key=lambda statement: statement.minutes)
    assert statement.capped < statement.raw
    assert statement.estimate.reduction > 0


def test_companies_declared_costs_within_35_to_120_euros_one_above_the_cap(seeded):
    costs = VolunteerCost.objects.all()
    assert costs.count() > 50 and CompanyYear.objects.count() > 50
    assert all(35 <= cost <= 120 for cost in costs.values_list("hourly_cost", flat=True))
    cap = valuation.ceiling_for(2026).hourly_cap
    above = costs.filter(hourly_cost__gt=cap)
    assert set(above.values_list("company__name", flat=True)) == {"Beffroi Services Numériques"}


def test_the_demo_presidents_association_had_mecenat_missions(seeded):
    """The printed president's structure has figures for the mécénat receipt."""
    missions = Mission.objects.filter(
        need__organisation__name="Solidarité Emploi Amiénois",
        status=Mission.Status.COMPLETED,
        offer__engagement=Offer.Engagement.MECENAT,
    )
    assert missions.count() >= 3


def test_structures_of_the_history_get_an_address_and_a_legal_form(seeded):
    """Filled where blank, kept where someone typed them."""
    president = Organisation.objects.get(name="Solidarité Emploi Amiénois")
    assert president.legal_form == "Association loi 1901" and president.street_address
    typed = Organisation.objects.get(name="Beffroi Services Numériques")
    Organisation.objects.filter(pk=typed.pk).update(legal_form="SAS à mission", street_address="")
    Organisation.objects.filter(pk=president.pk).update(legal_form="", street_address="")

    run()

    typed.refresh_from_db()
    president.refresh_from_db()
    assert typed.legal_form == "SAS à mission" and typed.street_address
    assert president.legal_form == "Association loi 1901" and president.street_address


def test_a_second_run_adds_nothing(seeded):
    before = counts()

    output = run()

    assert counts() == before
    assert "Rien à ajouter" in output


def test_it_writes_the_year_in_bulk_without_telling_anyone(seeded, django_assert_max_num_queries):
    """From the demo without its history: tens of queries for ten thousand rows (not one per
    row), the same rows again, and no notification or e-mail about the past."""
    before = counts()
    forget_history()
    assert not history_needs().exists()

    # Ten thousand rows: bulk inserts and updates of hundreds of rows each.
    with django_assert_max_num_queries(200):
        output = run()

    assert counts() == before
    assert f"{len(history()['needs'])} besoins passés" in output
    assert mail.outbox == []


def test_it_refuses_to_run_before_the_demo_is_seeded(seeded):
    Mission.objects.all().delete()
    Organisation.objects.all().delete()

    with pytest.raises(CommandError, match="seed_demo"):
        run()
