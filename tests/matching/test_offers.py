"""Skill offers: published by volunteers, seen by them, CRESS staff and their company referent."""

import datetime

import pytest
from django.urls import reverse

from matching.models import Offer
from tests.factories import skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def offer_data(employer, **overrides):
    data = {
        "title": "Contrôleuse de gestion, disponible le jeudi",
        "description": "Quinze ans en banque.",
        "organisation": employer.pk,
        "engagement": "mecenat",
        "remote_ok": "on",
        "hours_per_month": "8",
        "available_from": TODAY.isoformat(),
        "available_until": "",
        "departements": ["59", "62"],
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "10",
        "skills-0-skill": skill("controle-gestion").pk,
        "skills-0-level": "expert",
        "skills-1-skill": skill("comptabilite-finance").pk,
        "skills-1-level": "confirmed",
        "skills-2-skill": "",
        "skills-2-level": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def employer(volunteer):
    return volunteer.memberships.get().organisation


def post_offer(client, employer, **overrides):
    return client.post(reverse("offer_create"), offer_data(employer, **overrides))


def test_a_volunteer_publishes_an_offer_with_skills_levels_and_places(client, volunteer, employer):
    client.force_login(volunteer)
    response = post_offer(client, employer)
    offer = Offer.objects.get()
    assert response.url == offer.get_absolute_url()
    assert offer.volunteer == volunteer
    assert offer.organisation == employer
    assert {(s.skill.code, s.level) for s in offer.skills.all()} == {
        ("controle-gestion", "expert"),
        ("comptabilite-finance", "confirmed"),
    }
    assert offer.departement_codes() == ["59", "62"]
    assert offer.is_active


def test_the_whole_region_in_one_click(client, volunteer, employer):
    client.force_login(volunteer)
    post_offer(client, employer, departements=[], whole_region="on")
    assert Offer.objects.get().departement_codes() == ["02", "59", "60", "62", "80"]


def test_a_public_agent_publishes_an_offer_too(client):
    from accounts.models import Organisation
    from tests.factories import member_of

    agent = member_of(Organisation.Kind.PUBLIC_BODY, departement="80", postcode="80000")
    client.force_login(agent)
    post_offer(client, agent.memberships.get().organisation, engagement="benevolat")
    assert Offer.objects.get().engagement == "benevolat"


def test_editing_replaces_skills_and_places(client, volunteer, employer):
    client.force_login(volunteer)
    post_offer(client, employer)
    offer = Offer.objects.get()
    rows = {s.skill.code: s for s in offer.skills.all()}
    data = offer_data(
        employer,
        departements=["80"],
        **{
            "skills-TOTAL_FORMS": "2",
            "skills-INITIAL_FORMS": "2",
            "skills-0-id": rows["controle-gestion"].pk,
            "skills-0-offer": offer.pk,
            "skills-0-level": "confirmed",
            "skills-1-id": rows["comptabilite-finance"].pk,
            "skills-1-offer": offer.pk,
            "skills-1-DELETE": "on",
            "skills-2-skill": None,
            "skills-2-level": None,
        },
    )
    response = client.post(reverse("offer_edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.context["skills"].errors
    assert offer.departement_codes() == ["80"]
    assert [(s.skill.code, s.level) for s in offer.skills.all()] == [
        ("controle-gestion", "confirmed")
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours_per_month": "0"}, "Indiquez entre 1 et 80 heures par mois."),
        ({"hours_per_month": "500"}, "Indiquez entre 1 et 80 heures par mois."),
        ({"departements": []}, "Choisissez au moins un département"),
        ({"departements": ["99"]}, "Sélectionnez un choix valide"),
        ({"available_until": (TODAY - datetime.timedelta(days=1)).isoformat()},
         "La fin de disponibilité doit être après le début."),
        ({"engagement": ""}, "Ce champ est obligatoire."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_french_error_and_saves_nothing(
    client, volunteer, employer, overrides, message
):
    client.force_login(volunteer)
    response = post_offer(client, employer, **overrides)
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Contrôleuse de gestion, disponible le jeudi"' in response.text
    assert not Offer.objects.exists()


def test_an_offer_needs_at_least_one_skill(client, volunteer, employer):
    client.force_login(volunteer)
    response = post_offer(client, employer, **{"skills-0-skill": "", "skills-1-skill": ""})
    assert "Indiquez au moins une compétence." in response.text
    assert not Offer.objects.exists()


def test_a_skill_is_listed_once(client, volunteer, employer):
    client.force_login(volunteer)
    same = skill("controle-gestion").pk
    response = post_offer(client, employer, **{"skills-1-skill": same})
    assert "Chaque compétence ne peut figurer qu" in response.text
    assert not Offer.objects.exists()


def test_a_volunteer_names_only_their_own_employer(client, volunteer, other_volunteer):
    other_company = other_volunteer.memberships.get().organisation
    client.force_login(volunteer)
    response = post_offer(client, other_company)
    assert "organisation" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_an_association_member_cannot_publish_an_offer(client, association_member, employer):
    client.force_login(association_member)
    assert post_offer(client, employer).status_code == 403


def test_anonymous_people_cannot_publish_an_offer(client, employer):
    assert post_offer(client, employer).status_code == 302


# Pausing


def test_the_volunteer_pauses_and_resumes_their_offer(client, volunteer, offer):
    client.force_login(volunteer)
    client.post(reverse("offer_pause", args=[offer.pk]))
    offer.refresh_from_db()
    assert not offer.is_active
    client.post(reverse("offer_resume", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.is_active


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("other_volunteer", 404), ("association_member", 404), ("cress_staff", 403)],
)
def test_only_the_volunteer_pauses_or_edits(client, request, offer, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.post(reverse("offer_pause", args=[offer.pk])).status_code == status
    assert client.get(reverse("offer_edit", args=[offer.pk])).status_code == status
    offer.refresh_from_db()
    assert offer.is_active


def test_anonymous_people_cannot_pause(client, offer):
    assert client.post(reverse("offer_pause", args=[offer.pk])).status_code == 302


# Seeing an offer


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("volunteer", 200),
        ("cress_staff", 200),
        ("company_referent", 200),
        ("other_volunteer", 404),
        ("association_member", 404),
    ],
)
def test_who_sees_an_offer(client, request, offer, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(offer.get_absolute_url()).status_code == status


def test_anonymous_people_see_no_offer(client, offer):
    assert client.get(offer.get_absolute_url()).status_code == 302


def test_contact_details_are_shown_to_staff_but_not_to_the_referent(
    client, offer, cress_staff, company_referent
):
    offer.volunteer.phone = "06 12 34 56 78"
    offer.volunteer.save()
    client.force_login(cress_staff)
    assert "06 12 34 56 78" in client.get(offer.get_absolute_url()).text
    client.force_login(company_referent)
    page = client.get(offer.get_absolute_url()).text
    assert "06 12 34 56 78" not in page
    assert offer.volunteer.email not in page
