"""The observatory's pages: one module of URLs per part, so each part stays self-contained."""

from django.urls import include, path

urlpatterns = [
    path("observatoire/", include("observatory.urls_figures")),
    path("observatoire/", include("observatory.urls_territories")),
    path("observatoire/", include("observatory.urls_unmet")),
    path("observatoire/exports/", include("observatory.urls_exports")),
    path("mecenat/", include("observatory.urls_mecenat")),
    path("mecenat/", include("observatory.urls_receipts")),
]
