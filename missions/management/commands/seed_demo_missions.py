"""Seed the demo's stories: something for each demo account to do on its first log-in.

The stories (missions/demo/missions.json) go through the real steps of `missions.services`
(approve, answer, post_message, log_hours, decide_hours, complete, leave_feedback), so every
state, event and notification is one the site itself would have made. Proposals come from the
matcher (`propose_for_need`, `propose_for_offer`) run for the chosen need or offer here, since
`make run` seeds before its first full pass; "I'm interested" ones from `raise_hand`.

Deterministic (needs named in the file, the matcher deterministic for the same data) and
idempotent: a story whose need or offer already went further than "proposed" is left alone.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, User
from matching import matcher
from matching.models import Need, Offer, Proposal
from missions import services
from missions.models import Answer, Event, HoursEntry, Message, Mission, Party, Review
from notifications.models import Notification

STORIES = Path(__file__).resolve().parents[2] / "demo" / "missions.json"
DEMO_DOMAIN = "@demo.probono.example.org"
# How many offers "I'm interested" tries, in a fixed order, before giving up on a need.
INTEREST_TRIES = 40


class Command(BaseCommand):
    help = (
        "Ajoute à la démonstration des binômes à relire, des réponses attendues, une mission "
        "en cours et des missions terminées (lancez d'abord seed_demo). "
        "Relancer la commande ne crée rien de nouveau."
    )

    def handle(self, *args, **options):
        data = json.loads(STORIES.read_text(encoding="utf-8"))
        with transaction.atomic():
            told_before = Notification.objects.order_by("-pk").values_list("pk", flat=True)
            told_before = told_before.first() or 0
            done, missing = Stories(data).tell()
            # The demo's past is in each inbox, but nobody is e-mailed about it.
            Notification.objects.filter(pk__gt=told_before, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
        for about in missing:
            self.stdout.write(self.style.WARNING(f"Histoire laissée de côté : {about}"))
        if done:
            self.stdout.write(self.style.SUCCESS(f"Ajouté à la démonstration : {done} histoires."))
        else:
            self.stdout.write("Rien à ajouter : les histoires de démonstration étaient en place.")


class Stories:
    def __init__(self, data):
        self.data = data
        self.now = timezone.now()
        self.today = timezone.localdate()
        try:
            self.reviewer = User.objects.get(email=data["reviewer"])
        except User.DoesNotExist:
            raise CommandError(
                "Les comptes de démonstration manquent : lancez d'abord « manage.py seed_demo »."
            ) from None

    def tell(self):
        """Play each story not played yet; returns (how many played, those left out)."""
        done, missing = 0, []
        for story in self.data["stories"]:
            with transaction.atomic():
                played = self.play(story)
            if played is None:
                missing.append(story["about"])
            done += bool(played)
        return done, missing

    def play(self, story):
        """True when played now, False when already there, None when it could not be."""
        offer = None
        if "offer_of" in story:
            offer = Offer.objects.filter(volunteer__email=story["offer_of"], is_active=True)
            offer = offer.order_by("pk").first()
            if offer is None:
                return None
            if offer.proposals.filter(approved_at__isnull=False).exists():
                return False
            matcher.propose_for_offer(offer.pk)
            proposals = offer.proposals.filter(status=Proposal.Status.PROPOSED)
        else:
            need = Need.objects.filter(
                organisation__name=story["need"]["organisation"], title=story["need"]["title"]
            ).first()
            if need is None:
                return None
            if story["until"] == "interested":
                if need.proposals.filter(source=Proposal.Source.VOLUNTEER).exists():
                    return False
                return True if self.raise_hand(need) else None
            if need.proposals.filter(approved_at__isnull=False).exists():
                return False
            matcher.propose_for_need(need.pk)
            proposals = need.proposals.filter(status=Proposal.Status.PROPOSED)
        # Where none of the matcher's can be answered, a volunteer whose offer can says
        # "I'm interested" (many demo employers have no referent to agree to mécénat).
        proposal = self.best_answerable(proposals) or (offer is None and self.raise_hand(need))
        if not proposal:
            return None
        services.approve(proposal.pk, self.reviewer, no_commercial_link=True)
        if story["until"] == "approved":
            for party in story["accepted_by"]:
                if party in services.required_parties(proposal):
                    self.accept(proposal, party)
            return True
        for party in services.required_parties(proposal):
            self.accept(proposal, party)
        self.run_mission(Mission.objects.get(proposal=proposal), story)
        return True

    def best_answerable(self, proposals):
        """The best-scored proposal whose every side has someone to answer."""
        for proposal in proposals.select_related("need", "offer").order_by("-score", "pk"):
            parties = services.required_parties(proposal)
            if all(services.people_of(proposal, party).exists() for party in parties):
                return proposal
        return None

    def person(self, proposal, party):
        """Who acts for a side: its demo account if it has one, else its first person."""
        people = services.people_of(proposal, party)
        return people.filter(email__endswith=DEMO_DOMAIN).first() or people.order_by("email")[0]

    def accept(self, proposal, party):
        services.answer(proposal.pk, self.person(proposal, party), party, "accepted")

    def raise_hand(self, need):
        """The first volunteer, in a fixed order, whose offer fits and can be answered says
        "I'm interested"; returns the proposal, or None. Demo accounts keep their own story."""
        referents = Membership.objects.active().filter(role=Membership.Role.ADMIN)
        offers = (
            matcher.eligible_offers()
            .filter(skills__skill_id=need.main_skill_id)
            .filter(
                Q(engagement=Offer.Engagement.BENEVOLAT)
                | Q(organisation__in=referents.values("organisation"))
            )
            .exclude(volunteer__email__endswith=DEMO_DOMAIN)
            .exclude(proposals__need=need)
            .select_related("volunteer")
            .order_by("volunteer__email", "title")
        )
        for offer in offers[:INTEREST_TRIES]:
            try:
                return services.raise_hand(need, offer, offer.volunteer)
            except services.StepRefused:
                continue
        return None

    def run_mission(self, mission, story):
        """The mission's thread, hours and end, dated back as the story tells."""
        proposal = mission.proposal
        volunteer = self.person(proposal, Party.VOLUNTEER)
        association = self.person(proposal, Party.ASSOCIATION)
        sides = {Party.VOLUNTEER: volunteer, Party.ASSOCIATION: association}
        started = self.now - timedelta(days=story["started_days_ago"])
        Mission.objects.filter(pk=mission.pk).update(started_at=started)
        self.date_steps_before(mission, started)
        Message.objects.filter(mission=mission).update(created_at=started)
        for line in story.get("messages", []):
            message = services.post_message(mission, sides[line["side"]], line["text"])
            self.date(Message, message, line["days_ago"])
        for hours in story.get("hours", []):
            day = self.today - timedelta(days=hours["days_ago"])
            entry = services.log_hours(mission, volunteer, day, hours["minutes"],
                                       hours["description"])  # fmt: skip
            self.date(HoursEntry, entry, hours["days_ago"])
            if hours.get("confirmed"):
                services.decide_hours(entry, association, confirm=True)
        if story["until"] != "completed":
            return
        services.complete(mission, sides[story["completed_by"]])
        closed = self.now - timedelta(days=story["completed_days_ago"])
        Mission.objects.filter(pk=mission.pk).update(closed_at=closed)
        Message.objects.filter(mission=mission, created_at__gt=closed).update(created_at=closed)
        mission.refresh_from_db()
        for side, feedback in story.get("feedback", {}).items():
            services.leave_feedback(
                mission, sides[side], side, feedback["rating"], feedback["comment"]
            )

    def date_steps_before(self, mission, started):
        """A mission dated back takes the steps before it back too, in their order: the need
        published at least a week before, proposed, approved, each side's answer, the start
        (the observatory's delays read these dates)."""
        proposal, need = mission.proposal, mission.need
        published = min(need.published_at, started - timedelta(days=7))
        Need.objects.filter(pk=need.pk).update(
            published_at=published, created_at=min(need.created_at, published)
        )
        proposed, approved = started - timedelta(days=6), started - timedelta(days=4)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=proposed, approved_at=approved, status_changed_at=started
        )
        Review.objects.filter(proposal=proposal).update(decided_at=approved)
        answers = list(proposal.answers.order_by("answered_at", "pk"))
        for rank, answer in enumerate(answers, start=1):
            answered = approved + (started - approved) * rank / len(answers)
            Answer.objects.filter(pk=answer.pk).update(answered_at=answered)
        steps = Event.objects.filter(proposal=proposal)
        steps.filter(verb__in=[Event.Verb.PROPOSED, Event.Verb.INTERESTED]).update(at=proposed)
        steps.filter(verb=Event.Verb.APPROVED).update(at=approved)
        steps.filter(at__gt=started).update(at=started)

    def date(self, model, row, days_ago):
        model.objects.filter(pk=row.pk).update(created_at=self.now - timedelta(days=days_ago))
