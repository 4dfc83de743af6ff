"""The two sides: answering a proposal, "I'm interested", missions (thread, hours, feedback)."""

from django.urls import path

from . import views_agreement
from . import views_parties as views

urlpatterns = [
    path("propositions/<int:pk>/", views.proposal_answer, name="proposal_answer"),
    path("besoins/<int:pk>/interet/", views.need_interest, name="need_interest"),
    path("missions/", views.my_missions, name="my_missions"),
    path("missions/<int:pk>/", views.mission_detail, name="mission_detail"),
    path("missions/<int:pk>/messages/", views.mission_message, name="mission_message"),
    path("missions/<int:pk>/heures/", views.mission_log_hours, name="mission_log_hours"),
    path("missions/<int:pk>/heures/<int:entry_pk>/modifier/", views.hours_edit, name="hours_edit"),
    path(
        "missions/<int:pk>/heures/<int:entry_pk>/decision/",
        views.hours_decide,
        name="hours_decide",
    ),
    path("missions/<int:pk>/terminer/", views.mission_complete, name="mission_complete"),
    path("missions/<int:pk>/abandonner/", views.mission_abandon, name="mission_abandon"),
    path("missions/<int:pk>/avis/", views.mission_feedback, name="mission_feedback"),
    # Mécénat: the convention the three parties sign, its PDF, its signature recorded.
    path(
        "missions/<int:pk>/convention/",
        views_agreement.agreement_document,
        name="mission_agreement",
    ),
    path(
        "missions/<int:pk>/convention.pdf",
        views_agreement.agreement_pdf_download,
        name="mission_agreement_pdf",
    ),
    path(
        "missions/<int:pk>/convention/signature/",
        views_agreement.agreement_status,
        name="mission_agreement_status",
    ),
]
