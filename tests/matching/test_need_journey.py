"""From a need to an offer and back, and what a structure is told before its need goes public
(issue 12, a newcomer's journey)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import Organisation
from matching.forms import NeedForm
from tests.factories import NeedFactory, OfferFactory, skill

pytestmark = pytest.mark.django_db


def offer_data(volunteer, **changes):
    data = {
        "title": "Stratégie et modèle économique", "description": "",
        "organisation": volunteer.memberships.get().organisation.pk, "engagement": "benevolat",
        "remote_ok": "on", "hours_per_month": 8,
        "available_from": datetime.date.today().isoformat(), "available_until": "",
        "departements": ["02"],
        "skills-TOTAL_FORMS": "1", "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0", "skills-MAX_NUM_FORMS": "10",
        "skills-0-skill": skill("fonds-europeens").pk, "skills-0-level": "confirmed",
    }  # fmt: skip
    data.update(changes)
    return data


def with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}"


# Finding 2: the way back to the need


def test_the_need_page_links_to_a_new_offer_that_comes_back_to_it(
    client, volunteer, published_need
):
    client.force_login(volunteer)
    page = client.get(published_need.get_absolute_url()).text
    expected = with_next(reverse("offer_create"), published_need.get_absolute_url())
    assert f'href="{expected}"' in page.replace("&amp;", "&")


def test_the_offer_form_keeps_the_way_back_and_returns_to_the_need(
    client, volunteer, published_need
):
    client.force_login(volunteer)
    need_url = published_need.get_absolute_url()
    url = with_next(reverse("offer_create"), need_url)
    form = client.get(url).text
    assert f'<input type="hidden" name="next" value="{need_url}">' in form
    response = client.post(reverse("offer_create"), offer_data(volunteer, next=need_url))
    assert response.status_code == 302
    assert response.url == need_url
    assert volunteer.offers.count() == 1
    # Back on the need, the new offer is the one to raise a hand with.
    page = client.get(need_url).text
    assert "Je suis intéressé·e" in page


def test_a_form_with_errors_keeps_the_way_back(client, volunteer, published_need):
    client.force_login(volunteer)
    need_url = published_need.get_absolute_url()
    response = client.post(
        with_next(reverse("offer_create"), need_url), offer_data(volunteer, title="")
    )
    assert response.status_code == 200
    assert f'<input type="hidden" name="next" value="{need_url}">' in response.text


@pytest.mark.parametrize(
    "unsafe", ["https://ailleurs.example/", "//ailleurs.example/besoins/", "accueil"]
)
def test_a_way_back_off_the_site_is_ignored(client, volunteer, unsafe):
    client.force_login(volunteer)
    response = client.post(reverse("offer_create"), offer_data(volunteer, next=unsafe))
    assert response.status_code == 302
    assert response.url == volunteer.offers.get().get_absolute_url()


def test_editing_an_offer_also_honours_the_way_back(client, volunteer, published_need):
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation)
    client.force_login(volunteer)
    need_url = published_need.get_absolute_url()
    data = offer_data(volunteer, next=need_url, hours_per_month=16)
    data["skills-0-skill"] = skill("recrutement").pk  # a second skill: the first one stays
    response = client.post(reverse("offer_edit", args=[offer.pk]), data)
    assert response.url == need_url
    offer.refresh_from_db()
    assert offer.hours_per_month == 16


# Finding 4: « Disponible à partir du » defaults to today


def test_a_new_offer_is_available_from_today(client, volunteer):
    client.force_login(volunteer)
    today = datetime.date.today().isoformat()
    page = client.get(reverse("offer_create")).text
    assert f'name="available_from" value="{today}"' in page


def test_an_offer_being_edited_keeps_its_own_start(client, volunteer):
    start = datetime.date.today() + datetime.timedelta(days=30)
    offer = OfferFactory(
        volunteer=volunteer,
        organisation=volunteer.memberships.get().organisation,
        available_from=start,
    )
    client.force_login(volunteer)
    page = client.get(reverse("offer_edit", args=[offer.pk])).text
    assert f'name="available_from" value="{start.isoformat()}"' in page


# Finding 3: a published need is public on the web


PUBLIC_NOTICE = "visible de tous sur le web"


def test_the_draft_page_says_publishing_makes_it_public(client, association_member, draft_need):
    client.force_login(association_member)
    page = client.get(draft_need.get_absolute_url()).text
    notice = page.index(PUBLIC_NOTICE)
    assert abs(notice - page.index("Publier le besoin")) < 1000
    assert "moteurs de recherche" in page
    assert "ni adresse e-mail, ni numéro de téléphone" in page


def test_the_description_field_warns_against_contact_details(association_member):
    organisation = association_member.memberships.get().organisation
    help_text = str(NeedForm(organisation=organisation).fields["description"].help_text)
    assert PUBLIC_NOTICE in help_text
    assert "ni nom de personne, ni adresse e-mail, ni numéro de téléphone" in help_text


def test_the_need_form_page_shows_the_warning(client, association_member):
    organisation = association_member.memberships.get().organisation
    client.force_login(association_member)
    page = client.get(reverse("need_create", args=[organisation.pk])).text
    assert PUBLIC_NOTICE in page


def test_a_published_need_links_its_members_to_its_public_page(
    client, association_member, published_need
):
    client.force_login(association_member)
    page = client.get(published_need.get_absolute_url()).text
    public = reverse("public_need", args=[published_need.pk])
    assert f'href="{public}"' in page
    assert client.logout() is None
    assert client.get(public).status_code == 200  # the link leads to a page anyone reads


def test_a_draft_has_no_public_page_to_link(client, association_member, draft_need):
    client.force_login(association_member)
    page = client.get(draft_need.get_absolute_url()).text
    assert reverse("public_need", args=[draft_need.pk]) not in page


def test_a_need_of_an_unverified_structure_is_not_said_public(client, association_member):
    organisation = association_member.memberships.get().organisation
    organisation.status = Organisation.Status.REGISTERED
    organisation.save()
    need = NeedFactory(organisation=organisation)
    client.force_login(association_member)
    page = client.get(need.get_absolute_url()).text
    public = reverse("public_need", args=[need.pk])
    assert public not in page
    assert "deviendra public (visible de tous sur le web) quand la CRESS aura vérifié" in page
    client.logout()
    assert client.get(public).status_code == 404


# What the changed pages cost


@pytest.mark.parametrize("status", ["draft", "published"])
def test_the_members_need_page_runs_a_fixed_number_of_queries(
    client, association_member, django_assert_num_queries, status
):
    organisation = association_member.memberships.get().organisation
    need = NeedFactory(organisation=organisation, status=status)
    client.force_login(association_member)
    # session, user, the need with its organisation and skill, memberships, the header's
    # unread count, its secondary skills
    with django_assert_num_queries(6):
        client.get(need.get_absolute_url())


def test_the_volunteers_need_page_runs_a_fixed_number_of_queries(
    client, volunteer, published_need, django_assert_num_queries
):
    OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation)
    client.force_login(volunteer)
    # session, user, the need, memberships, whether it is open to volunteers, the header's
    # unread count, secondary skills, the volunteer's offers, the proposals among them
    with django_assert_num_queries(9):
        client.get(published_need.get_absolute_url())


def test_the_new_offer_page_runs_a_fixed_number_of_queries(
    client, volunteer, published_need, django_assert_num_queries
):
    client.force_login(volunteer)
    # session, user, memberships, the header's unread count, the employers (the choice and
    # its check), the skills of each of the three blank skill rows
    with django_assert_num_queries(9):
        client.get(with_next(reverse("offer_create"), published_need.get_absolute_url()))


def test_publishing_says_the_need_is_now_public(client, association_member, draft_need):
    client.force_login(association_member)
    response = client.post(reverse("need_publish", args=[draft_need.pk]), follow=True)
    assert "visible de tous sur le web" in response.text
    assert f'href="{reverse("public_need", args=[draft_need.pk])}"' in response.text
