"""Races, with real threads on PostgreSQL: people acting at the same moment on the same rows.

Each test starts 12 threads held at a barrier so that they collide, and repeats 20 rounds on
fresh rows. A thread records what its step did: "ok", a refusal (StepRefused, with its message
for the person) or an error (anything else: an IntegrityError, a deadlock, which PostgreSQL
reports as an error). Each round prints its counts (`pytest -s` shows them).
"""

from collections import Counter

import pytest
from django.core import mail

from accounts.models import Membership, Organisation
from matching.models import Proposal
from missions import services
from missions.models import Answer, Event, Mission, Party, Review
from notifications.models import Notification
from tests import concurrency
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), concurrency.POSTGRESQL_ONLY]

THREADS = 12
ROUNDS = 20


def collide(calls):
    """tests.concurrency.collide, a step's refusal (StepRefused) told apart from an error."""
    return concurrency.collide(calls, refused=(services.StepRefused,))


def tally(outcomes):
    return Counter(kind for kind, _ in outcomes)


def show(counts):
    return ", ".join(f"{counts[kind]} {kind}" for kind in ("ok", "refused", "error"))


@pytest.fixture
def staff(skills_catalogue):
    """Twelve CRESS staff of the regional chamber, who all review every département."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="59", postcode="59000")
    return [MembershipFactory(organisation=cress).user for _ in range(THREADS)]


@pytest.fixture
def association(skills_catalogue):
    """An association of the Aisne with an administrator and four members."""
    organisation = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    for _ in range(4):
        MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def company(skills_catalogue):
    """A company with two administrators (its referents) and one employee, the volunteer."""
    organisation = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, departement="59", postcode="59000"
    )
    for _ in range(2):
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation)
    return organisation


def volunteer_of(company):
    return company.memberships.get(role=Membership.Role.MEMBER).user


def mecenat_offer(company, hours_per_month):
    return OfferFactory(
        volunteer=volunteer_of(company), organisation=company, engagement="mecenat",
        hours_per_month=hours_per_month, departements=["02"],
    )  # fmt: skip


def new_proposal(need, offer):
    return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})


def everyone_asked(proposal):
    """The people asked to answer an approved proposal, by id."""
    return {
        person.pk
        for party in services.required_parties(proposal)
        for person in services.people_of(proposal, party)
    }


def test_twelve_reviewers_approving_one_proposal_make_one_approval(
    staff, association, company, eager_tasks
):
    """Twelve reviewers approve one proposal at once: one approval, one review, one event, one
    notification and one e-mail per person asked; the eleven others are told it was handled."""
    for round_ in range(ROUNDS):
        proposal = new_proposal(NeedFactory(organisation=association), mecenat_offer(company, 8))
        mail.outbox.clear()
        outcomes = collide(
            [(services.approve, (proposal.pk, reviewer, True)) for reviewer in staff]
        )
        counts = tally(outcomes)
        print(f"(a) round {round_ + 1:2}: {show(counts)}")
        assert counts == {"ok": 1, "refused": THREADS - 1}, outcomes
        for kind, message in outcomes:
            if kind == "refused":
                assert "déjà été traitée" in message and "Approuvée" in message
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.APPROVED
        assert Review.objects.filter(proposal=proposal).count() == 1
        assert Event.objects.filter(proposal=proposal, verb=Event.Verb.APPROVED).count() == 1
        asked = everyone_asked(proposal)
        assert len(asked) == 5 + 1 + 2  # the association's five, the volunteer, two referents
        told = Notification.objects.filter(key=f"proposal-{proposal.pk}-approved")
        assert sorted(told.values_list("recipient_id", flat=True)) == sorted(asked)
        emailed = sorted(address for message in mail.outbox for address in message.to)
        assert emailed == sorted(told.values_list("recipient__email", flat=True))


def test_twelve_approvals_for_a_volunteer_of_capacity_two_approve_two(staff, association, company):
    """An offer of 16 h a month carries two engaged proposals: twelve reviewers approving
    twelve of its proposals at once approve two; then, with every side answering at once and
    a mission abandoned while the ten others are approved again, never more than two live."""
    for round_ in range(ROUNDS):
        offer = mecenat_offer(company, 16)
        proposals = [
            new_proposal(NeedFactory(organisation=association), offer) for _ in range(THREADS)
        ]
        outcomes = collide(
            [(services.approve, (p.pk, r, True)) for p, r in zip(proposals, staff, strict=True)]
        )
        counts = tally(outcomes)
        engaged = Proposal.objects.filter(offer=offer, status__in=Proposal.ENGAGED)
        approved = list(engaged)
        assert counts == {"ok": 2, "refused": THREADS - 2}, outcomes
        for kind, message in outcomes:
            if kind == "refused":
                assert "n'a plus de disponibilité" in message
        assert len(approved) == 2

        # Every side of both approved proposals answers at once: two missions.
        answers = [
            (services.answer, (p.pk, person, party, Answer.Decision.ACCEPTED))
            for p in approved
            for party in services.required_parties(p)
            for person in services.people_of(p, party)
        ]
        answered = tally(collide(answers))
        assert answered["error"] == 0, answered
        assert Mission.objects.filter(offer=offer, status=Mission.Status.ACTIVE).count() == 2

        # One mission abandoned while the ten refused proposals are approved again.
        mission = Mission.objects.filter(offer=offer).first()
        by = services.people_of(mission.proposal, Party.VOLUNTEER).get()
        refused = [p for p in proposals if p.pk not in {a.pk for a in approved}]
        again = collide(
            [(services.abandon, (mission, by, "Plus le temps."))]
            + [(services.approve, (p.pk, r, True)) for p, r in zip(refused, staff, strict=False)]
        )
        reapproved = tally(again[1:])
        live_missions = Mission.objects.filter(offer=offer, status=Mission.Status.ACTIVE)
        print(
            f"(b) round {round_ + 1:2}: approvals {show(counts)} · answers {show(answered)} · "
            f"approvals after an abandon {show(reapproved)} · {engaged.count()} engaged, "
            f"{live_missions.count()} active missions"
        )
        assert again[0][0] == "ok" and reapproved["error"] == 0, again
        assert reapproved["ok"] <= 1
        assert engaged.count() <= 2
        assert live_missions.count() <= 2


def test_twelve_answers_at_once_start_one_mission(staff, association, company):
    """All sides accept at once, some twice (a double click): one answer per side, one
    mission, the need's other proposal withdrawn, and no error (no deadlock, no duplicate)."""
    members = [m.user for m in association.memberships.all()]
    referents = [m.user for m in company.memberships.filter(role=Membership.Role.ADMIN)]
    volunteer = volunteer_of(company)
    for round_ in range(ROUNDS):
        need = NeedFactory(organisation=association)
        proposal = new_proposal(need, mecenat_offer(company, 8))
        other = new_proposal(need, OfferFactory(departements=["02"]))
        services.approve(proposal.pk, staff[0], True)
        sides = (
            [(member, Party.ASSOCIATION) for member in members]
            + [(volunteer, Party.VOLUNTEER)] * 3
            + [(referent, Party.EMPLOYER) for referent in referents] * 2
        )
        assert len(sides) == THREADS
        outcomes = collide(
            [(services.answer, (proposal.pk, p, party, "accepted")) for p, party in sides]
        )
        counts = tally(outcomes)
        missions = Mission.objects.filter(proposal=proposal)
        print(f"(c) round {round_ + 1:2}: {show(counts)} · {missions.count()} mission")
        assert counts["error"] == 0, outcomes
        assert counts == {"ok": 3, "refused": THREADS - 3}, outcomes
        assert sum(isinstance(result, Mission) for kind, result in outcomes if kind == "ok") == 1
        assert missions.count() == 1
        assert Answer.objects.filter(proposal=proposal).count() == 3
        proposal.refresh_from_db()
        other.refresh_from_db()
        assert proposal.status == Proposal.Status.ACCEPTED
        assert other.status == Proposal.Status.WITHDRAWN
        assert Event.objects.filter(proposal=proposal, verb="mission_started").count() == 1
