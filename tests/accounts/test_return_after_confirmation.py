"""A visitor who signs up (or logs in) from a published need comes back to that need: through
the log-in at once, through the e-mail confirmation after it; never to another site."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import NeedFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
SIGNUP = {
    "email": "claire.martin@example.org",
    "first_name": "Claire",
    "last_name": "Martin",
    "password1": "Un-jardin-a-Laon-2026",
    "password2": "Un-jardin-a-Laon-2026",
    "privacy_consent": "on",
}


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
    page = client.get(need_path)
    assert "Rejoindre mon employeur" in page.content.decode()  # the next step, said on the need


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
