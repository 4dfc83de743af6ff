"""Browsing: who sees which list, filters combined, French text search, pinned query counts."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Need
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, UserFactory, skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def titles(response):
    return sorted(row.title for row in response.context["page"].object_list)


# Who sees which list


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("volunteer", 200), ("cress_staff", 200), ("association_member", 403)],
)
def test_who_browses_published_needs(client, request, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("need_list")).status_code == status


def test_anonymous_people_do_not_browse_needs(client):
    assert client.get(reverse("need_list")).status_code == 302


def test_the_list_shows_only_published_needs_of_verified_structures(client, volunteer):
    verified = OrganisationFactory()
    unverified = OrganisationFactory(status=Organisation.Status.REGISTERED)
    NeedFactory(organisation=verified, title="Visible")
    NeedFactory(organisation=verified, title="Brouillon", status="draft", published_at=None)
    NeedFactory(organisation=verified, title="Terminé", status="completed")
    NeedFactory(organisation=unverified, title="Pas vérifiée")
    client.force_login(volunteer)
    assert titles(client.get(reverse("need_list"))) == ["Visible"]


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("cress_staff", 200), ("volunteer", 403), ("association_member", 403)],
)
def test_only_staff_browse_offers(client, request, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("offer_list")).status_code == status


def test_anonymous_people_do_not_browse_offers(client):
    assert client.get(reverse("offer_list")).status_code == 302


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("association_member", 200), ("cress_staff", 200), ("other_member", 404), ("volunteer", 404)],
)
def test_who_sees_an_organisations_own_needs(client, request, association, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("organisation_needs", args=[association.pk])).status_code == status


def test_an_organisations_list_shows_every_status_of_its_own_needs_only(
    client, association_member, association
):
    NeedFactory(organisation=association, title="Brouillon", status="draft", published_at=None)
    NeedFactory(organisation=association, title="Publié")
    NeedFactory(title="Ailleurs")
    client.force_login(association_member)
    response = client.get(reverse("organisation_needs", args=[association.pk]))
    assert titles(response) == ["Brouillon", "Publié"]
    filtered = client.get(reverse("organisation_needs", args=[association.pk]), {"status": "draft"})
    assert titles(filtered) == ["Brouillon"]


def test_a_volunteer_sees_only_their_own_offers(client, volunteer, offer, other_volunteer):
    OfferFactory(volunteer=other_volunteer, title="Pas la mienne")
    client.force_login(volunteer)
    assert titles(client.get(reverse("my_offers"))) == [offer.title]


# Filters


@pytest.fixture
def needs():
    """Needs across skills, places, formats and periods."""
    aisne = OrganisationFactory(departement="02", postcode="02000")
    nord = OrganisationFactory(departement="59", postcode="59000")
    later = TODAY + datetime.timedelta(days=200)
    return [
        NeedFactory(organisation=aisne, title="FSE Laon", main_skill=skill("fonds-europeens"),
                    remote_ok=True),
        NeedFactory(organisation=aisne, title="Marchés Laon",
                    main_skill=skill("commande-publique")),
        NeedFactory(organisation=nord, title="FSE Lille", main_skill=skill("fonds-europeens"),
                    format="short_session", estimated_hours=2),
        NeedFactory(organisation=nord, title="Paie Lille", main_skill=skill("droit-du-travail"),
                    wished_start=later, wished_end=later + datetime.timedelta(days=30)),
    ]  # fmt: skip


def browse(client, **filters):
    return titles(client.get(reverse("need_list"), filters))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"skill": "fonds-europeens"}, ["FSE Laon", "FSE Lille"]),
        ({"skill": "fonds-europeens", "departement": "02"}, ["FSE Laon"]),
        ({"skill": "fonds-europeens", "remote_ok": "true"}, ["FSE Laon"]),
        ({"departement": "59", "format": "short_session"}, ["FSE Lille"]),
        ({"domain": "financements", "departement": "02"}, ["FSE Laon", "Marchés Laon"]),
        ({"departement": "59", "available_from": "+150"}, ["Paie Lille"]),
        ({"departement": "59", "available_until": "+30"}, ["FSE Lille"]),
        ({"remote_ok": "false", "departement": "02"}, ["Marchés Laon"]),
        ({"departement": "80"}, []),
    ],
)
def test_filters_combined_return_exactly_the_expected_rows(
    client, volunteer, needs, filters, expected
):
    from matching.models import SkillDomain

    params = dict(filters)
    if "skill" in params:
        params["skill"] = skill(params["skill"]).pk
    if "domain" in params:
        params["domain"] = SkillDomain.objects.get(code=params["domain"]).pk
    for key in ("available_from", "available_until"):
        if key in params:
            params[key] = (TODAY + datetime.timedelta(days=int(params[key]))).isoformat()
    client.force_login(volunteer)
    assert browse(client, **params) == expected


def test_a_secondary_skill_counts_for_the_skill_filter(client, volunteer):
    need = NeedFactory(title="Comptes et gestion", main_skill=skill("comptabilite-finance"))
    need.secondary_skills.add(skill("controle-gestion"))
    client.force_login(volunteer)
    assert browse(client, skill=skill("controle-gestion").pk) == ["Comptes et gestion"]


def test_an_unknown_filter_value_is_an_error_not_a_crash(client, volunteer, needs):
    client.force_login(volunteer)
    response = client.get(reverse("need_list"), {"departement": "999", "skill": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text


def test_needs_sort_by_date_both_ways(client, volunteer):
    old = NeedFactory(title="Ancien")
    Need.objects.filter(pk=old.pk).update(
        published_at=old.published_at - datetime.timedelta(days=9)
    )
    NeedFactory(title="Récent")
    client.force_login(volunteer)
    newest_first = client.get(reverse("need_list"), {"ordering": "-date"}).context["page"]
    oldest_first = client.get(reverse("need_list"), {"ordering": "date"}).context["page"]
    assert [n.title for n in newest_first] == ["Récent", "Ancien"]
    assert [n.title for n in oldest_first] == ["Ancien", "Récent"]


def test_filters_stay_in_the_page_links(client, volunteer):
    NeedFactory.create_batch(25, departement="02")
    client.force_login(volunteer)
    response = client.get(reverse("need_list"), {"departement": "02"})
    assert response.context["page"].paginator.num_pages == 2
    assert "?departement=02&amp;page=2" in response.text


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"skill": "controle-gestion"}, ["Expert Lille", "Junior Arras"]),
        ({"skill": "controle-gestion", "level": "confirmed"}, ["Expert Lille"]),
        ({"departement": "62"}, ["Bénévole Arras", "Junior Arras"]),
        ({"engagement": "benevolat"}, ["Bénévole Arras"]),
        ({"remote_ok": "true", "departement": "59"}, ["Expert Lille"]),
        ({"is_active": "false"}, ["En pause"]),
        ({"available_on": "+400"}, ["Bénévole Arras", "En pause", "Expert Lille"]),
    ],
)
def test_offer_filters_return_exactly_the_expected_rows(client, cress_staff, filters, expected):
    soon = TODAY + datetime.timedelta(days=100)
    OfferFactory(
        title="Expert Lille",
        skills=[("controle-gestion", "expert")],
        departements=["59"],
        remote_ok=True,
    )
    OfferFactory(
        title="Junior Arras",
        skills=[("controle-gestion", "junior")],
        departements=["62"],
        available_until=soon,
    )
    OfferFactory(
        title="Bénévole Arras",
        engagement="benevolat",
        skills=[("communication", "expert")],
        departements=["62"],
    )
    OfferFactory(title="En pause", is_active=False, departements=["80"])  # fmt: skip
    params = dict(filters)
    if "skill" in params:
        params["skill"] = skill(params["skill"]).pk
    if "available_on" in params:
        params["available_on"] = (TODAY + datetime.timedelta(days=400)).isoformat()
    client.force_login(cress_staff)
    assert titles(client.get(reverse("offer_list"), params)) == expected


# French full-text search


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
@pytest.mark.parametrize("words", ["comptable", "comptabilite", "COMPTABILITÉ", "bilans"])
def test_french_search_finds_accents_and_plurals(client, volunteer, words):
    NeedFactory(title="Reprendre notre comptabilité", description="Le bilan annuel est en retard.")
    NeedFactory(title="Site web", description="Refaire notre site.")
    client.force_login(volunteer)
    assert browse(client, q=words) == ["Reprendre notre comptabilité"]


def test_search_on_any_database_finds_a_word_of_the_title_or_description(client, volunteer):
    NeedFactory(title="Reprendre notre comptabilité", description="Le bilan annuel.")
    NeedFactory(title="Site web", description="Refaire notre site internet.")
    client.force_login(volunteer)
    assert browse(client, q="internet") == ["Site web"]
    assert browse(client, q="bilan") == ["Reprendre notre comptabilité"]


# Query counts stay flat


@pytest.mark.parametrize("rows", [3, 50])
def test_the_published_needs_page_costs_the_same_for_3_or_50_rows(
    client, volunteer, django_assert_max_num_queries, rows
):
    NeedFactory.create_batch(rows)
    client.force_login(volunteer)
    # session, user, memberships, the header's unread count, count, rows; the filter form's
    # skill and domain choices (2)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("need_list"))
    assert len(response.context["page"].object_list) == min(rows, 20)


@pytest.mark.parametrize("rows", [3, 50])
def test_the_organisation_needs_page_costs_the_same_for_3_or_50_rows(
    client, association_member, association, django_assert_max_num_queries, rows
):
    NeedFactory.create_batch(rows, organisation=association)
    client.force_login(association_member)
    # session, user, memberships, the header's unread count, organisation, count, rows
    with django_assert_max_num_queries(7):
        client.get(reverse("organisation_needs", args=[association.pk]))


@pytest.mark.parametrize("rows", [3, 50])
def test_the_offers_page_costs_the_same_for_3_or_50_rows(
    client, cress_staff, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        OfferFactory(skills=[("controle-gestion", "expert"), ("communication", "junior")],
                     departements=["59", "62"])  # fmt: skip
    client.force_login(cress_staff)
    # session, user, memberships, the header's unread count, count, rows, skills, areas; the
    # skill filter's choices
    with django_assert_max_num_queries(9):
        client.get(reverse("offer_list"))


@pytest.mark.parametrize("rows", [3, 50])
def test_my_offers_page_costs_the_same_for_3_or_50_rows(
    client, django_assert_max_num_queries, rows
):
    volunteer = UserFactory()
    for _ in range(rows):
        OfferFactory(volunteer=volunteer)
    client.force_login(volunteer)
    # session, user, memberships, the header's unread count, count, rows, skills, areas
    with django_assert_max_num_queries(8):
        client.get(reverse("my_offers"))


def test_an_organisations_needs_sort_by_date_both_ways(client, association_member, association):
    first = NeedFactory(organisation=association, title="Premier")
    Need.objects.filter(pk=first.pk).update(
        created_at=first.created_at - datetime.timedelta(days=3)
    )
    NeedFactory(organisation=association, title="Second")
    client.force_login(association_member)
    url = reverse("organisation_needs", args=[association.pk])
    oldest_first = client.get(url, {"ordering": "date"}).context["page"]
    newest_first = client.get(url, {"ordering": "-date"}).context["page"]
    assert [n.title for n in oldest_first] == ["Premier", "Second"]
    assert [n.title for n in newest_first] == ["Second", "Premier"]
