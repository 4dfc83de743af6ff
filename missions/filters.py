"""The review queue's filters and sort, all in the URL like matching's lists."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.departements import DEPARTEMENT_CHOICES, label
from matching.filters import QuickSelect, SkillFilter
from matching.models import Proposal

SORTS = [
    ("date", _("Attente la plus longue d'abord")),
    ("-date", _("Plus récentes d'abord")),
    ("-score", _("Meilleur score d'abord")),
    ("score", _("Score le plus faible d'abord")),
]


class ReviewQueueFilter(django_filters.FilterSet):
    """Pending proposals: département, the need's skill, minimum score, age, source."""

    departement = django_filters.ChoiceFilter(
        label=_("Département"), field_name="need__departement", empty_label=_("Tous"),
        widget=QuickSelect,
    )  # fmt: skip
    skill = SkillFilter(label=_("Compétence du besoin"), field_name="need__main_skill")
    min_score = django_filters.NumberFilter(
        label=_("Score minimum"), field_name="score", lookup_expr="gte", min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "min": 0}),
    )  # fmt: skip
    min_age = django_filters.NumberFilter(
        label=_("En attente depuis au moins (jours)"), method="filter_min_age",
        min_value=0, max_value=3650, decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1}),
    )  # fmt: skip
    source = django_filters.ChoiceFilter(
        label=_("Origine"), choices=Proposal.Source.choices, empty_label=_("Toutes"),
        widget=QuickSelect,
    )  # fmt: skip
    ordering = django_filters.OrderingFilter(
        label=_("Trier par"), fields=(("created_at", "date"), ("score", "score")),
        choices=SORTS, empty_label=None, widget=QuickSelect,
    )  # fmt: skip

    class Meta:
        model = Proposal
        fields = []

    def __init__(self, *args, scope=None, **kwargs):
        """`scope`: the reviewer's départements (None: all), offered in the département list."""
        super().__init__(*args, **kwargs)
        field = self.filters["departement"]
        if scope is None:
            field.extra["choices"] = DEPARTEMENT_CHOICES
        else:
            field.extra["choices"] = [(code, label(code)) for code in sorted(scope)]

    def filter_min_age(self, queryset, name, days):
        """Proposals waiting for at least that many days."""
        return queryset.filter(created_at__lte=timezone.now() - timedelta(days=int(days)))
