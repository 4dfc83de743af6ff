"""« Télécharger mes données »: one JSON file with everything about the logged-in person, and
nothing of anyone else."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data
from missions import services
from notifications.models import Notification
from tests.accounts.personal_world import ABOUT_HER, OTHERS_MESSAGE, VOLUNTEER_STRINGS, lived_world
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

URL = reverse("personal_data")


@pytest.fixture
def world():
    return lived_world()


def download(client, user):
    client.force_login(user)
    response = client.post(URL)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_it_downloads_one_json_attachment_named_with_the_date(client, world):
    response, _data = download(client, world["people"]["volunteer"])
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="probono-mes-donnees-{today}.json"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_page_explains_what_the_file_holds(client, world):
    client.force_login(world["people"]["volunteer"])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Télécharger mes données (JSON)" in page
    assert "le coût horaire que votre employeur a déclaré pour vous" in page
    assert f'action="{URL}"' in page


def test_the_profile_page_links_to_it(client, world):
    client.force_login(world["people"]["volunteer"])
    assert URL in client.get(reverse("profile")).content.decode()


def test_the_account_is_there_but_never_the_password_hash(client, world):
    volunteer = world["people"]["volunteer"]
    response, data = download(client, volunteer)
    assert data["account"]["email"] == volunteer.email
    assert data["account"]["first_name"] == VOLUNTEER_STRINGS["first_name"]
    assert data["account"]["phone"] == VOLUNTEER_STRINGS["phone"]
    assert "password" not in response.content.decode()
    assert volunteer.password not in response.content.decode()


def test_consents_and_memberships_with_their_structures_names(client, world):
    _response, data = download(client, world["people"]["volunteer"])
    assert [consent["version"] for consent in data["consents"]] == ["2026-11"]
    assert [m["organisation"] for m in data["memberships"]] == ["Banque du Nord"]


def test_offers_with_their_free_texts_and_the_proposals_made_of_them(client, world):
    _response, data = download(client, world["people"]["volunteer"])
    [offer] = data["offers"]
    assert offer["title"] == VOLUNTEER_STRINGS["offer_title"]
    assert offer["description"] == VOLUNTEER_STRINGS["offer_description"]
    assert offer["skills"] == [{"skill": "Fonds européens", "level": "Expert"}]
    assert offer["departements"] == ["02"]
    assert {p["id"] for p in data["proposals"]} == {world["proposal"].pk, world["rejected"].pk}


def test_answers_reviews_and_staff_notes_on_her_proposals(client, world):
    """The CRESS's comments and internal notes on proposals of her offers are about her: in."""
    _response, data = download(client, world["people"]["volunteer"])
    assert [a["comment"] for a in data["answers"]] == [VOLUNTEER_STRINGS["answer_comment"]]
    comments = {review["comment"] for review in data["reviews_of_your_proposals"]}
    assert ABOUT_HER["review_comment"] in comments
    notes = [note["text"] for note in data["staff_notes_on_your_proposals"]]
    assert notes == [ABOUT_HER["staff_note"]]


def test_missions_with_hours_feedback_and_the_messages_she_wrote_only(client, world):
    _response, data = download(client, world["people"]["volunteer"])
    [mission] = data["missions"]
    assert mission["hours"][0]["minutes"] == 90
    assert mission["hours"][0]["description"] == VOLUNTEER_STRINGS["hours"]
    assert {f["comment"] for f in mission["feedback"]} == {
        VOLUNTEER_STRINGS["feedback"], ABOUT_HER["feedback_about"],
    }  # fmt: skip
    assert [m["text"] for m in data["messages_written"]] == [VOLUNTEER_STRINGS["message"]]
    assert [f["comment"] for f in data["feedback_given"]] == [VOLUNTEER_STRINGS["feedback"]]
    assert "Heures déclarées" in {step["step"].capitalize() for step in data["steps_taken"]}


def test_notifications_preference_and_the_hourly_cost_declared_about_her(client, world):
    volunteer = world["people"]["volunteer"]
    _response, data = download(client, volunteer)
    expected = set(Notification.objects.filter(recipient=volunteer).values_list("text", flat=True))
    assert expected and {n["text"] for n in data["notifications"]} == expected
    assert data["notification_preference"] == {
        "email_mode": "Un récapitulatif par jour", "chosen": True,
    }  # fmt: skip
    [cost] = data["mecenat_hourly_costs"]
    assert (cost["employer"], cost["hourly_cost"]) == ("Banque du Nord", "41.50")


def test_needs_she_wrote_are_in_the_member_s_export(client, world):
    _response, data = download(client, world["people"]["member"])
    assert [need["title"] for need in data["needs_written"]] == ["Monter un dossier FSE+"]
    assert data["offers"] == []


def test_nothing_of_other_people(client, world):
    response, _data = download(client, world["people"]["volunteer"])
    text = response.content.decode()
    for name in ("member", "staff", "referent", "other_member", "other_volunteer"):
        person = world["people"][name]
        for value in (person.email, person.last_name, person.phone):
            if value:
                assert value not in text, (name, value)
    assert OTHERS_MESSAGE not in text


def test_it_is_always_the_logged_in_person_whatever_the_request_names(client, world):
    """No id in the URL; a crafted one in the form or the query string changes nothing."""
    volunteer, member = world["people"]["volunteer"], world["people"]["member"]
    client.force_login(member)
    for crafted in (
        client.post(URL, {"user": volunteer.pk, "user_id": volunteer.pk, "pk": volunteer.pk}),
        client.post(f"{URL}?user={volunteer.pk}&pk={volunteer.pk}"),
    ):
        data = json.loads(crafted.content)
        assert data["account"]["email"] == member.email
        assert volunteer.email not in crafted.content.decode()


def test_anonymous_people_are_sent_to_log_in(client):
    for response in (client.get(URL), client.post(URL)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_cress_staff_download_their_own_data_only(client, world):
    staff = world["people"]["staff"]
    _response, data = download(client, staff)
    assert data["account"]["email"] == staff.email
    assert data["offers"] == [] and data["missions"] == []


def test_it_takes_the_same_queries_for_one_row_or_many(world, django_assert_num_queries):
    """No N+1: each section is one query (or one prefetch), whatever its number of rows."""
    volunteer = world["people"]["volunteer"]
    mission = world["mission"]
    with django_assert_num_queries(QUERIES):
        personal_data.export(volunteer)
    for n in range(4):
        offer = OfferFactory(volunteer=volunteer, organisation=world["company"])
        offer.title = f"Offre {n}"
        services.post_message(mission, volunteer, f"Message {n}")
        Notification.objects.create(recipient=volunteer, key=f"k{n}", text=f"Notification {n}")
    with django_assert_num_queries(QUERIES):
        personal_data.export(volunteer)


# accounts: consents, memberships, invitations received (3); matching: needs, offers + skills
# + areas, proposals (5); notifications: preference, notifications (2); missions: answers,
# reviews, notes, missions + hours + feedback, messages, feedback given, steps (9);
# observatory: costs, years (2).
# accounts also: the API token, failed log-ins, failure log (3).
QUERIES = 24


def test_it_says_whether_an_api_token_exists_but_never_its_key(client, world):
    from rest_framework.authtoken.models import Token

    volunteer = world["people"]["volunteer"]
    _response, data = download(client, volunteer)
    assert data["api_token"] == {"exists": False, "created": None}
    token = Token.objects.create(user=volunteer)
    response, data = download(client, volunteer)
    assert data["api_token"]["exists"] is True
    assert data["api_token"]["created"] is not None
    assert token.key not in response.content.decode()


def test_failed_log_ins_under_her_address_with_dates_but_no_ip(client, world):
    """The IP address and browser may be whoever typed her address: not hers to receive."""
    from axes.models import AccessAttempt, AccessFailureLog

    volunteer = world["people"]["volunteer"]
    common = {"ip_address": "192.0.2.77", "user_agent": "Navigateur-X", "path_info": "/"}
    AccessAttempt.objects.create(
        username=volunteer.email, http_accept="", failures_since_start=2, get_data="",
        post_data="", **common,
    )  # fmt: skip
    AccessAttempt.objects.create(
        username="quelquun@example.org", http_accept="", failures_since_start=5, get_data="",
        post_data="", **common,
    )  # fmt: skip
    AccessFailureLog.objects.create(username=volunteer.email, locked_out=True, **common)
    response, data = download(client, volunteer)
    [attempt] = data["failed_log_ins"]["attempts"]
    assert attempt["failures"] == 2 and attempt["at"]
    [failure] = data["failed_log_ins"]["failures"]
    assert failure["locked_out"] is True and failure["at"]
    text = response.content.decode()
    assert "192.0.2.77" not in text and "Navigateur-X" not in text
    assert "quelquun@example.org" not in text


def test_a_referent_s_export_leaves_out_the_costs_declared_about_colleagues(client, world):
    """A colleague's hourly cost is the colleague's data, even for the referent who declared it."""
    response, data = download(client, world["people"]["referent"])
    assert data["mecenat_hourly_costs"] == []
    assert "41.50" not in response.content.decode()
    assert VOLUNTEER_STRINGS["last_name"] not in response.content.decode()
