"""A visitor who signs up (or logs in) from a published need comes back to that need: through
the log-in at once, through the e-mail confirmation after it; never to another site."""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.confirmation import confirmation_path
from accounts.models import User
from accounts.tasks import send_confirmation_email
from tests.factories import NeedFactory, UserFactory, signup_form

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
SIGNUP = signup_form()


@pytest.fixture
def need_path(db):
    return reverse("public_need", args=[NeedFactory(title="Notre plan de financement").pk])


def link_in(message):
    return re.search(r"https?://[^/\s]+(/compte/confirmer-adresse/\S+/\S+/)", message.body).group(1)


def sign_up_from(client, capture, next_url):
    with capture(execute=True):
        response = client.post(f"{reverse('signup')}?next={next_url}", SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("email_confirmation_required")
    return User.objects.get(email=SIGNUP["email"])


def test_the_need_s_button_leads_to_sign_up_and_log_in_with_the_way_back(client, need_path):
    html = client.get(need_path).content.decode()
    assert f'href="{reverse("signup")}?next={need_path.replace("/", "%2F")}"' in html
    assert f'href="{reverse("login")}?next={need_path.replace("/", "%2F")}"' in html


def test_the_sign_up_and_log_in_pages_pass_the_way_back_to_each_other(client, need_path):
    signup = client.get(reverse("signup"), {"next": need_path}).content.decode()
    assert f"{reverse('login')}?next={need_path.replace('/', '%2F')}" in signup
    login = client.get(reverse("login"), {"next": need_path}).content.decode()
    assert f"{reverse('signup')}?next={need_path.replace('/', '%2F')}" in login


def test_after_confirming_the_address_the_new_account_comes_back_to_the_need(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    sign_up_from(client, django_capture_on_commit_callbacks, need_path)
    # Until confirmed, the need is still readable, and says what to do first.
    waiting = client.get(need_path)
    assert waiting.status_code == 200
    assert "Confirmez d'abord votre adresse e-mail" in waiting.content.decode()
    response = client.post(link_in(mail.outbox[-1]))
    assert response.status_code == 302
    assert response.url == need_path
    page = client.get(need_path).content.decode()
    assert "Rejoindre mon employeur" in page  # the next step, said on the need, with the way back
    join = f'href="{reverse("organisation_join")}?next={need_path.replace("/", "%2F")}"'
    assert join in page


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/besoins-publies/1/",
        "//evil.example/",
        "javascript:alert(1)",
        "accueil",  # not a path: redirect() would have taken it for a URL name (a 500)
        "logout",  # a URL name that exists: not followed either
    ],
)
def test_a_way_back_to_another_site_is_not_followed(
    client, elsewhere, django_capture_on_commit_callbacks, eager_tasks
):
    sign_up_from(client, django_capture_on_commit_callbacks, elsewhere)
    response = client.post(link_in(mail.outbox[-1]))
    assert response.url == reverse("home")


def test_without_a_way_back_confirmation_leads_home(
    client, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), SIGNUP)
    assert client.post(link_in(mail.outbox[-1])).url == reverse("home")


def test_an_unconfirmed_account_logging_in_from_the_need_comes_back_after_confirming(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    user = UserFactory(email="tardif@example.org", email_confirmed_at=None)
    response = client.post(
        f"{reverse('login')}?next={need_path}", {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("email_confirmation_resend"))
    assert client.post(link_in(mail.outbox[-1])).url == need_path


def test_a_confirmed_account_logging_in_from_the_need_goes_straight_back(client, need_path):
    user = UserFactory(email="habitue@example.org")
    response = client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD, "next": need_path}
    )
    assert response.url == need_path


def test_log_in_does_not_follow_a_way_back_to_another_site(client):
    user = UserFactory(email="habitue@example.org")
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


# The way back in the link itself: the e-mail is often opened in another browser (a phone)


def whole_link_in(message):
    return re.search(r"https?://[^/\s]+(/compte/confirmer-adresse/\S+)", message.body).group(1)


def test_confirming_in_another_browser_leads_to_log_in_then_to_the_need(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    sign_up_from(client, django_capture_on_commit_callbacks, need_path)
    link = whole_link_in(mail.outbox[-1])
    assert link.endswith(f"?next={quote(need_path, safe='')}")
    phone = Client()
    assert phone.get(link).status_code == 200
    response = phone.post(link)
    assert response.url == f"{reverse('login')}?next={quote(need_path, safe='')}"
    logged_in = phone.post(
        response.url, {"username": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert logged_in.url == need_path


def test_the_link_s_way_back_serves_the_same_browser_too(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    """The session's way back is gone (logged out and in again, say): the link's is followed."""
    user = sign_up_from(client, django_capture_on_commit_callbacks, need_path)
    link = whole_link_in(mail.outbox[-1])
    client.logout()
    client.force_login(user)
    assert client.post(link).url == need_path


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "accueil",
        "/\\evil.example",
    ],
)
def test_a_way_back_put_into_the_link_by_hand_is_not_followed(client, elsewhere):
    """Anyone holding the link may edit its `next`: only a path of this site is followed."""
    user = UserFactory(email="neuve@example.org", email_confirmed_at=None)
    link = f"{confirmation_path(user)}?{urlencode({'next': elsewhere})}"
    assert client.post(link).url == reverse("login")
    user.email_confirmed_at = None
    user.save()
    client.force_login(user)
    assert client.post(f"{confirmation_path(user)}?{urlencode({'next': elsewhere})}").url == (
        reverse("home")
    )


def test_the_link_carries_the_path_only(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    """No query string in the link (it might hold what someone typed into a search)."""
    sign_up_from(client, django_capture_on_commit_callbacks, f"{need_path}?q=claire.martin")
    assert whole_link_in(mail.outbox[-1]).endswith(f"?next={quote(need_path, safe='')}")


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "accueil"])
def test_the_task_puts_no_other_site_into_the_link(elsewhere):
    user = UserFactory(email="neuve@example.org", email_confirmed_at=None)
    send_confirmation_email(user.pk, elsewhere)
    assert whole_link_in(mail.outbox[-1]) == confirmation_path(user)


def test_the_task_is_queued_with_the_id_and_the_path(
    client, need_path, django_capture_on_commit_callbacks, point_producers_at
):
    from tests.processes import redis_server_or_skip

    redis_server = redis_server_or_skip()
    try:
        point_producers_at(redis_server.url)
        sign_up_from(client, django_capture_on_commit_callbacks, f"{need_path}?q=claire.martin")
        import redis

        queued = redis.Redis.from_url(redis_server.url).lrange("celery", 0, -1)
    finally:
        redis_server.stop()
    user = User.objects.get(email=SIGNUP["email"])
    [envelope] = [json.loads(raw) for raw in queued]
    assert envelope["headers"]["argsrepr"] == f"({user.pk}, {need_path!r})"
    assert b"claire" not in queued[0].lower()


def test_a_link_sent_again_carries_the_way_back_too(
    client, need_path, django_capture_on_commit_callbacks, eager_tasks
):
    sign_up_from(client, django_capture_on_commit_callbacks, need_path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("email_confirmation_resend"))
    assert len(mail.outbox) == 2
    assert whole_link_in(mail.outbox[-1]).endswith(f"?next={quote(need_path, safe='')}")
