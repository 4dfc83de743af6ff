"""CRESS staff verify or suspend structures; nobody else can."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Status = Organisation.Status


@pytest.fixture
def registered():
    return OrganisationFactory(name="Régie de quartier d'Amiens", status=Status.REGISTERED)


def verify_url(organisation):
    return reverse("organisation_verify", args=[organisation.pk])


def test_staff_see_the_structures_awaiting_verification(client, cress_staff, registered):
    client.force_login(cress_staff)
    response = client.get(reverse("verification_list"))
    assert response.status_code == 200
    assert registered in response.context["page"].object_list


def test_the_list_shows_awaiting_structures_first(client, cress_staff, registered):
    OrganisationFactory(name="AAA déjà vérifiée", status=Status.VERIFIED)
    client.force_login(cress_staff)
    rows = list(client.get(reverse("verification_list")).context["page"].object_list)
    assert rows[0] == registered


def test_the_list_leaves_out_the_cress_itself(client, cress_staff):
    client.force_login(cress_staff)
    rows = client.get(reverse("verification_list")).context["page"].object_list
    assert all(o.kind != Organisation.Kind.CRESS for o in rows)


@pytest.mark.parametrize("user_fixture", ["association_member", "volunteer"])
def test_other_people_cannot_see_the_list(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("verification_list")).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("verification_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_verify_a_structure_recording_who_and_when(client, cress_staff, registered):
    client.force_login(cress_staff)
    response = client.post(verify_url(registered))
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == Status.VERIFIED
    assert registered.status_changed_by == cress_staff
    assert registered.status_changed_at is not None


def test_staff_suspend_a_structure(client, cress_staff, registered):
    client.force_login(cress_staff)
    client.post(reverse("organisation_suspend", args=[registered.pk]))
    registered.refresh_from_db()
    assert registered.status == Status.SUSPENDED
    assert registered.status_changed_by == cress_staff


def test_a_member_cannot_verify_their_own_structure(client, association_member):
    organisation = association_member.memberships.get().organisation
    organisation.status = Status.REGISTERED
    organisation.save()
    client.force_login(association_member)
    assert client.post(verify_url(organisation)).status_code == 403
    organisation.refresh_from_db()
    assert organisation.status == Status.REGISTERED


def test_a_member_of_another_organisation_cannot_verify(client, other_member, registered):
    client.force_login(other_member)
    assert client.post(verify_url(registered)).status_code == 403
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED


def test_anonymous_people_cannot_verify(client, registered):
    assert client.post(verify_url(registered)).status_code == 302
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED


def test_verifying_needs_a_post(client, cress_staff, registered):
    client.force_login(cress_staff)
    assert client.get(verify_url(registered)).status_code == 405


def test_the_cress_cannot_be_suspended_from_the_list(client, cress_staff):
    cress = cress_staff.memberships.get().organisation
    client.force_login(cress_staff)
    assert client.post(reverse("organisation_suspend", args=[cress.pk])).status_code == 404


@pytest.mark.parametrize("rows", [3, 50])
def test_the_list_costs_the_same_queries_for_3_or_50_rows(
    client, cress_staff, django_assert_max_num_queries, rows
):
    OrganisationFactory.create_batch(rows, status=Status.REGISTERED)
    client.force_login(cress_staff)
    # session, user, memberships (roles), the header's unread count, count for pagination,
    # the page of organisations
    with django_assert_max_num_queries(6):
        client.get(reverse("verification_list"))
