"""The skills catalogue ships as data, in French and English."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.models import Skill
from tests.factories import NeedFactory, skill

pytestmark = pytest.mark.django_db


def test_it_ships_the_five_priority_areas_of_the_2019_study():
    priority = set(Skill.objects.filter(is_priority=True).values_list("name_fr", flat=True))
    assert priority == {
        "Fonction employeur / RH",
        "Veille réglementaire",
        "Modèle économique",
        "Fonds européens",
        "Commande publique",
    }


def test_it_ships_the_other_common_skills_grouped_by_domain():
    codes = set(Skill.objects.values_list("code", flat=True))
    expected = {"comptabilite-finance", "droit-associations", "gouvernance-strategie",
                "communication", "outils-numeriques", "mecenat-collecte", "gestion-projet",
                "evaluation-impact"}  # fmt: skip
    assert expected <= codes
    assert all(s.domain_id for s in Skill.objects.all())


def test_every_skill_has_both_labels_and_a_description():
    for row in Skill.objects.all():
        assert row.name_fr and row.name_en and row.description_fr and row.description_en


def test_the_label_follows_the_page_language():
    row = skill("fonds-europeens")
    with translation.override("en"):
        assert row.name == "EU funds"
    with translation.override("fr"):
        assert row.name == "Fonds européens"


def test_a_retired_skill_is_no_longer_offered_but_stays_on_old_needs(client, association_member):
    need = NeedFactory(organisation=association_member.memberships.get().organisation)
    retired = need.main_skill
    retired.is_active = False
    retired.save()
    client.force_login(association_member)
    form_page = client.get(reverse("need_create", args=[need.organisation_id]))
    assert retired not in form_page.context["form"].fields["main_skill"].queryset
    need.refresh_from_db()
    assert need.main_skill == retired
    assert retired.name in client.get(need.get_absolute_url()).text
