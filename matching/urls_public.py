"""The published needs for anyone, signed in or not (matching/views_public.py)."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("besoins-publies/", views_public.public_needs, name="public_needs"),
    path("besoins-publies/<int:pk>/", views_public.public_need, name="public_need"),
    path(
        "besoins-publies/sitemap.xml",
        views_public.public_needs_sitemap,
        name="public_needs_sitemap",
    ),
]
