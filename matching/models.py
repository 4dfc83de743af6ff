"""Skills, needs of ESS structures and skill offers of volunteers."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.departements import DEPARTEMENT_CHOICES, label
from accounts.models import Organisation

from . import signals
from .search import text_search


class Bilingual(models.Model):
    """A catalogue row named in French and English; the page's language picks one."""

    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class SkillDomain(Bilingual):
    """A family of skills, e.g. « Ressources humaines et fonction employeur »."""

    code = models.SlugField(_("code"), unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("domaine de compétences")
        verbose_name_plural = _("domaines de compétences")
        ordering = ["position", "name_fr"]


class SkillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_pickers(self):
        """Active skills with their domain, in catalogue order, for select boxes."""
        return self.active().select_related("domain").order_by("domain__position", "position")


class Skill(Bilingual):
    """A skill of the catalogue; retired skills stay on old records but are no longer offered."""

    domain = models.ForeignKey(
        SkillDomain, verbose_name=_("domaine"), on_delete=models.PROTECT, related_name="skills"
    )
    code = models.SlugField(_("code"), unique=True)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    is_priority = models.BooleanField(
        _("domaine prioritaire"),
        default=False,
        help_text=_("Un des cinq besoins prioritaires relevés par l'étude régionale de 2019."),
    )
    is_active = models.BooleanField(_("proposée"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = SkillQuerySet.as_manager()

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["domain__position", "position", "name_fr"]

    @property
    def description(self):
        english = (get_language() or "fr").startswith("en")
        return self.description_en if english else self.description_fr


class Level(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    CONFIRMED = "confirmed", _("Confirmé")
    EXPERT = "expert", _("Expert")


class NeedError(Exception):
    """A life-cycle step the need's state does not allow; the message is for the person."""


class NeedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Need.Status.PUBLISHED)

    def open_to_volunteers(self):
        """Needs volunteers may read: published ones of organisations still verified."""
        return self.published().filter(organisation__status=Organisation.Status.VERIFIED)

    def with_list_columns(self):
        return self.select_related("organisation", "main_skill__domain")

    def for_published_list(self):
        """The published-needs page: one query for the rows, whatever their number."""
        return self.open_to_volunteers().with_list_columns()

    def for_organisation_list(self, organisation):
        """An organisation's own needs, every status, for its members."""
        return self.filter(organisation=organisation).with_list_columns()

    def search(self, words):
        return text_search(self, words, ["title", "description"])

    def due_for_expiry_reminder(self, today, days_before):
        """Published needs ending within `days_before` days whose members were not told yet."""
        return self.published().filter(
            wished_end__gte=today,
            wished_end__lte=today + timedelta(days=days_before),
            expiry_reminder_sent_at__isnull=True,
        )

    def past_their_end(self, today):
        """Published needs whose wished period is over: they expire."""
        return self.published().filter(wished_end__lt=today)


class Need(models.Model):
    """What an ESS structure needs: a skill, a place, a format, hours, a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        MATCHED = "matched", _("Binôme trouvé")
        IN_PROGRESS = "in_progress", _("En cours")
        COMPLETED = "completed", _("Terminé")
        CANCELLED = "cancelled", _("Annulé")
        EXPIRED = "expired", _("Expiré")

    class Format(models.TextChoices):
        SHORT_SESSION = "short_session", _("Session courte (environ 2 heures)")
        MISSION = "mission", _("Mission")

    EDITABLE = (Status.DRAFT, Status.PUBLISHED)
    CANCELLABLE = (Status.DRAFT, Status.PUBLISHED, Status.MATCHED, Status.IN_PROGRESS)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("structure"), on_delete=models.CASCADE, related_name="needs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("description"))
    main_skill = models.ForeignKey(
        Skill, verbose_name=_("compétence principale"), on_delete=models.PROTECT, related_name="+"
    )
    secondary_skills = models.ManyToManyField(
        Skill, verbose_name=_("compétences complémentaires"), blank=True, related_name="+"
    )
    departement = models.CharField(_("département"), max_length=3, choices=DEPARTEMENT_CHOICES)
    remote_ok = models.BooleanField(_("à distance possible"), default=False)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.MISSION
    )
    estimated_hours = models.PositiveSmallIntegerField(_("nombre d'heures estimé"))
    wished_start = models.DateField(_("début souhaité"))
    wished_end = models.DateField(_("fin souhaitée"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(
        _("rappel d'expiration envoyé le"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "departement"]),
            models.Index(fields=["status", "main_skill"]),
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["wished_start", "wished_end"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wished_end__gte=models.F("wished_start")),
                name="need_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_hours__gt=0), name="need_hours_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("need_detail", args=[self.pk])

    @property
    def departement_label(self):
        return label(self.departement)

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def is_cancellable(self):
        return self.status in self.CANCELLABLE

    def publish_refusal(self):
        """Why this need cannot be published now, or None when it can."""
        if self.status != self.Status.DRAFT:
            return _("Seul un besoin en brouillon peut être publié.")
        if not self.organisation.is_verified:
            return _(
                "La CRESS n'a pas encore vérifié votre structure : le besoin pourra être publié "
                "dès que ce sera fait."
            )
        if self.wished_end < timezone.localdate():
            return _("La période souhaitée est passée : modifiez les dates avant de publier.")
        return None

    @transaction.atomic
    def publish(self):
        refusal = self.publish_refusal()
        if refusal:
            raise NeedError(refusal)
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])

    @transaction.atomic
    def cancel(self, by=None):
        """Cancel the need; its live proposals and mission close with it (see signals)."""
        if self.status not in self.CANCELLABLE:
            raise NeedError(_("Ce besoin ne peut plus être annulé."))
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status", "updated_at"])
        signals.need_cancelled.send(sender=Need, need=self, by=by)

    def clean(self):
        if self.wished_start and self.wished_end and self.wished_end < self.wished_start:
            raise ValidationError({"wished_end": _("La fin souhaitée doit être après le début.")})


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_list_columns(self):
        return self.select_related("volunteer", "organisation").prefetch_related(
            models.Prefetch("skills", queryset=OfferSkill.objects.select_related("skill")),
            "areas",
        )

    def for_staff_list(self):
        """The CRESS's offers page: rows, skills and areas in three queries in all."""
        return self.with_list_columns()

    def of_volunteer(self, user):
        """A volunteer's own offers, newest first."""
        return self.filter(volunteer=user).with_list_columns()


class Offer(models.Model):
    """What a volunteer can give: skills with levels, places, hours per month, a period."""

    class Engagement(models.TextChoices):
        MECENAT = "mecenat", _("Mécénat de compétences (sur le temps de travail)")
        BENEVOLAT = "benevolat", _("Bénévolat de compétences (sur le temps personnel)")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("employeur"),
        on_delete=models.CASCADE,
        related_name="offers",
        help_text=_("L'entreprise ou l'organisme public qui vous emploie."),
    )
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    engagement = models.CharField(_("type d'engagement"), max_length=20, choices=Engagement.choices)
    remote_ok = models.BooleanField(_("à distance possible"), default=False)
    hours_per_month = models.PositiveSmallIntegerField(_("heures par mois"))
    available_from = models.DateField(_("disponible à partir du"))
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre de compétences")
        verbose_name_plural = _("offres de compétences")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["is_active", "available_from", "available_until"]),
            models.Index(fields=["engagement"]),
            models.Index(fields=["-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_until__gte=models.F("available_from")),
                name="offer_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_month__gt=0), name="offer_hours_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("offer_detail", args=[self.pk])

    def departement_codes(self):
        return sorted(area.departement for area in self.areas.all())

    @transaction.atomic
    def set_active(self, active):
        self.is_active = active
        self.save(update_fields=["is_active", "updated_at"])
        if not active:
            signals.offer_paused.send(sender=Offer, offer=self)


class OfferSkill(models.Model):
    """One skill of an offer, at a level."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        Skill, verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("compétence de l'offre")
        verbose_name_plural = _("compétences de l'offre")
        constraints = [
            models.UniqueConstraint(fields=["offer", "skill"], name="one_level_per_offer_skill")
        ]
        indexes = [models.Index(fields=["skill", "level"])]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class OfferArea(models.Model):
    """A département where the volunteer can act."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="areas")
    departement = models.CharField(_("département"), max_length=3, choices=DEPARTEMENT_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "departement"], name="one_area_per_offer")
        ]
        indexes = [models.Index(fields=["departement"])]

    def __str__(self):
        return label(self.departement)


class MatchingRunQuerySet(models.QuerySet):
    def for_staff_page(self):
        """The latest top-level runs with who started them, newest first."""
        return self.filter(parent__isnull=True).select_related("started_by").order_by("-started_at")


class MatchingRun(models.Model):
    """A record of one matcher run: what triggered it, when, what it considered and made."""

    class Trigger(models.TextChoices):
        NEED = "need", _("Besoin publié")
        OFFER = "offer", _("Offre créée ou modifiée")
        SCHEDULE = "schedule", _("Passage périodique")
        MANUAL = "manual", _("Passage lancé par la CRESS")
        GROUP = "group", _("Groupe de départements")

    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminé")
        FAILED = "failed", _("En erreur")

    trigger = models.CharField(_("déclencheur"), max_length=10, choices=Trigger.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    departements = models.JSONField(_("départements"), default=list, blank=True)
    # A département too big for one group is split by independent skills: empty = every skill.
    skills = models.JSONField(_("compétences"), default=list, blank=True)
    # A full pass covers needs first (phase 1: one proposal each for needs with none), then
    # tops them up to K (phase 2), so no group takes an offer another group needs to cover.
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    subject_id = models.BigIntegerField(_("besoin ou offre"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    groups_total = models.PositiveIntegerField(default=0)
    groups_done = models.PositiveIntegerField(default=0)
    needs_considered = models.PositiveIntegerField(_("besoins examinés"), default=0)
    offers_considered = models.PositiveIntegerField(_("offres examinées"), default=0)
    candidates = models.PositiveIntegerField(_("paires candidates"), default=0)
    proposals_created = models.PositiveIntegerField(_("propositions créées"), default=0)
    errors = models.TextField(_("erreurs"), blank=True)
    # When a worker began the run: a run claimed longer ago than the task's hard time limit
    # cannot still be running, its worker died (see matcher.reap_lost_runs).
    claimed_at = models.DateTimeField(_("pris par un worker le"), null=True, blank=True)
    # Whether the engine proved its result optimal over every candidate pair, in how many
    # flow solves: staff must see a run that is not exact.
    exact = models.BooleanField(_("résultat exact"), default=True)
    rounds = models.PositiveIntegerField(_("résolutions"), default=0)

    objects = MatchingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("passage du moteur")
        verbose_name_plural = _("passages du moteur")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["parent", "-started_at"])]

    def __str__(self):
        return f"{self.get_trigger_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self):
        if self.status != self.Status.RUNNING:
            return 100
        if not self.groups_total:
            return 0
        return round(100 * self.groups_done / self.groups_total)

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class ProposalQuerySet(models.QuerySet):
    def live(self):
        """Proposals that hold a place: they count against K and the offer's capacity."""
        return self.filter(status__in=Proposal.LIVE)

    def for_staff_list(self):
        """The staff list: each proposal with its need, organisation, offer and volunteer."""
        return self.select_related(
            "need__organisation", "need__main_skill", "offer__volunteer", "offer__organisation"
        ).order_by("-created_at", "need_id", "-score")


class Proposal(models.Model):
    """A proposed pairing of a need and an offer, unique per pair, with its explained score."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposée")
        APPROVED = "approved", _("Approuvée")
        REJECTED = "rejected", _("Rejetée")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        # Closed without anyone saying no: the need was cancelled, the offer paused, the
        # volunteer left, or the mission was abandoned. The pair is not proposed again either.
        WITHDRAWN = "withdrawn", _("Retirée")
        EXPIRED = "expired", _("Expirée faute de réponse")
        COMPLETED = "completed", _("Mission terminée")

    class Source(models.TextChoices):
        MATCHER = "matcher", _("Moteur de mise en relation")
        VOLUNTEER = "volunteer", _("Intérêt du bénévole")

    # Proposals that hold a place: they count against K and against the offer's capacity.
    LIVE = (Status.PROPOSED, Status.APPROVED, Status.ACCEPTED)
    # Approved or accepted: the volunteer has been asked, or is helping.
    ENGAGED = (Status.APPROVED, Status.ACCEPTED)
    # Not a mission yet: withdrawn when the offer is paused (missions.services.offer_paused).
    PENDING = (Status.PROPOSED, Status.APPROVED)

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="proposals")
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.MATCHER
    )
    score = models.FloatField(_("score"))
    parts = models.JSONField(_("détail du score"), default=dict)
    details = models.JSONField(_("explications"), default=dict)
    run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # When the CRESS approved it, i.e. when the volunteer was asked: the matcher asks a
    # volunteer at most MATCHING_MAX_ASKS_PER_MONTH times in 30 days.
    approved_at = models.DateTimeField(_("approuvée le"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de binôme")
        verbose_name_plural = _("propositions de binôme")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="one_proposal_per_pair")
        ]
        indexes = [
            models.Index(fields=["need", "status"]),
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.need} × {self.offer}"


def _lines(text):
    """The non-blank lines of a text area, stripped: deliverables, prerequisites, choices."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _in_language(row, field):
    """The English text when the page is in English and it is written, else the French one."""
    english = (get_language() or "fr").startswith("en")
    return (english and getattr(row, f"{field}_en")) or getattr(row, f"{field}_fr")


class NeedTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_choice_page(self):
        """Active templates with their skill and area, the five priority areas first."""
        return (
            self.active()
            .select_related("main_skill__domain")
            .order_by("-main_skill__is_priority", "position", "main_skill__domain__position")
        )

    def for_staff_list(self):
        """Every template, active or not, with its skill and number of questions."""
        return (
            self.select_related("main_skill__domain")
            .annotate(question_count=models.Count("questions"))
            .order_by("-is_active", "position", "title_fr")
        )


class NeedTemplate(models.Model):
    """A guided start for a need: what is usually asked in an area, and the questions to ask.

    Loaded from matching/data/need_templates.json (load_need_templates), then edited by CRESS
    staff; the loader creates missing templates by code and never overwrites staff edits.
    """

    code = models.SlugField(_("code"), unique=True)
    main_skill = models.ForeignKey(
        Skill, verbose_name=_("compétence principale"), on_delete=models.PROTECT, related_name="+"
    )
    secondary_skills = models.ManyToManyField(
        Skill, verbose_name=_("compétences complémentaires"), blank=True, related_name="+"
    )
    title_fr = models.CharField(_("titre proposé (français)"), max_length=150)
    title_en = models.CharField(_("titre proposé (anglais)"), max_length=150, blank=True)
    explanation_fr = models.TextField(
        _("explication (français)"),
        help_text=_("En deux ou trois phrases : à quoi sert l'accompagnement pour la structure."),
    )
    explanation_en = models.TextField(_("explication (anglais)"), blank=True)
    deliverables_fr = models.TextField(
        _("livrables typiques (français)"), help_text=_("Un livrable par ligne.")
    )
    deliverables_en = models.TextField(_("livrables typiques (anglais)"), blank=True)
    prerequisites_fr = models.TextField(
        _("prérequis (français)"),
        blank=True,
        help_text=_("Ce que la structure prépare avant de commencer, un par ligne."),
    )
    prerequisites_en = models.TextField(_("prérequis (anglais)"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Need.Format.choices, default=Need.Format.MISSION
    )
    estimated_hours = models.PositiveSmallIntegerField(
        _("nombre d'heures estimé"), help_text=_("Le temps total habituel du ou de la bénévole.")
    )
    period_weeks = models.PositiveSmallIntegerField(
        _("durée de la période (semaines)"),
        default=8,
        help_text=_("Sert à proposer les dates : de dans deux semaines à la fin de cette durée."),
    )
    remote_ok = models.BooleanField(_("à distance possible"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(
        _("proposé aux structures"),
        default=True,
        help_text=_("Décochez pour retirer le modèle sans le supprimer."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = NeedTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("modèle de besoin")
        verbose_name_plural = _("modèles de besoin")
        ordering = ["position", "title_fr"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_hours__gt=0), name="need_template_hours_positive"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _in_language(self, "title")

    @property
    def explanation(self):
        return _in_language(self, "explanation")

    @property
    def deliverables(self):
        return _lines(_in_language(self, "deliverables"))

    @property
    def prerequisites(self):
        return _lines(_in_language(self, "prerequisites"))


class NeedTemplateQuestion(models.Model):
    """A question of a template; its answer goes into the need's description."""

    class Kind(models.TextChoices):
        SHORT = "short", _("Texte court")
        LONG = "long", _("Texte long")
        CHOICE = "choice", _("Choix dans une liste")

    template = models.ForeignKey(NeedTemplate, on_delete=models.CASCADE, related_name="questions")
    label_fr = models.CharField(_("question (français)"), max_length=200)
    label_en = models.CharField(_("question (anglais)"), max_length=200, blank=True)
    help_fr = models.CharField(_("aide (français)"), max_length=300, blank=True)
    help_en = models.CharField(_("aide (anglais)"), max_length=300, blank=True)
    kind = models.CharField(_("type de réponse"), max_length=10, choices=Kind.choices)
    choices_fr = models.TextField(
        _("choix (français)"), blank=True, help_text=_("Pour un choix : une réponse par ligne.")
    )
    choices_en = models.TextField(_("choix (anglais)"), blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("question du modèle")
        verbose_name_plural = _("questions du modèle")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return _in_language(self, "label")

    @property
    def help(self):
        return _in_language(self, "help")

    @property
    def choices(self):
        return _lines(_in_language(self, "choices"))

    def clean(self):
        if self.kind == self.Kind.CHOICE and len(_lines(self.choices_fr)) < 2:
            raise ValidationError(
                {"choices_fr": _("Une question à choix propose au moins deux réponses.")}
            )
