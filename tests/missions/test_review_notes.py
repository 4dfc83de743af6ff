"""Staff notes on a proposal, a need or a structure: written and read by CRESS staff only."""

from html import unescape

import pytest
from django.urls import reverse

from missions.models import StaffNote
from tests.missions.test_review_world import *  # noqa: F403 - the fixtures

pytestmark = pytest.mark.django_db

SECRET = "Trésorier injoignable depuis mars"


def note(**target):
    return StaffNote.objects.create(text=SECRET, **target)


def test_staff_add_a_note_on_a_proposal(login, cress_staff, in_scope):
    response = login(cress_staff).post(
        reverse("note_on_proposal", args=[in_scope.pk]), {"text": SECRET}
    )
    assert response.url == reverse("review_detail", args=[in_scope.pk]) + "#notes"
    saved = StaffNote.objects.get()
    assert (saved.proposal, saved.author, saved.text) == (in_scope, cress_staff, SECRET)


def test_staff_add_a_note_on_a_need_and_on_a_structure(login, territorial_reviewer, in_scope):
    client = login(territorial_reviewer)
    response = client.post(reverse("note_on_need", args=[in_scope.need_id]), {"text": "Besoin"})
    assert response.url == in_scope.need.get_absolute_url() + "#notes"
    organisation = in_scope.need.organisation
    response = client.post(reverse("note_on_organisation", args=[organisation.pk]), {"text": "S"})
    assert response.url == organisation.get_absolute_url() + "#notes"
    assert StaffNote.objects.filter(need=in_scope.need_id, text="Besoin").exists()
    assert StaffNote.objects.filter(organisation=organisation, text="S").exists()


def test_an_empty_note_is_refused_on_the_review_page(login, cress_staff, in_scope):
    response = login(cress_staff).post(
        reverse("note_on_proposal", args=[in_scope.pk]), {"text": "   "}
    )
    assert response.status_code == 200
    assert "Écrivez la note." in unescape(response.content.decode())
    assert not StaffNote.objects.exists()


def test_a_too_long_note_keeps_what_was_typed(login, cress_staff, in_scope):
    text = "Très long. " * 400
    response = login(cress_staff).post(
        reverse("note_on_need", args=[in_scope.need_id]), {"text": text}
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "au plus" in page  # Django's French "at most 4000 characters"
    assert "Très long. Très long." in page
    assert not StaffNote.objects.exists()


def test_the_review_page_shows_notes_of_the_proposal_its_need_and_its_structure(
    login, cress_staff, in_scope
):
    note(proposal=in_scope)
    StaffNote.objects.create(text="Sur le besoin", need=in_scope.need)
    StaffNote.objects.create(text="Sur la structure", organisation=in_scope.need.organisation)
    page = login(cress_staff).get(reverse("review_detail", args=[in_scope.pk])).content.decode()
    assert SECRET in unescape(page)
    assert "Sur le besoin" in page and "Sur la structure" in page


def test_notes_of_another_proposal_do_not_show(login, cress_staff, in_scope, out_of_scope):
    note(proposal=out_of_scope)
    page = login(cress_staff).get(reverse("review_detail", args=[in_scope.pk])).content.decode()
    assert SECRET not in unescape(page)


def test_staff_see_notes_on_the_need_page_and_the_structure_page(login, cress_staff, in_scope):
    note(need=in_scope.need)
    StaffNote.objects.create(text="Note structure", organisation=in_scope.need.organisation)
    client = login(cress_staff)
    need_page = unescape(client.get(in_scope.need.get_absolute_url()).content.decode())
    assert SECRET in need_page and reverse("note_on_need", args=[in_scope.need_id]) in need_page
    organisation_page = client.get(in_scope.need.organisation.get_absolute_url()).content.decode()
    assert "Note structure" in organisation_page


@pytest.mark.parametrize("persona", ["owner", "other_member", "volunteer", "referent"])
def test_notes_are_never_shown_outside_staff(client, people, in_scope, persona):
    """Not on the need page, not on the structure page, whoever else may read those pages."""
    note(need=in_scope.need)
    note(organisation=in_scope.need.organisation)
    note(organisation=in_scope.offer.organisation)
    client.force_login(people[persona])
    for url in (
        in_scope.need.get_absolute_url(),
        in_scope.need.organisation.get_absolute_url(),
        in_scope.offer.organisation.get_absolute_url(),
    ):
        response = client.get(url)
        page = unescape(response.content.decode())
        assert SECRET not in page
        assert "Notes internes" not in page


def test_the_volunteer_reads_the_published_need_without_its_notes(login, volunteer, in_scope):
    note(need=in_scope.need)
    response = login(volunteer).get(in_scope.need.get_absolute_url())
    assert response.status_code == 200  # the page is theirs to read, the notes are not
    assert SECRET not in unescape(response.content.decode())


def test_a_territorial_reviewer_sees_no_notes_outside_their_departements(
    login, territorial_reviewer, out_of_scope
):
    note(need=out_of_scope.need)
    response = login(territorial_reviewer).get(out_of_scope.need.get_absolute_url())
    assert response.status_code == 200  # staff read every need page
    assert SECRET not in unescape(response.content.decode())


def test_the_tag_refuses_other_subjects(rf, cress_staff):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = cress_staff
    template = Template("{% load staff_notes %}{% staff_notes thing %}")
    with pytest.raises(TypeError):
        template.render(Context({"request": request, "thing": cress_staff}))
