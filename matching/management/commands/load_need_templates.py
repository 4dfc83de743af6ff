"""Create the need templates of matching/data/need_templates.json that are missing.

A template is found again by its code: one that exists is left exactly as CRESS staff made it
(their edits, their questions, deactivated or not), so running the command again, at each
deploy or after seed_demo, changes nothing already there.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from matching.models import NeedTemplate, NeedTemplateQuestion, Skill

DATA = Path(__file__).resolve().parents[2] / "data" / "need_templates.json"
TEMPLATE_FIELDS = (
    "title_fr", "title_en", "explanation_fr", "explanation_en", "deliverables_fr",
    "deliverables_en", "prerequisites_fr", "prerequisites_en", "format", "estimated_hours",
    "period_weeks", "remote_ok", "position",
)  # fmt: skip
QUESTION_FIELDS = (
    "label_fr", "label_en", "help_fr", "help_en", "kind", "choices_fr", "choices_en", "required",
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Crée les modèles de besoin du fichier matching/data/need_templates.json qui manquent ; "
        "ne modifie jamais un modèle existant (ceux que la CRESS a modifiés restent tels quels)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA), help="Le fichier JSON à charger.")

    def handle(self, *args, file, **options):
        templates = json.loads(Path(file).read_text(encoding="utf-8"))["templates"]
        with transaction.atomic():
            created = load(templates)
        self.stdout.write(
            f"Modèles de besoin : {created} créé(s), {len(templates) - created} déjà présent(s)."
        )


def load(templates):
    """Create the templates whose code is missing; return how many were created."""
    existing = set(NeedTemplate.objects.values_list("code", flat=True))
    skills = dict(Skill.objects.values_list("code", "pk"))
    created = 0
    for spec in templates:
        if spec["code"] in existing:
            continue
        codes = [spec["main_skill"], *spec.get("secondary_skills", [])]
        unknown = [code for code in codes if code not in skills]
        if unknown:
            raise CommandError(f"{spec['code']} : compétence inconnue {', '.join(unknown)}")
        template = NeedTemplate(
            code=spec["code"],
            main_skill_id=skills[spec["main_skill"]],
            **{field: spec[field] for field in TEMPLATE_FIELDS if field in spec},
        )
        template.full_clean()
        template.save()
        template.secondary_skills.set([skills[c] for c in spec.get("secondary_skills", [])])
        for position, question in enumerate(spec["questions"]):
            row = NeedTemplateQuestion(
                template=template,
                position=position,
                **{field: question[field] for field in QUESTION_FIELDS if field in question},
            )
            row.full_clean()
            row.save()
        existing.add(spec["code"])
        created += 1
    return created
