"""Needs: posted by members of an ESS structure, published explicitly, seen by the right people."""

import datetime

import pytest
from django.urls import reverse

from matching.models import Need
from tests.factories import skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def need_data(**overrides):
    data = {
        "title": "Monter un dossier FSE+",
        "description": "Nous voulons financer un chantier d'insertion.",
        "main_skill": skill("fonds-europeens").pk,
        "departement": "02",
        "format": "mission",
        "estimated_hours": "20",
        "wished_start": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "wished_end": (TODAY + datetime.timedelta(days=120)).isoformat(),
    }
    return {**data, **overrides}


def post_need(client, organisation, **overrides):
    return client.post(reverse("need_create", args=[organisation.pk]), need_data(**overrides))


# Posting


def test_a_member_posts_a_need_as_a_draft(client, association_member, association):
    client.force_login(association_member)
    response = post_need(client, association)
    need = Need.objects.get()
    assert response.url == need.get_absolute_url()
    assert need.status == Need.Status.DRAFT
    assert need.organisation == association
    assert need.created_by == association_member


def test_the_departement_defaults_to_the_organisations(client, association_member, association):
    client.force_login(association_member)
    form = client.get(reverse("need_create", args=[association.pk])).context["form"]
    assert form.initial["departement"] == association.departement


def test_it_keeps_secondary_skills_but_not_the_main_one_twice(
    client, association_member, association
):
    client.force_login(association_member)
    main = skill("fonds-europeens")
    post_need(client, association, secondary_skills=[main.pk, skill("gestion-projet").pk])
    assert list(Need.objects.get().secondary_skills.all()) == [skill("gestion-projet")]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"estimated_hours": "0"}, "estimated_hours", "Indiquez entre 1 et 200 heures."),
        ({"estimated_hours": "-3"}, "estimated_hours", "Indiquez entre 1 et 200 heures."),
        ({"estimated_hours": "5000"}, "estimated_hours", "Indiquez entre 1 et 200 heures."),
        ({"format": "short_session", "estimated_hours": "12"}, "estimated_hours",
         "Une session courte dure environ deux heures"),
        ({"wished_end": TODAY.isoformat(),
          "wished_start": (TODAY + datetime.timedelta(days=3)).isoformat()},
         "wished_end", "La fin souhaitée doit être après le début."),
        ({"main_skill": ""}, "main_skill", "Ce champ est obligatoire."),
        ({"departement": "99"}, "departement", "Sélectionnez un choix valide"),
        ({"wished_start": "31/02/2026"}, "wished_start", "Saisissez une date valide."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_french_error_and_saves_nothing(
    client, association_member, association, overrides, field, message
):
    client.force_login(association_member)
    response = post_need(client, association, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Monter un dossier FSE+"' in response.text, "what was typed is kept"
    assert not Need.objects.exists()


def test_html_in_a_description_is_shown_escaped(client, association_member, draft_need):
    draft_need.description = "<script>alert('x')</script><b>gras</b>"
    draft_need.save()
    client.force_login(association_member)
    page = client.get(draft_need.get_absolute_url()).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in page


# Who may post


def test_a_member_of_another_organisation_cannot_post_here(client, other_member, association):
    client.force_login(other_member)
    assert post_need(client, association).status_code == 404
    assert not Need.objects.exists()


def test_a_volunteer_cannot_post_for_an_association(client, volunteer, association):
    client.force_login(volunteer)
    assert post_need(client, association).status_code == 404


def test_a_company_cannot_post_needs(client, volunteer):
    company = volunteer.memberships.get().organisation
    client.force_login(volunteer)
    assert post_need(client, company).status_code == 403


def test_cress_staff_do_not_post_needs_for_a_structure(client, cress_staff, association):
    client.force_login(cress_staff)
    assert post_need(client, association).status_code == 403


def test_anonymous_people_cannot_post(client, association):
    assert post_need(client, association).status_code == 302
    assert not Need.objects.exists()


# Publishing and the life cycle


def publish(client, need):
    return client.post(reverse("need_publish", args=[need.pk]), follow=True)


def test_a_member_publishes_a_draft(client, association_member, draft_need):
    client.force_login(association_member)
    publish(client, draft_need)
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.PUBLISHED
    assert draft_need.published_at is not None


def test_a_need_of_an_unverified_organisation_cannot_be_published(
    client, association_member, association, draft_need
):
    """The page says why, and the need stays a draft."""
    association.status = "registered"
    association.save()
    client.force_login(association_member)
    detail = client.get(draft_need.get_absolute_url())
    assert "La CRESS n&#x27;a pas encore vérifié votre structure" in detail.text
    response = publish(client, draft_need)
    assert "La CRESS n&#x27;a pas encore vérifié votre structure" in response.text
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.DRAFT


def test_a_need_whose_period_is_over_cannot_be_published(client, association_member, draft_need):
    draft_need.wished_start = TODAY - datetime.timedelta(days=60)
    draft_need.wished_end = TODAY - datetime.timedelta(days=1)
    draft_need.save()
    client.force_login(association_member)
    publish(client, draft_need)
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.DRAFT


def test_a_published_need_cannot_be_published_twice(client, association_member, published_need):
    first = published_need.published_at
    client.force_login(association_member)
    publish(client, published_need)
    published_need.refresh_from_db()
    assert published_need.published_at == first


def test_publishing_needs_a_post(client, association_member, draft_need):
    client.force_login(association_member)
    assert client.get(reverse("need_publish", args=[draft_need.pk])).status_code == 405


@pytest.mark.parametrize("user_fixture", ["other_member", "volunteer"])
def test_outsiders_cannot_publish(client, request, user_fixture, draft_need):
    client.force_login(request.getfixturevalue(user_fixture))
    assert publish(client, draft_need).status_code == 404
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.DRAFT


def test_staff_cannot_publish_for_a_structure(client, cress_staff, draft_need):
    client.force_login(cress_staff)
    assert client.post(reverse("need_publish", args=[draft_need.pk])).status_code == 403


def test_anonymous_people_cannot_publish(client, draft_need):
    assert client.post(reverse("need_publish", args=[draft_need.pk])).status_code == 302
    draft_need.refresh_from_db()
    assert draft_need.status == Need.Status.DRAFT


def test_a_member_cancels_a_need(client, association_member, published_need):
    client.force_login(association_member)
    client.post(reverse("need_cancel", args=[published_need.pk]))
    published_need.refresh_from_db()
    assert published_need.status == Need.Status.CANCELLED


def test_a_completed_need_cannot_be_cancelled(client, association_member, published_need):
    published_need.status = Need.Status.COMPLETED
    published_need.save()
    client.force_login(association_member)
    client.post(reverse("need_cancel", args=[published_need.pk]))
    published_need.refresh_from_db()
    assert published_need.status == Need.Status.COMPLETED


# Editing


def edit(client, need, **overrides):
    return client.post(reverse("need_edit", args=[need.pk]), need_data(**overrides))


def test_a_member_edits_a_published_need(client, association_member, published_need):
    client.force_login(association_member)
    edit(client, published_need, title="Dossier FEDER")
    published_need.refresh_from_db()
    assert published_need.title == "Dossier FEDER"
    assert published_need.status == Need.Status.PUBLISHED


@pytest.mark.parametrize("status", ["completed", "cancelled", "in_progress", "expired"])
def test_a_closed_need_cannot_be_edited(client, association_member, published_need, status):
    published_need.status = status
    published_need.save()
    client.force_login(association_member)
    response = edit(client, published_need, title="Changé")
    assert response.status_code == 302
    published_need.refresh_from_db()
    assert published_need.title == "Monter un dossier FSE+"


def test_bad_input_when_editing_keeps_the_need_as_it_was(
    client, association_member, published_need
):
    client.force_login(association_member)
    response = edit(client, published_need, title="Changé", estimated_hours="0")
    assert response.status_code == 200
    published_need.refresh_from_db()
    assert published_need.title == "Monter un dossier FSE+"


@pytest.mark.parametrize(
    ("user_fixture", "status"), [("other_member", 404), ("volunteer", 404), ("cress_staff", 403)]
)
def test_only_members_edit(client, request, published_need, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("need_edit", args=[published_need.pk])).status_code == status
    assert edit(client, published_need, title="Piraté").status_code == status
    published_need.refresh_from_db()
    assert published_need.title == "Monter un dossier FSE+"


def test_anonymous_people_cannot_edit(client, published_need):
    assert edit(client, published_need, title="Piraté").status_code == 302


# Seeing a need


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("association_member", 200), ("cress_staff", 200), ("volunteer", 404), ("other_member", 404)],
)
def test_who_sees_a_draft(client, request, draft_need, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(draft_need.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("association_member", 200), ("cress_staff", 200), ("volunteer", 200), ("other_member", 404)],
)
def test_who_sees_a_published_need(client, request, published_need, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(published_need.get_absolute_url()).status_code == status


def test_anonymous_people_see_no_need(client, published_need):
    assert client.get(published_need.get_absolute_url()).status_code == 302


def test_volunteers_no_longer_see_needs_of_a_suspended_structure(
    client, volunteer, association, published_need
):
    association.status = "suspended"
    association.save()
    client.force_login(volunteer)
    assert client.get(published_need.get_absolute_url()).status_code == 404
