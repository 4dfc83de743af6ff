"""Users, organisations (structures) and memberships; roles derive from memberships."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .communes import commune_by_insee, communes_of, departements_of
from .departements import DEPARTEMENT_CHOICES
from .validators import (
    normalise_identifier,
    validate_postcode,
    validate_rna,
    validate_siren,
    validate_siret,
)


class UserManager(BaseUserManager):
    """Creates users identified by their e-mail address."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        # Accounts made by staff, commands or the demo are trusted; sign-up leaves the address
        # unconfirmed until its owner follows the link sent to it.
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using Probono; logs in with an e-mail address."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Empty until the owner follows the confirmation link: until then the account cannot act.
    email_confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    # Retention (GDPR): when an inactive account was warned, and when it was anonymised.
    retention_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        # Never the e-mail: lists show this to people who may not see the address. Names are
        # required now, but accounts created before that may have none. A deleted account
        # has one wording everywhere it still appears (missions, messages, offers, reviews);
        # read only when loaded, so a list that defers it (.only()) makes no query per row.
        if self.__dict__.get("anonymised_at"):
            return gettext("Compte supprimé")
        return self.get_full_name() or gettext("Membre sans nom")

    def active_memberships(self):
        """Active memberships with their organisation, fetched once per request."""
        if not hasattr(self, "_active_memberships"):
            self._active_memberships = list(
                self.memberships.filter(status=Membership.Status.ACTIVE).select_related(
                    "organisation"
                )
            )
        return self._active_memberships

    @property
    def roles(self):
        """The roles this person holds in Probono, derived from their memberships."""
        return Roles.of(self.active_memberships())

    @property
    def is_cress_staff(self):
        return self.roles.cress_staff

    def review_scope(self):
        """The départements whose needs this person reviews: None for all (the regional
        CRESS), a set for a territorial reviewer, an empty set for someone not on staff."""
        scopes = [
            m.review_departements
            for m in self.active_memberships()
            if m.organisation.kind == Organisation.Kind.CRESS
        ]
        if any(not scope for scope in scopes):
            return None
        return {code for scope in scopes for code in scope}

    def reviews(self, departement):
        """Whether this person may review a need of that département."""
        scope = self.review_scope()
        return scope is None or departement in scope

    def is_member_of(self, organisation):
        return any(m.organisation_id == organisation.pk for m in self.active_memberships())

    def is_admin_of(self, organisation):
        return any(
            m.organisation_id == organisation.pk and m.role == Membership.Role.ADMIN
            for m in self.active_memberships()
        )


class Roles:
    """What a person is in Probono: derived, never stored, so it cannot drift."""

    def __init__(self, association_member, volunteer, company_referent, cress_staff):
        self.association_member = association_member
        self.volunteer = volunteer
        self.company_referent = company_referent
        self.cress_staff = cress_staff

    @classmethod
    def of(cls, memberships):
        kinds = Organisation.Kind
        association_member = volunteer = company_referent = cress_staff = False
        for membership in memberships:
            kind = membership.organisation.kind
            if kind in (kinds.ASSOCIATION, kinds.OTHER_ESS):
                association_member = True
            elif kind in (kinds.COMPANY, kinds.PUBLIC_BODY):
                volunteer = True
                if kind == kinds.COMPANY and membership.role == Membership.Role.ADMIN:
                    company_referent = True
            elif kind == kinds.CRESS:
                cress_staff = True
        return cls(association_member, volunteer, company_referent, cress_staff)

    def __bool__(self):
        return any(vars(self).values())


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organisation.Status.VERIFIED)

    def awaiting_verification(self):
        """Registered structures the CRESS has not looked at yet, oldest first."""
        return self.filter(status=Organisation.Status.REGISTERED).order_by("created_at")

    def for_verification_page(self):
        return (
            self.exclude(kind=Organisation.Kind.CRESS)
            .select_related("status_changed_by")
            .order_by("status", "created_at")
        )

    def of_active_member(self, user):
        return self.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)

    def employers(self):
        """Companies and public bodies: where volunteers work."""
        return self.filter(kind__in=[Organisation.Kind.COMPANY, Organisation.Kind.PUBLIC_BODY])

    def joinable(self):
        """Structures a person may ask to join: all but suspended ones."""
        return self.exclude(status=Organisation.Status.SUSPENDED)


class Organisation(models.Model):
    """A structure: an ESS organisation, a company, a public body, or the CRESS itself."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        OTHER_ESS = "other_ess", _("Autre structure de l'ESS (coopérative, mutuelle, fondation)")
        COMPANY = "company", _("Entreprise")
        PUBLIC_BODY = "public_body", _("Organisme public")
        CRESS = "cress", _("CRESS")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("En attente de vérification")
        VERIFIED = "verified", _("Vérifiée")
        SUSPENDED = "suspended", _("Suspendue")

    kind = models.CharField(_("type de structure"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    # For the mécénat receipt (form 2041-MEC-SD names the company's legal form): free text,
    # since the forms people write (SAS, SCOP SARL, association loi 1901…) outnumber any list.
    legal_form = models.CharField(_("forme juridique"), max_length=100, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    departement = models.CharField(_("département"), max_length=3, choices=DEPARTEMENT_CHOICES)
    # The street line of the postal address (postcode and commune are their own fields); the
    # mécénat receipt prints both parties' addresses.
    street_address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    # The INSEE code, chosen among the postcode's communes; blank only for structures
    # registered before the commune was asked for, whose postcode served several communes.
    commune = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "User",
        verbose_name=_("statut changé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["departement"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.pk])

    @property
    def is_ess(self):
        return self.kind in (self.Kind.ASSOCIATION, self.Kind.OTHER_ESS)

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED

    def clean(self):
        for field in ("siren", "siret", "rna"):
            setattr(self, field, normalise_identifier(getattr(self, field)))
        errors = {}
        if self.kind == self.Kind.ASSOCIATION:
            if not (self.rna or self.siren or self.siret):
                errors["rna"] = _("Indiquez le numéro RNA de l'association, ou son SIREN/SIRET.")
        elif not (self.siren or self.siret):
            errors["siren"] = _("Indiquez le SIREN ou le SIRET de la structure.")
        if self.rna and self.kind != self.Kind.ASSOCIATION:
            errors["rna"] = _("Seules les associations ont un numéro RNA.")
        if self.siren and self.siret and not self.siret.startswith(self.siren):
            errors["siret"] = _("Le SIRET doit commencer par le SIREN de la structure.")
        errors.update(self.place_errors())
        if errors:
            raise ValidationError(errors)

    def place_errors(self):
        """The postcode lies in the département; the commune has that postcode, in it too."""
        if not (self.postcode and self.departement and communes_of(self.postcode)):
            return {}  # An unknown postcode already has the validator's error.
        if self.departement not in departements_of(self.postcode):
            message = _("Ce code postal n'appartient pas au département choisi (%(departement)s).")
            return {"postcode": message % {"departement": self.departement}}
        commune = commune_by_insee(self.commune)
        if self.commune and commune not in communes_of(self.postcode):
            return {"commune": _("Cette commune n'a pas ce code postal.")}
        if commune and commune.departement != self.departement:
            message = _("Cette commune n'est pas dans le département choisi (%(departement)s).")
            return {"commune": message % {"departement": self.departement}}
        return {}

    @property
    def commune_name(self):
        """The commune's name, or "" when the structure has none recorded yet."""
        commune = commune_by_insee(self.commune)
        return commune.name if commune else ""

    def identifiers_differ_from(self, other):
        return (self.siren, self.siret, self.rna) != (other.siren, other.siret, other.rna)

    @transaction.atomic
    def set_status(self, status, by):
        """Verify, suspend or reinstate, recording who decided and when."""
        self.status = status
        self.status_changed_by = by
        self.status_changed_at = timezone.now()
        self.save(update_fields=["status", "status_changed_by", "status_changed_at"])

    def verify(self, by):
        self.set_status(self.Status.VERIFIED, by)

    def suspend(self, by):
        self.set_status(self.Status.SUSPENDED, by)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)

    def for_members_page(self, with_requests):
        """A structure's members by name; join requests only for those who decide on them."""
        shown = self if with_requests else self.active()
        return shown.select_related("user").order_by(
            "status", "user__last_name", "user__first_name", "pk"
        )


class Membership(models.Model):
    """A person's place in an organisation; joining needs an administrator's approval."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Membre")
        ADMIN = "admin", _("Administrateur")

    class Status(models.TextChoices):
        PENDING = "pending", _("Demande en attente")
        ACTIVE = "active", _("Active")

    class JoinedThrough(models.TextChoices):
        EMAIL = "email", _("Invitation par e-mail")
        LINK = "link", _("Lien d'invitation")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # For a reviewer of the pôle Mécénat et Bénévolat de Compétences (a membership of a CRESS
    # organisation): the départements whose needs they review. Empty: all, the regional CRESS.
    review_departements = models.JSONField(
        _("départements relus"), default=list, blank=True,
        help_text=_("Laisser vide pour la CRESS régionale, qui relit tous les départements."),
    )  # fmt: skip
    # How the person came in, shown to the structure's administrators: an e-mail invitation
    # or a shareable link (which one), blank for a request approved or a founder.
    joined_through = models.CharField(
        _("arrivée par"), max_length=10, blank=True, choices=JoinedThrough.choices
    )
    invitation_link = models.ForeignKey(
        "InvitationLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"

    def approve(self):
        """Accept this request if it still waits; False when it was answered meanwhile (a
        conditional UPDATE: of two administrators answering at once, one decides)."""
        approved = Membership.objects.pending().filter(pk=self.pk).update(status=self.Status.ACTIVE)
        if approved:
            self.status = self.Status.ACTIVE
        return bool(approved)

    def refuse(self):
        """Refuse this request if it still waits (the row goes); False when it was answered
        meanwhile."""
        deleted, _by_model = Membership.objects.pending().filter(pk=self.pk).delete()
        return bool(deleted)


class Consent(models.Model):
    """A person's agreement to a version of the privacy notice, kept as proof (GDPR art. 7)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(_("version de la politique de confidentialité"), max_length=20)
    given_at = models.DateTimeField(_("donné le"), default=timezone.now)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.version} – {self.given_at:%Y-%m-%d}"


# Invitations (issue 12): a referent brings colleagues in, by e-mail or with a shareable link.

INVITATION_DAYS = 30  # an e-mail invitation's life; a new one (« Renvoyer ») starts it again
INVITATION_ADDRESS_KEPT_DAYS = 90  # an expired invitation's address is erased after this
LINK_DAYS_CHOICES = (7, 30, 90)


def can_receive_invitees(organisation):
    """Whether people may still join `organisation` through an invitation: a verified
    employer (a structure suspended since, or no longer verified, takes nobody in). Its
    active administrators are the ones who invite (a public body's too, though
    Roles.company_referent covers companies only)."""
    return (
        organisation.kind in (Organisation.Kind.COMPANY, Organisation.Kind.PUBLIC_BODY)
        and organisation.is_verified
    )


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not accepted, not revoked, not expired: the link still works."""
        now = now or timezone.now()
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=now)

    def for_list_page(self, organisation):
        """A structure's invitations, newest first, with who sent and who accepted them."""
        return (
            self.filter(organisation=organisation)
            .select_related("invited_by", "accepted_by")
            .order_by("-created_at", "-pk")
        )


class Invitation(models.Model):
    """An e-mail invitation to join an employer; single-use.

    No secret is stored: the link carries the invitation's id signed with SECRET_KEY
    (django.core.signing, a salt of its own), so the e-mail task rebuilds it from the id alone
    and a token cannot be forged without the key. Whether it still works is the row's state:
    accepted, revoked or expired kills it. The address is erased once it is accepted or
    revoked, or INVITATION_ADDRESS_KEPT_DAYS after it expired (accounts.tasks).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self):
        return f"{self.organisation} – {self.created_at:%Y-%m-%d}"

    SALT = "accounts.Invitation"

    def get_absolute_url(self):
        return reverse("invitation_accept", args=[self.token])

    @property
    def token(self):
        from django.core import signing

        return signing.Signer(salt=self.SALT, sep=".").sign(str(self.pk))

    @classmethod
    def from_token(cls, token):
        """The invitation a token names, or None when it is not one of ours."""
        from django.core import signing

        try:
            pk = signing.Signer(salt=cls.SALT, sep=".").unsign(token)
        except signing.BadSignature:
            return None
        if not pk.isdigit():
            return None
        return cls.objects.select_related("organisation").filter(pk=int(pk)).first()

    @property
    def status(self):
        if self.accepted_at:
            return "joined"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_status_display(self):
        return {
            "joined": gettext("Acceptée"),
            "revoked": gettext("Révoquée"),
            "expired": gettext("Expirée"),
            "pending": gettext("En attente"),
        }[self.status]


class InvitationLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(revoked_at=None, expires_at__gt=now or timezone.now())


class InvitationLink(models.Model):
    """A shareable link to join an employer, reusable by anyone who has it until it expires
    or is revoked.

    Its token is stored as is: the referent copies the link again from the invitations page,
    and following it proves nothing about anyone's address (the account made through it
    confirms its address as any other).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitation_links"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("personnes rattachées"), default=0)

    objects = InvitationLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien d'invitation")
        verbose_name_plural = _("liens d'invitation")

    def __str__(self):
        return f"{self.organisation} – {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self.token:
            import secrets

            self.token = secrets.token_urlsafe(24)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("invitation_link_join", args=[self.token])

    @property
    def status(self):
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def get_status_display(self):
        return {
            "revoked": gettext("Révoqué"),
            "expired": gettext("Expiré"),
            "active": gettext("Actif"),
        }[self.status]
