"""django-filter filter sets for the needs and offers lists; every filter lives in the URL."""

import html

import django_filters
from django import forms
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.departements import DEPARTEMENT_CHOICES, DEPARTEMENTS

from .forms import GroupedSkillChoiceField
from .models import Level, Need, Offer, OfferSkill, Skill, SkillDomain

YES_NO = [("", _("Peu importe")), ("true", _("Oui")), ("false", _("Non"))]


ANY = _("Toutes")


class QuickSelect(forms.Select):
    """A <select> whose <option>s are written in Python, in the markup of Django's templates.

    Rendering each option through the template engine (or even format_html) cost more than
    all the rows of a list page: the 101 départements alone took about 10 ms a request.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = "".join(_optgroup(label, options) for label, options, _i in widget["optgroups"])
        opening = f'<select name="{_escape(name)}"{_attrs(widget["attrs"])}>'
        return mark_safe(f"{opening}{groups}\n</select>")


def _optgroup(label, options):
    rows = "".join(
        f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_escape(option['label'])}</option>"
        for option in options
    )
    if label:
        return f'\n  <optgroup label="{_escape(label)}">{rows}\n  </optgroup>'
    return rows


def _attrs(attrs):
    """Django's attrs.html: `name` for True, nothing for False (or None), else name="value"."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _escape(value):
    """conditional_escape without its lazy-string wrappers, a few hundred times a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def sort_by_date(field, label):
    """?ordering=date (oldest first) or -date (newest first), kept in the URL like the filters."""
    return django_filters.OrderingFilter(
        label=_("Trier par"), fields=((field, "date"),), field_labels={field: label},
        empty_label=None, widget=QuickSelect,
    )  # fmt: skip


class PlainQueryChoices(django_filters.fields.ModelChoiceIterator):
    """The choices read by one ordinary query.

    Django reads them with iterator(), which on PostgreSQL opens a server-side cursor
    (DECLARE … WITH HOLD, FETCH, CLOSE): three round trips and a materialised copy for a dozen
    rows, on every list page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class PlainQueryChoiceField(django_filters.fields.ModelChoiceField):
    iterator = PlainQueryChoices


class DomainFilter(django_filters.ModelChoiceFilter):
    """Skill domains, in catalogue order."""

    field_class = PlainQueryChoiceField

    def __init__(self, **kwargs):
        super().__init__(
            queryset=SkillDomain.objects.all(), empty_label=_("Tous"), widget=QuickSelect, **kwargs
        )


@extend_schema_field(
    {
        "type": "integer",
        "description": str(
            _(
                "Numéro (id) d'une compétence, principale ou complémentaire : "
                "voir /api/competences/."
            )
        ),
    }
)
class SkillFilter(django_filters.ModelChoiceFilter):
    """Active skills grouped by domain, as in the forms."""

    field_class = GroupedSkillChoiceField

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Skill.objects.for_pickers(), empty_label=ANY, widget=QuickSelect, **kwargs
        )


@extend_schema_field(
    {
        "type": "string",
        "enum": list(DEPARTEMENTS),
        "description": str(_("Code du département, par exemple 80 pour la Somme ou 2A.")),
    }
)
class DepartementFilter(django_filters.ChoiceFilter):
    """A département by its code; the Hauts-de-France first in the form's list."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Département"),
            choices=DEPARTEMENT_CHOICES,
            empty_label=_("Tous"),
            widget=QuickSelect,
            **kwargs,
        )


def published_needs():
    """The needs anyone may read: published, of a structure the CRESS verified (never a draft,
    nor a registered or suspended structure's), with their list columns and secondary skills.

    The REST API's published needs and the public pages (matching/views_public.py) read this
    one queryset, filtered by NeedFilter.
    """
    return Need.objects.for_published_list().prefetch_related("secondary_skills")


class NeedFilter(django_filters.FilterSet):
    """Published needs: skill or domain, place, remote, format, period, words."""

    q = django_filters.CharFilter(label=_("Mots-clés"), method="filter_words")
    skill = SkillFilter(label=_("Compétence"), method="filter_skill")
    domain = DomainFilter(label=_("Domaine"), field_name="main_skill__domain")
    departement = DepartementFilter()
    remote_ok = django_filters.TypedChoiceFilter(
        label=_("À distance possible"), choices=YES_NO, coerce=lambda v: v == "true",
        widget=QuickSelect,
    )  # fmt: skip
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Need.Format.choices, empty_label=_("Tous"),
        widget=QuickSelect,
    )  # fmt: skip
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
        label=_("Statut"), choices=Need.Status.choices, empty_label=_("Tous"),
        widget=QuickSelect,
    )  # fmt: skip
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
        widget=QuickSelect,
    )
    departement = DepartementFilter(field_name="areas__departement")
    remote_ok = django_filters.TypedChoiceFilter(
        label=_("À distance possible"), choices=YES_NO, coerce=lambda v: v == "true",
        widget=QuickSelect,
    )  # fmt: skip
    engagement = django_filters.ChoiceFilter(
        label=_("Type d'engagement"), choices=Offer.Engagement.choices, empty_label=_("Tous"),
        widget=QuickSelect,
    )  # fmt: skip
    available_on = django_filters.DateFilter(
        label=_("Disponible le"),
        method="filter_available_on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_active = django_filters.TypedChoiceFilter(
        label=_("Active"), choices=YES_NO, coerce=lambda v: v == "true", widget=QuickSelect
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
