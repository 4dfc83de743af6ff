"""Invitations: the referent's pages under the structure, the invited person's links."""

from django.urls import path

from . import views_invitations as views

urlpatterns = [
    path("structures/<int:pk>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "structures/<int:pk>/invitations/envoyer/",
        views.invitation_send,
        name="invitation_send",
    ),
    path(
        "structures/<int:pk>/invitations/<int:invitation_pk>/revoquer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "structures/<int:pk>/invitations/<int:invitation_pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "structures/<int:pk>/liens-d-invitation/nouveau/",
        views.invitation_link_create,
        name="invitation_link_create",
    ),
    path(
        "structures/<int:pk>/liens-d-invitation/<int:link_pk>/revoquer/",
        views.invitation_link_revoke,
        name="invitation_link_revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("rejoindre/<str:token>/", views.invitation_link_join, name="invitation_link_join"),
]
