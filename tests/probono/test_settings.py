"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_django_check(settings_module, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    """One line says why, no traceback."""
    result = run_django_check("probono.settings.production")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Probono refuses to start: SECRET_KEY is not set and DEBUG is off."
    )


def test_production_starts_with_a_secret_key():
    result = run_django_check("probono.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_local_development_needs_no_environment_at_all():
    result = run_django_check("probono.settings.dev")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_health_reports_the_database_and_the_broker(client, settings):
    response = client.get(reverse("health"))
    body = response.json()
    assert body["database"] == "ok"
    if settings.CELERY_BROKER_URL:
        assert body["broker"] == "ok"
    else:
        assert body["broker"].startswith("not configured")
    assert response.status_code == 200


@pytest.mark.django_db
def test_health_says_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
