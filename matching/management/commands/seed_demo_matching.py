"""Seed the demo's needs and skill offers on top of the structures seeded by `seed_demo`.

Deterministic (one fixed random seed; dates counted from today) and idempotent: needs are found
again by (organisation, title), offers by (volunteer, title); only what is missing is created, in
one transaction. Rows are inserted directly, so the matcher's tasks never fire: the demo starts
with needs and offers, and no proposal.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation, User
from matching.demo_data import build_plan
from matching.models import Need, Offer, OfferArea, OfferSkill, Skill

Kind = Organisation.Kind
DEMO_EMAIL_SUFFIX = ".example.org"
# Checked in Python: fields (lengths, choices) and the models' clean(). Left to the database,
# which enforces them anyway, to spare a query per row: foreign keys and check constraints.
NEED_FOREIGN_KEYS = ["organisation", "created_by", "main_skill"]
OFFER_FOREIGN_KEYS = ["volunteer", "organisation"]


class Command(BaseCommand):
    help = (
        "Ajoute à la démonstration des besoins de structures de l'ESS et des offres de "
        "compétences de bénévoles (lancez d'abord seed_demo). "
        "Relancer la commande ne crée rien de nouveau."
    )

    def handle(self, *args, **options):
        plan = build_plan(timezone.localdate(), timezone.now())
        with transaction.atomic():
            created = seed(plan)
        self.report(plan, created)

    def report(self, plan, created):
        write = self.stdout.write
        for line in plan.summary_lines():
            write(line)
        if created["skipped"]:
            write(
                self.style.WARNING(
                    f"{created['skipped']} besoins ou offres laissés de côté : leur structure ou "
                    "leur auteur manque dans la base."
                )
            )
        if created["needs"] or created["offers"]:
            write(
                self.style.SUCCESS(
                    f"Ajouté à la base : {created['needs']} besoins, "
                    f"{created['offers']} offres de compétences."
                )
            )
        else:
            write("Rien à ajouter : les besoins et les offres de démonstration étaient en place.")


def seed(plan):
    """Create whatever needs and offers of the plan are missing; returns how many of each."""
    organisations = organisation_ids(
        {spec.organisation_key for spec in [*plan.needs, *plan.offers]}
    )
    if not organisations:
        raise CommandError(
            "Les structures de démonstration manquent : lancez d'abord « manage.py seed_demo »."
        )
    users = dict(User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).values_list("email", "pk"))
    skills = skill_ids(plan)
    needs, skipped_needs = ensure_needs(plan.needs, organisations, users, skills)
    offers, skipped_offers = ensure_offers(plan.offers, organisations, users, skills)
    return {"needs": needs, "offers": offers, "skipped": skipped_needs + skipped_offers}


def organisation_ids(keys):
    """{natural key: pk} for the demo organisations already in the database."""
    rnas = [value for kind, value in keys if kind == "rna"]
    sirens = [value for kind, value in keys if kind == "siren"]
    rows = Organisation.objects.filter(
        Q(kind=Kind.ASSOCIATION, rna__in=rnas) | (~Q(kind=Kind.ASSOCIATION) & Q(siren__in=sirens))
    ).values_list("pk", "kind", "rna", "siren")
    return {
        ("rna", rna) if kind == Kind.ASSOCIATION else ("siren", siren): pk
        for pk, kind, rna, siren in rows
    }


def skill_ids(plan):
    """{code: pk} of the catalogue; every skill the plan names must be there."""
    skills = dict(Skill.objects.values_list("code", "pk"))
    named = {spec.main_skill for spec in plan.needs}
    named |= {code for spec in plan.needs for code in spec.secondary_skills}
    named |= {code for spec in plan.offers for code, _ in spec.skills}
    missing = sorted(named - set(skills))
    if missing:
        raise CommandError(f"Compétences absentes du catalogue : {', '.join(missing)}.")
    return skills


def ensure_needs(specs, organisations, users, skills):
    """Needs by (organisation, title), creating the missing ones; returns (created, skipped)."""
    posting = {organisations.get(spec.organisation_key) for spec in specs} - {None}
    existing = set(
        Need.objects.filter(organisation_id__in=posting).values_list("organisation_id", "title")
    )
    new, skipped = [], 0
    for spec in specs:
        organisation_id = organisations.get(spec.organisation_key)
        author_id = users.get(spec.email)
        if organisation_id is None or author_id is None:
            skipped += 1
            continue
        if (organisation_id, spec.title) in existing:
            continue
        need = Need(
            organisation_id=organisation_id,
            created_by_id=author_id,
            title=spec.title,
            description=spec.description,
            main_skill_id=skills[spec.main_skill],
            departement=spec.departement,
            remote_ok=spec.remote_ok,
            format=spec.format,
            estimated_hours=spec.estimated_hours,
            wished_start=spec.wished_start,
            wished_end=spec.wished_end,
            status=spec.status,
            published_at=spec.published_at,
        )
        need.full_clean(exclude=NEED_FOREIGN_KEYS, validate_constraints=False)
        new.append((need, spec))
    Need.objects.bulk_create([need for need, _ in new], batch_size=500)
    Secondary = Need.secondary_skills.through
    Secondary.objects.bulk_create(
        [
            Secondary(need_id=need.pk, skill_id=skills[code])
            for need, spec in new
            for code in spec.secondary_skills
        ],
        batch_size=500,
    )
    backdate([(need, spec.created_at, spec.published_at or spec.created_at) for need, spec in new])
    return len(new), skipped


def ensure_offers(specs, organisations, users, skills):
    """Offers by (volunteer, title), with skills and areas; returns (created, skipped)."""
    existing = set(
        Offer.objects.filter(volunteer__email__endswith=DEMO_EMAIL_SUFFIX).values_list(
            "volunteer_id", "title"
        )
    )
    new, skipped = [], 0
    for spec in specs:
        organisation_id = organisations.get(spec.organisation_key)
        volunteer_id = users.get(spec.email)
        if organisation_id is None or volunteer_id is None:
            skipped += 1
            continue
        if (volunteer_id, spec.title) in existing:
            continue
        offer = Offer(
            volunteer_id=volunteer_id,
            organisation_id=organisation_id,
            title=spec.title,
            description=spec.description,
            engagement=spec.engagement,
            remote_ok=spec.remote_ok,
            hours_per_month=spec.hours_per_month,
            available_from=spec.available_from,
            available_until=spec.available_until,
            is_active=spec.is_active,
        )
        offer.full_clean(exclude=OFFER_FOREIGN_KEYS, validate_constraints=False)
        new.append((offer, spec))
    Offer.objects.bulk_create([offer for offer, _ in new], batch_size=500)
    offer_skills, areas = [], []
    for offer, spec in new:
        for code, level in spec.skills:
            offer_skills.append(OfferSkill(offer=offer, skill_id=skills[code], level=level))
        areas += [OfferArea(offer=offer, departement=code) for code in spec.departements]
    for row in [*offer_skills, *areas]:
        row.clean_fields(exclude=["offer", "skill"])
    OfferSkill.objects.bulk_create(offer_skills, batch_size=500)
    OfferArea.objects.bulk_create(areas, batch_size=500)
    backdate([(offer, spec.created_at, spec.created_at) for offer, spec in new])
    return len(new), skipped


def backdate(rows):
    """Give new rows their planned creation dates: bulk_create stamped them with now."""
    if not rows:
        return
    for instance, created_at, updated_at in rows:
        instance.created_at, instance.updated_at = created_at, updated_at
    instances = [instance for instance, _, _ in rows]
    type(instances[0]).objects.bulk_update(instances, ["created_at", "updated_at"], batch_size=200)
