"""Public pages and FAQ (French paths), and their edit pages for CRESS staff."""

from django.urls import path

from . import views

urlpatterns = [
    path("comprendre/", views.pages_index, name="pages_index"),
    path("comprendre/sitemap.xml", views.pages_sitemap, name="pages_sitemap"),
    path("comprendre/<slug:slug>/", views.page_detail, name="page_detail"),
    path("comprendre/<slug:slug>/modifier/", views.page_edit, name="page_edit"),
    path("questions-frequentes/", views.faq, name="faq"),
    path("questions-frequentes/ajouter/", views.question_create, name="question_create"),
    path("questions-frequentes/<int:pk>/modifier/", views.question_edit, name="question_edit"),
]
