"""The REST API under /api/: each app's endpoints, the OpenAPI schema and its docs page.

Who may do what: published needs, the skills catalogue, the schema and the docs for anyone;
/api/mes-besoins/ for members of an ESS structure, /api/mes-offres/ for volunteers (another
person's row is a 404, a missing role a 403); /api/exports/ for CRESS staff, within their
scope. A token from /api/jeton/ or the site's session (with its CSRF token on writes).
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from matching import api as matching_api
from observatory import api as observatory_api

from . import views_api

router = SimpleRouter()
router.register("besoins", matching_api.PublishedNeedViewSet, basename="api_published_needs")
router.register("competences", matching_api.SkillViewSet, basename="api_skills")
router.register("domaines", matching_api.DomainViewSet, basename="api_domains")
router.register("mes-besoins", matching_api.OwnNeedViewSet, basename="api_own_needs")
router.register("mes-offres", matching_api.OwnOfferViewSet, basename="api_own_offers")

urlpatterns = [
    *router.urls,
    path("exports/besoins/", observatory_api.NeedExportView.as_view(), name="api_export_needs"),
    path("exports/offres/", observatory_api.OfferExportView.as_view(), name="api_export_offers"),
    path(
        "exports/propositions/",
        observatory_api.ProposalExportView.as_view(),
        name="api_export_proposals",
    ),
    path(
        "exports/missions/",
        observatory_api.MissionExportView.as_view(),
        name="api_export_missions",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path("jeton/", views_api.api_token, name="api_token"),
    # Last: any other address under /api/ (an id that is not a number…) is a 404 in JSON.
    re_path(r"", views_api.not_found),
]
