"""A volunteer who has lived a whole pairing, for the personal-data tests: every kind of row
Probono can hold about a person, written by them or about them, and other people's rows
around them that must stay out of their export."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Consent
from matching.models import Proposal
from missions import services
from missions.models import Party, StaffNote
from notifications.models import Preference
from observatory.models import VolunteerCost
from tests.factories import NeedFactory
from tests.missions.parties import build_world

# The volunteer's own strings, unique in the database: after erasure none may be left.
VOLUNTEER_STRINGS = {
    "first_name": "Zéphyrine",
    "last_name": "Quintard-Ebolowa",
    "phone": "+33 6 71 42 93 58",
    "offer_title": "Offre-de-Zéphyrine : dossiers FSE+",
    "offer_description": "Présentation-de-Zéphyrine : quinze ans de fonds européens",
    "answer_comment": "Réponse-de-Zéphyrine : ravie de vous aider",
    "message": "Message-de-Zéphyrine : je passe mardi avec le budget",
    "hours": "Heures-de-Zéphyrine : atelier budget avec la trésorière",
    "feedback": "Avis-de-Zéphyrine : une équipe accueillante",
}
# What others wrote about her pairings: erased with her account too.
ABOUT_HER = {
    "staff_note": "Note-sur-Zéphyrine : très réactive au téléphone",
    "review_comment": "Revue-sur-Zéphyrine : profil trop expert pour ce besoin",
    "feedback_about": "Avis-sur-Zéphyrine : précise et disponible",
}
# Others' own words: kept, and never in her export.
OTHERS_MESSAGE = "Message-de-la-structure : parfait, à mardi"


def lived_world():
    """The Aisne association, its need written by its member, the volunteer's mécénat offer,
    an approved proposal that became a completed mission (messages, hours, feedback), a
    rejected proposal with the CRESS's comment, a staff note, her consent, her e-mail
    preference and the hourly cost her employer declared."""
    world = build_world()
    people = world["people"]
    volunteer, member, staff, referent = (
        people[name] for name in ("volunteer", "member", "staff", "referent")
    )
    strings = VOLUNTEER_STRINGS
    volunteer.first_name, volunteer.last_name = strings["first_name"], strings["last_name"]
    volunteer.phone = strings["phone"]
    volunteer.save()
    offer = world["offer"]
    offer.title, offer.description = strings["offer_title"], strings["offer_description"]
    offer.save()
    world["need"].created_by = member
    world["need"].save()
    Consent.objects.create(user=volunteer, version="2026-11")
    Preference.objects.create(user=volunteer, email_mode=Preference.EmailMode.DAILY)

    proposal = Proposal.objects.create(need=world["need"], offer=offer, score=5)
    services.approve(proposal.pk, staff, no_commercial_link=True)
    StaffNote.objects.create(author=staff, proposal=proposal, text=ABOUT_HER["staff_note"])
    services.answer(
        proposal.pk, volunteer, Party.VOLUNTEER, "accepted", comment=strings["answer_comment"]
    )
    services.answer(proposal.pk, referent, Party.EMPLOYER, "accepted")
    mission = services.answer(proposal.pk, member, Party.ASSOCIATION, "accepted")
    services.post_message(mission, volunteer, strings["message"])
    services.post_message(mission, member, OTHERS_MESSAGE)
    entry = services.log_hours(mission, volunteer, timezone.localdate(), 90, strings["hours"])
    services.decide_hours(entry, member, confirm=True)
    services.complete(mission, member)
    services.leave_feedback(mission, volunteer, Party.VOLUNTEER, 5, strings["feedback"])
    services.leave_feedback(mission, member, Party.ASSOCIATION, 5, ABOUT_HER["feedback_about"])

    other_need = NeedFactory(organisation=world["association"], title="Clôturer nos comptes")
    rejected = Proposal.objects.create(need=other_need, offer=offer, score=4)
    services.reject(rejected.pk, staff, "skills", comment=ABOUT_HER["review_comment"])
    VolunteerCost.objects.create(
        company=world["company"], volunteer=volunteer, year=timezone.localdate().year,
        hourly_cost=Decimal("41.50"), declared_by=referent,
    )  # fmt: skip
    world.update(proposal=proposal, rejected=rejected, mission=mission, entry=entry)
    return world


def some_day(days_ago):
    return timezone.localdate() - datetime.timedelta(days=days_ago)
