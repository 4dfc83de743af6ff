"""One rule each for the page and the API: who may change a need, and what a new wished end
does to the expiry reminder."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation
from matching.forms import NeedForm
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def form_data(need, **changes):
    data = {
        "title": need.title, "description": need.description, "main_skill": need.main_skill_id,
        "departement": need.departement, "format": need.format,
        "estimated_hours": need.estimated_hours, "wished_start": need.wished_start.isoformat(),
        "wished_end": need.wished_end.isoformat(),
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def reminded(published_need):
    published_need.expiry_reminder_sent_at = timezone.now()
    published_need.save()
    return published_need


def test_the_form_itself_resets_the_reminder_when_the_end_moves(reminded):
    new_end = reminded.wished_end + datetime.timedelta(days=30)
    form = NeedForm(
        form_data(reminded, wished_end=new_end.isoformat()),
        instance=reminded,
        organisation=reminded.organisation,
    )
    assert form.is_valid(), form.errors
    form.save()
    reminded.refresh_from_db()
    assert reminded.expiry_reminder_sent_at is None


def test_the_form_keeps_the_reminder_when_the_end_stays(reminded):
    sent = reminded.expiry_reminder_sent_at
    form = NeedForm(
        form_data(reminded, title="Un autre titre"),
        instance=reminded,
        organisation=reminded.organisation,
    )
    assert form.is_valid(), form.errors
    form.save()
    reminded.refresh_from_db()
    assert reminded.expiry_reminder_sent_at == sent


# Who may change a need: a member of its structure, an ESS one, on the page as by the API.


@pytest.fixture
def no_longer_ess(association_member, association):
    """A structure whose kind the CRESS corrected after it posted needs (an ESS structure
    registered by mistake as one): its members no longer post or change needs."""
    draft = NeedFactory(organisation=association, status="draft", published_at=None)
    published = NeedFactory(organisation=association)
    association.kind = Organisation.Kind.COMPANY
    association.save()
    return {"draft": draft, "published": published}


@pytest.mark.parametrize(
    "name, need, method",
    [
        ("need_edit", "draft", "get"),
        ("need_edit", "draft", "post"),
        ("need_publish", "draft", "post"),
        ("need_cancel", "published", "post"),
    ],
)
def test_the_page_refuses_what_the_api_refuses(
    client, association_member, no_longer_ess, name, need, method
):
    need = no_longer_ess[need]
    client.force_login(association_member)
    url = reverse(name, args=[need.pk])
    data = form_data(need, title="Changé") if name == "need_edit" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == 403  # they still see it: a refusal, not a 404
    need.refresh_from_db()
    assert need.title != "Changé"
    assert need.status == ("draft" if name != "need_cancel" else "published")


def test_the_api_refuses_it_too(association_member, no_longer_ess):
    api = APIClient()
    api.force_authenticate(association_member)
    need = no_longer_ess["draft"]
    response = api.patch(
        reverse("api_own_needs-detail", args=[need.pk]), {"title": "Changé"}, format="json"
    )
    assert response.status_code in (403, 404)
    need.refresh_from_db()
    assert need.title != "Changé"


def test_a_member_of_an_ess_structure_changes_its_need_on_both(
    client, association_member, draft_need
):
    client.force_login(association_member)
    url = reverse("need_edit", args=[draft_need.pk])
    assert client.post(url, form_data(draft_need, title="Par la page")).status_code == 302
    api = APIClient()
    api.force_authenticate(association_member)
    response = api.patch(
        reverse("api_own_needs-detail", args=[draft_need.pk]), {"title": "Par l'API"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    draft_need.refresh_from_db()
    assert draft_need.title == "Par l'API"
