"""Probono's URLs."""

from django.contrib import admin
from django.urls import include, path

from pages.views import robots_txt

from . import views

# Under /api/, JSON; elsewhere Django's own views with templates/400.html and 500.html.
handler400 = "probono.views.bad_request"
handler500 = "probono.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("probono.urls_api")),
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.urls_invitations")),
    path("", include("accounts.urls_personal_data")),
    path("", include("matching.urls")),
    path("", include("matching.urls_public")),
    path("", include("notifications.urls")),
    path("", include("missions.urls")),
    path("", include("observatory.urls")),
]
