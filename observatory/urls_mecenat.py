"""URLs of the observatory: mecenat (the company referent's dashboard, statement, declarations)."""

from django.urls import path

from . import views_mecenat as views

urlpatterns = [
    path("", views.mecenat_companies, name="mecenat_companies"),
    path("entreprise/<int:pk>/", views.company_dashboard, name="company_dashboard"),
    path(
        "entreprise/<int:pk>/releve/<int:year>/",
        views.company_statement,
        name="company_statement",
    ),
    path(
        "entreprise/<int:pk>/releve/<int:year>/csv/",
        views.company_statement_csv,
        name="company_statement_csv",
    ),
    path(
        "entreprise/<int:pk>/releve/<int:year>/pdf/",
        views.company_statement_pdf,
        name="company_statement_pdf",
    ),
    path("entreprise/<int:pk>/couts/<int:year>/", views.company_costs, name="company_costs"),
    path("entreprise/<int:pk>/exercice/<int:year>/", views.company_year, name="company_year"),
]
