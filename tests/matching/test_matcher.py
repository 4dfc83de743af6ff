"""The matcher's Django side: what takes part, capacity, K, forbidden pairs, runs, explanations."""

import pytest
from django.db.models import Count
from django.urls import reverse

from accounts.models import Organisation
from matching import matcher
from matching.explain import explain
from matching.models import MatchingRun, Proposal
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def aisne_need():
    association = OrganisationFactory(departement="02", postcode="02000")
    return NeedFactory(
        organisation=association, main_skill=skill("fonds-europeens"), departement="02"
    )


def offer_in(departement, level="expert", hours=8, **fields):
    return OfferFactory(
        skills=[("fonds-europeens", level)],
        departements=[departement],
        hours_per_month=hours,
        **fields,
    )


@pytest.mark.parametrize(("hours", "slots"), [(1, 1), (8, 1), (15, 1), (16, 2), (39, 4), (80, 5)])
def test_hours_per_month_become_a_number_of_needs(hours, slots):
    assert matcher.offer_slots(hours) == slots


def test_a_published_need_gets_up_to_k_proposals_best_first(aisne_need):
    same = offer_in("02")
    neighbour = offer_in("60")
    far = offer_in("13")
    junior_same = offer_in("02", level="junior")
    outcome = matcher.propose_for_need(aisne_need.pk)
    proposed = set(Proposal.objects.filter(need=aisne_need).values_list("offer_id", flat=True))
    assert proposed == {same.pk, neighbour.pk} or proposed == {same.pk, junior_same.pk}
    assert far.pk not in proposed
    assert outcome.proposals == 2


def test_a_proposal_stores_its_score_parts_and_run(aisne_need):
    offer_in("02")
    matcher.propose_for_need(aisne_need.pk)
    proposal = Proposal.objects.get()
    assert proposal.status == "proposed"
    assert proposal.source == "matcher"
    assert set(proposal.parts) == {"skill", "place", "availability", "waiting", "equity"}
    assert proposal.score == pytest.approx(sum(proposal.parts.values()))
    assert proposal.run.trigger == MatchingRun.Trigger.NEED
    assert proposal.run.subject_id == aisne_need.pk


def test_staff_read_why_in_french(aisne_need):
    offer_in("02")
    matcher.propose_for_need(aisne_need.pk)
    proposal = Proposal.objects.get()
    text = explain(proposal, "Fonds européens")
    assert text.startswith("Compétence : fonds européens, niveau expert · Même département : Aisne")


def test_the_run_is_recorded_with_its_counts(aisne_need):
    offer_in("02")
    offer_in("13")
    matcher.propose_for_need(aisne_need.pk)
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.SUCCEEDED
    assert run.finished_at >= run.started_at
    assert (run.needs_considered, run.candidates, run.proposals_created) == (1, 1, 1)


def test_running_twice_creates_nothing_twice(aisne_need):
    for _ in range(3):
        offer_in("02")
    matcher.propose_for_need(aisne_need.pk)
    matcher.propose_for_need(aisne_need.pk)
    counts = Proposal.objects.values("need", "offer").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in counts)
    assert Proposal.objects.count() == 2


def test_a_rejected_or_declined_pair_is_never_proposed_again(aisne_need):
    rejected = offer_in("02")
    declined = offer_in("02")
    Proposal.objects.create(need=aisne_need, offer=rejected, status="rejected", score=1)
    Proposal.objects.create(need=aisne_need, offer=declined, status="declined", score=1)
    matcher.propose_for_need(aisne_need.pk)
    assert not Proposal.objects.filter(status="proposed").exists()


def test_an_offer_is_never_proposed_beyond_its_capacity(aisne_need):
    offer = offer_in("02", hours=8)  # one need at a time
    other = NeedFactory(organisation=aisne_need.organisation, departement="02")
    matcher.propose_for_need(aisne_need.pk)
    matcher.propose_for_need(other.pk)
    assert Proposal.objects.filter(offer=offer).count() == 1


@pytest.mark.parametrize(
    "offer_fields",
    [
        {"is_active": False},
        {"organisation__status": Organisation.Status.REGISTERED},
    ],
)
def test_paused_offers_and_unverified_employers_take_no_part(aisne_need, offer_fields):
    offer_in("02", **offer_fields)
    matcher.propose_for_need(aisne_need.pk)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("status", ["draft", "cancelled", "completed"])
def test_only_published_needs_are_matched(aisne_need, status):
    aisne_need.status = status
    aisne_need.save()
    offer_in("02")
    assert matcher.propose_for_need(aisne_need.pk) is None
    assert not MatchingRun.objects.exists()


def test_needs_of_an_unverified_organisation_wait(aisne_need):
    aisne_need.organisation.status = Organisation.Status.REGISTERED
    aisne_need.organisation.save()
    offer_in("02")
    assert matcher.propose_for_need(aisne_need.pk) is None


def test_a_new_offer_is_proposed_to_needs_still_wanting_some(aisne_need):
    offer = offer_in("02")
    matcher.propose_for_offer(offer.pk)
    assert Proposal.objects.get().need == aisne_need
    assert MatchingRun.objects.get().trigger == MatchingRun.Trigger.OFFER


def run_full_pass():
    return matcher.run_full_pass_in_process(MatchingRun.Trigger.SCHEDULE)


def test_the_full_pass_covers_every_need_lacking_proposals_in_every_group():
    needs = [
        NeedFactory(
            departement=code,
            organisation=OrganisationFactory(departement=code, postcode=f"{code}000"),
        )
        for code in ("02", "59", "60", "62", "80")
    ]
    for code in ("02", "59", "60", "62", "80"):
        offer_in(code)
    parent = run_full_pass()
    assert parent.status == MatchingRun.Status.SUCCEEDED
    assert parent.groups_done == parent.groups_total == 8  # 4 groups × 2 phases
    assert parent.proposals_created == Proposal.objects.count()
    assert all(n.proposals.exists() for n in needs)


def test_a_second_full_pass_creates_nothing_new(aisne_need):
    offer_in("02")
    run_full_pass()
    second = run_full_pass()
    assert Proposal.objects.count() == 1
    assert second.proposals_created == 0


def test_a_group_delivered_twice_runs_once(aisne_need):
    offer_in("02")
    parent, children = matcher.start_full_pass(MatchingRun.Trigger.SCHEDULE)
    matcher.run_group(children[0].pk)
    assert matcher.run_group(children[0].pk) == []
    parent.refresh_from_db()
    assert parent.groups_done == 1


def test_departement_groups_are_balanced_by_needs():
    for code, count in (("59", 4), ("62", 2), ("02", 1), ("60", 1), ("80", 1)):
        organisation = OrganisationFactory(departement=code, postcode=f"{code}000")
        NeedFactory.create_batch(count, organisation=organisation, departement=code)
    # grown over borders from the westernmost département left, each to a third of what is
    # left: Somme, Oise, Aisne (3 needs), then the Nord (4), then the Pas-de-Calais (2)
    assert matcher.departement_groups(3) == [["02", "60", "80"], ["59"], ["62"]]


def test_departement_groups_are_runs_of_neighbours():
    """Across France, each group and its neighbours cover far fewer départements than the
    same number of départements picked anywhere: what a group's offers are read from."""
    from matching.engine import NEIGHBOURS

    sizes = {code: 10 + (7 * int(code[:2], 16)) % 23 for code in NEIGHBOURS}
    groups = matcher.departement_groups(4, sizes)
    assert sorted(code for group in groups for code in group) == sorted(NEIGHBOURS)
    loads = [sum(sizes[code] for code in group) for group in groups]
    assert max(loads) - min(loads) <= 2 * max(sizes.values())
    for group in groups:
        reach = set(group).union(*(NEIGHBOURS[code] for code in group))
        assert len(reach) < 2 * len(group)


def test_a_failing_run_is_recorded_as_failed(aisne_need, monkeypatch):
    offer_in("02")

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(matcher.engine, "assign", broken)
    with pytest.raises(RuntimeError):
        matcher.propose_for_need(aisne_need.pk)
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.FAILED
    assert "solver exploded" in run.errors


def test_a_failing_group_does_not_stop_the_pass(monkeypatch, settings):
    """The group whose run fails is recorded as failed; the other groups and phase 2 still
    run, and the pass closes (failed, with the reason) instead of staying "running"."""
    settings.MATCHING_FULL_PASS_GROUPS = 2
    for code in ("59", "2A"):
        organisation = OrganisationFactory(departement=code, postcode=f"{code[:2]}000")
        NeedFactory(organisation=organisation, departement=code)
        offer_in(code, hours=16)
    solve = matcher.engine.assign
    calls = []

    def first_call_explodes(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("solver exploded")
        return solve(*args, **kwargs)

    monkeypatch.setattr(matcher.engine, "assign", first_call_explodes)
    parent = matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
    assert parent.status == MatchingRun.Status.FAILED
    assert "solver exploded" in parent.errors
    assert parent.groups.filter(phase=2).count() == 2
    assert not parent.groups.filter(status=MatchingRun.Status.RUNNING).exists()
    assert Proposal.objects.exists()


# Staff pages


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("cress_staff", 200), ("volunteer", 403), ("association_member", 403)],
)
@pytest.mark.parametrize("url_name", ["matcher_runs", "proposal_list"])
def test_only_staff_see_the_matcher_pages(client, request, user_fixture, status, url_name):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse(url_name)).status_code == status


@pytest.mark.parametrize("url_name", ["matcher_runs", "proposal_list"])
def test_anonymous_people_do_not_see_the_matcher_pages(client, url_name):
    assert client.get(reverse(url_name)).status_code == 302


@pytest.mark.parametrize("user_fixture", ["volunteer", "association_member"])
def test_only_staff_start_a_full_pass(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.post(reverse("matcher_full_pass")).status_code == 403
    assert not MatchingRun.objects.exists()


def test_staff_start_a_full_pass_and_see_it(
    client, cress_staff, aisne_need, django_capture_on_commit_callbacks, eager_tasks
):
    offer_in("02")
    client.force_login(cress_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matcher_full_pass"))
    parent = MatchingRun.objects.get(parent=None)
    assert parent.trigger == MatchingRun.Trigger.MANUAL
    assert parent.started_by == cress_staff
    assert parent.status == MatchingRun.Status.SUCCEEDED
    page = client.get(reverse("matcher_runs"))
    assert parent in page.context["runs"]


def test_staff_read_proposals_with_their_explanation(client, cress_staff, aisne_need):
    offer_in("02")
    matcher.propose_for_need(aisne_need.pk)
    client.force_login(cress_staff)
    page = client.get(reverse("proposal_list"))
    assert "Compétence : fonds européens, niveau expert · Même département : Aisne" in page.text


@pytest.mark.parametrize("rows", [3, 50])
def test_the_runs_page_costs_the_same_for_3_or_50_runs(
    client, cress_staff, django_assert_max_num_queries, rows
):
    MatchingRun.objects.bulk_create(
        [MatchingRun(trigger="need", started_by=cress_staff) for _ in range(rows)]
    )
    client.force_login(cress_staff)
    # session, user, memberships, the header's unread count, runs with who started them
    with django_assert_max_num_queries(5):
        client.get(reverse("matcher_runs"))


@pytest.mark.parametrize("rows", [3, 50])
def test_the_proposals_page_costs_the_same_for_3_or_50_rows(
    client, cress_staff, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        Proposal.objects.create(
            need=NeedFactory(),
            offer=OfferFactory(),
            score=1,
            details={"level": "expert", "place": "same", "departement": "02"},
        )
    client.force_login(cress_staff)
    # session, user, memberships, the header's unread count, count, proposals with need,
    # organisation, skill, offer, volunteer
    with django_assert_max_num_queries(6):
        client.get(reverse("proposal_list"))


# Publishing and changing offers trigger the matcher


def test_publishing_a_need_proposes_offers(
    client, association_member, django_capture_on_commit_callbacks, eager_tasks
):
    need = NeedFactory(
        organisation=association_member.memberships.get().organisation,
        status="draft",
        published_at=None,
    )
    offer_in(need.departement)
    client.force_login(association_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("need_publish", args=[need.pk]))
    assert need.proposals.count() == 1


def test_resuming_an_offer_proposes_it_again(
    client, volunteer, aisne_need, django_capture_on_commit_callbacks, eager_tasks
):
    offer = offer_in(
        "02",
        volunteer=volunteer,
        organisation=volunteer.memberships.get().organisation,
        is_active=False,
    )
    client.force_login(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("offer_resume", args=[offer.pk]))
    assert offer.proposals.count() == 1


def test_the_run_matcher_command_runs_a_full_pass(aisne_need):
    import io

    from django.core.management import call_command

    offer_in("02")
    out = io.StringIO()
    call_command("run_matcher", stdout=out)
    assert Proposal.objects.count() == 1
    assert "1 propositions créées" in out.getvalue()


def test_a_departement_behind_the_region_gets_the_equity_boost_and_staff_read_why():
    """Nord: its one need served; Aisne: none of its two. The Aisne need is boosted."""
    nord = OrganisationFactory(departement="59", postcode="59000")
    served = NeedFactory(organisation=nord, departement="59")
    Proposal.objects.create(need=served, offer=offer_in("59"), score=1)
    aisne = OrganisationFactory(departement="02", postcode="02000")
    waiting, other = NeedFactory.create_batch(2, organisation=aisne, departement="02")
    offer_in("02")
    assert matcher.departement_counts() == {"59": (1, 1), "02": (0, 2)}
    matcher.propose_for_need(waiting.pk)
    proposal = Proposal.objects.get(need=waiting)
    assert proposal.parts["equity"] == 1.5  # 0 % served where the region is at 33 %
    assert "Territoire moins bien servi : 0 % des besoins pourvus (région : 33 %)" in explain(
        proposal, "Fonds européens"
    )
