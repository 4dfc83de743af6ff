"""CRESS staff: the review queue, proposal review, notes, the to-handle-first view."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("cress/revue/", views.review_queue, name="review_queue"),
    path("cress/revue/<int:pk>/", views.review_detail, name="review_detail"),
    path("cress/revue/<int:pk>/approuver/", views.review_approve, name="review_approve"),
    path("cress/revue/<int:pk>/rejeter/", views.review_reject, name="review_reject"),
    path("cress/revue/<int:pk>/note/", views.note_on_proposal, name="note_on_proposal"),
    path("cress/besoins/<int:pk>/note/", views.note_on_need, name="note_on_need"),
    path(
        "cress/structures/<int:pk>/note/", views.note_on_organisation, name="note_on_organisation"
    ),
    path("cress/a-traiter/", views.to_handle_first, name="to_handle_first"),
]
