"""A structure's own needs with a token: the page's rules, its form and its services."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Need
from tests.factories import NeedFactory, OfferFactory, skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LIST = reverse("api_own_needs-list")


def detail(need):
    return reverse("api_own_needs-detail", args=[need.pk])


def publish(need):
    return reverse("api_own_needs-publish", args=[need.pk])


@pytest.fixture
def new_need(association):
    return {
        "organisation": association.pk,
        "title": "Monter notre dossier FSE+",
        "description": "Nous cherchons de l'aide pour le dossier.",
        "main_skill": skill("fonds-europeens").pk,
        "secondary_skills": [skill("commande-publique").pk],
        "format": "mission",
        "estimated_hours": 12,
        "wished_start": str(TODAY),
        "wished_end": str(TODAY + datetime.timedelta(days=60)),
    }


# Reading


def test_a_member_lists_the_needs_of_their_structure_drafts_included(
    as_user, association_member, draft_need, published_need, other_member
):
    NeedFactory(organisation=other_member.memberships.get().organisation)
    response = as_user(association_member).get(LIST)
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {draft_need.pk, published_need.pk}


def test_the_status_filter_is_the_page_s(as_user, association_member, draft_need, published_need):
    response = as_user(association_member).get(LIST, {"status": "draft"})
    assert [row["id"] for row in response.json()["results"]] == [draft_need.pk]


def test_another_structure_cannot_filter_on_a_structure_not_theirs(
    as_user, other_member, association
):
    response = as_user(other_member).get(LIST, {"organisation": association.pk})
    assert response.status_code == 400
    assert "choix valide" in response.json()["organisation"][0]


@pytest.mark.parametrize("rows", [3, 50])
def test_the_list_runs_5_queries(
    as_user, association_member, association, django_assert_num_queries, rows
):
    """The token with its user, the memberships (role and structures), the count, the rows
    with their skill and domain, their secondary skills."""
    NeedFactory.create_batch(rows, organisation=association)
    client = as_user(association_member)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.json()["count"] == rows


# Who may


def test_a_member_of_another_structure_gets_404(as_user, other_member, draft_need):
    client = as_user(other_member)
    assert client.get(detail(draft_need)).status_code == 404
    assert client.patch(detail(draft_need), {"title": "Pris"}, format="json").status_code == 404
    assert client.post(publish(draft_need)).status_code == 404
    draft_need.refresh_from_db()
    assert draft_need.title != "Pris" and draft_need.status == "draft"


@pytest.mark.parametrize("who", ["volunteer", "cress_staff"])
def test_a_person_without_a_structure_of_the_ess_gets_403(as_user, request, who, draft_need):
    """Volunteers have no needs; CRESS staff see them on the pages but do not write them."""
    client = as_user(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(draft_need)).status_code == 403
    assert client.post(LIST, {}, format="json").status_code == 403
    response = client.post(publish(draft_need))
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous n'avez pas la permission d'effectuer cette action."}


def test_anonymous_people_get_401(api, draft_need):
    assert api.get(LIST).status_code == 401
    response = api.post(publish(draft_need))
    assert response.status_code == 401
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


# Writing through the page's form


def test_a_member_describes_a_need_as_a_draft(as_user, association_member, association, new_need):
    response = as_user(association_member).post(LIST, new_need, format="json")
    assert response.status_code == 201, response.json()
    need = Need.objects.get(pk=response.json()["id"])
    assert need.status == Need.Status.DRAFT
    assert need.organisation == association
    assert need.created_by == association_member
    assert need.departement == association.departement  # the page's default
    assert list(need.secondary_skills.all()) == [skill("commande-publique")]
    assert response.json()["status"] == "draft"


def test_the_form_s_rules_apply_in_french_and_nothing_is_saved(
    as_user, association_member, new_need
):
    new_need.update(format="short_session", estimated_hours=10, wished_end="2000-01-01")
    response = as_user(association_member).post(LIST, new_need, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "estimated_hours": [
            "Une session courte dure environ deux heures : au-delà de 4 heures, choisissez le "
            "format « mission »."
        ],
        "wished_end": ["La fin souhaitée doit être après le début."],
    }
    assert not Need.objects.exists()


def test_a_member_cannot_post_for_a_structure_not_theirs(
    as_user, association_member, other_member, new_need
):
    new_need["organisation"] = other_member.memberships.get().organisation.pk
    response = as_user(association_member).post(LIST, new_need, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Need.objects.exists()


def test_a_member_edits_a_draft(as_user, association_member, draft_need):
    response = as_user(association_member).patch(
        detail(draft_need), {"title": "Nouveau titre", "estimated_hours": 20}, format="json"
    )
    assert response.status_code == 200, response.json()
    draft_need.refresh_from_db()
    assert (draft_need.title, draft_need.estimated_hours) == ("Nouveau titre", 20)


def test_a_new_end_means_a_new_reminder_as_on_the_page(as_user, association_member, published_need):
    published_need.expiry_reminder_sent_at = datetime.datetime.now(datetime.UTC)
    published_need.save()
    new_end = str(TODAY + datetime.timedelta(days=120))
    response = as_user(association_member).patch(
        detail(published_need), {"wished_end": new_end}, format="json"
    )
    assert response.status_code == 200
    published_need.refresh_from_db()
    assert published_need.expiry_reminder_sent_at is None


def test_a_need_no_longer_editable_is_refused_with_409(as_user, association_member, association):
    need = NeedFactory(organisation=association, status="completed")
    response = as_user(association_member).patch(detail(need), {"title": "x"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Ce besoin ne peut plus être modifié : il est terminé."}


def test_the_structure_of_a_need_cannot_be_changed(
    as_user, association_member, draft_need, other_member
):
    other = other_member.memberships.get().organisation
    response = as_user(association_member).patch(
        detail(draft_need), {"organisation": other.pk}, format="json"
    )
    assert response.status_code == 400  # said, not silently ignored
    assert response.json() == {
        "organisation": ["Un besoin reste à sa structure : décrivez-en un nouveau pour une autre."]
    }
    draft_need.refresh_from_db()
    assert draft_need.organisation != other


def test_its_own_structure_sent_again_is_accepted(as_user, association_member, draft_need):
    response = as_user(association_member).patch(
        detail(draft_need),
        {"organisation": draft_need.organisation_id, "title": "Même structure"},
        format="json",
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("hours", [-3, 0, 201, 999_999_999])
def test_every_out_of_range_hours_gets_the_form_s_one_sentence(
    as_user, association_member, draft_need, hours
):
    response = as_user(association_member).patch(
        detail(draft_need), {"estimated_hours": hours}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"estimated_hours": ["Indiquez entre 1 et 200 heures."]}


# Publishing as the page does


def test_publishing_proposes_offers_as_the_page_does(
    as_user,
    association_member,
    draft_need,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    OfferFactory(skills=[("fonds-europeens", "expert")], departements=[draft_need.departement])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(association_member).post(publish(draft_need))
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.PUBLISHED
    assert draft_need.proposals.count() == 1


def test_a_need_of_an_unverified_structure_is_not_published(
    as_user, association_member, association, draft_need
):
    association.status = Organisation.Status.REGISTERED
    association.save()
    response = as_user(association_member).post(publish(draft_need))
    assert response.status_code == 409
    assert response.json()["detail"].startswith("La CRESS n'a pas encore vérifié votre structure")
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.DRAFT


def test_a_published_need_is_not_published_twice(as_user, association_member, published_need):
    first = published_need.published_at
    response = as_user(association_member).post(publish(published_need))
    assert response.status_code == 409
    assert response.json() == {"detail": "Seul un besoin en brouillon peut être publié."}
    published_need.refresh_from_db()
    assert published_need.published_at == first


# The session, as in the browser


def test_writes_through_the_session_need_the_csrf_token(association_member, new_need):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(association_member)
    refused = client.post(LIST, new_need, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get(reverse("api_token"))  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(LIST, new_need, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
