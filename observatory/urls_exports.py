"""URLs of the observatory: exports (one CSV file per table, with the page's filters)."""

from django.urls import path

from . import views_exports

urlpatterns = [
    path("besoins/", views_exports.export_needs, name="export_needs"),
    path("offres/", views_exports.export_offers, name="export_offers"),
    path("propositions/", views_exports.export_proposals, name="export_proposals"),
    path("missions/", views_exports.export_missions, name="export_missions"),
]
