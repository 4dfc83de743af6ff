"""Real processes for the tests that must fail the way production fails.

A private `redis-server` the test can stop and start again, a listener that accepts and never
answers (a hung broker), gunicorn and a Celery worker run with the *production* settings
against the test database. Each is a child process stopped by its fixture, whatever happens.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=30, every=0.1):
    """Poll until a condition holds; the timeout only bounds a broken run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def a_periodic_pass_succeeded():
    """Whether a full pass sent as Celery beat sends it has finished successfully."""
    from matching.models import MatchingRun

    return MatchingRun.objects.filter(
        parent=None, trigger=MatchingRun.Trigger.SCHEDULE, status=MatchingRun.Status.SUCCEEDED
    ).exists()


class RedisServer:
    """A throwaway redis-server on its own port, keeping nothing on disk."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", "/tmp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.answers, timeout=10), f"redis-server did not start on {self.port}"
        return self

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class SilentListener:
    """A TCP port that accepts connections and never answers: a hung broker."""

    def __init__(self, port=None):
        self.server = socket.create_server(("127.0.0.1", port or 0))
        self.port = self.server.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.held = []
        threading.Thread(target=self._accept_forever, daemon=True).start()

    def _accept_forever(self):
        while True:
            try:
                self.held.append(self.server.accept()[0])
            except OSError:
                return

    def close(self):
        self.server.close()
        for held in self.held:
            held.close()


def redis_server_or_skip():
    """A real Redis of this test's own, started; the test skips without the binary."""
    import pytest

    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary")
    return RedisServer().start()


@contextmanager
def broker_down(outage):
    """The URL of a broker that is down: a real Redis stopped ("stopped"), or a port that
    accepts and never answers ("hung"), closed afterwards."""
    if outage == "stopped":
        broker = redis_server_or_skip()
        broker.stop()
        yield broker.url
        return
    broker = SilentListener()
    try:
        yield broker.url
    finally:
        broker.close()


def production_env(broker_url, **extra):
    """The environment of a production process pointed at the test database and a broker."""
    database = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="probono.settings.production",
        # The tests' key, so that sessions made by the test client are valid there too.
        SECRET_KEY=_test_secret_key(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        CELERY_BROKER_URL=broker_url,
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _test_secret_key():
    from django.conf import settings

    return settings.SECRET_KEY


class _Child:
    """A child process in its own process group, its output kept in a log file."""

    def __init__(self, args, env, log_path):
        self.log_path = Path(log_path)
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def output(self):
        return self.log_path.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        """Signal the whole process group: the main process and its pool children."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class ProductionServer(_Child):
    """gunicorn serving Probono with the production settings, as in docker-compose.yml."""

    def __init__(self, env, log_path, timeout=30, workers=1, extra_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [str(BIN / "gunicorn"), "probono.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", str(timeout), *extra_args],
            env, log_path,
        )  # fmt: skip
        assert wait_for(self._listening, timeout=30), f"gunicorn did not start:\n{self.output()}"

    def _listening(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def request(self, path, method="GET", data=None, cookies=None, headers=None, timeout=90):
        """(status, body, seconds taken); never follows redirects."""
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.url + path, body, headers, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        started = time.monotonic()
        try:
            with opener.open(request, timeout=timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        return status, text, time.monotonic() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class CeleryWorker(_Child):
    """`celery worker` with the production settings: prefork pool, one child."""

    def __init__(self, env, log_path):
        super().__init__(
            [str(BIN / "celery"), "-A", "probono", "worker", "--loglevel=INFO",
             "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env, log_path,
        )  # fmt: skip
        assert wait_for(lambda: "ready." in self.output(), timeout=60), self.output()


def logged_in_cookies(user):
    """Session and CSRF cookies for this user, valid for a production server on the test DB."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    csrf = _get_new_csrf_string()
    return {settings.SESSION_COOKIE_NAME: session.session_key, settings.CSRF_COOKIE_NAME: csrf}


def collect_static(env, static_root):
    """collectstatic under the production settings (hashed names, as the Dockerfile does)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env={**env, "STATIC_ROOT": str(static_root)}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {**env, "STATIC_ROOT": str(static_root)}
