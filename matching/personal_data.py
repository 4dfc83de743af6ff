"""matching's share of a person's data: needs they wrote, their offers, proposals on their side.

Registered with accounts.personal_data from MatchingConfig.ready.
"""

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Membership

from .models import Need, Offer, OfferSkill, Proposal

# Written in the database in French, like every other stored text: what an erased offer's
# title becomes (the proposals and missions that point at it still need a line to show).
OFFER_REMOVED = gettext_noop("Offre d'un compte supprimé")
LIVE_NEEDS = (Need.Status.PUBLISHED, Need.Status.MATCHED, Need.Status.IN_PROGRESS)


def export(user):
    """Needs they wrote, their offers (with free texts, skills, areas) and the proposals
    made of them (4 queries whatever their number)."""
    needs = (
        Need.objects.filter(created_by=user)
        .select_related("organisation", "main_skill")
        .order_by("created_at", "pk")
    )
    offers = (
        Offer.objects.filter(volunteer=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("skills", queryset=OfferSkill.objects.select_related("skill")), "areas"
        )
        .order_by("created_at", "pk")
    )
    proposals = (
        Proposal.objects.filter(offer__volunteer=user)
        .select_related("need__organisation")
        .order_by("created_at", "pk")
    )
    return {
        "needs_written": [
            {
                "organisation": need.organisation.name,
                "title": need.title,
                "description": need.description,
                "main_skill": need.main_skill.name_fr,
                "departement": need.departement,
                "status": need.get_status_display(),
                "created_at": need.created_at,
                "published_at": need.published_at,
            }
            for need in needs
        ],
        "offers": [
            {
                "id": offer.pk,
                "employer": offer.organisation.name,
                "title": offer.title,
                "description": offer.description,
                "engagement": offer.get_engagement_display(),
                "remote_ok": offer.remote_ok,
                "hours_per_month": offer.hours_per_month,
                "available_from": offer.available_from,
                "available_until": offer.available_until,
                "is_active": offer.is_active,
                "skills": [
                    {"skill": item.skill.name_fr, "level": item.get_level_display()}
                    for item in offer.skills.all()
                ],
                "departements": offer.departement_codes(),
                "created_at": offer.created_at,
                "updated_at": offer.updated_at,
            }
            for offer in offers
        ],
        "proposals": [
            {
                "id": proposal.pk,
                "offer_id": proposal.offer_id,
                "need": proposal.need.title,
                "organisation": proposal.need.organisation.name,
                "status": proposal.get_status_display(),
                "source": proposal.get_source_display(),
                "created_at": proposal.created_at,
                "approved_at": proposal.approved_at,
                "status_changed_at": proposal.status_changed_at,
            }
            for proposal in proposals
        ],
    }


def erase(user):
    """Their offers are paused (their pending proposals are withdrawn and the needs go back to
    the matcher) and lose their free texts; skills, hours per month and periods stay, so the
    missions made of them keep their figures. Needs they wrote belong to their structure and
    stay as written."""
    for offer in Offer.objects.filter(volunteer=user, is_active=True):
        offer.set_active(False)
    Offer.objects.filter(volunteer=user).update(title=_(OFFER_REMOVED), description="")


def refusals(user):
    """Nobody would be left to answer for a structure's live needs: the person is its only
    active member. They cancel those needs first, or someone else joins the structure."""
    mine = Membership.objects.active().filter(user=user).values("organisation")
    alone = (
        Membership.objects.active()
        .filter(organisation__in=mine)
        .values("organisation")
        .order_by()
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values("organisation")
    )
    structures = (
        Need.objects.filter(organisation__in=alone, status__in=LIVE_NEEDS)
        .values_list("organisation", "organisation__name")
        .distinct()
        .order_by("organisation__name")
    )
    return [
        format_html(
            _(
                "Vous êtes la seule personne de « {name} », qui a des besoins publiés ou en "
                'cours : <a href="{needs}">annulez-les ou terminez les missions</a> '
                "d'abord, ou faites entrer une autre personne dans la structure, afin que les "
                "bénévoles aient toujours quelqu'un à qui répondre."
            ),
            name=name,
            needs=reverse("organisation_needs", args=[pk]),
        )
        for pk, name in structures
    ]
