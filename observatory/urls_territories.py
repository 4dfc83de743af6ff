"""URLs of the observatory: the map of the départements."""

from django.urls import path

from . import views_territories

urlpatterns = [
    path("carte/", views_territories.departement_map, name="observatory_map"),
]
