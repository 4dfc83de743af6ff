"""django-filter filter sets for the needs and offers lists; every filter lives in the URL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.departements import DEPARTEMENT_CHOICES

from .forms import GroupedSkillChoiceField
from .models import Level, Need, Offer, OfferSkill, Skill, SkillDomain

YES_NO = [("", _("Peu importe")), ("true", _("Oui")), ("false", _("Non"))]


ANY = _("Toutes")


def sort_by_date(field, label):
    """?ordering=date (oldest first) or -date (newest first), kept in the URL like the filters."""
    return django_filters.OrderingFilter(
        label=_("Trier par"), fields=((field, "date"),), field_labels={field: label},
        empty_label=None,
    )  # fmt: skip


class SkillFilter(django_filters.ModelChoiceFilter):
    """Active skills grouped by domain, as in the forms."""

    field_class = GroupedSkillChoiceField

    def __init__(self, **kwargs):
        super().__init__(queryset=Skill.objects.for_pickers(), empty_label=ANY, **kwargs)


class NeedFilter(django_filters.FilterSet):
    """Published needs: skill or domain, place, remote, format, period, words."""

    q = django_filters.CharFilter(label=_("Mots-clés"), method="filter_words")
    skill = SkillFilter(label=_("Compétence"), method="filter_skill")
    domain = django_filters.ModelChoiceFilter(
        label=_("Domaine"),
        queryset=SkillDomain.objects.all(),
        field_name="main_skill__domain",
        empty_label=_("Tous"),
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=DEPARTEMENT_CHOICES, empty_label=_("Tous")
    )
    remote_ok = django_filters.TypedChoiceFilter(
        label=_("À distance possible"), choices=YES_NO, coerce=lambda v: v == "true"
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Need.Format.choices, empty_label=_("Tous")
    )
    available_from = django_filters.DateFilter(
        label=_("Disponible à partir du"),
        method="filter_period_end",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    available_until = django_filters.DateFilter(
        label=_("Disponible jusqu'au"),
        method="filter_period_start",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = sort_by_date("published_at", _("Date de publication"))

    class Meta:
        model = Need
        fields = []

    def filter_words(self, queryset, name, value):
        return queryset.search(value)

    def filter_skill(self, queryset, name, skill):
        """The skill as the need's main skill or one of its secondary skills."""
        secondary = Need.secondary_skills.through.objects.filter(skill=skill).values("need_id")
        return queryset.filter(Q(main_skill=skill) | Q(pk__in=secondary))

    def filter_period_end(self, queryset, name, day):
        """Needs whose wished period has not ended before that day."""
        return queryset.filter(wished_end__gte=day)

    def filter_period_start(self, queryset, name, day):
        """Needs whose wished period starts on or before that day."""
        return queryset.filter(wished_start__lte=day)


class OrganisationNeedFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Need.Status.choices, empty_label=_("Tous")
    )
    ordering = sort_by_date("created_at", _("Date de création"))

    class Meta:
        model = Need
        fields = []


class OfferFilter(django_filters.FilterSet):
    """Offers, for CRESS staff: skill, level, place, remote, engagement, availability."""

    skill = SkillFilter(label=_("Compétence"), method="filter_skill_and_level")
    level = django_filters.ChoiceFilter(
        label=_("Niveau minimum"),
        choices=Level.choices,
        method="filter_skill_and_level",
        empty_label=_("Tous"),
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"),
        choices=DEPARTEMENT_CHOICES,
        field_name="areas__departement",
        empty_label=_("Tous"),
    )
    remote_ok = django_filters.TypedChoiceFilter(
        label=_("À distance possible"), choices=YES_NO, coerce=lambda v: v == "true"
    )
    engagement = django_filters.ChoiceFilter(
        label=_("Type d'engagement"), choices=Offer.Engagement.choices, empty_label=_("Tous")
    )
    available_on = django_filters.DateFilter(
        label=_("Disponible le"),
        method="filter_available_on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_active = django_filters.TypedChoiceFilter(
        label=_("Active"), choices=YES_NO, coerce=lambda v: v == "true"
    )
    ordering = sort_by_date("created_at", _("Date de création"))

    class Meta:
        model = Offer
        fields = []

    LEVEL_ORDER = [Level.JUNIOR, Level.CONFIRMED, Level.EXPERT]

    def filter_skill_and_level(self, queryset, name, value):
        """Skill and minimum level apply to the same skill row of the offer."""
        skill = self.form.cleaned_data.get("skill")
        level = self.form.cleaned_data.get("level")
        if name == "level" and skill:
            return queryset  # handled with the skill, on the same row
        rows = OfferSkill.objects.all()
        if skill:
            rows = rows.filter(skill=skill)
        if level:
            rows = rows.filter(level__in=self.LEVEL_ORDER[self.LEVEL_ORDER.index(level) :])
        return queryset.filter(pk__in=rows.values("offer_id"))

    def filter_available_on(self, queryset, name, day):
        return queryset.filter(available_from__lte=day).filter(
            Q(available_until__isnull=True) | Q(available_until__gte=day)
        )
