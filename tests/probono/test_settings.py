"""Settings come from the environment; production refuses to start without a secret key."""

import json
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
def test_health_says_503_when_the_broker_is_unreachable(client, settings, point_producers_at):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    point_producers_at(settings.CELERY_BROKER_URL)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def production_value(expression):
    """A value computed under the production settings, in a process of its own."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="probono.settings.production", SECRET_KEY="x" * 50)
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"from probono.celery import app; print(json.dumps({expression}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_tests_run_celery_as_production_does():
    """No Celery override in the test settings: what the tests prove holds in production."""
    from django.conf import settings

    names = sorted(n for n in dir(settings) if n.startswith("CELERY_"))
    production = production_value(
        "{n: getattr(settings, n) for n in dir(settings) if n.startswith('CELERY_')}"
    )
    assert sorted(production) == names
    for name in names:
        if name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
            continue  # from the environment: a broker URL, or in-process without one
        assert json.loads(json.dumps(getattr(settings, name), default=str)) == production[name]


def test_time_limits_visibility_timeout_and_full_pass_interval_are_consistent():
    """soft < hard < visibility timeout < full pass interval, in production as configured."""
    soft, hard, visibility, every = production_value(
        "[app.conf.task_soft_time_limit, app.conf.task_time_limit, "
        "app.conf.broker_transport_options['visibility_timeout'], "
        "settings.MATCHING_FULL_PASS_EVERY_MINUTES * 60]"
    )
    assert 0 < soft < hard < visibility < every
