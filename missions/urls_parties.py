"""The two sides: answering a proposal, "I'm interested", missions (thread, hours, feedback)."""

from django.urls import path

from . import views_parties as views

urlpatterns = [
    path("propositions/<int:pk>/", views.proposal_answer, name="proposal_answer"),
    path("missions/<int:pk>/", views.mission_detail, name="mission_detail"),
]
