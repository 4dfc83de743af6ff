"""A person's own data (GDPR): download it, delete the account."""

from django.urls import path

from . import views_personal_data as views

urlpatterns = [
    path("compte/mes-donnees/", views.personal_data_page, name="personal_data"),
    path("compte/supprimer/", views.account_delete, name="account_delete"),
]
