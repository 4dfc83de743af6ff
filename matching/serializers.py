"""What the API shows of skills, needs and offers, and how it writes them.

Writes go through the page forms (NeedForm, OfferForm and OfferSkillFormSet): the serializers
type the JSON and describe it in the schema, the forms decide what is valid and say it in
French, so the API and the pages cannot drift apart.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.departements import DEPARTEMENT_CHOICES
from accounts.models import Organisation

from .access import ess_organisations
from .forms import NeedForm, OfferForm, OfferSkillFormSet
from .models import Level, Need, Offer, Skill, SkillDomain
from .services import save_offer

# Catalogue


class DomainSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("Nom dans la langue demandée."))

    class Meta:
        model = SkillDomain
        fields = ("id", "code", "name")


class SkillSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("Nom dans la langue demandée."))
    description = serializers.CharField(read_only=True)
    domain = DomainSerializer(read_only=True)

    class Meta:
        model = Skill
        fields = ("id", "code", "name", "description", "is_priority", "domain")


class SkillRefSerializer(serializers.ModelSerializer):
    """A skill named in a need or an offer: its id (the filters' value), code and name."""

    name = serializers.CharField(read_only=True)

    class Meta:
        model = Skill
        fields = ("id", "code", "name")


# Published needs (no log-in)


class PublicStructureSerializer(serializers.ModelSerializer):
    """What anyone may know of the structure behind a published need: never a person."""

    town = serializers.CharField(source="commune_name", read_only=True, label=_("Commune"))
    departement_label = serializers.CharField(read_only=True, source="get_departement_display")

    class Meta:
        model = Organisation
        fields = ("name", "town", "departement", "departement_label")


class PublishedNeedSerializer(serializers.ModelSerializer):
    """A published need of a verified structure, as volunteers read it."""

    organisation = PublicStructureSerializer(read_only=True)
    main_skill = SkillRefSerializer(read_only=True)
    domain = DomainSerializer(source="main_skill.domain", read_only=True)
    secondary_skills = SkillRefSerializer(many=True, read_only=True)
    departement_label = serializers.CharField(read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)

    class Meta:
        model = Need
        fields = (
            "id", "title", "description", "organisation", "main_skill", "domain",
            "secondary_skills", "departement", "departement_label", "remote_ok", "format",
            "format_label", "estimated_hours", "wished_start", "wished_end", "published_at",
        )  # fmt: skip
        read_only_fields = fields


# Writes through the page forms


def form_errors(form, *formsets):
    """The forms' French messages as DRF validation errors (field → messages)."""
    errors = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == forms.forms.NON_FIELD_ERRORS else name
        errors[key] = list(messages)
    for formset in formsets:
        if formset.non_form_errors():
            errors.setdefault(formset.prefix, []).extend(formset.non_form_errors())
        for row_errors in formset.errors:  # rows are not in the order sent: messages only
            for messages in row_errors.values():
                errors.setdefault(formset.prefix, []).extend(messages)
    return errors


def form_value(value):
    """A validated value as a form field takes it in its data: model rows by their pk."""
    if isinstance(value, list | tuple):
        return [form_value(item) for item in value]
    return getattr(value, "pk", value)


class FormCheckedInteger(serializers.IntegerField):
    """An integer whose bounds the schema shows but the page's form checks, with its other
    rules (its own French sentence, and every error at once)."""

    def __init__(self, *, bounds, **kwargs):
        super().__init__(**kwargs)
        # Set after IntegerField's own __init__, so that DRF adds no validator of its own;
        # drf-spectacular reads them for the schema.
        self.min_value, self.max_value = bounds


def hours_as_in(form_class, name):
    """The form's hours field for the API. Without it, the model's own limits, 0 and 32,767,
    spoke first, each in DRF's words, and hid the form's other errors."""
    form_field = form_class.base_fields[name]
    return FormCheckedInteger(
        bounds=(form_field.min_value, form_field.max_value), help_text=form_field.help_text
    )


class FormBackedSerializer(serializers.ModelSerializer):
    """Typed by DRF for the schema, validated by the page's form, saved as the page saves."""

    def form_data(self, attrs):
        """The form's data: the row's current values, overridden by what was sent."""
        data = {}
        if self.instance is not None:
            for name in self.Meta.fields:
                if name in self.fields and not self.fields[name].read_only:
                    data[name] = self.current_value(name)
        for name, value in attrs.items():
            data[name] = form_value(value)
        return data

    def current_value(self, name):
        value = getattr(self.instance, name)
        if hasattr(value, "all"):  # a many-to-many manager
            return [item.pk for item in value.all()]
        return form_value(value)


class NeedSerializer(FormBackedSerializer):
    """One of the structure's own needs, every status; written through NeedForm."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text=_("Votre structure (une de celles dont vous êtes membre)."),
    )
    main_skill = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), help_text=_("Id d'une compétence du catalogue.")
    )
    secondary_skills = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), many=True, required=False
    )
    departement = serializers.ChoiceField(choices=DEPARTEMENT_CHOICES, required=False)
    estimated_hours = hours_as_in(NeedForm, "estimated_hours")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Need
        fields = (
            "id", "organisation", "title", "description", "main_skill", "secondary_skills",
            "departement", "remote_ok", "format", "estimated_hours", "wished_start",
            "wished_end", "status", "status_label", "published_at", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("status", "published_at", "created_at", "updated_at")
        # Required by the page's form (radio buttons with nothing ticked), despite the
        # model's default.
        extra_kwargs = {"format": {"required": True}}

    def get_fields(self):
        fields = super().get_fields()
        fields["organisation"].queryset = ess_organisations(self.context["request"].user)
        if self.instance is not None:
            fields["organisation"].read_only = True  # a need stays with its structure
        return fields

    def validate(self, attrs):
        self.refuse_another_structure()
        organisation = attrs.get("organisation") or self.instance.organisation
        data = self.form_data(attrs)
        data.setdefault("departement", organisation.departement)
        data.pop("organisation", None)
        form = NeedForm(data, instance=self.instance, organisation=organisation)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        self.form = form
        return {"organisation": organisation}

    def refuse_another_structure(self):
        """The structure is read-only once the need exists: another one sent is said to be
        refused, not silently ignored (its own, sent again, is fine)."""
        sent = self.initial_data.get("organisation") if self.instance is not None else None
        if sent is not None and str(sent) != str(self.instance.organisation_id):
            raise serializers.ValidationError(
                {
                    "organisation": _(
                        "Un besoin reste à sa structure : décrivez-en un nouveau pour une autre."
                    )
                }
            )

    def create(self, validated_data):
        need = self.form.save(commit=False)
        need.organisation = validated_data["organisation"]
        need.created_by = self.context["request"].user
        need.save()
        self.form.save_m2m()
        return need

    def update(self, need, validated_data):
        return self.form.save()


class OfferSkillSerializer(serializers.Serializer):
    skill = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), help_text=_("Id d'une compétence du catalogue.")
    )
    level = serializers.ChoiceField(choices=Level.choices)


class OfferSerializer(FormBackedSerializer):
    """One of the volunteer's own offers; written through OfferForm and its skills formset."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text=_(
            "Votre employeur : une entreprise ou un organisme public dont vous êtes membre."
        ),
    )
    skills = OfferSkillSerializer(
        many=True, help_text=_("Les compétences et leur niveau : au moins une, chacune une fois.")
    )
    departements = serializers.ListField(
        child=serializers.ChoiceField(choices=DEPARTEMENT_CHOICES),
        source="departement_codes",
        required=False,
        help_text=_("Départements où vous pouvez intervenir (codes INSEE)."),
    )
    hours_per_month = hours_as_in(OfferForm, "hours_per_month")
    whole_region = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text=_("Toute la région Hauts-de-France, en plus des départements choisis."),
    )

    class Meta:
        model = Offer
        fields = (
            "id", "title", "description", "organisation", "engagement", "remote_ok",
            "hours_per_month", "available_from", "available_until", "skills", "departements",
            "whole_region", "is_active", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("is_active", "created_at", "updated_at")

    def employers(self):
        user = self.context["request"].user
        if not user.is_authenticated:  # the schema is generated for nobody in particular
            return Organisation.objects.none()
        return Organisation.objects.employers().of_active_member(user).order_by("name")

    def get_fields(self):
        fields = super().get_fields()
        fields["organisation"].queryset = self.employers()
        return fields

    def form_data(self, attrs):
        attrs = dict(attrs)
        if "departement_codes" in attrs:
            attrs["departements"] = attrs.pop("departement_codes")
        return super().form_data(attrs)

    def current_value(self, name):
        if name == "departements":
            return self.instance.departement_codes()
        if name == "skills":
            return [
                {"skill": row.skill_id, "level": row.level} for row in self.instance.skills.all()
            ]
        if name == "whole_region":
            return False
        return super().current_value(name)

    def validate(self, attrs):
        data = self.form_data(attrs)
        data.update(self.skills_formset_data(data.pop("skills", [])))
        form = OfferForm(data, instance=self.instance, employers=self.employers())
        formset = OfferSkillFormSet(data, instance=self.instance or Offer(), prefix="skills")
        if not (form.is_valid() & formset.is_valid()):  # both run, so both sets of errors show
            raise serializers.ValidationError(form_errors(form, formset))
        self.form, self.formset = form, formset
        return {}

    def skills_formset_data(self, skills):
        """The formset's fields: each existing row kept (new level) or deleted, new rows added.

        Matched by skill, so a skill sent again updates its row instead of colliding with it.
        """
        existing = list(self.instance.skills.all()) if self.instance else []
        wanted = {}
        for item in skills:
            wanted.setdefault(form_value(item["skill"]), []).append(item["level"])
        kept, added = [], []
        for row in existing:
            levels = wanted.pop(row.skill_id, None)
            kept.append(
                {"id": row.pk, "skill": row.skill_id, "level": levels[0] if levels else row.level,
                 "DELETE": "" if levels else "on"}
            )  # fmt: skip
            # The same skill sent twice: added again, so that the formset says no as on the page.
            added.extend({"skill": row.skill_id, "level": level} for level in (levels or [])[1:])
        for skill_id, levels in wanted.items():
            added.extend({"skill": skill_id, "level": level} for level in levels)
        rows = kept + [{"id": "", "DELETE": "", **row} for row in added]
        data = {
            "skills-TOTAL_FORMS": str(len(rows)),
            "skills-INITIAL_FORMS": str(len(kept)),
            "skills-MIN_NUM_FORMS": "0",
            "skills-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            data.update({f"skills-{index}-{key}": value for key, value in row.items()})
        return data

    def create(self, validated_data):
        return save_offer(self.form, self.formset, self.context["request"].user)

    def update(self, offer, validated_data):
        return save_offer(self.form, self.formset, offer.volunteer)
