"""Benchmark of the list pages — not a test. Prints figures, each against the log-in page of
the same run. Needs PostgreSQL (it creates and fills its own database, `probono_pages_bench`
by default) and Redis (the broker URL the production settings are given; nothing is queued).

    .venv/bin/python bench/pages_bench.py                 # seed if needed, 3 rounds
    .venv/bin/python bench/pages_bench.py --fresh         # drop the database and seed again
    .venv/bin/python bench/pages_bench.py --requests 60 --rounds 1   # a quick look

The demo is seeded (`seed_demo`, then `run_matcher`), static files are collected, and gunicorn
serves Probono with the production settings and 2 workers. Each page then gets a bounded number
of requests (and at most --seconds) from --threads client threads, signed in as the demo's CRESS
officer, who may read every list. Figures per page: requests per second, median and p95 latency,
and requests per second ÷ the log-in page's, measured again just before each list page
(target ≥ 1/8 for every list page), the median of --rounds rounds. Every response must be a
200, or the run stops.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import ensure_database  # noqa: E402

STAFF_EMAIL = "cress@demo.probono.example.org"
TARGET_RATIO = 1 / 8
# Not a secret: the bench's own server and database, thrown away after the run.
BENCH_SECRET_KEY = "pages-bench-not-secret-" + "x" * 40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/probono_pages_bench"
    )
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--fresh", action="store_true", help="drop the database and seed again")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=150, help="requests per page and round")
    parser.add_argument("--seconds", type=float, default=20, help="time cap per page and round")
    parser.add_argument("--warm-up", type=int, default=6, help="unmeasured requests per page")
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


# The database


def manage(*args, env):
    """A manage.py command in a child process, with tasks in-process (no broker)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        env={**env, "CELERY_BROKER_URL": ""},
    )  # fmt: skip
    print(f"  manage.py {' '.join(args)}: {time.perf_counter() - started:.1f} s", flush=True)


def setup_django(database_url):
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="probono.settings.production",
        SECRET_KEY=BENCH_SECRET_KEY,
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def seed_if_empty(env):
    """The demo and one matching pass, unless the database already holds proposals."""
    from matching.models import Proposal

    manage("migrate", "--no-input", env=env)
    if Proposal.objects.exists():
        print("  demo already seeded (use --fresh to seed again)", flush=True)
        return
    manage("seed_demo", env=env)
    manage("run_matcher", env=env)
    analyze()


def analyze():
    """Fresh planner statistics, as autovacuum would give a database that has been up a while."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages():
    """(label, path, signed in) of the log-in page (anonymous), then of each list page."""
    from django.db.models import Count
    from django.urls import reverse

    from matching.models import Need

    busiest = (
        Need.objects.for_published_list()
        .values("main_skill", "departement")
        .annotate(rows=Count("pk"))
        .order_by("-rows", "main_skill", "departement")
        .first()
    )
    filtered = urlencode({"skill": busiest["main_skill"], "departement": busiest["departement"]})
    return [
        ("log-in page", reverse("login"), False),
        ("needs", reverse("need_list"), True),
        (f"needs, filtered ({busiest['rows']} rows)", f"{reverse('need_list')}?{filtered}", True),
        ("offers", reverse("offer_list"), True),
        ("proposals", reverse("proposal_list"), True),
        ("review queue", reverse("review_queue"), True),
    ]


# The server


def start_server(env, workers, log_path):
    """gunicorn under the production settings, as tests/processes.py starts it, N workers."""
    from tests.processes import ProductionServer

    return ProductionServer(env, log_path, timeout=60, workers=workers)


# The load


@dataclass
class Figures:
    done: int
    seconds: float
    latencies: list
    failures: list

    @property
    def per_second(self):
        return self.done / self.seconds

    def percentile(self, share):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fire(server, path, cookies, threads, requests, seconds):
    """`requests` GETs shared by `threads` client threads, stopped early after `seconds`."""
    lock = threading.Lock()
    tickets = iter(range(requests))
    latencies, failures = [], []
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                if next(tickets, None) is None:
                    return
            status, _body, took = server.request(path, cookies=cookies, timeout=60)
            with lock:
                latencies.append(took)
                if status != 200:
                    failures.append(status)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return Figures(len(latencies), time.monotonic() - started, latencies, failures)


def measure(server, targets, cookies, args):
    """{label: [(Figures, log-in page's Figures just before)] per round}: the log-in page is
    measured again right before each list page, so that load from outside the bench, which
    drifts within a round, weighs on both sides of each ratio alike."""
    for _label, path, signed_in in targets:
        fire(server, path, cookies if signed_in else None, 1, args.warm_up, args.seconds)
    (login_label, login_path, _anonymous), *lists = targets
    rounds = {label: [] for label, _path, _signed_in in lists}
    for number in range(1, args.rounds + 1):
        for label, path, _signed_in in lists:
            login = fire(server, login_path, None, args.threads, args.requests, args.seconds)
            page = fire(server, path, cookies, args.threads, args.requests, args.seconds)
            for name, figures in ((login_label, login), (label, page)):
                if figures.failures:
                    raise SystemExit(f"{name}: {len(figures.failures)} non-200 responses")
            rounds[label].append((page, login))
            print(
                f"  round {number}  {label:<32} {page.per_second:>7.1f} req/s, "
                f"log-in page {login.per_second:>7.1f} req/s",
                flush=True,
            )
    return rounds


def report(rounds):
    """Medians over rounds; each ratio is page ÷ the log-in page measured just before it."""
    logins = [login for pairs in rounds.values() for _page, login in pairs]
    print()
    print(f"{'page':<34}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'÷ log-in':>10}{'1/x':>8}  ≥ 1/8")
    _row("log-in page", logins, 1.0, "")
    for label, pairs in rounds.items():
        ratio = statistics.median(page.per_second / login.per_second for page, login in pairs)
        verdict = "yes" if ratio >= TARGET_RATIO else "NO"
        _row(label, [page for page, _login in pairs], ratio, verdict)


def _row(label, figures, ratio, verdict):
    rate = statistics.median(f.per_second for f in figures)
    p50 = statistics.median(f.percentile(0.50) for f in figures) * 1000
    p95 = statistics.median(f.percentile(0.95) for f in figures) * 1000
    print(
        f"{label:<34}{rate:>8.1f}{p50:>9.1f}{p95:>9.1f}{ratio:>10.3f}"
        f"{'1/' + format(1 / ratio, '.1f'):>8}  {verdict}"
    )


def main():
    args = parse_args()
    print("Preparing the database", flush=True)
    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    from accounts.models import User
    from tests.processes import collect_static, logged_in_cookies, production_env

    env = production_env(args.broker_url, LOG_LEVEL="WARNING")
    seed_if_empty(env)
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as scratch:
        env = collect_static(env, Path(scratch) / "static")
        cookies = logged_in_cookies(User.objects.get(email=STAFF_EMAIL))
        targets = pages()
        server = start_server(env, args.workers, Path(scratch) / "gunicorn.log")
        try:
            print(
                f"gunicorn, {args.workers} workers; {args.threads} client threads, "
                f"≤ {args.requests} requests or {args.seconds:g} s per page and round",
                flush=True,
            )
            rounds = measure(server, targets, cookies, args)
        finally:
            server.stop()
    report(rounds)


if __name__ == "__main__":
    main()
