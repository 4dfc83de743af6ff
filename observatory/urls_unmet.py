"""URLs of the observatory: unmet needs and the equity gauge."""

from django.urls import path

from . import views_unmet

urlpatterns = [
    path("besoins-en-attente/", views_unmet.unmet_needs, name="observatory_unmet"),
]
