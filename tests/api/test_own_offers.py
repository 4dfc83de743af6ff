"""A volunteer's own offers with a token: the page's form, skills formset and services."""

import datetime

import pytest
from django.urls import reverse

from matching.models import Offer
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LIST = reverse("api_own_offers-list")


def detail(offer):
    return reverse("api_own_offers-detail", args=[offer.pk])


@pytest.fixture
def new_offer(company):
    return {
        "organisation": company.pk,
        "title": "Contrôle de gestion",
        "engagement": "benevolat",
        "hours_per_month": 8,
        "available_from": str(TODAY),
        "skills": [
            {"skill": skill("controle-gestion").pk, "level": "expert"},
            {"skill": skill("fonds-europeens").pk, "level": "junior"},
        ],
        "departements": ["59"],
    }


def test_a_volunteer_lists_their_own_offers_only(as_user, volunteer, offer, other_member):
    OfferFactory()  # someone else's
    response = as_user(volunteer).get(LIST)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [offer.pk]
    assert response.json()["results"][0]["skills"] == [
        {"skill": skill("fonds-europeens").pk, "level": "confirmed"}
    ]


@pytest.mark.parametrize("rows", [3, 50])
def test_the_list_runs_6_queries(as_user, volunteer, company, django_assert_num_queries, rows):
    """The token with its user, the memberships (the role), the count, the rows with
    volunteer and employer, their skills, their départements."""
    OfferFactory.create_batch(rows, volunteer=volunteer, organisation=company)
    client = as_user(volunteer)
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.json()["count"] == rows


def test_a_volunteer_publishes_an_offer(as_user, volunteer, company, new_offer):
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.status_code == 201, response.json()
    offer = Offer.objects.get(pk=response.json()["id"])
    assert (offer.volunteer, offer.organisation, offer.is_active) == (volunteer, company, True)
    assert {(row.skill.code, row.level) for row in offer.skills.all()} == {
        ("controle-gestion", "expert"),
        ("fonds-europeens", "junior"),
    }
    assert offer.departement_codes() == ["59"]


def test_the_whole_region_adds_its_five_departements(as_user, volunteer, new_offer):
    new_offer.update(departements=[], whole_region=True)
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.json()["departements"] == ["02", "59", "60", "62", "80"]


def test_the_form_s_rules_apply_in_french_and_nothing_is_saved(as_user, volunteer, new_offer):
    new_offer["skills"].append({"skill": skill("controle-gestion").pk, "level": "junior"})
    new_offer.update(departements=[], hours_per_month=200)
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "departements": ["Choisissez au moins un département, ou toute la région."],
        "hours_per_month": ["Indiquez entre 1 et 80 heures par mois."],
        "skills": ["Chaque compétence ne peut figurer qu'une fois."],
    }
    assert not Offer.objects.exists()


@pytest.mark.parametrize("hours", [-3, 0, 81, 999_999_999])
def test_every_out_of_range_hours_gets_the_form_s_one_sentence(
    as_user, volunteer, new_offer, hours
):
    new_offer["hours_per_month"] = hours
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.status_code == 400
    assert response.json() == {"hours_per_month": ["Indiquez entre 1 et 80 heures par mois."]}
    assert not Offer.objects.exists()


def test_an_offer_needs_a_skill(as_user, volunteer, new_offer):
    new_offer["skills"] = []
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.json() == {"skills": ["Indiquez au moins une compétence."]}


def test_the_employer_must_be_the_volunteer_s(as_user, volunteer, new_offer):
    new_offer["organisation"] = OrganisationFactory(kind="company").pk
    response = as_user(volunteer).post(LIST, new_offer, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_a_volunteer_changes_levels_and_skills(as_user, volunteer, offer):
    kept = offer.skills.get()
    response = as_user(volunteer).patch(
        detail(offer),
        {"skills": [
            {"skill": skill("fonds-europeens").pk, "level": "expert"},
            {"skill": skill("commande-publique").pk, "level": "junior"},
        ]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert {(row.skill.code, row.level) for row in offer.skills.all()} == {
        ("fonds-europeens", "expert"),
        ("commande-publique", "junior"),
    }
    assert offer.skills.filter(pk=kept.pk).exists()  # the row kept, its level changed
    assert response.json()["skills"] == [
        {"skill": skill("fonds-europeens").pk, "level": "expert"},
        {"skill": skill("commande-publique").pk, "level": "junior"},
    ]


def test_a_skill_left_out_is_removed(as_user, volunteer, company):
    offer = OfferFactory(
        volunteer=volunteer, organisation=company,
        skills=[("fonds-europeens", "expert"), ("commande-publique", "junior")],
    )  # fmt: skip
    response = as_user(volunteer).patch(
        detail(offer), {"skills": [{"skill": skill("commande-publique").pk, "level": "junior"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    assert [row.skill.code for row in offer.skills.all()] == ["commande-publique"]


def test_pause_and_resume_go_through_the_service(
    as_user, volunteer, offer, django_capture_on_commit_callbacks, eager_tasks
):
    """Paused: no proposal; resumed: the matcher proposes it again, as on the page."""
    need = NeedFactory(
        departement="59", organisation=OrganisationFactory(departement="59", postcode="59000")
    )
    client = as_user(volunteer)
    paused = client.post(reverse("api_own_offers-pause", args=[offer.pk]))
    assert paused.status_code == 200 and paused.json()["is_active"] is False
    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.post(reverse("api_own_offers-resume", args=[offer.pk]))
    assert resumed.json()["is_active"] is True
    assert need.proposals.filter(offer=offer).count() == 1


def test_another_volunteer_gets_404(as_user, offer, company):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=company).user
    client = as_user(colleague)
    assert client.get(detail(offer)).status_code == 404
    assert client.patch(detail(offer), {"title": "Pris"}, format="json").status_code == 404
    assert client.post(reverse("api_own_offers-pause", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.title != "Pris" and offer.is_active


@pytest.mark.parametrize("who", ["association_member", "cress_staff"])
def test_a_person_who_is_not_a_volunteer_gets_403(as_user, request, who, offer):
    client = as_user(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.post(reverse("api_own_offers-pause", args=[offer.pk])).status_code == 403


def test_anonymous_people_get_401(api, offer):
    assert api.get(LIST).status_code == 401
    assert api.post(reverse("api_own_offers-pause", args=[offer.pk])).status_code == 401
