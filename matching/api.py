"""The matching app's REST endpoints: published needs and the catalogue for anyone, a
structure's own needs and a volunteer's own offers with a token.

Lists use the pages' named queries and filter sets (matching/filters.py); writes use the pages'
forms and services (matching/serializers.py, matching/services.py). Who may do what follows
the pages: another structure's need or another person's offer is a 404, a person without the
role (a volunteer on needs, a structure's member on offers, CRESS staff on both) a 403.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from .access import ess_organisations, needs_changeable_by
from .filters import NeedFilter, OrganisationNeedFilter, published_needs
from .models import Need, NeedError, Offer, Skill, SkillDomain
from .serializers import (
    DomainSerializer,
    NeedSerializer,
    OfferSerializer,
    PublishedNeedSerializer,
    SkillSerializer,
)
from .services import publish_need, set_offer_active


class Refused(APIException):
    """A step the need's or offer's state does not allow now (409), said in French."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Cette action n'est pas possible dans l'état actuel.")
    default_code = "refused"


REFUSED = OpenApiResponse(description=_("Refusé dans l'état actuel ; `detail` dit pourquoi."))


class HasRole(permissions.BasePermission):
    """Signed in and holding the view's role (`required_role`, an attribute of user.roles)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user.roles, view.required_role))


# Anyone


@extend_schema_view(
    list=extend_schema(
        summary=_("Besoins publiés"),
        description=_(
            "Les besoins publiés des structures vérifiées, avec les filtres de la page des "
            "besoins. Ni brouillon, ni coordonnées, ni nom de personne."
        ),
    ),
    retrieve=extend_schema(summary=_("Un besoin publié")),
)
class PublishedNeedViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = PublishedNeedSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NeedFilter
    queryset = published_needs()


@extend_schema_view(
    list=extend_schema(
        summary=_("Catalogue des compétences"),
        description=_("Les compétences proposées, dans l'ordre du catalogue."),
    ),
    retrieve=extend_schema(summary=_("Une compétence")),
)
class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    serializer_class = SkillSerializer
    queryset = Skill.objects.for_pickers()


@extend_schema_view(
    list=extend_schema(summary=_("Domaines de compétences")),
    retrieve=extend_schema(summary=_("Un domaine de compétences")),
)
class DomainViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    serializer_class = DomainSerializer
    queryset = SkillDomain.objects.all()


# A structure's members


class OwnNeedFilter(OrganisationNeedFilter):
    """The page's filters of a structure's needs, and which structure for members of several."""

    organisation = django_filters.ModelChoiceFilter(
        label=_("Structure"), queryset=lambda request: ess_organisations(request.user)
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Les besoins de mes structures"),
        description=_(
            "Tous les statuts, brouillons compris. Réservé aux membres d'une structure de l'ESS."
        ),
    ),
    create=extend_schema(
        summary=_("Décrire un besoin"),
        description=_("Le besoin est enregistré en brouillon ; publiez-le ensuite."),
        examples=[
            OpenApiExample(
                "besoin",
                summary=_("Un besoin de fonds européens"),
                request_only=True,
                value={
                    "organisation": 1,
                    "title": "Monter notre dossier FSE+",
                    "description": "Nous cherchons de l'aide pour le dossier de demande.",
                    "main_skill": 1,
                    "format": "mission",
                    "estimated_hours": 12,
                    "wished_start": "2027-01-04",
                    "wished_end": "2027-03-31",
                },
            )
        ],
    ),
    retrieve=extend_schema(summary=_("Un besoin de mes structures")),
    update=extend_schema(
        summary=_("Modifier un besoin"),
        description=_("Un brouillon ou un besoin publié seulement, comme sur la page."),
        responses={200: NeedSerializer, 409: REFUSED},
    ),
    partial_update=extend_schema(
        summary=_("Modifier une partie d'un besoin"), responses={200: NeedSerializer, 409: REFUSED}
    ),
)
class OwnNeedViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [HasRole]
    required_role = "association_member"
    serializer_class = NeedSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OwnNeedFilter
    queryset = Need.objects.none()  # for the schema; each request reads get_queryset()

    def get_queryset(self):
        return (
            needs_changeable_by(self.request.user)
            .with_list_columns()
            .prefetch_related("secondary_skills")
        )

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        if not need.is_editable:
            raise Refused(
                _("Ce besoin ne peut plus être modifié : il est %(status)s.")
                % {"status": need.get_status_display().lower()}
            )
        return super().update(request, *args, **kwargs)

    @extend_schema(
        summary=_("Publier un besoin"),
        description=_(
            "Un brouillon d'une structure vérifiée, dont la période n'est pas passée ; le moteur "
            "cherche ensuite des bénévoles."
        ),
        request=None,
        responses={200: NeedSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="publier")
    def publish(self, request, pk=None):
        need = self.get_object()
        try:
            publish_need(need)
        except NeedError as refusal:
            raise Refused(str(refusal)) from None
        return Response(self.get_serializer(need).data)


# Volunteers


@extend_schema_view(
    list=extend_schema(summary=_("Mes offres de compétences")),
    create=extend_schema(
        summary=_("Publier une offre de compétences"),
        examples=[
            OpenApiExample(
                "offre",
                summary=_("Une offre de bénévolat dans le Nord"),
                request_only=True,
                value={
                    "organisation": 1,
                    "title": "Contrôle de gestion",
                    "engagement": "benevolat",
                    "hours_per_month": 8,
                    "available_from": "2027-01-04",
                    "skills": [{"skill": 1, "level": "confirmed"}],
                    "departements": ["59"],
                },
            )
        ],
    ),
    retrieve=extend_schema(summary=_("Une de mes offres")),
    update=extend_schema(summary=_("Modifier une offre")),
    partial_update=extend_schema(summary=_("Modifier une partie d'une offre")),
)
class OwnOfferViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [HasRole]
    required_role = "volunteer"
    serializer_class = OfferSerializer
    queryset = Offer.objects.none()  # for the schema; each request reads get_queryset()

    def get_queryset(self):
        return Offer.objects.of_volunteer(self.request.user)

    def _set_active(self, active):
        offer = self.get_object()
        set_offer_active(offer, active)
        return Response(self.get_serializer(offer).data)

    @extend_schema(
        summary=_("Mettre une offre en pause"),
        description=_(
            "Aucun binôme ne vous est plus proposé pour cette offre. Ses propositions en "
            "attente, proposées ou déjà approuvées par la CRESS, sont retirées ; une mission "
            "commencée continue."
        ),
        request=None,
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._set_active(False)

    @extend_schema(
        summary=_("Reprendre une offre"),
        description=_("L'offre est de nouveau active et le moteur la propose."),
        request=None,
    )
    @action(detail=True, methods=["post"], url_path="reprendre")
    def resume(self, request, pk=None):
        return self._set_active(True)
