"""A new account confirms its e-mail address by a signed link before it can act."""

import json
import re
import time

import pytest
from django.core import mail
from django.urls import path, reverse
from django.utils import timezone

from accounts.confirmation import (
    RESENDS_PER_HOUR,
    confirmation_path,
    confirmation_token_generator,
)
from accounts.models import Membership, Organisation, User
from accounts.tasks import send_confirmation_email
from matching.models import Need, Offer
from pages.services import load_pages
from probono import urls as project_urls
from tests.factories import OrganisationFactory, UserFactory, member_of, signup_form
from tests.processes import redis_server_or_skip

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
PASSWORD = "motdepasse-solide-2026"
SIGNUP = signup_form()


def stub_view(request):
    from django.http import HttpResponse

    return HttpResponse("stub")


# The GDPR pages another part builds, stubbed under their names for the test that lets them
# through (pytest.mark.urls("tests.accounts.test_email_confirmation")), at paths of their own.
STUBS = {"personal_data": "/stub/mes-donnees/", "account_delete": "/stub/supprimer/"}
urlpatterns = [
    *(path(url.lstrip("/"), stub_view, name=name) for name, url in STUBS.items()),
    *project_urls.urlpatterns,
]


@pytest.fixture
def newcomer():
    """An account just signed up: its address not yet confirmed."""
    return UserFactory(email="nouvelle@example.org", email_confirmed_at=None)


def unconfirmed(user):
    User.objects.filter(pk=user.pk).update(email_confirmed_at=None)
    user.refresh_from_db()
    return user


def link_in(message):
    """The path of the confirmation link in an e-mail's text part."""
    return re.search(r"https?://[^/\s]+(/compte/confirmer-adresse/\S+/\S+/)", message.body).group(1)


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("signup"), {**SIGNUP, **overrides})


# Sign-up and the e-mail


def test_sign_up_emails_one_link_to_our_site(
    client, django_capture_on_commit_callbacks, settings, eager_tasks
):
    settings.SITE_URL = "https://probono.example.org"
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("email_confirmation_required")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.org"]
    assert message.subject == "Probono : confirmez votre adresse e-mail"
    assert "https://probono.example.org/compte/confirmer-adresse/" in message.body
    assert "valable 7 jours" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://probono.example.org{link_in(message)}"' in html


def test_the_new_account_is_unconfirmed_and_lands_on_the_confirmation_page(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    assert User.objects.get(email="claire.martin@example.org").email_confirmed_at is None
    page = client.get(reverse("email_confirmation_required")).text
    assert "<h1>Confirmez votre adresse e-mail</h1>" in page
    assert "<strong>claire.martin@example.org</strong>" in page
    assert f'action="{reverse("email_confirmation_resend")}"' in page


def test_the_confirmation_page_needs_a_login(client):
    response = client.get(reverse("email_confirmation_required"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_confirmed_account_is_sent_home_from_the_confirmation_page(client):
    client.force_login(UserFactory())
    assert client.get(reverse("email_confirmation_required")).url == reverse("home")


# The account cannot act until confirmed

REFUSED_GETS = [
    ("organisation_create", []),
    ("organisation_join", []),
    ("offer_create", []),
    ("my_offers", []),
    ("need_list", []),
    ("profile", []),
    ("notification_inbox", []),
    ("verification_list", []),
    ("proposal_list", []),
]


@pytest.mark.parametrize(("name", "args"), REFUSED_GETS)
def test_an_unconfirmed_account_is_sent_to_the_confirmation_page(client, newcomer, name, args):
    client.force_login(newcomer)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url == reverse("email_confirmation_required")


def test_an_unconfirmed_member_cannot_post_a_need(client):
    """Even a member of a verified structure (say, added by staff) must confirm first."""
    member = unconfirmed(member_of(Kind.ASSOCIATION))
    organisation = member.memberships.get().organisation
    client.force_login(member)
    response = client.get(reverse("need_create", args=[organisation.pk]))
    assert response.url == reverse("email_confirmation_required")
    response = client.post(
        reverse("need_create", args=[organisation.pk]), {"title": "Un besoin", "action": "publish"}
    )
    assert response.status_code == 403
    assert not Need.objects.exists()


def test_unconfirmed_cress_staff_cannot_reach_staff_pages(client):
    staff = unconfirmed(member_of(Kind.CRESS, departement="59", postcode="59000"))
    waiting = OrganisationFactory(status=Organisation.Status.REGISTERED)
    client.force_login(staff)
    assert client.get(reverse("verification_list")).status_code == 302
    response = client.post(reverse("organisation_verify", args=[waiting.pk]))
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Organisation.Status.REGISTERED


REFUSED_POSTS = [
    (
        "organisation_create",
        {"kind": "association", "name": "Nouvelle", "rna": "W595000001", "postcode": "59000"},
        Organisation,
    ),
    ("offer_create", {"title": "Mon offre"}, Offer),
    ("profile", {"first_name": "Autre", "last_name": "Nom"}, None),
    ("notification_mark_all_read", {}, None),
]


@pytest.mark.parametrize(("name", "data", "model"), REFUSED_POSTS)
def test_an_unconfirmed_account_cannot_write(client, newcomer, name, data, model):
    before = model.objects.count() if model else None
    client.force_login(newcomer)
    response = client.post(reverse(name), data)
    assert response.status_code == 403
    assert "Cette action n'est pas possible tant que votre adresse" in response.text
    if model:
        assert model.objects.count() == before
    newcomer.refresh_from_db()
    assert newcomer.first_name != "Autre"


def test_an_unconfirmed_account_cannot_join_a_structure(client, newcomer):
    organisation = OrganisationFactory()
    client.force_login(newcomer)
    response = client.post(reverse("organisation_join"), {"organisation": organisation.pk})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_api_answers_403_in_json_to_an_unconfirmed_session(client, newcomer, method):
    client.force_login(newcomer)
    response = getattr(client, method)(reverse("api_own_offers-list"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "Confirmez d'abord votre adresse e-mail."}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("home", []),
        ("accessibility", []),
        ("privacy", []),
        ("password_change", []),
        ("email_confirmation_required", []),
        # What anyone may read stays readable while the link waits in the mailbox.
        ("pages_index", []),
        ("page_detail", ["mecenat-ou-benevolat"]),
        ("faq", []),
        ("public_needs", []),
        ("public_needs_sitemap", []),
        ("pages_sitemap", []),
        ("robots_txt", []),
    ],
)
def test_an_unconfirmed_account_may_read_these_pages(client, newcomer, name, args):
    load_pages()
    client.force_login(newcomer)
    assert client.get(reverse(name, args=args)).status_code == 200


def test_an_unconfirmed_account_may_change_language_and_log_out(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_may_change_its_password(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-mot-de-passe-2026",
            "new_password2": "Nouveau-mot-de-passe-2026",
        },
    )
    assert response.url == reverse("password_change_done")
    newcomer.refresh_from_db()
    assert newcomer.check_password("Nouveau-mot-de-passe-2026")


@pytest.mark.urls("tests.accounts.test_email_confirmation")
@pytest.mark.parametrize("name", ["personal_data", "account_delete"])
def test_an_unconfirmed_account_may_use_its_gdpr_rights(client, newcomer, name):
    """Downloading one's data and deleting one's account stay open, under their URL names."""
    client.force_login(newcomer)
    assert client.get(STUBS[name]).text == "stub"
    assert client.post(STUBS[name]).text == "stub"


def test_a_confirmed_account_is_not_held_back(client):
    client.force_login(UserFactory())
    assert client.get(reverse("organisation_create")).status_code == 200


def test_anonymous_visitors_still_go_to_the_log_in_page(client):
    response = client.get(reverse("organisation_create"))
    assert response.url.startswith(reverse("login"))


# The link


def test_the_link_confirms_the_address_once(client, newcomer):
    client.force_login(newcomer)
    link = confirmation_path(newcomer)
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Votre adresse e-mail est confirmée" in response.text
    newcomer.refresh_from_db()
    confirmed_at = newcomer.email_confirmed_at
    assert confirmed_at is not None
    assert client.get(reverse("organisation_create")).status_code == 200

    again = client.post(link)
    assert again.status_code == 400
    assert "<h1>Adresse déjà confirmée</h1>" in again.text
    assert "Votre adresse e-mail est déjà confirmée" in again.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at == confirmed_at


def said(response):
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


def test_confirming_without_a_structure_says_to_join_one(client, newcomer):
    client.force_login(newcomer)
    response = client.post(confirmation_path(newcomer))
    assert said(response) == [
        "Votre adresse e-mail est confirmée. Rattachez-vous maintenant à votre structure."
    ]


def test_confirming_after_joining_by_a_link_does_not_say_to_join_again(client, newcomer):
    """Joined through a shareable invitation link before confirming: already attached."""
    employer = OrganisationFactory(kind=Kind.COMPANY, name="Banque du Nord")
    Membership.objects.create(
        user=newcomer,
        organisation=employer,
        status=Membership.Status.ACTIVE,
        joined_through=Membership.JoinedThrough.LINK,
    )
    client.force_login(newcomer)
    response = client.post(confirmation_path(newcomer))
    assert said(response) == ["Votre adresse e-mail est confirmée."]


def test_opening_the_link_confirms_nothing_until_the_button_is_pressed(client, newcomer):
    """Mail scanners open links (GET); only the person's button (POST) confirms."""
    link = confirmation_path(newcomer)
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer mon adresse" in page.text and 'method="post"' in page.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None
    client.post(link)
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None


def test_a_used_link_followed_logged_out_says_the_address_is_confirmed(client, newcomer):
    """Not « Lien de confirmation non valable »: the person only has to log in."""
    link = confirmation_path(newcomer)
    client.post(link)
    again = client.post(link)
    assert "<h1>Adresse déjà confirmée</h1>" in again.text
    assert "non valable" not in again.text
    assert f'<a href="{reverse("login")}">' in again.text


def test_a_bad_link_for_an_unconfirmed_account_is_still_not_valid(client, newcomer):
    response = client.get(confirmation_path(newcomer)[:-3] + "xyz/")
    assert "<h1>Lien de confirmation non valable</h1>" in response.text


def test_the_link_confirms_when_logged_out_then_asks_to_log_in(client, newcomer):
    response = client.post(confirmation_path(newcomer), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "L&#x27;adresse nouvelle@example.org est confirmée : connectez-vous." in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None
    response = client.post(
        reverse("login"), {"username": "nouvelle@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("home")
    assert client.get(reverse("organisation_create")).status_code == 200


def test_a_tampered_link_confirms_nothing(client, newcomer):
    link = confirmation_path(newcomer)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    response = client.get(reverse("email_confirm", args=[uidb64, forged]))
    assert response.status_code == 400
    assert "<h1>Lien de confirmation non valable</h1>" in response.text
    assert "Connectez-vous : si votre adresse n'est pas encore confirmée" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


@pytest.mark.parametrize(
    ("uidb64", "token"), [("MTIzNDU2Nzg", "abc-123"), ("!!", "x"), ("Mg", "no-dash-here-x")]
)
def test_a_garbled_link_gets_the_page_not_an_error(client, newcomer, uidb64, token):
    response = client.get(reverse("email_confirm", args=[uidb64, token]))
    assert response.status_code == 400
    assert "Lien de confirmation non valable" in response.text


def test_one_account_s_link_does_not_confirm_another(client, newcomer):
    other = UserFactory(email_confirmed_at=None)
    token = confirmation_path(newcomer).rstrip("/").split("/")[-1]
    response = client.get(confirmation_path(other).rsplit("/", 2)[0] + f"/{token}/")
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.email_confirmed_at is None


def signed_days_ago(user, days):
    """The link as it was signed `days` days ago (the token holds its own timestamp)."""
    generator = confirmation_token_generator
    seconds = generator._num_seconds(generator._now()) - int(days * 24 * 60 * 60)
    token = generator._make_token_with_timestamp(user, seconds, generator.secret)
    return confirmation_path(user).rsplit("/", 2)[0] + f"/{token}/"


def test_an_expired_link_says_so_and_how_to_get_a_new_one(client, newcomer, settings):
    settings.EMAIL_CONFIRMATION_DAYS = 7
    client.force_login(newcomer)
    response = client.get(signed_days_ago(newcomer, 7.01))
    assert response.status_code == 400
    assert "Ce lien a expiré" in response.text
    assert f'action="{reverse("email_confirmation_resend")}"' in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


def test_a_link_still_in_its_days_confirms(client, newcomer, settings):
    """Beyond Django's PASSWORD_RESET_TIMEOUT (3 days), within EMAIL_CONFIRMATION_DAYS."""
    settings.EMAIL_CONFIRMATION_DAYS = 7
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
    response = client.post(signed_days_ago(newcomer, 6.9))
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None


def test_a_link_sent_to_an_address_since_changed_confirms_nothing(client, newcomer):
    link = confirmation_path(newcomer)
    newcomer.email = "autre.adresse@example.org"
    newcomer.save()
    response = client.post(link)
    assert response.status_code == 400
    assert "l'adresse du compte a changé depuis son envoi" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


# Sending it again


def test_the_link_is_sent_again_on_request(
    client, newcomer, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("email_confirmation_resend"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("email_confirmation_required")
    assert "Un nouveau lien vient d&#x27;être envoyé à nouvelle@example.org." in response.text
    assert [message.to for message in mail.outbox] == [["nouvelle@example.org"]]
    client.post(link_in(mail.outbox[0]))
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None


def test_resending_is_limited_per_hour(
    client, newcomer, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(RESENDS_PER_HOUR):
            assert client.post(reverse("email_confirmation_resend")).status_code == 302
        response = client.post(reverse("email_confirmation_resend"))
    assert response.status_code == 429
    assert "Vous avez déjà demandé 3 nouveaux liens dans l&#x27;heure" in response.text
    assert len(mail.outbox) == RESENDS_PER_HOUR


def test_resending_only_works_by_post(
    client, newcomer, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("email_confirmation_resend")).status_code == 405
    assert mail.outbox == []


def test_a_confirmed_account_gets_no_new_link(
    client, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("email_confirmation_resend")).url == reverse("home")
    assert mail.outbox == []


def test_the_task_e_mails_nobody_once_the_address_is_confirmed(newcomer):
    assert send_confirmation_email(newcomer.pk) == 1
    newcomer.email_confirmed_at = timezone.now()
    newcomer.save()
    assert send_confirmation_email(newcomer.pk) == 0
    assert send_confirmation_email(newcomer.pk + 1000) == 0
    assert len(mail.outbox) == 1


def test_the_link_e_mailed_late_names_the_current_address(newcomer):
    """The task signs the link when it runs: an address changed before it still gets a link
    that works."""
    newcomer.email = "corrigee@example.org"
    newcomer.save()
    send_confirmation_email(newcomer.pk)
    assert mail.outbox[0].to == ["corrigee@example.org"]
    assert link_in(mail.outbox[0]) == confirmation_path(newcomer)


# Accounts made by staff


def test_accounts_made_by_commands_are_confirmed():
    user = User.objects.create_user("commande@example.org", PASSWORD)
    superuser = User.objects.create_superuser("admin@example.org", PASSWORD)
    assert user.email_confirmed_at is not None
    assert superuser.email_confirmed_at is not None


def test_accounts_made_in_the_admin_are_confirmed(client):
    client.force_login(User.objects.create_superuser("admin@example.org", PASSWORD))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ajoutee@example.org",
            "first_name": "Ada",
            "last_name": "Ajout",
            "password1": "Un-jardin-a-Laon-2026",
            "password2": "Un-jardin-a-Laon-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="ajoutee@example.org").email_confirmed_at is not None


# The broker


def test_the_task_is_queued_with_the_account_id_only(
    client, django_capture_on_commit_callbacks, point_producers_at
):
    """The queued message carries the id, neither the address nor the name."""
    redis_server = redis_server_or_skip()
    try:
        point_producers_at(redis_server.url)
        sign_up(client, django_capture_on_commit_callbacks)
        import redis

        messages = redis.Redis.from_url(redis_server.url).lrange("celery", 0, -1)
    finally:
        redis_server.stop()
    user = User.objects.get(email="claire.martin@example.org")
    assert len(messages) == 1
    envelope = json.loads(messages[0])
    assert envelope["headers"]["task"] == "accounts.send_confirmation_email"
    assert envelope["headers"]["argsrepr"] == f"({user.pk},)"
    assert b"claire" not in messages[0].lower()
    assert b"martin" not in messages[0].lower()


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_sign_up_succeeds_at_once_with_the_broker_down(
    client, django_capture_on_commit_callbacks, point_producers_at, outage
):
    """The account is made and the person reaches the confirmation page, whose button sends
    the link once the broker is back."""
    from tests.processes import broker_down

    with broker_down(outage) as url:
        point_producers_at(url)
        started = time.monotonic()
        response = sign_up(client, django_capture_on_commit_callbacks)
        seconds = time.monotonic() - started
    assert response.status_code == 302
    assert response.url == reverse("email_confirmation_required")
    assert seconds < 5, f"sign-up took {seconds:.1f} s"
    user = User.objects.get(email="claire.martin@example.org")
    assert user.consents.count() == 1
    assert mail.outbox == []


def test_the_home_page_of_an_unconfirmed_account_says_what_to_do_first(client, newcomer):
    client.force_login(newcomer)
    page = client.get(reverse("home")).content.decode()
    assert "Confirmez d'abord votre adresse e-mail" in page
    assert reverse("email_confirmation_required") in page
    # Its next steps are not offered yet: they would only lead back to the confirmation page.
    assert reverse("organisation_create") not in page


def test_a_confirmed_home_page_does_not_ask_for_confirmation(client, association_member):
    client.force_login(association_member)
    assert "Confirmez d'abord" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "api_published_needs-list",
        "api_skills-list",
        "api_domains-list",
        "api_schema",
        "api_docs",
    ],
)
def test_an_unconfirmed_session_reads_the_public_api_as_anyone_may(client, newcomer, name):
    client.force_login(newcomer)
    assert client.get(reverse(name)).status_code == 200


def test_an_unconfirmed_session_reads_a_published_need_and_a_skill_by_the_api(client, newcomer):
    from tests.factories import NeedFactory

    need = NeedFactory()
    client.force_login(newcomer)
    assert client.get(reverse("api_published_needs-detail", args=[need.pk])).status_code == 200
    skill = need.main_skill
    assert client.get(reverse("api_skills-detail", args=[skill.pk])).status_code == 200
    domain = skill.domain
    assert client.get(reverse("api_domains-detail", args=[domain.pk])).status_code == 200


def test_an_unconfirmed_session_still_may_not_write_to_the_public_api(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("api_published_needs-list"), {}, content_type="application/json")
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "Confirmez d'abord votre adresse e-mail."}


def test_the_token_page_sends_an_unconfirmed_account_to_confirm_its_address(client, newcomer):
    client.force_login(newcomer)
    response = client.get(reverse("api_token"))
    assert response.status_code == 302
    assert response["Location"] == reverse("email_confirmation_required")
