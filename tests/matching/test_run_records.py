"""Run records tell staff the truth: runs lost with their worker, and results not proved exact."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import matcher
from matching.models import MatchingRun
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Status = MatchingRun.Status


@pytest.fixture
def need_in_the_nord():
    organisation = OrganisationFactory(departement="59", postcode="59000")
    OfferFactory(departements=["59"])
    return NeedFactory(organisation=organisation)


def ago(seconds):
    return timezone.now() - timedelta(seconds=seconds)


@pytest.fixture
def claimed_pass(need_in_the_nord, settings):
    """A full pass whose one phase-1 group a worker claimed, and one still queued."""
    parent, children = matcher.start_full_pass(MatchingRun.Trigger.SCHEDULE)
    queued = MatchingRun.objects.create(
        trigger=MatchingRun.Trigger.GROUP, parent=parent, departements=["02"]
    )
    return parent, children[0], queued


def test_a_group_claimed_longer_ago_than_the_hard_limit_is_lost_with_its_pass(
    claimed_pass, settings
):
    parent, claimed, queued = claimed_pass
    MatchingRun.objects.filter(pk=claimed.pk).update(
        claimed_at=ago(settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    assert matcher.reap_lost_runs() == 1
    for run in (parent, claimed, queued):
        run.refresh_from_db()
        assert run.status == Status.FAILED
        assert run.errors.startswith("Perdu : le worker s'est arrêté")


def test_a_group_within_the_hard_limit_is_left_running(claimed_pass, settings):
    parent, claimed, _queued = claimed_pass
    MatchingRun.objects.filter(pk=claimed.pk).update(
        claimed_at=ago(settings.CELERY_TASK_TIME_LIMIT - 5)
    )
    assert matcher.reap_lost_runs() == 0
    parent.refresh_from_db()
    assert parent.status == Status.RUNNING


def test_a_queued_group_is_never_lost_however_long_it_waits(claimed_pass, settings):
    """Groups wait in the queue behind others: only a claimed one can lose its worker."""
    _parent, _claimed, queued = claimed_pass
    MatchingRun.objects.filter(pk=queued.pk).update(started_at=ago(10 * 3600))
    assert matcher.reap_lost_runs() == 0


def test_a_one_need_run_started_longer_ago_than_the_hard_limit_is_lost(settings):
    run = MatchingRun.objects.create(trigger=MatchingRun.Trigger.NEED, subject_id=1)
    MatchingRun.objects.filter(pk=run.pk).update(
        started_at=ago(settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    assert matcher.reap_lost_runs() == 1


def test_a_group_of_a_lost_pass_delivered_again_does_nothing(claimed_pass, settings):
    """The broker redelivers a dead worker's task after the visibility timeout."""
    parent, claimed, queued = claimed_pass
    MatchingRun.objects.filter(pk=claimed.pk).update(
        claimed_at=ago(settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    matcher.reap_lost_runs()
    assert matcher.run_group(claimed.pk) == []
    assert matcher.run_group(queued.pk) == []
    assert not parent.groups.filter(phase=2).exists()


def test_the_next_pass_reaps_the_lost_one_and_does_its_work(claimed_pass, settings):
    parent, claimed, _queued = claimed_pass
    MatchingRun.objects.filter(pk=claimed.pk).update(
        claimed_at=ago(settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    following = matcher.run_full_pass_in_process(MatchingRun.Trigger.SCHEDULE)
    parent.refresh_from_db()
    assert parent.status == Status.FAILED
    assert following.status == Status.SUCCEEDED
    assert following.proposals_created == 1


def test_a_run_records_that_its_result_is_exact_and_its_rounds(need_in_the_nord):
    outcome = matcher.propose_for_need(need_in_the_nord.pk)
    outcome.run.refresh_from_db()
    assert outcome.run.exact is True
    assert outcome.run.rounds == 1


def test_a_full_pass_records_exactness_and_rounds_of_its_groups(need_in_the_nord):
    parent = matcher.run_full_pass_in_process(MatchingRun.Trigger.SCHEDULE)
    assert parent.exact is True
    assert parent.rounds == max(parent.groups.values_list("rounds", flat=True))


def test_staff_see_a_run_that_is_not_exact(client, cress_staff):
    MatchingRun.objects.create(
        trigger=MatchingRun.Trigger.SCHEDULE, status=Status.SUCCEEDED, exact=False, rounds=8
    )
    client.force_login(cress_staff)
    page = client.get(reverse("matcher_runs")).content.decode()
    assert "Non prouvé optimal" in page


def test_staff_see_why_a_lost_run_failed(client, cress_staff, claimed_pass, settings):
    _parent, claimed, _queued = claimed_pass
    MatchingRun.objects.filter(pk=claimed.pk).update(
        claimed_at=ago(settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    matcher.reap_lost_runs()
    client.force_login(cress_staff)
    page = client.get(reverse("matcher_runs")).content.decode()
    assert "Perdu : le worker s&#x27;est arrêté pendant ce passage" in page


def test_a_scarce_group_is_stored_at_its_optimum(demo_after_first_pass, settings):
    """One skill in the Nord, 300 needs for 200 one-slot offers, two candidates per need in
    the first working set: the stored proposals reach the optimum over every candidate pair."""
    from accounts.models import Organisation
    from matching import engine
    from matching.models import Proposal
    from tests.factories import skill

    settings.MATCHING_MAX_CANDIDATES_PER_NEED = 2
    scarce = skill("veille-reglementaire")
    associations = Organisation.objects.filter(departement="59", kind="association")[:30]
    for i in range(300):
        NeedFactory(organisation=associations[i % len(associations)], departement="59",
                    main_skill=scarce, estimated_hours=5 + i % 40)  # fmt: skip
    levels = ("junior", "confirmed", "expert")
    for j in range(200):
        OfferFactory(skills=[("veille-reglementaire", levels[j % 3])],
                     departements=["59"] if j % 4 else ["62"])  # fmt: skip

    needs_qs = matcher.eligible_needs().filter(departement="59", main_skill=scarce)
    offers_qs = matcher.offers_reaching(["59"])
    optimum = engine.assign(engine.build_candidates(
        matcher.load_needs(needs_qs), matcher.load_offers(offers_qs),
        matcher.existing_pairs(needs_qs), matcher.weights(), max_per_need=None,
        today=timezone.localdate(), departement_counts=matcher.departement_counts(),
    ))  # fmt: skip

    run = MatchingRun.objects.create(trigger=MatchingRun.Trigger.GROUP, departements=["59"])
    matcher.run_matcher(run, needs_qs, offers_qs)
    run.refresh_from_db()
    stored = list(Proposal.objects.filter(run=run).values_list("need_id", "score", "parts"))
    equity = {need: parts["equity"] for need, _score, parts in stored}
    total = sum(score - parts["equity"] for _need, score, parts in stored) + sum(equity.values())
    assert run.exact and run.candidates < len(optimum.candidates)
    assert len(equity) == optimum.covered
    assert total == pytest.approx(optimum.score)
