"""Load benchmark of the web app — not a test. Prints figures against a baseline of the same run.

    .venv/bin/python bench/load_bench.py                        # 50 users, 10 s warm-up, 60 s
    .venv/bin/python bench/load_bench.py --users 20 --duration 20 --keep-data   # a quick run

What runs: gunicorn (2 sync workers) under the production settings, on PostgreSQL
(`probono_load` by default, dropped and filled again with `manage.py seed_demo` then
`manage.py run_matcher`), a throwaway redis-server as the Celery broker and one Celery worker
(so publishing a need runs the matcher for it and approvals send their e-mails, as in
production; `--no-worker` leaves the tasks queued). Locust (as a library, headless) plays
three kinds of users at once, 3 : 1 : 1 (bench/locustfile.py):

  - volunteers browse the published needs (pages, filters, full-text search), open needs, and
    their offers;
  - association members open their needs, post a need through the real form and publish it;
  - CRESS staff read the review queue (pages, filters), review pages, and approve or reject a
    proposal through the review page's forms.

Every user signs in once, through the log-in form (the password hashed by PBKDF2, slow on
purpose), then also opens the log-in page now and then. Statistics are reset once every user is
signed in (the warm-up, at most --warmup-max seconds; its log-ins are printed apart) and the
requests queued behind the log-ins are served (--settle); the measurement is then bounded in
time (--duration) and in requests (--max-requests), whichever comes first.

Figures, per page: requests, requests/s, median and 95th percentile, the p95 as a multiple of
the log-in page's p95 in the same run (a page with a form and no database query), failures.
Then the failures, the steps the app refused with a message (e.g. a proposal another reviewer
had just decided: not errors), what the run changed in the database, and the tracebacks found
in gunicorn's and the worker's logs. Target: no errors with 50 users.
"""

# Locust patches the standard library with gevent on import: it must come before the rest.
import locust  # noqa: I001, F401
from locust import between
from locust.env import Environment

import argparse
import dataclasses
import math
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import locustfile  # noqa: E402

from bench.databases import ensure_database  # noqa: E402
from tests.processes import (  # noqa: E402
    CeleryWorker,
    ProductionServer,
    RedisServer,
    collect_static,
    production_env,
)

# The page name the users send (X-Bench-Page) and the microseconds a worker spent on the request:
# the server's own time, without the wait in gunicorn's queue.
ACCESS_FORMAT = "%({x-bench-page}i)s\t%(D)s"
BASELINE = "log-in page"
LOGIN_POST = "log-in (POST)"
GUNICORN_WORKERS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument(
        "--warmup-max", type=float, default=180,
        help="seconds at most waiting for every user to be signed in before measuring",
    )  # fmt: skip
    parser.add_argument(
        "--settle", type=float, default=15,
        help="seconds between the last log-in and the measurement (the log-ins' backlog drains)",
    )  # fmt: skip
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="stop earlier after this many requests"
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/probono_load")
    parser.add_argument(
        "--keep-data", action="store_true", help="reuse the database as the last run left it"
    )
    parser.add_argument(
        "--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
        help="seconds each user waits between two tasks",
    )  # fmt: skip
    parser.add_argument("--no-worker", action="store_true", help="no Celery worker")
    return parser.parse_args()


def setup_django(database_url):
    """This process reads the database with the production settings, as gunicorn does."""
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="probono.settings.production",
        # production_env() hands this key to gunicorn; any key will do for one run.
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


# Preparing the database


def manage(env, *command):
    """A manage.py command under the production settings; its seconds."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=1800,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started


def seed(env):
    for command in (("migrate", "-v0"), ("seed_demo",), ("run_matcher",)):
        print(f"  manage.py {' '.join(command)}: {manage(env, *command):.0f} s", flush=True)


def empty_queue(redis):
    """Drop the tasks the seed enqueued (its e-mails): the run starts with an empty queue."""
    import redis as redis_client

    redis_client.Redis.from_url(redis.url).flushall()


def bench_accounts(users):
    """Distinct demo people for each kind of user, the demo's well-known log-ins first."""
    from accounts.models import Membership, Organisation, User

    Kind = Organisation.Kind
    active = {"memberships__status": Membership.Status.ACTIVE}

    def people(well_known, limit, **lookups):
        found = User.objects.filter(is_active=True, **active, **lookups).distinct()
        emails = list(found.order_by("email").values_list("email", flat=True)[: limit + 1])
        ordered = [well_known] + [email for email in emails if email != well_known]
        return ordered[: max(1, limit)]

    accounts = locustfile.ACCOUNTS
    return {
        "volunteer": people(
            accounts["volunteer"][0], users,
            memberships__organisation__kind__in=[Kind.COMPANY, Kind.PUBLIC_BODY],
            offers__isnull=False,
        ),
        "association": people(
            accounts["association"][0], users,
            memberships__organisation__kind__in=[Kind.ASSOCIATION, Kind.OTHER_ESS],
            memberships__organisation__status=Organisation.Status.VERIFIED,
        ),
        # The demo CRESS has one reviewer: every staff user signs in as her, in its own session.
        "staff": people(accounts["staff"][0], 1, memberships__organisation__kind=Kind.CRESS),
    }  # fmt: skip


def database_counts():
    """What the users changed, to show the writes happened (and what the worker did)."""
    from matching.models import MatchingRun, Need
    from missions.models import Review

    bench_needs = Need.objects.filter(title__startswith="Besoin d'essai de charge")
    return {
        "needs posted": bench_needs.count(),
        "needs published": bench_needs.exclude(published_at=None).count(),
        "reviews (approve or reject)": Review.objects.count(),
        "matcher runs": MatchingRun.objects.count(),
    }


# The servers


class Gunicorn(ProductionServer):
    """ProductionServer with several workers (the tests' one runs a single worker), logging
    each request's page name (sent by the users) and the time a worker spent on it."""

    def __init__(self, env, log_path, workers, access_log):
        self.access_log = Path(access_log)
        super().__init__(
            env, log_path, workers=workers,
            extra_args=("--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT),
        )  # fmt: skip

    def access_log_size(self):
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def handling_times(self, start, end):
        """{page name: [ms a worker spent on each request]} from a stretch of the access log."""
        with self.access_log.open("rb") as log:
            log.seek(start)
            lines = log.read(end - start).decode(errors="replace").splitlines()
        times = {}
        for line in lines:
            name, _, microseconds = line.rpartition("\t")
            if name and name != "-":
                times.setdefault(name, []).append(int(microseconds) / 1000)
        return times


# The run


@dataclasses.dataclass
class Measure:
    runner: object
    warmup: dict
    elapsed: float
    stopped_by: str
    cpu: dict  # CPU seconds while measuring, by process
    handling: dict  # page name → ms a worker spent on each request


def run_users(server, worker, args):
    """Start the users; once all are signed in, reset the statistics and measure until the
    time or the request bound; the warm-up's log-ins are kept apart."""
    env = Environment(
        user_classes=[locustfile.Volunteer, locustfile.Association, locustfile.CressStaff],
        host=server.url,
    )
    locustfile.ProbonoUser.wait_time = between(*args.think)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    warmup = wait_until_signed_in(runner, args.users, args.warmup_max)
    # Requests queued behind the log-ins would otherwise end inside the measured window.
    gevent.sleep(args.settle)
    runner.stats.reset_all()
    locustfile.REFUSED.clear()
    pids = {"gunicorn": server.process.pid}
    if worker:
        pids["Celery worker"] = worker.process.pid
    cpu_before = {"load generator": _cpu_seconds()}
    cpu_before.update((name, process_cpu(pid)) for name, pid in pids.items())
    access_start, started = server.access_log_size(), time.monotonic()
    stopped_by = "time"
    while time.monotonic() - started < args.duration:
        if runner.stats.total.num_requests >= args.max_requests:
            stopped_by = "requests"
            break
        gevent.sleep(0.1)
    elapsed = time.monotonic() - started
    cpu = {"load generator": _cpu_seconds()}
    cpu.update((name, process_cpu(pid)) for name, pid in pids.items())
    access_end = server.access_log_size()
    runner.stop()
    runner.quit()
    return Measure(
        runner, warmup, elapsed, stopped_by,
        cpu={name: cpu[name] - cpu_before[name] for name in cpu},
        handling=server.handling_times(access_start, access_end),
    )  # fmt: skip


def wait_until_signed_in(runner, users, at_most):
    """Wait for every user's log-in POST; its figures, before the statistics are reset."""
    started = time.monotonic()
    # Looked up again each time: starting the runner replaces the statistics' entries.
    while runner.stats.get(LOGIN_POST, "POST").num_requests < users:
        if time.monotonic() - started > at_most:
            break
        gevent.sleep(0.2)
    login = runner.stats.get(LOGIN_POST, "POST")
    return {
        "seconds": time.monotonic() - started,
        "requests": login.num_requests,
        "failures": login.num_failures,
        "p50": login.get_response_time_percentile(0.5),
        "p95": login.get_response_time_percentile(0.95),
    }


def process_cpu(pid):
    """CPU seconds of a process and its children (gunicorn's or Celery's workers)."""
    parent = psutil.Process(pid)
    processes = [parent, *parent.children(recursive=True)]
    return sum(sum(p.cpu_times()[:2]) for p in processes if p.is_running())


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Printing


def percentile(values, q):
    """Nearest-rank percentile, as locust reports its own."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else 0


def print_table(stats, elapsed, handling):
    """Per page: requests, requests/s, p50 and p95 seen by the users and of the time a worker
    spent on it (no queue), each p95 as a multiple of the log-in page's."""
    entries = sorted(
        (e for e in stats.entries.values() if e.num_requests),
        key=lambda e: (e.name != BASELINE, e.name),
    )
    client_base = stats.get(BASELINE, "GET").get_response_time_percentile(0.95)
    server_base = percentile(handling.get(BASELINE, []), 0.95)
    print(f"{'':<43}{' seen by the users ':-^28}{' server, no queue ':-^28}")
    print(
        f"{'page':<26}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p95÷log-in':>12}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p95÷log-in':>12}{'failures':>10}"
    )
    for entry in [*entries, stats.total]:
        total = entry is stats.total
        name = "all pages" if total else entry.name
        times = [t for ts in handling.values() for t in ts] if total else handling.get(name, [])
        p95 = entry.get_response_time_percentile(0.95)
        server_p95 = percentile(times, 0.95)
        print(
            f"{name:<26}{entry.num_requests:>9}{entry.num_requests / elapsed:>8.1f}"
            f"{entry.get_response_time_percentile(0.5):>8.0f}{p95:>8.0f}"
            f"{_ratio(p95, client_base, total):>12}{percentile(times, 0.5):>8.0f}"
            f"{server_p95:>8.0f}{_ratio(server_p95, server_base, total):>12}"
            f"{entry.num_failures:>10}"
        )


def _ratio(value, baseline, total):
    return "" if total or not baseline else f"{value / baseline:.1f}"


def print_cpu(cpu, elapsed, requests):
    """CPU used while measuring: whether the client kept up, and gunicorn's cost per request."""
    used = ", ".join(f"{name} {seconds / elapsed:.0%}" for name, seconds in cpu.items())
    per_request = 1000 * cpu["gunicorn"] / max(1, requests)
    print(f"CPU used (of one CPU): {used}; gunicorn {per_request:.0f} ms CPU per request.")


def print_failures(stats):
    if not stats.errors:
        print("Failures: none.")
        return
    print("Failures:")
    for error in sorted(stats.errors.values(), key=lambda e: -e.occurrences):
        print(f"  {error.occurrences:>5} × {error.method} {error.name}: {error.error}")


def print_exceptions(runner):
    """Exceptions raised in the users' own code: the bench's defects, counted apart."""
    if not runner.exceptions:
        return
    print("Exceptions in the users' code (bench defects, not the app's):")
    for item in runner.exceptions.values():
        print(f"  {item['count']:>5} × {item['msg']}\n{item['traceback']}")


def print_refused():
    if not locustfile.REFUSED:
        print("Steps refused with a message: none.")
        return
    print("Steps refused with a message (the app said no; not errors):")
    for (step, message), count in locustfile.REFUSED.most_common():
        print(f"  {count:>5} × {step}: {message}")


def print_tracebacks(name, log_text):
    """How many tracebacks a log holds, and the first one in full."""
    tracebacks = re.findall(r"Traceback \(most recent call last\):.*?(?=\n\S|\Z)", log_text, re.S)
    errors = [
        line
        for line in log_text.splitlines()
        if "[ERROR]" in line or line.startswith("Internal Server Error")
    ]
    print(f"{name}: {len(tracebacks)} tracebacks, {len(errors)} error lines.")
    if tracebacks:
        start = log_text.index(tracebacks[0])
        print(log_text[max(0, start - 600) : start + len(tracebacks[0]) + 400])


def main():
    args = parse_args()
    setup_django(args.database_url)
    logs = Path(tempfile.mkdtemp(prefix="probono-load-"))
    redis = RedisServer().start()
    worker = server = None
    try:
        env = production_env(redis.url)
        if not args.keep_data:
            print(f"Filling {urlsplit(args.database_url).path.lstrip('/')} with the demo:")
            ensure_database(args.database_url, fresh=True)
            seed(env)
        else:  # the code under test may bring a migration the kept data lacks
            manage(env, "migrate", "-v0")
        empty_queue(redis)
        env = collect_static(env, logs / "static")
        accounts = bench_accounts(args.users)
        locustfile.ACCOUNTS = accounts
        if not args.no_worker:
            worker = CeleryWorker(env, logs / "worker.log")
        server = Gunicorn(env, logs / "gunicorn.log", GUNICORN_WORKERS, logs / "access.log")
        counts_before = database_counts()
        print(
            f"\ngunicorn {GUNICORN_WORKERS} workers (production settings) at {server.url}; "
            f"Celery worker: {'none' if worker is None else 'one, concurrency 1'}; "
            f"{os.cpu_count()} CPUs shared by all (load average now "
            f"{os.getloadavg()[0]:.1f})."
        )
        print(
            f"{args.users} users (volunteers : associations : staff = 3 : 1 : 1) on "
            f"{len(accounts['volunteer'])} volunteer, {len(accounts['association'])} association "
            f"and {len(accounts['staff'])} staff accounts; measured once all are signed in, "
            f"for {args.duration:.0f} s or {args.max_requests} requests.\n",
            flush=True,
        )
        measure = run_users(server, worker, args)
        stats, warmup, elapsed = measure.runner.stats, measure.warmup, measure.elapsed
        print(
            f"Warm-up {warmup['seconds']:.0f} s: {warmup['requests']} log-ins (password "
            f"hashed by PBKDF2), p50 {warmup['p50']:.0f} ms, p95 {warmup['p95']:.0f} ms, "
            f"{warmup['failures']} failed; then {args.settle:.0f} s to settle."
        )
        print(f"Measured {elapsed:.1f} s (stopped by {measure.stopped_by}); load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")  # fmt: skip
        print_cpu(measure.cpu, elapsed, stats.total.num_requests)
        print()
        print_table(stats, elapsed, measure.handling)
        print()
        print_failures(stats)
        print_refused()
        print_exceptions(measure.runner)
        counts_after = database_counts()
        changes = ", ".join(f"{k} +{counts_after[k] - counts_before[k]}" for k in counts_after)
        print(f"Database (warm-up included): {changes}.")
    finally:
        if server:
            server.stop()
            print_tracebacks("gunicorn log", server.output())
        if worker:
            worker.stop()
            print_tracebacks("worker log", worker.output())
        redis.stop()
        print(f"Logs in {logs}")


if __name__ == "__main__":
    main()
