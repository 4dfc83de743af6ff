"""Seed the Hauts-de-France demo: structures, people and the well-known demo log-ins.

Deterministic (one fixed random seed) and idempotent: organisations are found again by RNA or
SIREN, people by e-mail, memberships by (person, organisation); only what is missing is created.
"""

from collections import Counter

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.communes import commune_named
from accounts.demo_data import DEMO_PASSWORD, build_plan
from accounts.departements import HAUTS_DE_FRANCE, label
from accounts.models import Membership, Organisation, User

Kind = Organisation.Kind
Status = Organisation.Status
DEMO_EMAIL_SUFFIX = ".example.org"


class Command(BaseCommand):
    help = (
        "Remplit la base avec une image de démonstration des Hauts-de-France (structures de "
        "l'ESS, entreprises, personnes) et affiche les comptes de démonstration. "
        "Relancer la commande ne crée rien de nouveau."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Mot de passe commun des comptes de démonstration (défaut : {DEMO_PASSWORD}).",
        )

    def handle(self, *args, password, **options):
        plan = build_plan()
        # Hash once and reuse it: hashing is slow on purpose, and there are a thousand people.
        password_hash = make_password(password)
        with transaction.atomic():
            created = seed(plan, password_hash)
        self.report(plan, created, password)
        # Needs and offers need the structures and people above; that command reports its own.
        self.stdout.write("")
        call_command("seed_demo_matching", stdout=self.stdout)
        # Then the stories of the journey (reviews, answers, missions) on those needs and offers.
        self.stdout.write("")
        call_command("seed_demo_missions", stdout=self.stdout)
        # And a past year (needs, missions and hours), so the observatory has a history.
        self.stdout.write("")
        call_command("seed_demo_history", stdout=self.stdout)
        # And the public pages and FAQ (pages/content/), never overwriting what staff edited.
        self.stdout.write("")
        call_command("load_pages", stdout=self.stdout)
        # And the need templates (matching/data/need_templates.json), likewise never overwritten.
        self.stdout.write("")
        call_command("load_need_templates", stdout=self.stdout)

    def report(self, plan, created, password):
        """Print what the demo holds, what this run added, and the demo log-ins."""
        write = self.stdout.write
        for line in summary_lines(plan):
            write(line)
        if any(created.values()):
            write(
                self.style.SUCCESS(
                    f"Ajouté à la base : {created['organisations']} structures, "
                    f"{created['people']} personnes, {created['memberships']} adhésions."
                )
            )
        else:
            write("Rien à ajouter : les données de démonstration étaient déjà en place.")
        write("")
        write(self.style.MIGRATE_HEADING(f"Comptes de démonstration (mot de passe : {password})"))
        for login in plan.logins:
            write(f"  {login.role} : {login.email}")
            write(f"      {login.who}")


def seed(plan, password_hash):
    """Create whatever of the plan is missing; returns how many rows of each were created."""
    users, people_created = ensure_people(plan.people, password_hash)
    cress_staff = users[plan.cress_staff_email()]
    organisations, organisations_created = ensure_organisations(plan.organisations, cress_staff)
    memberships_created = ensure_memberships(plan.memberships, users, organisations)
    # The printed log-ins must work even if someone changed a demo password, or passed --password.
    User.objects.filter(email__in=[login.email for login in plan.logins]).update(
        password=password_hash, is_active=True
    )
    return {
        "organisations": organisations_created,
        "people": people_created,
        "memberships": memberships_created,
    }


def ensure_people(people, password_hash):
    """Users by e-mail, creating the missing ones; returns ({email: pk}, number created)."""
    existing = demo_user_ids()
    missing = [
        User(
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            password=password_hash,
            email_confirmed_at=timezone.now(),
        )
        for person in people
        if person.email not in existing
    ]
    User.objects.bulk_create(missing, batch_size=500)
    return demo_user_ids(), len(missing)


def demo_user_ids():
    """{email: pk} of the users at .example.org, where every demo e-mail lives."""
    # One query, and no thousand-item IN clause (SQLite caps the number of parameters).
    users = User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX)
    return dict(users.values_list("email", "pk"))


def ensure_organisations(specs, verified_by_id):
    """Organisations by natural key, creating (and validating) the missing ones."""
    existing = organisation_ids(specs)
    now = timezone.now()
    missing = []
    for spec in specs:
        if spec.natural_key in existing:
            continue
        organisation = Organisation(
            kind=spec.kind,
            name=spec.name,
            siren=spec.siren,
            siret=spec.siret,
            rna=spec.rna,
            departement=spec.departement,
            postcode=spec.postcode,
            commune=commune_named(spec.postcode, spec.town).insee,
            description=spec.description,
            status=spec.status,
        )
        if spec.status != Status.REGISTERED:
            # Verified and suspended structures were decided on by the CRESS staff member.
            organisation.status_changed_by_id = verified_by_id
            organisation.status_changed_at = now
        # The same checks as the forms: identifiers, check digits, postcode and commune in the
        # département.
        # status_changed_by is skipped only to spare one existence query per row.
        organisation.full_clean(exclude=["status_changed_by"])
        missing.append(organisation)
    Organisation.objects.bulk_create(missing, batch_size=500)
    return organisation_ids(specs), len(missing)


def organisation_ids(specs):
    """{natural key: pk} for the planned organisations already in the database."""
    rnas = [spec.rna for spec in specs if spec.natural_key[0] == "rna"]
    sirens = [spec.siren for spec in specs if spec.natural_key[0] == "siren"]
    rows = Organisation.objects.filter(
        Q(kind=Kind.ASSOCIATION, rna__in=rnas) | (~Q(kind=Kind.ASSOCIATION) & Q(siren__in=sirens))
    ).values_list("pk", "kind", "rna", "siren")
    return {
        ("rna", rna) if kind == Kind.ASSOCIATION else ("siren", siren): pk
        for pk, kind, rna, siren in rows
    }


def ensure_memberships(specs, users, organisations):
    """Memberships by (person, organisation), creating the missing ones; returns how many."""
    existing = set(
        Membership.objects.filter(user__email__endswith=DEMO_EMAIL_SUFFIX).values_list(
            "user_id", "organisation_id"
        )
    )
    missing = []
    for spec in specs:
        pair = (users[spec.email], organisations[spec.organisation_key])
        if pair not in existing:
            existing.add(pair)
            missing.append(
                Membership(
                    user_id=pair[0], organisation_id=pair[1], role=spec.role, status=spec.status
                )
            )
    Membership.objects.bulk_create(missing, batch_size=500)
    return len(missing)


def summary_lines(plan):
    """The demo's picture in French: counts by kind, by département and by status."""
    kinds = Counter(org.kind for org in plan.organisations)
    ess = kinds[Kind.ASSOCIATION] + kinds[Kind.OTHER_ESS]
    public_bodies = ", ".join(org.name for org in plan.organisations_of(Kind.PUBLIC_BODY))
    cress = plan.organisations_of(Kind.CRESS)[0]
    by_departement = Counter(org.departement for org in plan.organisations)
    statuses = Counter(org.status for org in plan.organisations)
    return [
        "Données de démonstration Probono : les Hauts-de-France de l'étude territoriale de 2019",
        f"  {ess} structures de l'ESS ({kinds[Kind.ASSOCIATION]} associations, "
        f"{kinds[Kind.OTHER_ESS]} coopératives, mutuelles et fondations)",
        f"  {kinds[Kind.COMPANY]} entreprises",
        f"  {kinds[Kind.PUBLIC_BODY]} organismes publics : {public_bodies}",
        f"  la CRESS : {cress.name} ({cress.town}), avec {len(plan.members_of(cress))} compte "
        "de l'équipe CRESS",
        f"  {len(plan.people)} personnes, {len(plan.memberships)} adhésions",
        "  Par département : "
        + " · ".join(f"{label(code)} {by_departement[code]}" for code in HAUTS_DE_FRANCE),
        f"  Statuts : {statuses[Status.VERIFIED]} vérifiées, "
        f"{statuses[Status.REGISTERED]} en attente de vérification, "
        f"{statuses[Status.SUSPENDED]} suspendues",
    ]
