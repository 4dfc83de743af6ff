"""From a proposal to help given: the CRESS's review, both sides' answers, missions, hours,
feedback, staff notes, and the log of every step (the audit trail and the threads' step lines).

The proposal itself (status, score) lives in `matching`; this app records who decided what.
"""

import functools
import operator

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from matching.models import Need, Offer, Proposal


class Review(models.Model):
    """The CRESS's decision on a proposal: one per proposal, backed by a unique constraint."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approuvée")
        REJECTED = "rejected", _("Rejetée")

    class RejectReason(models.TextChoices):
        SKILLS = "skills", _("Compétences insuffisantes ou mal ajustées au besoin")
        CONFLICT = "conflict", _("Relation commerciale entre l'employeur et la structure")
        AVAILABILITY = "availability", _("Disponibilités incompatibles")
        DISTANCE = "distance", _("Trop éloignés pour se rencontrer")
        NEED_UNCLEAR = "need_unclear", _("Besoin à préciser avec la structure")
        STRUCTURE = "structure", _("Structure non éligible à ce jour")
        OTHER = "other", _("Autre raison")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices)
    reason = models.CharField(
        _("motif du rejet"), max_length=20, choices=RejectReason.choices, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)
    # Mécénat must not become a commercial service: the reviewer confirms the employer is
    # neither a supplier nor a client of the structure, recorded with the approval.
    no_commercial_link = models.BooleanField(_("aucune relation commerciale"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("revue de proposition")
        verbose_name_plural = _("revues de proposition")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="rejected") & ~Q(reason="")
                | Q(decision="approved", no_commercial_link=True),
                name="review_rejection_has_reason_approval_checked_conflicts",
            )
        ]

    def __str__(self):
        return f"{self.proposal} : {self.get_decision_display()}"


class Party(models.TextChoices):
    """Who answers a proposal once the CRESS approved it."""

    ASSOCIATION = "association", _("La structure")
    VOLUNTEER = "volunteer", _("Le ou la bénévole")
    EMPLOYER = "employer", _("L'employeur (mécénat)")


def side_conditions(user):
    """{side: the condition that this person stands on it}, for proposals and missions alike
    (both reach the need and the offer): the structure's members, the volunteer, and for
    mécénat the referents (administrators) of the volunteer's employer."""
    from accounts.models import Membership

    organisations = Membership.objects.active().filter(user=user).values("organisation")
    referent_of = organisations.filter(role=Membership.Role.ADMIN)
    return {
        Party.ASSOCIATION: Q(need__organisation__in=organisations),
        Party.VOLUNTEER: Q(offer__volunteer=user),
        Party.EMPLOYER: Q(
            offer__engagement=Offer.Engagement.MECENAT, offer__organisation__in=referent_of
        ),
    }


class Answer(models.Model):
    """One side's answer to an approved proposal: one per side, backed by a constraint."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepte")
        DECLINED = "declined", _("Décline")

    class DeclineReason(models.TextChoices):
        NOT_AVAILABLE = "not_available", _("Pas disponible en ce moment")
        NOT_MATCHING = "not_matching", _("Le profil ne correspond pas au besoin")
        NEED_MET = "need_met", _("Le besoin est déjà couvert")
        TOO_FAR = "too_far", _("Trop loin")
        EMPLOYER_REFUSES = "employer_refuses", _("L'employeur ne libère pas ce temps")
        OTHER = "other", _("Autre raison")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    party = models.CharField(_("partie"), max_length=12, choices=Party.choices)
    decision = models.CharField(_("réponse"), max_length=10, choices=Decision.choices)
    reason = models.CharField(_("motif"), max_length=20, choices=DeclineReason.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réponse à une proposition")
        verbose_name_plural = _("réponses aux propositions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "party"], name="one_answer_per_party"),
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(reason=""),
                name="answer_decline_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_party_display()} : {self.get_decision_display()}"


class MissionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Mission.Status.ACTIVE)

    def with_parties(self):
        return self.select_related(
            "need__organisation", "need__main_skill", "offer__organisation", "volunteer"
        )

    def of_user(self, user):
        """Missions a person takes part in: as the volunteer, a member of the structure, or
        the referent of the volunteer's employer."""
        sides = side_conditions(user).values()
        return self.filter(functools.reduce(operator.or_, sides))

    def for_party_list(self, user):
        """The "my missions" page: active first, each with its confirmed minutes and its
        entries waiting for the structure, in one query whatever their number."""
        hours = HoursEntry.Status
        return (
            self.of_user(user)
            .with_parties()
            .annotate(
                confirmed_minutes=models.Sum(
                    "hours__minutes", filter=Q(hours__status=hours.CONFIRMED), default=0
                ),
                to_confirm=models.Count("hours", filter=Q(hours__status=hours.LOGGED)),
                active_first=models.Case(
                    models.When(status=Mission.Status.ACTIVE, then=models.Value(0)), default=1
                ),
            )
            .order_by("active_first", "-started_at", "-pk")
        )

    def without_hours_since(self, since):
        """Active missions with no hours logged since that moment (nor ever)."""
        return self.active().exclude(hours__created_at__gte=since).filter(started_at__lt=since)

    def due_for_closing(self, today):
        """Active missions whose need's wished end is more than a month past."""
        from datetime import timedelta

        return self.active().filter(
            need__wished_end__lt=today - timedelta(days=settings.MISSION_AUTO_CLOSE_DAYS)
        )


class Mission(models.Model):
    """A pro bono mission: one accepted proposal, followed until completed or abandoned."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        COMPLETED = "completed", _("Terminée")
        ABANDONED = "abandoned", _("Abandonnée")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="mission")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="missions")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="missions")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="missions"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    # None with a closing date: closed automatically, by nobody.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("close par"),
    )  # fmt: skip
    close_note = models.TextField(_("note de clôture"), blank=True)
    # Mécénat only: the convention the company, the structure and the employee sign on paper
    # (missions/agreement.py). Empty: still to sign; a date: signed by all three that day, as
    # recorded by a representative of the structure or of the company, at that moment.
    agreement_signed_on = models.DateField(_("convention signée le"), null=True, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("signature enregistrée par"),
    )  # fmt: skip
    agreement_recorded_at = models.DateTimeField(
        _("signature enregistrée le"), null=True, blank=True
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission pro bono")
        verbose_name_plural = _("missions pro bono")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need"], condition=Q(status="active"), name="one_active_mission_per_need"
            ),
            models.CheckConstraint(
                condition=Q(agreement_signed_on__isnull=True, agreement_recorded_at__isnull=True)
                | Q(agreement_signed_on__isnull=False, agreement_recorded_at__isnull=False),
                name="agreement_signed_with_its_record",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return str(self.need)

    def get_absolute_url(self):
        return reverse("mission_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_mecenat(self):
        return self.offer.engagement == Offer.Engagement.MECENAT

    class AgreementStatus(models.TextChoices):
        NONE = "none", _("Pas de convention (bénévolat)")
        TO_SIGN = "to_sign", _("Convention à signer")
        SIGNED = "signed", _("Convention signée")

    @property
    def agreement_status(self):
        """Only a mécénat mission has a convention: to sign until its signature is recorded."""
        if not self.is_mecenat:
            return self.AgreementStatus.NONE
        if self.agreement_signed_on:
            return self.AgreementStatus.SIGNED
        return self.AgreementStatus.TO_SIGN


class HoursEntry(models.Model):
    """Hours the volunteer logged; the structure confirms or disputes each entry."""

    class Status(models.TextChoices):
        LOGGED = "logged", _("À confirmer")
        CONFIRMED = "confirmed", _("Confirmées")
        DISPUTED = "disputed", _("Contestées")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="hours")
    day = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(12 * 60)]
    )
    description = models.CharField(_("ce qui a été fait"), max_length=500)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.LOGGED
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    dispute_note = models.CharField(_("motif de la contestation"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("heures données")
        verbose_name_plural = _("heures données")
        ordering = ["day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=15) & Q(minutes__lte=12 * 60), name="hours_in_bounds"
            )
        ]

    def __str__(self):
        return f"{self.day} · {self.minutes} min"

    @property
    def hours(self):
        return self.minutes / 60

    @property
    def is_editable(self):
        """A confirmed entry is final; logged and disputed ones can be corrected."""
        return self.status != self.Status.CONFIRMED


class Message(models.Model):
    """A line of a mission's thread: written by a person, or a step line (author None)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    is_step = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Feedback(models.Model):
    """Each side's word on a finished mission: a rating from 1 to 5 and a comment."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(
        _("côté"), max_length=12,
        choices=[(Party.ASSOCIATION, Party.ASSOCIATION.label),
                 (Party.VOLUNTEER, Party.VOLUNTEER.label)],
    )  # fmt: skip
    rating = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("commentaire"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        constraints = [
            models.UniqueConstraint(fields=["mission", "side"], name="one_feedback_per_side"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self):
        return f"{self.get_side_display()} : {self.rating}/5"


class StaffNote(models.Model):
    """An internal note of CRESS staff on a proposal, a need or a structure: staff only."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="staff_notes"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="staff_notes"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="staff_notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(proposal__isnull=False, need__isnull=True, organisation__isnull=True)
                    | Q(proposal__isnull=True, need__isnull=False, organisation__isnull=True)
                    | Q(proposal__isnull=True, need__isnull=True, organisation__isnull=False)
                ),
                name="staff_note_on_exactly_one_thing",
            )
        ]

    def __str__(self):
        return self.text[:60]


class Event(models.Model):
    """One step of a proposal or a mission: who did what, when. The audit trail staff read.

    A log table rather than row snapshots (django-simple-history): each step goes through one
    service function that knows the intent ("approved", "declined by the volunteer"), the
    person and the reason, which a snapshot of changed columns would only let one guess.
    """

    class Verb(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        INTERESTED = "interested", _("intérêt exprimé par le ou la bénévole")
        APPROVED = "approved", _("approuvée par la CRESS")
        REJECTED = "rejected", _("rejetée par la CRESS")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        EXPIRED = "expired", _("expirée faute de réponse")
        WITHDRAWN = "withdrawn", _("retirée")
        MISSION_STARTED = "mission_started", _("mission commencée")
        HOURS_LOGGED = "hours_logged", _("heures déclarées")
        HOURS_CONFIRMED = "hours_confirmed", _("heures confirmées")
        HOURS_DISPUTED = "hours_disputed", _("heures contestées")
        COMPLETED = "completed", _("mission terminée")
        AUTO_CLOSED = "auto_closed", _("mission close automatiquement")
        ABANDONED = "abandoned", _("mission abandonnée")
        FEEDBACK = "feedback", _("avis laissé")
        AGREEMENT_SIGNED = "agreement_signed", _("convention de mécénat signée")
        AGREEMENT_REOPENED = "agreement_reopened", _("convention de mécénat remise à signer")

    verb = models.CharField(_("étape"), max_length=20, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("par"),
    )  # fmt: skip
    party = models.CharField(_("partie"), max_length=12, choices=Party.choices, blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    detail = models.CharField(_("détail"), max_length=500, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["proposal", "at"]), models.Index(fields=["mission", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_verb_display()}"
