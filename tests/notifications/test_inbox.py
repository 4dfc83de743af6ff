"""The inbox: each person's own notifications, newest first, unread marked; the header count."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from notifications.context_processors import unread_notifications
from notifications.models import Notification, Preference
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["notification_inbox", "notification_preferences", "notification_mark_all_read"]


def tell(person, n, url="/"):
    """n notifications for a person, the newest last."""
    for i in range(n):
        notify([person], f"event-{person.pk}-{i}", f"Événement {i}", url)
    return Notification.objects.filter(recipient=person)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_people_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_people_following_a_notification_are_sent_to_log_in(client, volunteer):
    notification = tell(volunteer, 1).get()
    response = client.get(reverse("notification_follow", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "person", ["association_member", "volunteer", "cress_staff", "other_member"]
)
def test_everyone_signed_in_has_an_inbox_showing_only_their_own(request, login, person):
    """Every role has an inbox; nobody sees another person's notifications."""
    user = request.getfixturevalue(person)
    tell(user, 1)
    notify([UserFactory()], "someone-elses", "Pas pour vous")
    response = login(user).get(reverse("notification_inbox"))
    assert response.status_code == 200
    assert "Événement 0" in response.text
    assert "Pas pour vous" not in response.text


def test_the_inbox_lists_the_newest_first(login, volunteer):
    tell(volunteer, 3)
    text = login(volunteer).get(reverse("notification_inbox")).text
    assert text.index("Événement 2") < text.index("Événement 1") < text.index("Événement 0")


def test_unread_notifications_are_marked_in_words_not_only_by_colour(login, volunteer):
    notifications = tell(volunteer, 2)
    notifications.filter(text="Événement 0").update(read_at="2026-01-01T00:00Z")
    response = login(volunteer).get(reverse("notification_inbox"))
    assert response.text.count("Non lue") == 1
    assert "1 notification non lue" in response.text


def test_following_a_notification_marks_it_read_and_goes_where_it_points(login, volunteer):
    notification = tell(volunteer, 1, url="/missions/12/").get()
    response = login(volunteer).get(reverse("notification_follow", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/missions/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_following_another_persons_notification_is_not_found(login, volunteer, other_member):
    notification = tell(volunteer, 1).get()
    response = login(other_member).get(reverse("notification_follow", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "missions/3/",
        "",
    ],
)
def test_following_never_leaves_the_site(login, volunteer, url):
    """A notification's link is only ever followed to a path of this site (no open redirect)."""
    notification = tell(volunteer, 1, url=url).get()
    response = login(volunteer).get(reverse("notification_follow", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notification_inbox")


def test_mark_all_read_takes_a_post_only(login, volunteer):
    tell(volunteer, 2)
    assert login(volunteer).get(reverse("notification_mark_all_read")).status_code == 405
    assert Notification.objects.unread().count() == 2


def test_mark_all_read_marks_only_ones_own(login, volunteer, other_member):
    tell(volunteer, 2)
    tell(other_member, 1)
    response = login(volunteer).post(reverse("notification_mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=volunteer).unread().exists()
    assert Notification.objects.filter(recipient=other_member).unread().count() == 1


def test_the_header_shows_the_unread_count_on_every_page(login, volunteer):
    tell(volunteer, 3)
    client = login(volunteer)
    for url in [reverse("home"), reverse("profile"), reverse("notification_preferences")]:
        assert "Notifications (3 non lues)" in client.get(url).text


def test_the_header_shows_no_count_when_all_is_read(login, volunteer):
    text = login(volunteer).get(reverse("home")).text
    assert "non lue" not in text
    assert reverse("notification_inbox") in text


def test_the_header_count_costs_one_query_and_none_for_anonymous(
    volunteer, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    tell(volunteer, 3)
    request = RequestFactory().get("/")
    request.user = volunteer
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 3}
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {}


@pytest.mark.parametrize("rows", [3, 50])
def test_the_inbox_query_count_does_not_grow_with_rows(
    login, volunteer, rows, django_assert_max_num_queries
):
    tell(volunteer, rows)
    client = login(volunteer)
    # session, user, memberships (roles in the header), the unread count, the page's count,
    # the page's rows
    with django_assert_max_num_queries(6):
        response = client.get(reverse("notification_inbox"))
    assert response.status_code == 200


# Preferences


def test_preferences_default_to_immediate_e_mails(login, volunteer):
    response = login(volunteer).get(reverse("notification_preferences"))
    assert response.status_code == 200
    assert re.search(r'value="immediate"[^>]* checked', response.text)
    assert not re.search(r'value="daily"[^>]* checked', response.text)
    assert not Preference.objects.exists()


def test_one_chooses_the_daily_digest(login, volunteer):
    response = login(volunteer).post(reverse("notification_preferences"), {"email_mode": "daily"})
    assert response.status_code == 302
    assert Preference.mode_of(volunteer) == Preference.EmailMode.DAILY
    login(volunteer).post(reverse("notification_preferences"), {"email_mode": "immediate"})
    assert Preference.objects.get(user=volunteer).email_mode == "immediate"


def test_a_bad_choice_is_explained_and_saves_nothing(login, volunteer):
    response = login(volunteer).post(reverse("notification_preferences"), {"email_mode": "weekly"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not Preference.objects.exists()
