"""The seeded demo gives each demo account something to do on its first log-in."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from matching.models import Proposal
from missions import services
from missions.models import Answer, Event, Feedback, HoursEntry, Message, Mission, Party, Review
from notifications.models import Notification
from observatory.demo import history_needs

pytestmark = pytest.mark.django_db

DEMO = "@demo.probono.example.org"


def demo(local_part):
    return User.objects.get(email=local_part + DEMO)


def missions_of(local_part):
    return Mission.objects.of_user(demo(local_part)).select_related("need")


def test_the_treasurer_has_a_proposal_to_answer(demo_after_first_pass):
    """Approved by the CRESS, accepted by the volunteer: the structure's answer is awaited."""
    [proposal] = services.pending_for(demo("tresoriere.aisne"))
    assert proposal.need.title == "Revoir notre modèle économique après la baisse des subventions"
    answered = set(proposal.answers.values_list("party", flat=True))
    assert answered == set(services.required_parties(proposal)) - {Party.ASSOCIATION}
    assert Notification.objects.filter(
        recipient=demo("tresoriere.aisne"), key=f"proposal-{proposal.pk}-approved"
    ).exists()


def test_the_volunteer_and_their_referent_have_the_same_proposal_to_answer(
    demo_after_first_pass,
):
    """The matcher proposed the demo volunteer; the structure accepted; mécénat waits for
    both the volunteer and the employer's referent."""
    [for_volunteer] = services.pending_for(demo("benevole.lille"))
    [for_referent] = services.pending_for(demo("referente.lille"))
    assert for_volunteer == for_referent
    assert for_volunteer.offer.volunteer == demo("benevole.lille")
    assert for_volunteer.source == Proposal.Source.MATCHER
    assert services.required_parties(for_volunteer) == [
        Party.ASSOCIATION, Party.VOLUNTEER, Party.EMPLOYER,
    ]  # fmt: skip
    assert list(for_volunteer.answers.values_list("party", flat=True)) == [Party.ASSOCIATION]


def test_the_president_has_hours_to_confirm_on_a_mission_in_progress(demo_after_first_pass):
    [mission] = missions_of("president.somme").filter(status=Mission.Status.ACTIVE)
    assert mission.hours.filter(status=HoursEntry.Status.LOGGED).count() == 1
    assert mission.hours.filter(status=HoursEntry.Status.CONFIRMED).count() == 2
    authors = set(mission.messages.filter(is_step=False).values_list("author", flat=True))
    assert authors == {demo("president.somme").pk, mission.volunteer_id}
    assert mission.need.status == "in_progress"
    started = mission.messages.filter(is_step=True).get()
    assert started.created_at == mission.started_at
    assert mission.started_at < min(m.created_at for m in mission.messages.filter(is_step=False))


def test_completed_missions_carry_both_sides_feedback(demo_after_first_pass):
    # The stories' missions; the past year seeded after them has its own tests.
    completed = Mission.objects.filter(status=Mission.Status.COMPLETED).exclude(
        need__in=history_needs()
    )
    assert completed.count() == 3
    for mission in completed:
        assert set(mission.feedback.values_list("side", flat=True)) == {
            Party.ASSOCIATION, Party.VOLUNTEER,
        }  # fmt: skip
        assert not mission.hours.exclude(status=HoursEntry.Status.CONFIRMED).exists()
        assert mission.need.status == "completed"
    assert completed.filter(pk__in=missions_of("president.somme")).count() == 1


def test_the_cress_has_proposals_to_review_some_from_volunteers(demo_after_first_pass):
    waiting = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
    assert waiting.filter(source=Proposal.Source.MATCHER).count() > 100
    assert waiting.filter(source=Proposal.Source.VOLUNTEER).count() == 2
    assert demo("cress").reviews("02")


def test_every_step_was_taken_through_the_services(demo_after_first_pass):
    """Each approval has its review and event, each answer its event: the states are real."""
    stories = Proposal.objects.exclude(need__in=history_needs())
    events = Event.objects.filter(proposal__in=stories)
    approved = stories.exclude(approved_at=None)
    assert approved.count() == Review.objects.filter(proposal__in=stories).count() == 6
    assert events.filter(verb=Event.Verb.APPROVED).count() == 6
    answers = Answer.objects.filter(proposal__in=stories)
    assert events.filter(verb=Event.Verb.ACCEPTED).count() == answers.count()
    assert events.filter(verb=Event.Verb.MISSION_STARTED).count() == 4


def test_nobody_is_emailed_about_the_demo_past(demo_after_first_pass):
    """The notifications are in each inbox, already counted as e-mailed: none goes out."""
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_seeding_twice_creates_nothing_twice(demo_after_first_pass):
    models = [Proposal, Review, Answer, Mission, HoursEntry, Message, Feedback, Event]
    before = [model.objects.count() for model in [*models, Notification]]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo_missions", stdout=out)
    assert [model.objects.count() for model in [*models, Notification]] == before
    assert "les histoires de démonstration étaient en place" in out.getvalue()
    assert "laissée de côté" not in out.getvalue()


def test_each_story_happens_in_order(demo_after_first_pass):
    """Published, proposed, approved, answered, then started: a mission dated back takes its
    proposal's steps back with it (the observatory's delays read these dates)."""
    stories = Mission.objects.exclude(need__in=history_needs()).select_related("need", "proposal")
    assert stories.exists()
    for mission in stories:
        proposal, need = mission.proposal, mission.need
        review = Review.objects.get(proposal=proposal)
        answered = proposal.answers.values_list("answered_at", flat=True)
        assert need.published_at <= proposal.created_at <= proposal.approved_at
        assert review.decided_at <= mission.started_at
        assert proposal.approved_at <= min(answered) <= max(answered) <= mission.started_at
        before = [Event.Verb.PROPOSED, Event.Verb.INTERESTED, Event.Verb.APPROVED,
                  Event.Verb.ACCEPTED, Event.Verb.MISSION_STARTED]  # fmt: skip
        steps = Event.objects.filter(proposal=proposal, verb__in=before)
        assert max(steps.values_list("at", flat=True)) <= mission.started_at
