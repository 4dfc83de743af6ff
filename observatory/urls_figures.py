"""URLs of the observatory: figures."""

from django.urls import path

from . import views_figures

urlpatterns = [
    path("", views_figures.dashboard, name="observatory"),
]
