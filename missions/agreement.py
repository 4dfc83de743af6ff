"""The convention de mécénat de compétences of a mission: its data, and its signature recorded.

A mécénat mission needs the employer's agreement (a bénévolat one does not): Probono drafts
the convention the company, the structure and the employee sign, from the mission's data. The
wording lives in one template (templates/missions/agreement_text.html), which both the
printable page and the PDF (agreement_pdf.py) render; this module only gathers what it names.

The object is the need as its structure wrote it: its title and description (a need written
from a guided template carries its « Ce que nous attendons » there). The deliverables the
parties commit to are theirs to agree: a labelled line they fill in by hand.

Who records « signée »: one record for the whole convention, once all three have signed, by a
representative of one of the two legal entities that each keep a signed original: an
administrator of the structure or a referent (administrator) of the company. Not the employee
(the company's consent is what the convention carries), not CRESS staff (not a party).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation

from .models import Answer, Event, Message, Mission, Party, Review

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12


@dataclass
class Agreement:
    """What the convention names: the three parties, the mission, its place, time and hours."""

    mission: Mission
    company: Organisation
    company_representative: object  # a User, or None: a line to fill in
    structure: Organisation
    structure_representative: object
    employee: object
    employee_job: str  # "" when Probono does not know it: a line to fill in
    need: object
    offer: object
    departement: str
    months: int | None
    planned_hours: int | None
    no_commercial_link_checked_on: date | None

    @property
    def is_company(self):
        return self.company.kind == Organisation.Kind.COMPANY

    @property
    def company_siren(self):
        return siren_of(self.company)

    @property
    def structure_siren(self):
        return siren_of(self.structure)


def siren_of(organisation):
    """The SIREN, or the one the SIRET starts with ("" without either)."""
    return organisation.siren or organisation.siret[:9]


def months_between(start, end):
    """The months a period lasts, rounded to the nearest and at least one; None when the end
    comes before the start (nothing to multiply)."""
    if not (start and end) or end < start:
        return None
    days = (end - start).days + 1
    months = (Decimal(days) / DAYS_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, int(months))


def representative(organisation, preferred=None):
    """Who signs for an organisation: the person who answered for it if they administer it,
    else its first administrator (the earliest to join); None when it has none."""
    admins = Membership.objects.active().filter(
        organisation=organisation, role=Membership.Role.ADMIN
    )
    if preferred and admins.filter(user=preferred).exists():
        return preferred
    membership = admins.select_related("user").order_by("pk").first()
    return membership.user if membership else None


def agreement_for(mission):
    """The convention's data for a mécénat mission (its caller checked it is one)."""
    need, offer = mission.need, mission.offer
    answered_by = {
        answer.party: answer.by
        for answer in Answer.objects.filter(proposal_id=mission.proposal_id).select_related("by")
    }
    review = Review.objects.filter(proposal_id=mission.proposal_id).only("decided_at").first()
    months = months_between(need.wished_start, need.wished_end)
    return Agreement(
        mission=mission,
        company=offer.organisation,
        company_representative=representative(offer.organisation, answered_by.get(Party.EMPLOYER)),
        structure=need.organisation,
        structure_representative=representative(
            need.organisation, answered_by.get(Party.ASSOCIATION)
        ),
        employee=mission.volunteer,
        # Probono does not ask for a job title: the parties write it in.
        employee_job="",
        need=need,
        offer=offer,
        departement=need.get_departement_display(),  # « 02 – Aisne »
        months=months,
        planned_hours=offer.hours_per_month * months if months else None,
        no_commercial_link_checked_on=review.decided_at.date() if review else None,
    )


# Recording the signature


def _locked(mission):
    return Mission.objects.select_for_update().only("agreement_signed_on").get(pk=mission.pk)


def may_record(user, mission, sides):
    """An administrator of the structure, or a referent of the company (the employer side)."""
    return mission.is_mecenat and (
        Party.EMPLOYER in sides or user.is_admin_of(mission.need.organisation)
    )


@transaction.atomic
def record_signed(mission, user, signed_on):
    """All three signed on that day: recorded once, with who said so and when; a line in the
    mission's thread and a step in its log. False when it was recorded already (the row is
    locked first: two people recording at once record it once)."""
    if _locked(mission).agreement_signed_on:
        return False
    mission.agreement_signed_on = signed_on
    mission.agreement_recorded_by = user
    mission.agreement_recorded_at = timezone.now()
    mission.save(
        update_fields=["agreement_signed_on", "agreement_recorded_by", "agreement_recorded_at"]
    )
    day = date_format(signed_on, "j F Y")
    Event.objects.create(verb=Event.Verb.AGREEMENT_SIGNED, actor=user, mission=mission, detail=day)
    # No name in the line: step lines outlive an erased account (the page names the person
    # from agreement_recorded_by, which anonymisation covers).
    Message.objects.create(
        mission=mission,
        is_step=True,
        text=_("Convention de mécénat signée par les trois parties le %(day)s.") % {"day": day},
    )
    return True


@transaction.atomic
def record_to_sign(mission, user):
    """Back to « à signer » (a signature recorded by mistake): logged too. False when it was
    not recorded signed."""
    if not _locked(mission).agreement_signed_on:
        return False
    mission.agreement_signed_on = None
    mission.agreement_recorded_by = None
    mission.agreement_recorded_at = None
    mission.save(
        update_fields=["agreement_signed_on", "agreement_recorded_by", "agreement_recorded_at"]
    )
    Event.objects.create(verb=Event.Verb.AGREEMENT_REOPENED, actor=user, mission=mission)
    Message.objects.create(
        mission=mission, is_step=True, text=_("La convention de mécénat est de nouveau à signer.")
    )
    return True
