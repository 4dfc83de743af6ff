"""Every page says what the browser may load (Content-Security-Policy, nothing inline) and
which of its features the page may use (Permissions-Policy); production adds HSTS and the
other hardening headers on top, and hashes passwords with Argon2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from accounts.models import User
from probono.middleware import permissions_policy
from probono.settings import base
from tests.probono.test_settings import production_value

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "motdepasse-solide-2026"

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()"
)


def directives(policy):
    """`a x; b y z` → {"a": "x", "b": "y z"}: django-csp writes them in no fixed order."""
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def assert_hardened(response):
    assert directives(response.headers["Content-Security-Policy"]) == CSP
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "login", "signup", "password_reset"])
def test_anonymous_pages_carry_both_policies(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.parametrize(
    "person, names",
    [
        ("association_admin", ["home", "profile", "my_missions", "notification_inbox"]),
        ("volunteer", ["home", "need_list", "my_offers", "my_missions"]),
        ("cress_staff", ["review_queue", "proposal_list", "observatory", "observatory_map"]),
    ],
)
def test_each_roles_pages_carry_both_policies(request, login, person, names):
    client = login(request.getfixturevalue(person))
    for name in names:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_hardened(response)


@pytest.mark.django_db
def test_error_pages_and_redirects_carry_them_too(client):
    assert_hardened(client.get("/no-such-page/"))
    assert_hardened(client.get(reverse("observatory")))  # anonymous: to the log-in page


def test_the_permissions_policy_refuses_a_feature_with_an_empty_allowlist():
    assert permissions_policy({"camera": [], "payment": ["self"]}) == "camera=(), payment=(self)"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)


def test_every_admin_page_is_free_of_inline_styles_and_scripts(client, superuser):
    """Django's admin writes an inline <style> on a change list without actions, which the
    policy would refuse: none of ours is such a list, and this says so if one becomes one."""
    client.force_login(superuser)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls += [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: models added by code only
        html = response.content.decode()
        assert "<style" not in html, url
        assert ' style="' not in html, url
        assert "<script>" not in html, url  # every admin script has a src
        assert_hardened(response)


# Production, in a process of its own: its settings module, its middleware (WhiteNoise).


def production_response(path):
    """The headers and cookies of a secure GET under the production settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="probono.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="testserver",
    )
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        f"r = Client().get({path!r}, secure=True); "
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def production_settings(*names):
    return production_value(f"{{n: getattr(settings, n) for n in {names!r}}}")


def test_production_sends_every_hardening_header():
    """A page behind the log-in: its redirect needs neither the database nor the static
    files' manifest, and goes through every middleware."""
    response = production_response(reverse("observatory"))
    assert response["status"] == 302
    headers = response["headers"]
    assert directives(headers["Content-Security-Policy"]) == CSP
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_production_keeps_its_cookies_secure_and_hashes_with_argon2():
    values = production_settings(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT", "PASSWORD_HASHERS",
    )  # fmt: skip
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "PASSWORD_HASHERS": [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ],
    }


# Argon2: the tests hash with MD5 for speed, so the real order is set here explicitly.


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_hashed_with_argon2(real_hashers):
    assert make_password("un mot de passe assez long").startswith("argon2$argon2id$")


def test_an_older_pbkdf2_hash_logs_in_and_is_upgraded_to_argon2(client, db, real_hashers):
    user = User.objects.create(
        email="ancienne@example.org", password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_a_wrong_password_upgrades_nothing(client, db, real_hashers):
    old_hash = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user = User.objects.create(email="ancienne@example.org", password=old_hash)

    response = client.post(reverse("login"), {"username": user.email, "password": "faux"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old_hash


@pytest.mark.django_db
def test_a_refused_form_says_so_in_french_without_inline_style():
    """Django's own CSRF failure page has an inline <style>; templates/403_csrf.html replaces
    it."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire refusé" in html
    assert "<style" not in html
    assert ' style="' not in html
    assert_hardened(response)
