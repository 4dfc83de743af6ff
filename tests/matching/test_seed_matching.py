"""The demo's needs and skill offers, seeded by `seed_demo` through `seed_demo_matching`."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.departements import HAUTS_DE_FRANCE
from accounts.models import Membership, Organisation, User
from matching.demo_data import build_plan
from matching.models import MatchingRun, Need, Offer, OfferArea, OfferSkill, Proposal
from missions.models import Mission
from observatory.demo import history_needs, history_offers
from tests.conftest import empty_committed_demo

Kind = Organisation.Kind
TREASURER = "tresoriere.aisne@demo.probono.example.org"
VOLUNTEER = "benevole.lille@demo.probono.example.org"

pytestmark = pytest.mark.django_db


def run(command):
    """Run a command and return what it printed."""
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the whole module: tests read it, and undo their own writes on rollback."""
    with django_db_blocker.unblock():
        output = run("seed_demo")
    yield output
    with django_db_blocker.unblock():
        empty_committed_demo()


@pytest.fixture
def output(seeded):
    """What `seed_demo` printed, needs and offers included."""
    return seeded


def row_counts():
    return (
        Need.objects.count(),
        Need.secondary_skills.through.objects.count(),
        Offer.objects.count(),
        OfferSkill.objects.count(),
        OfferArea.objects.count(),
    )


def demo_needs():
    """Today's demo needs: the past year seeded after them has its own tests."""
    return Need.objects.exclude(pk__in=history_needs())


def demo_offers():
    """Today's demo offers, the history's past offers left out."""
    return Offer.objects.exclude(pk__in=history_offers())


def taken_on_by_the_stories():
    """Published needs the demo's stories (seed_demo_missions) took to a mission."""
    return demo_needs().filter(missions__isnull=False).distinct().count()


def test_seed_demo_seeds_300_needs_and_400_offers_and_says_so(output):
    """The demo holds 300 needs, 240 of them published, and 400 skill offers."""
    assert demo_needs().count() == 300
    assert demo_needs().published().count() + taken_on_by_the_stories() == 240
    assert demo_offers().count() == 400
    assert "300 besoins (dont 240 publiés), 400 offres de compétences" in output


def test_needs_are_mostly_published_with_some_drafts_and_a_few_closed(output):
    """Drafts have no publication date; published needs were published over the last 60 days."""
    counts = dict(demo_needs().values_list("status").annotate(n=Count("pk")).order_by())
    assert set(counts) == {"published", "draft", "completed", "cancelled", "in_progress"}
    assert counts["published"] + taken_on_by_the_stories() == 240
    assert counts["draft"] > 0 and counts["completed"] > 0 and counts["cancelled"] > 0
    assert not Need.objects.filter(status="draft", published_at__isnull=False).exists()
    published = Need.objects.published().values_list("published_at", flat=True)
    now = timezone.now()
    assert all(now - datetime.timedelta(days=61) < moment < now for moment in published)
    # Spread out, so the waiting time the matcher rewards differs from need to need.
    assert len({moment.date() for moment in published}) > 30


def test_every_departement_has_needs_roughly_where_the_structures_are(output):
    """The five départements all have needs, and the Nord more than the Aisne."""
    by_departement = dict(
        Need.objects.values_list("departement").annotate(n=Count("pk")).order_by()
    )
    assert set(by_departement) == set(HAUTS_DE_FRANCE)
    assert by_departement["59"] > by_departement["62"] > by_departement["02"]


def test_the_studys_five_priority_skills_dominate_needs(output):
    """More than half of the needs (60 %) have a priority skill of the 2019 study as main skill."""
    priority = Need.objects.filter(main_skill__is_priority=True).count()
    assert priority / Need.objects.count() > 0.5
    assert (
        Need.objects.filter(main_skill__is_priority=True).values("main_skill").distinct().count()
        == 5
    )


def test_needs_are_live_and_start_within_the_next_two_months(output):
    """Wished periods start between 30 days ago and 60 days ahead, last 1–6 months, end later."""
    today = timezone.localdate()
    for start, end in demo_needs().values_list("wished_start", "wished_end"):
        assert today - datetime.timedelta(days=30) <= start <= today + datetime.timedelta(days=60)
        assert end > today
        assert 30 <= (end - start).days <= 6 * 30 + 10


def test_needs_are_short_sessions_of_two_hours_or_missions_of_10_to_60_hours(output):
    """About a quarter are 2-hour sessions; about 40 % accept remote work; most have helpers."""
    sessions = demo_needs().filter(format=Need.Format.SHORT_SESSION)
    assert set(sessions.values_list("estimated_hours", flat=True)) == {2}
    assert 0.15 < sessions.count() / 300 < 0.35
    missions = demo_needs().filter(format=Need.Format.MISSION)
    assert all(10 <= hours <= 60 for hours in missions.values_list("estimated_hours", flat=True))
    assert 0.3 < demo_needs().filter(remote_ok=True).count() / 300 < 0.5
    with_secondary = demo_needs().filter(secondary_skills__isnull=False).distinct().count()
    assert 0.5 < with_secondary / 300 < 0.95


def test_only_members_of_verified_ess_structures_post_needs(output):
    """Each need's structure is a verified ESS structure, and its author an active member there."""
    for need in Need.objects.select_related("organisation"):
        assert need.organisation.kind in (Kind.ASSOCIATION, Kind.OTHER_ESS)
        assert need.organisation.is_verified
        assert need.departement == need.organisation.departement
        assert Membership.objects.filter(
            user_id=need.created_by_id,
            organisation=need.organisation,
            status=Membership.Status.ACTIVE,
        ).exists()


def test_offers_are_given_by_volunteers_of_verified_companies_and_public_bodies(output):
    """An offer's employer is a verified company or public body the volunteer works for."""
    for offer in Offer.objects.select_related("organisation"):
        assert offer.organisation.kind in (Kind.COMPANY, Kind.PUBLIC_BODY)
        assert offer.organisation.is_verified
        assert Membership.objects.filter(
            user_id=offer.volunteer_id,
            organisation=offer.organisation,
            status=Membership.Status.ACTIVE,
        ).exists()


def test_more_offers_act_in_the_nord_than_in_the_aisne(output):
    """As in reality: Nord employers give 45 % of offers, Aisne ones 10 %; areas follow."""
    by_employer = dict(
        demo_offers().values_list("organisation__departement").annotate(n=Count("pk")).order_by()
    )
    assert by_employer == {"59": 180, "62": 80, "60": 52, "80": 48, "02": 40}
    areas = OfferArea.objects.filter(offer__in=demo_offers())
    acting = dict(areas.values_list("departement").annotate(n=Count("pk")).order_by())
    assert acting["59"] > acting["02"]
    # An offer acts in its employer's département, sometimes beyond; about 10 % region-wide.
    offers = demo_offers().prefetch_related("areas").select_related("organisation")
    assert all(o.organisation.departement in o.departement_codes() for o in offers)
    region_wide = sum(1 for o in offers if o.departement_codes() == sorted(HAUTS_DE_FRANCE))
    assert 0.05 < region_wide / 400 < 0.15


def test_offers_have_one_to_three_skills_and_realistic_capacity(output):
    """1–3 skills with a level, 4–24 h a month, mostly mécénat, about half remote, ~10 % paused."""
    skills = demo_offers().annotate(n=Count("skills")).values_list("n", flat=True)
    assert set(skills) == {1, 2, 3}
    hours = demo_offers().values_list("hours_per_month", flat=True)
    assert all(4 <= h <= 24 for h in hours)
    assert demo_offers().filter(engagement=Offer.Engagement.MECENAT).count() > 200
    assert demo_offers().filter(engagement=Offer.Engagement.BENEVOLAT).exists()
    assert 0.35 < demo_offers().filter(remote_ok=True).count() / 400 < 0.65
    assert demo_offers().filter(is_active=False).count() == 40
    today = timezone.localdate()
    assert not demo_offers().filter(available_until__lt=today).exists()


def test_every_seeded_need_and_offer_passes_full_clean(output):
    """Needs and offers pass the models' whole validation; skills and areas their fields'."""
    for model in (Need, Offer):
        for row in model.objects.all():
            row.full_clean()
    # Their foreign keys and unique pairs are the database's to enforce.
    for model in (OfferSkill, OfferArea):
        for row in model.objects.all():
            row.clean_fields(exclude=["offer", "skill"])


def test_a_second_run_creates_nothing(output):
    """Running either command again adds no need, offer, skill or area."""
    before = row_counts()

    second_output = run("seed_demo_matching")
    run("seed_demo")

    assert row_counts() == before
    assert "Rien à ajouter" in second_output


def test_the_plan_is_the_same_on_every_run_and_its_keys_on_every_day():
    """Same seed, same plan; on another day only dates move, so a later run still finds rows."""
    today, now = timezone.localdate(), timezone.now()
    assert build_plan(today, now) == build_plan(today, now)

    later = build_plan(today + datetime.timedelta(days=40), now + datetime.timedelta(days=40))
    plan = build_plan(today, now)
    assert [(n.organisation_key, n.title) for n in later.needs] == [
        (n.organisation_key, n.title) for n in plan.needs
    ]
    assert [(o.email, o.title) for o in later.offers] == [(o.email, o.title) for o in plan.offers]


def test_the_demo_volunteer_has_an_active_management_control_offer(output):
    """benevole.lille offers contrôle de gestion and comptabilité, active, in the Nord."""
    offer = Offer.objects.get(volunteer__email=VOLUNTEER)
    assert offer.is_active
    assert {s.skill.code for s in offer.skills.all()} == {
        "controle-gestion",
        "comptabilite-finance",
    }
    assert "59" in offer.departement_codes()


def test_the_demo_treasurers_association_has_a_published_need_and_a_draft(output):
    """The Aisne treasurer's association has exactly one published need and one draft."""
    association = User.objects.get(email=TREASURER).active_memberships()[0].organisation
    statuses = sorted(association.needs.values_list("status", flat=True))
    assert statuses == ["draft", "published"]
    assert association.needs.published().get().created_by.email == TREASURER


def test_seeding_proposes_nothing(output):
    """Rows are inserted directly: no matcher task fires for them. The only matcher runs are
    those of the demo's stories (seed_demo_missions), each for one need or one offer."""
    stories = MatchingRun.objects.filter(trigger__in=[MatchingRun.Trigger.NEED,
                                                      MatchingRun.Trigger.OFFER])  # fmt: skip
    assert MatchingRun.objects.count() == stories.count() <= 6
    assert set(Proposal.objects.values_list("run", flat=True)) <= {None, *stories.values_list(
        "pk", flat=True)}  # fmt: skip


def test_it_refuses_to_run_before_the_structures_are_seeded(output):
    """Without the demo structures, the command says to run seed_demo first."""
    Mission.objects.all().delete()
    Organisation.objects.all().delete()

    with pytest.raises(CommandError, match="seed_demo"):
        run("seed_demo_matching")
