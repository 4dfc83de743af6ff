from django.urls import path

from . import views, views_guided, views_templates

urlpatterns = [
    path("besoins/", views.need_list, name="need_list"),
    path("besoins/<int:pk>/", views.need_detail, name="need_detail"),
    path("besoins/<int:pk>/modifier/", views.need_edit, name="need_edit"),
    path("besoins/<int:pk>/publier/", views.need_publish, name="need_publish"),
    path("besoins/<int:pk>/annuler/", views.need_cancel, name="need_cancel"),
    path("structures/<int:pk>/besoins/", views.organisation_needs, name="organisation_needs"),
    path("structures/<int:pk>/besoins/nouveau/", views.need_create, name="need_create"),
    path(
        "structures/<int:pk>/besoins/modeles/",
        views_guided.guided_need_choose,
        name="guided_need_choose",
    ),
    path(
        "structures/<int:pk>/besoins/modeles/<int:template_pk>/",
        views_guided.guided_need_answers,
        name="guided_need_answers",
    ),
    path(
        "structures/<int:pk>/besoins/modeles/<int:template_pk>/apercu/",
        views_guided.guided_need_preview,
        name="guided_need_preview",
    ),
    path("offres/", views.offer_list, name="offer_list"),
    path("offres/mes-offres/", views.my_offers, name="my_offers"),
    path("offres/nouvelle/", views.offer_create, name="offer_create"),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:pk>/pause/", views.offer_set_active, {"active": False}, name="offer_pause"),
    path(
        "offres/<int:pk>/reprendre/", views.offer_set_active, {"active": True}, name="offer_resume"
    ),
    path("cress/moteur/", views.matcher_runs, name="matcher_runs"),
    path("cress/moteur/lancer/", views.matcher_full_pass, name="matcher_full_pass"),
    path(
        "cress/modeles-de-besoin/",
        views_templates.need_template_list,
        name="need_template_list",
    ),
    path(
        "cress/modeles-de-besoin/nouveau/",
        views_templates.need_template_create,
        name="need_template_create",
    ),
    path(
        "cress/modeles-de-besoin/<int:pk>/",
        views_templates.need_template_edit,
        name="need_template_edit",
    ),
    path("cress/propositions/", views.proposal_list, name="proposal_list"),
]
