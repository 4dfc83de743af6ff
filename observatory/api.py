"""The observatory's four exports as JSON, page by page, for CRESS staff with a token.

The rows, their columns and the filters are the CSV files' (export_tables, scope): the same
period and territory parameters, a territorial reviewer limited to their départements, a wrong
filter refused with a 400 naming it rather than answered with another selection.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError

from accounts.departements import DEPARTEMENTS
from matching.serializers import form_errors

from . import export_tables
from .scope import Selection


class IsCressStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_cress_staff)


class TableRows:
    """A table's rows for a selection, as a sequence the paginator counts and slices."""

    def __init__(self, table, selection):
        self.table, self.selection = table, selection

    def count(self):
        return self.table.count(self.selection)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        return list(self.table.rows(self.selection, window))


def text(label, **kwargs):
    return serializers.CharField(label=label, **kwargs)


def blank_text(label):
    """A label column that is empty when the row has no value (« » in the CSV file too)."""
    return serializers.CharField(label=label, allow_blank=True)


class NeedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("N° du besoin"))
    structure = text(_("Structure"))
    departement = text(_("Département"))
    title = text(_("Titre"))
    main_skill = text(_("Compétence principale"))
    domain = text(_("Domaine"))
    status = text(_("Statut"))
    estimated_hours = serializers.IntegerField(label=_("Heures estimées"))
    wished_start = serializers.DateField(label=_("Début souhaité"))
    wished_end = serializers.DateField(label=_("Fin souhaitée"))
    published_at = serializers.DateTimeField(label=_("Publié le"))
    served = serializers.BooleanField(label=_("Pourvu"))


class OfferRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("N° de l'offre"))
    employer = text(_("Employeur"))
    employer_kind = text(_("Type d'employeur"))
    engagement = text(_("Engagement"))
    skills = blank_text(_("Compétences et niveaux"))
    departements = blank_text(_("Départements couverts"))
    remote_ok = serializers.BooleanField(label=_("À distance possible"))
    hours_per_month = serializers.IntegerField(label=_("Heures par mois"))
    available_from = serializers.DateField(label=_("Disponible à partir du"))
    available_until = serializers.DateField(label=_("Disponible jusqu'au"), allow_null=True)
    active_today = serializers.BooleanField(label=_("Active aujourd'hui"))
    created_at = serializers.DateTimeField(label=_("Créée le"))


class ProposalRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("N° de la proposition"))
    need = serializers.IntegerField(label=_("N° du besoin"))
    need_title = text(_("Besoin"))
    structure = text(_("Structure"))
    departement = text(_("Département"))
    offer = serializers.IntegerField(label=_("N° de l'offre"))
    engagement = text(_("Engagement"))
    source = text(_("Origine"))
    status = text(_("Statut"))
    score = serializers.FloatField(label=_("Score"))
    created_at = serializers.DateTimeField(label=_("Créée le"))
    approved_at = serializers.DateTimeField(label=_("Approuvée le"), allow_null=True)
    review_decision = blank_text(_("Décision de la CRESS"))
    reject_reason = blank_text(_("Motif du rejet"))
    answers = blank_text(_("Réponses des parties"))


HOURS = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": False}


class MissionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("N° de la mission"))
    need = serializers.IntegerField(label=_("N° du besoin"))
    need_title = text(_("Besoin"))
    structure = text(_("Structure"))
    departement = text(_("Département"))
    employer = text(_("Employeur"))
    engagement = text(_("Engagement"))
    status = text(_("Statut"))
    started_at = serializers.DateTimeField(label=_("Commencée le"))
    closed_at = serializers.DateTimeField(label=_("Close le"), allow_null=True)
    hours_in_period = serializers.DecimalField(
        label=_("Heures confirmées dans la période"), **HOURS
    )
    hours_confirmed = serializers.DecimalField(label=_("Heures confirmées en tout"), **HOURS)
    hours_waiting = serializers.DecimalField(label=_("Heures à confirmer"), **HOURS)


SELECTION_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        description=_("Premier jour de la période (par défaut : un an avant la fin)."),
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.DATE,
        description=_("Dernier jour de la période (par défaut : aujourd'hui)."),
    ),
    OpenApiParameter(
        "departement",
        OpenApiTypes.STR,
        enum=list(DEPARTEMENTS),
        description=_(
            "Un département (code INSEE) ; par défaut toute la région, ou tous les départements "
            "d'un relecteur territorial, qui ne peut en demander d'autres."
        ),
    ),
]


class ExportView(generics.GenericAPIView):
    """One export table as JSON pages: the CSV file's rows, one object a row."""

    permission_classes = [IsCressStaff]
    table = None  # an export_tables.Table; its columns are the serializer's fields, in order

    def get(self, request):
        form, selection = Selection.from_request(request)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form_errors(form))
        rows = self.paginate_queryset(TableRows(self.table, selection))
        keys = list(self.get_serializer_class()().fields)
        objects = [dict(zip(keys, row, strict=True)) for row in rows]
        return self.get_paginated_response(self.get_serializer(objects, many=True).data)


def documented(summary, description, serializer):
    """The export's page in the schema: its filters and its rows."""
    return extend_schema(
        summary=summary,
        description=description,
        parameters=SELECTION_PARAMETERS,
        responses=serializer(many=True),
        tags=["exports"],
    )


@documented(
    _("Export des besoins"),
    _("Besoins publiés dans la période et le territoire, comme le fichier CSV."),
    NeedRowSerializer,
)
class NeedExportView(ExportView):
    table, serializer_class = export_tables.NEEDS, NeedRowSerializer


@documented(
    _("Export des offres"),
    _(
        "Offres créées dans la période couvrant le territoire, actives ou non, sans donnée "
        "personnelle, comme le fichier CSV."
    ),
    OfferRowSerializer,
)
class OfferExportView(ExportView):
    table, serializer_class = export_tables.OFFERS, OfferRowSerializer


@documented(
    _("Export des propositions"),
    _("Propositions faites dans la période pour des besoins du territoire, comme le fichier CSV."),
    ProposalRowSerializer,
)
class ProposalExportView(ExportView):
    table, serializer_class = export_tables.PROPOSALS, ProposalRowSerializer


@documented(
    _("Export des missions et des heures"),
    _(
        "Missions du territoire commencées dans la période ou avec des heures données dans la "
        "période, comme le fichier CSV."
    ),
    MissionRowSerializer,
)
class MissionExportView(ExportView):
    table, serializer_class = export_tables.MISSIONS, MissionRowSerializer
